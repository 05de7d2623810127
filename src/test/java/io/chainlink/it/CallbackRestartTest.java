package io.chainlink.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainlink.ChainlinkApplication;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * A pending callback outlives the process, stopped or killed: the next service on the same store
 * delivers it.
 */
class CallbackRestartTest {

    private static final String SECRET = "s3cret-callback-key-for-tests";
    private static final CallbackReceiver RECEIVER = new CallbackReceiver();

    @AfterAll
    static void stopReceiver() {
        RECEIVER.close();
    }

    @Test
    void pendingCallbacksAreDeliveredByTheNextServiceOnTheSameStore() throws Exception {
        Path data = Files.createTempDirectory("chainlink-callbacks");
        RECEIVER.failFirst("/hooks/retried", Integer.MAX_VALUE);
        String retried;
        String interrupted;
        try (var first = start(data)) {
            var api = ServiceApi.of(first);
            // One that failed once here and waits for its retry; one whose job is still running
            // when the service stops, so that it was never sent.
            retried = api.submit(withCallback("[\"echo\", \"hi\"]", "/hooks/retried"));
            interrupted = api.submit(withCallback("[\"sleep\", \"60\"]", "/hooks/interrupted"));
            Awaitility.await("a first delivery failed").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(100))
                    .until(() -> api.job(retried).get("callback"), callback -> callback.get("attempts").asInt() >= 1
                            && callback.get("lastStatus").asInt() == 500 && callback.get("state").asString().equals("PENDING"));
            Awaitility.await().atMost(Duration.ofMinutes(1)).until(() -> api.job(interrupted).get("status").asString().equals("RUNNING"));
        }
        int failedBefore = RECEIVER.requests("/hooks/retried").size();
        assertThat(RECEIVER.requests("/hooks/interrupted")).isEmpty();
        RECEIVER.succeed("/hooks/retried");

        try (var second = start(data)) {
            var api = ServiceApi.of(second);
            JsonNode callback = awaitDelivered(api, retried);
            assertThat(callback.get("lastStatus").asInt()).isEqualTo(200);
            assertThat(callback.get("attempts").asInt()).as("the attempts before the restart count").isEqualTo(failedBefore + 1);
            assertThat(RECEIVER.requests("/hooks/retried")).hasSize(failedBefore + 1);

            JsonNode sent = awaitDelivered(api, interrupted);
            assertThat(sent.get("attempts").asInt()).isEqualTo(1);
            var delivery = RECEIVER.requests("/hooks/interrupted").get(0);
            assertThat(statusOf(delivery)).isEqualTo("ERROR");
            assertThat(delivery.header("Chainlink-Signature")).isEqualTo(CallbackReceiver.sha256(SECRET, delivery.body()));
        }
    }

    @Test
    void aCallbackAnswered202SurvivesTheProcessBeingKilledAtOnce() throws Exception {
        Path data = Files.createTempDirectory(Files.createDirectories(Path.of("target", "test-data")), "callbacks-killed-");
        String allowed = "--chainlink.callbacks.allowed-urls=" + RECEIVER.base() + "/hooks/";
        String id;
        // No workers: the job stays queued, and no status change writes the file after the 202.
        try (ServiceProcess first = ServiceProcess.start(data, "service-1", allowed, "--chainlink.workers=0")) {
            id = first.api().submit(withCallback("[\"true\"]", "/hooks/killed"));
            // At once: within H2's write delay, so that only what the 202 waited for is in the file.
            assertThat(first.kill()).isEqualTo(128 + 9);
        }
        try (ServiceProcess second = ServiceProcess.start(data, "service-2", allowed)) {
            assertThat(second.api().job(id).get("callback").isObject()).as("the callback stored with the job").isTrue();
            JsonNode callback = awaitDelivered(second.api(), id);
            assertThat(callback.get("lastStatus").asInt()).isEqualTo(200);
            var delivery = RECEIVER.requests("/hooks/killed").get(0);
            assertThat(EngineTest.JSON.readTree(delivery.body()).get("id").asString()).isEqualTo(id);
            assertThat(delivery.header("Chainlink-Signature")).isEqualTo(CallbackReceiver.sha256(SECRET, delivery.body()));
        }
    }

    private static String statusOf(CallbackReceiver.Received delivery) {
        return EngineTest.JSON.readTree(delivery.body()).get("status").asString();
    }

    private static JsonNode awaitDelivered(ServiceApi api, String id) {
        return Awaitility.await("callback of " + id + " delivered").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> api.job(id).get("callback"), callback -> callback.get("state").asString().equals("DELIVERED"));
    }

    private static String withCallback(String entrypoint, String path) {
        return """
                {"stages": [{"image": "IMAGE", "entrypoint": %s}],
                 "callback": {"url": "%s", "secret": "%s"}}""".formatted(entrypoint, RECEIVER.base() + path, SECRET);
    }

    private static ConfigurableApplicationContext start(Path data) {
        // Arguments, because they outrank the test configuration's own data dir. Retries far
        // enough apart that the bound is not reached while the first service runs.
        return new SpringApplicationBuilder(ChainlinkApplication.class)
                .run("--server.port=0", "--chainlink.data-dir=" + data, "--chainlink.stop-grace=1s",
                        "--chainlink.callbacks.allowed-urls=" + RECEIVER.base() + "/hooks/",
                        "--chainlink.callbacks.retry-delay=500ms", "--chainlink.callbacks.max-retry-delay=500ms",
                        "--chainlink.callbacks.max-attempts=20", "--chainlink.callbacks.poll-interval=500ms");
    }
}
