package io.chainlink.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Stages in order over one shared /job, and what stops a chain. */
class ChainExecutionTest extends EngineTest {

    @Test
    void stagesShareJobDirectoryAndItsVolumeIsRemovedAfterTheJob() {
        String id = submit("""
                {"stages": [
                  {"image": "IMAGE", "entrypoint": ["sh", "-c", "echo handed over > /job/note"]},
                  {"image": "IMAGE", "entrypoint": ["cat", "/job/note"]}]}""");
        JsonNode job = awaitEnd(id);

        assertThat(job.get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(results(id).get(1).get("logs").get("stdout").asString()).endsWith(" handed over\n");
        Awaitility.await("the job's volume and containers are removed").atMost(Duration.ofSeconds(30))
                .until(() -> leftoversOf(id), List::isEmpty);
    }

    @Test
    void failingStageSkipsLaterStagesWhichNeverStart() {
        Instant submitted = Instant.now();
        String id = submit("""
                {"stages": [
                  {"image": "IMAGE", "entrypoint": ["true"]},
                  {"image": "IMAGE", "entrypoint": ["sh", "-c", "exit 3"]},
                  {"image": "IMAGE", "entrypoint": ["sh", "-c", "echo must not run"]}]}""");
        JsonNode job = awaitEnd(id);

        assertThat(job.get("status").asString()).isEqualTo("FAILED");
        assertThat(job.get("error").isNull()).isTrue();
        JsonNode stages = job.get("stages");
        assertThat(stages.get(0).get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(stages.get(1).get("status").asString()).isEqualTo("FAILED");
        assertThat(stages.get(1).get("exitCode").asInt()).isEqualTo(3);
        assertThat(stages.get(2).get("status").asString()).isEqualTo("SKIPPED");
        assertThat(stages.get(2).get("startedAt").isNull()).isTrue();

        JsonNode results = results(id);
        assertThat(results).hasSize(2);
        assertThat(results.get(1).get("data").get("ExitCode").asInt()).isEqualTo(3);
        assertThat(results.get(1).get("success").asBoolean()).isFalse();
        // The engine's own record: stage 2's container (created while stage 1 ran) never started.
        assertThat(startsOf(id, 1, submitted)).isEqualTo(1);
        assertThat(startsOf(id, 2, submitted)).isZero();
        Awaitility.await("the unstarted container is removed with the rest").atMost(Duration.ofSeconds(30))
                .until(() -> leftoversOf(id), List::isEmpty);
    }

    @Test
    void eachStageShowsWhereItsTimeWent() {
        JsonNode job = submitAndWait("""
                {"stages": [
                  {"image": "IMAGE", "entrypoint": ["sleep", "1"]},
                  {"image": "IMAGE", "entrypoint": ["true"]}]}""");

        assertThat(job.get("status").asString()).isEqualTo("SUCCEEDED");
        JsonNode first = job.get("stages").get(0).get("timings");
        JsonNode second = job.get("stages").get(1).get("timings");
        assertThat(first.get("run").asLong()).as("start to exit of sleep 1").isBetween(1000L, 5000L);
        assertThat(second.get("run").asLong()).isLessThan(1000);
        assertThat(first.get("create").asLong()).as("a create is an engine round trip").isPositive();
        assertThat(second.get("create").asLong()).isPositive();
        assertThat(first.get("start").asLong()).isPositive();
        assertThat(first.get("image").asLong()).isNotNegative();
        assertThat(second.get("image").asLong()).as("the image is counted on its first stage only").isZero();
        assertThat(first.get("collect").asLong()).isNotNegative();
        // The parts of a stage fit in the job's own time.
        long jobMillis = Duration.between(Instant.parse(job.get("startedAt").asString()),
                Instant.parse(job.get("finishedAt").asString())).toMillis();
        long parts = 0;
        for (String part : List.of("image", "start", "run", "collect")) {
            parts += first.get(part).asLong() + second.get(part).asLong();
        }
        assertThat(parts).isLessThanOrEqualTo(jobMillis + 2);
    }

    @Test
    void stdoutAndStderrComeBackApartEachLineTimestamped() {
        String id = submit("""
                {"stages": [{"image": "IMAGE", "entrypoint": ["sh", "-c", "echo out1; echo err1 >&2; echo out2"]}]}""");
        awaitEnd(id);

        JsonNode logs = results(id).get(0).get("logs");
        assertThat(logs.get("stdout").asString()).matches("(?s)\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d+Z out1\n\\S+ out2\n");
        assertThat(logs.get("stderr").asString()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d+Z err1\n");
        Response stderr = get("/api/v1/jobs/" + id + "/stages/0/logs/stderr");
        assertThat(stderr.status()).isEqualTo(200);
        assertThat(stderr.headers().get("content-type").get(0)).startsWith("text/plain");
        assertThat(stderr.text()).isEqualTo(logs.get("stderr").asString());
    }

    @Test
    void resultsCarryOutputOfManyChunksWithQuotesControlBytesAndBadUtf8AsTheLogEndpointDoes() {
        // A first line JSON must escape, an é, a byte that is not UTF-8, then 200,000 bytes: many stored chunks.
        String command = "printf 'q\"b\\\\s\\t\\001 \\303\\251 \\377 end\\n'; yes 0123456789 | head -c 200000";
        String id = submit(JSON.writeValueAsString(Map.of("stages",
                List.of(Map.of("image", IMAGE, "entrypoint", List.of("sh", "-c", command))))));
        assertThat(awaitEnd(id).get("status").asString()).isEqualTo("SUCCEEDED");

        String stdout = results(id).get(0).get("logs").get("stdout").asString();

        assertThat(stdout.lines().findFirst().orElseThrow()).endsWith(" q\"b\\s\t\u0001 \u00e9 \ufffd end");
        assertThat(Pattern.compile(" 0123456789\n").matcher(stdout).results().count()).isEqualTo(18181);
        assertThat(stdout).isEqualTo(get("/api/v1/jobs/" + id + "/stages/0/logs/stdout").text());
    }

    @Test
    void waitingReadAnswersOnceTheJobHasEnded() {
        String id = submit("""
                {"stages": [{"image": "IMAGE", "entrypoint": ["sleep", "1"]}]}""");
        Response waited = get("/api/v1/jobs/" + id + "?wait=60");
        assertThat(waited.status()).isEqualTo(200);
        assertThat(waited.body().get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(get("/api/v1/jobs/" + id + "?wait=61").status()).isEqualTo(400);
    }

    @Test
    void unknownJobIsANotFoundProblem() {
        Response response = get("/api/v1/jobs/" + java.util.UUID.randomUUID());
        assertThat(response.status()).isEqualTo(404);
        assertThat(response.headers().get("content-type").get(0)).startsWith("application/problem+json");
        assertThat(response.body().get("status").asInt()).isEqualTo(404);
    }
}
