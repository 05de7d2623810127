package io.chainlink.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainlink.ChainlinkApplication;
import io.chainlink.engine.EngineConnection;
import io.chainlink.engine.Labels;
import io.chainlink.job.StoreId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/** A job's status and results outlive the process that ran it. */
class RestartTest {

    @Test
    void finishedJobIsStillServedAfterARestart() throws Exception {
        Path data = Files.createTempDirectory("chainlink-restart");
        String id;
        JsonNode before;
        try (var first = start(data)) {
            var api = ServiceApi.of(first);
            id = api.submit("""
                    {"stages": [{"image": "IMAGE", "entrypoint": ["echo", "kept"]}]}""");
            before = api.awaitEnd(id);
            assertThat(before.get("status").asString()).isEqualTo("SUCCEEDED");
        }
        try (var second = start(data)) {
            var api = ServiceApi.of(second);
            assertThat(api.job(id)).isEqualTo(before);
            assertThat(api.results(id).get(0).get("logs").get("stdout").asString()).endsWith(" kept\n");
        }
    }

    @Test
    void jobRunningWhenTheServiceStopsEndsAsErrorAndLeavesNoContainer() throws Exception {
        Path data = Files.createTempDirectory("chainlink-restart");
        String id;
        try (var first = start(data)) {
            var api = ServiceApi.of(first);
            id = api.submit("""
                    {"stages": [{"image": "IMAGE", "entrypoint": ["sleep", "60"]}]}""");
            Awaitility.await().atMost(Duration.ofMinutes(1)).until(() -> api.job(id).get("status").asString().equals("RUNNING"));
        }
        try (var second = start(data)) {
            JsonNode job = ServiceApi.of(second).job(id);
            assertThat(job.get("status").asString()).isEqualTo("ERROR");
            assertThat(job.get("error").asString()).isEqualTo("interrupted: the instance running it stopped");
            var docker = second.getBean(EngineConnection.class).client();
            // Its own store's: other services on this engine have a job with the same id.
            String store = second.getBean(StoreId.class).value();
            assertThat(docker.listContainersCmd().withShowAll(true)
                    .withLabelFilter(Map.of(Labels.STORE, store, Labels.JOB, id)).exec()).isEmpty();
        }
    }

    private static ConfigurableApplicationContext start(Path data) {
        // Arguments, because they outrank the test configuration's own data dir.
        return new SpringApplicationBuilder(ChainlinkApplication.class)
                .run("--server.port=0", "--chainlink.data-dir=" + data, "--chainlink.stop-grace=1s");
    }
}
