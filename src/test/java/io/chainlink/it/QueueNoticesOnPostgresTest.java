package io.chainlink.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainlink.ChainlinkApplication;
import io.chainlink.support.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A submission to one instance wakes the idle workers of another at once (LISTEN/NOTIFY), however
 * long their poll interval; after PostgreSQL restarts, the listener reconnects and it does again.
 * A cluster of its own: the restart must not cut the other tests' databases.
 */
class QueueNoticesOnPostgresTest {

    /** Far longer than any wait below: a job started within them was woken by a notice, not a poll. */
    private static final String POLL = "5m";
    private static final Duration SOON = Duration.ofSeconds(20);

    @Test
    void aSubmissionToOneInstanceWakesTheWorkersOfAnotherAlsoAfterTheDatabaseRestarted() throws Exception {
        try (PostgresServer server = PostgresServer.start()) {
            String url = server.createDatabase();
            try (var front = start(url, "front", "api"); var back = start(url, "back", "worker")) {
                ServiceApi api = ServiceApi.of(front);
                awaitRunBy(api, "back");

                server.restart();

                awaitRunBy(api, "back");
            }
        }
    }

    private static void awaitRunBy(ServiceApi api, String instance) {
        String id = Awaitility.await("the front instance takes a job (its pool reconnects)").atMost(SOON)
                .ignoreExceptions().until(() -> api.submit("""
                        {"stages": [{"image": "IMAGE", "entrypoint": ["true"]}]}"""), job -> true);
        var job = Awaitility.await("job " + id + " ends").atMost(SOON).pollInterval(Duration.ofMillis(100))
                .until(() -> api.job(id), view -> EngineTest.TERMINAL.contains(view.get("status").asString()));
        assertThat(job.get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(job.get("instance").asString()).isEqualTo(instance);
    }

    private static ConfigurableApplicationContext start(String url, String instance, String role) throws Exception {
        Path data = Files.createTempDirectory(Files.createDirectories(Path.of("target", "test-data")), instance + "-");
        List<String> arguments = new ArrayList<>(PostgresServer.arguments(url));
        arguments.addAll(List.of("--server.port=0", "--chainlink.data-dir=" + data, "--chainlink.stop-grace=1s",
                "--chainlink.instance-id=" + instance, "--chainlink.role=" + role, "--chainlink.poll-interval=" + POLL));
        return new SpringApplicationBuilder(ChainlinkApplication.class).run(arguments.toArray(String[]::new));
    }
}
