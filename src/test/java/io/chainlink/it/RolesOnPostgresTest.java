package io.chainlink.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainlink.ChainlinkApplication;
import io.chainlink.support.PostgresServer;
import io.chainlink.support.SharedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * {@code chainlink.role}: an {@code api} instance takes jobs and runs none; a {@code worker}
 * instance on the same database runs them. The job names the instance that ran it; each
 * instance's health names itself, its role and its engine.
 */
class RolesOnPostgresTest {

    @Test
    void anApiInstanceQueuesWhatAWorkerInstanceRuns() throws Exception {
        String url = SharedPostgres.server().createDatabase();
        try (var api = start(url, "front", "api")) {
            ServiceApi front = ServiceApi.of(api);
            String id = front.submit("""
                    {"stages": [{"image": "IMAGE", "entrypoint": ["echo", "ran"]}]}""");
            JsonNode health = front.get("/actuator/health").body();
            assertThat(health.get("components").get("instance").get("details").get("id").asString()).isEqualTo("front");
            assertThat(health.get("components").get("instance").get("details").get("role").asString()).isEqualTo("api");
            assertThat(health.get("components").get("instance").get("details").get("workers").asInt()).isZero();
            // No worker anywhere yet: it waits (an instance with workers takes it within its poll interval).
            Awaitility.await("the job stays queued").during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5))
                    .until(() -> front.job(id).get("status").asString().equals("QUEUED"));
            assertThat(front.job(id).get("instance").isNull()).isTrue();

            try (var worker = start(url, "back", "worker")) {
                JsonNode job = front.awaitEnd(id);

                assertThat(job.get("status").asString()).isEqualTo("SUCCEEDED");
                assertThat(job.get("instance").asString()).isEqualTo("back");
                assertThat(front.results(id).get(0).get("logs").get("stdout").asString()).endsWith(" ran\n");
                JsonNode backHealth = ServiceApi.of(worker).get("/actuator/health").body().get("components").get("instance");
                assertThat(backHealth.get("details").get("role").asString()).isEqualTo("worker");
                assertThat(backHealth.get("details").get("engine").asString()).isNotBlank();
            }
        }
    }

    private static ConfigurableApplicationContext start(String url, String instance, String role) throws Exception {
        Path data = Files.createTempDirectory(Files.createDirectories(Path.of("target", "test-data")), instance + "-");
        List<String> arguments = new ArrayList<>(PostgresServer.arguments(url));
        arguments.addAll(List.of("--server.port=0", "--chainlink.data-dir=" + data, "--chainlink.stop-grace=1s",
                "--chainlink.instance-id=" + instance, "--chainlink.role=" + role));
        return new SpringApplicationBuilder(ChainlinkApplication.class).run(arguments.toArray(String[]::new));
    }
}
