package io.chainlink.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainlink.support.SharedPostgres;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The service on PostgreSQL, chosen by {@code spring.datasource.url} (with its user and password)
 * alone: the same migrations, the real engine, a user's requests through HTTP.
 */
class PostgresServiceTest extends EngineTest {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        SharedPostgres.newDatabase(registry);
    }

    @Autowired
    private DataSource dataSource;

    @Test
    void theJobsLiveInPostgresql() throws Exception {
        try (var connection = dataSource.getConnection()) {
            assertThat(connection.getMetaData().getDatabaseProductName()).isEqualTo("PostgreSQL");
        }
    }

    @Test
    void aChainRunsAndItsResultsAndLogsAreStored() {
        String id = submit("""
                {"environ": {"TEST": "testing"}, "stages": [
                  {"image": "IMAGE", "entrypoint": ["sh", "-c", "echo 42 > /job/answer; echo $TEST"]},
                  {"image": "IMAGE", "entrypoint": ["sh", "-c", "cat /job/answer; echo oops >&2; exit 3"]},
                  {"image": "IMAGE", "entrypoint": ["echo", "never"]}]}""");
        JsonNode job = awaitEnd(id);

        assertThat(job.get("status").asString()).isEqualTo("FAILED");
        assertThat(job.get("stages").findValuesAsString("status")).containsExactly("SUCCEEDED", "FAILED", "SKIPPED");
        assertThat(job.get("stages").get(1).get("exitCode").asInt()).isEqualTo(3);
        assertThat(job.get("stages").get(0).get("timings").get("run").asLong()).isNotNegative();
        JsonNode results = results(id);
        assertThat(results).hasSize(2);
        assertThat(results.get(0).get("logs").get("stdout").asString()).endsWith(" testing\n");
        assertThat(results.get(1).get("data").get("ExitCode").asInt()).isEqualTo(3);
        assertThat(results.get(1).get("success").asBoolean()).isFalse();
        Response stdout = get("/api/v1/jobs/" + id + "/stages/1/logs/stdout");
        assertThat(stdout.status()).isEqualTo(200);
        assertThat(stdout.text()).endsWith(" 42\n");
        assertThat(get("/api/v1/jobs/" + id + "/stages/1/logs/stderr").text()).endsWith(" oops\n");
        Awaitility.await("the job's containers and volume are removed").atMost(Duration.ofSeconds(30))
                .until(() -> leftoversOf(id), List::isEmpty);
    }

    @Test
    void aRunningJobIsCancelled() {
        String id = submit("""
                {"stages": [{"image": "IMAGE", "entrypoint": ["sleep", "60"]}, {"image": "IMAGE"}]}""");
        awaitStage(id, 0, "RUNNING");

        Response cancel = cancel(id);

        assertThat(cancel.status()).as(cancel.text()).isIn(200, 202);
        JsonNode job = awaitEnd(id);
        assertThat(job.get("status").asString()).isEqualTo("CANCELLED");
        assertThat(job.get("stages").findValuesAsString("status")).containsExactly("CANCELLED", "SKIPPED");
    }

    @Test
    void theListPagesNewestFirst() {
        List<String> ids = List.of(submit("{\"stages\": [{\"image\": \"IMAGE\", \"entrypoint\": [\"true\"]}]}"),
                submit("{\"stages\": [{\"image\": \"IMAGE\", \"entrypoint\": [\"true\"]}]}"),
                submit("{\"stages\": [{\"image\": \"IMAGE\", \"entrypoint\": [\"true\"]}]}"));
        ids.forEach(this::awaitEnd);

        JsonNode first = get("/api/v1/jobs?limit=2").body();
        assertThat(first.get("jobs").findValuesAsString("id")).containsExactly(ids.get(2), ids.get(1));
        JsonNode all = get("/api/v1/jobs?status=SUCCEEDED&limit=10").body();
        assertThat(all.get("jobs").findValuesAsString("id")).containsExactly(ids.get(2), ids.get(1), ids.get(0));
    }
}
