package io.chainlink.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainlink.ChainlinkApplication;
import io.chainlink.config.ChainlinkProperties;
import io.chainlink.engine.EngineConnection;
import io.chainlink.job.StoreId;
import io.chainlink.support.PostgresServer;
import io.chainlink.support.SharedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Two instances of the service on one PostgreSQL database and one engine, each with workers of
 * its own, claiming from the one queue at once: every job runs exactly once (the engine's own
 * start events, by the job's label), and both instances take part.
 */
class TwoInstancesOnPostgresTest {

    private static final int JOBS = 30;

    @Test
    void twoInstancesClaimingAtOnceNeverRunAJobTwice() throws Exception {
        String url = SharedPostgres.server().createDatabase();
        try (var a = start(url, "instance-a"); var b = start(url, "instance-b");
             var engine = new EngineConnection(a.getBean(ChainlinkProperties.class));
             var starts = EngineStarts.follow(engine.client(), a.getBean(StoreId.class).value(), 0)) {
            assertThat(b.getBean(StoreId.class).value()).as("one store, whichever instance asks")
                    .isEqualTo(a.getBean(StoreId.class).value());
            List<ServiceApi> apis = List.of(ServiceApi.of(a), ServiceApi.of(b));
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < JOBS; i++) {
                ids.add(apis.get(i % 2).submit("""
                        {"stages": [{"image": "IMAGE", "entrypoint": ["true"]}]}"""));
            }
            Awaitility.await("every job ends").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                    .until(() -> ids.stream().allMatch(id -> EngineTest.TERMINAL.contains(apis.get(0).job(id).get("status").asString())));

            assertThat(ids).allSatisfy(id -> assertThat(apis.get(1).job(id).get("status").asString()).isEqualTo("SUCCEEDED"));
            assertThat(ids).allSatisfy(id -> assertThat(apis.get(0).job(id).get("attempt").asInt()).isEqualTo(1));
            Map<String, Integer> started = starts.awaitJobs(JOBS, Duration.ofSeconds(10));
            assertThat(started).as("one start per job, by the engine's events").hasSize(JOBS)
                    .allSatisfy((job, n) -> assertThat(n).as(job).isEqualTo(1));
            assertThat(started.keySet()).containsExactlyInAnyOrderElementsOf(ids);
            Map<String, Long> byOwner = a.getBean(JdbcClient.class).sql("SELECT owner FROM jobs").query(String.class).list()
                    .stream().collect(Collectors.groupingBy(owner -> owner, Collectors.counting()));
            assertThat(byOwner).as("both instances ran jobs").containsOnlyKeys("instance-a", "instance-b");
        }
    }

    private static ConfigurableApplicationContext start(String url, String instance) throws Exception {
        Path data = Files.createTempDirectory(Files.createDirectories(Path.of("target", "test-data")), instance + "-");
        List<String> arguments = new ArrayList<>(PostgresServer.arguments(url));
        arguments.addAll(List.of("--server.port=0", "--chainlink.data-dir=" + data, "--chainlink.stop-grace=1s",
                "--chainlink.workers=4", "--chainlink.instance-id=" + instance));
        return new SpringApplicationBuilder(ChainlinkApplication.class).run(arguments.toArray(String[]::new));
    }
}
