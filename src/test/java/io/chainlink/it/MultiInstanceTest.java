package io.chainlink.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainlink.engine.EngineConnection;
import io.chainlink.engine.Labels;
import io.chainlink.support.PostgresServer;
import io.chainlink.support.TestProperties;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Three service processes, each as an operator starts one, on one PostgreSQL database and one
 * engine: the queue is the database. They share one store label (the store is the database's
 * identity, so every instance's sweep judges what it finds by the same jobs). 300 jobs submitted
 * through all three run exactly once each (the engine's start events, by job) and spread over the
 * instances; then one instance is killed (SIGKILL) while it runs jobs and PostgreSQL restarts
 * under the others: they reconnect, settle the dead one's jobs once its lease ran out, and leave
 * nothing non-terminal and nothing on the engine. Last, an {@code api} instance and a {@code worker}
 * instance do a whole job between them.
 */
class MultiInstanceTest {

    private static final int JOBS = 300;
    private static final String LEASE = "5s";

    @Test
    void threeInstancesShareTheQueueAndOutliveOneKilledAndADatabaseRestart() throws Exception {
        Path data = Files.createTempDirectory(Files.createDirectories(Path.of("target", "test-data")), "multi-instance-");
        try (PostgresServer server = PostgresServer.start()) {
            String url = server.createDatabase();
            List<ServiceProcess> services = new ArrayList<>();
            try (var engine = new EngineConnection(TestProperties.of(Map.of()))) {
                services.add(start(data, url, "one", "all"));
                services.add(start(data, url, "two", "worker")); // runs jobs, and serves the API too
                services.add(start(data, url, "three", "all"));
                String store = storeOf(url);
                List<ServiceApi> apis = services.stream().map(ServiceProcess::api).toList();
                try (var starts = EngineStarts.follow(engine.client(), store, 0)) {
                    List<String> ids = new ArrayList<>();
                    for (int i = 0; i < JOBS; i++) {
                        ids.add(apis.get(i % 3).submit("""
                                {"stages": [{"image": "IMAGE", "entrypoint": ["true"]}]}"""));
                    }
                    Map<String, JsonNode> ended = awaitEnded(apis.get(0), ids, Duration.ofMinutes(3));

                    assertThat(ended.values()).allSatisfy(job -> assertThat(job.get("status").asString()).isEqualTo("SUCCEEDED"));
                    Map<String, Integer> started = starts.awaitJobs(JOBS, Duration.ofSeconds(10));
                    assertThat(started).as("each job started once, by the engine's events").hasSize(JOBS)
                            .allSatisfy((job, n) -> assertThat(n).as(job).isEqualTo(1));
                    Map<String, Long> byInstance = ended.values().stream()
                            .collect(Collectors.groupingBy(job -> job.get("instance").asString(), Collectors.counting()));
                    assertThat(byInstance).as("the work spread over the instances").containsOnlyKeys("one", "two", "three");
                }

                // One instance dies while it runs jobs, and the database restarts under the others.
                List<String> ids = new ArrayList<>();
                for (int i = 0; i < 12; i++) {
                    ids.add(apis.get(i % 2).submit("""
                            {"stages": [{"image": "IMAGE", "entrypoint": ["sleep", "4"]}]}"""));
                }
                Awaitility.await("instance three runs some of them").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                        .until(() -> ids.stream().anyMatch(id -> isRunningOn(apis.get(0).job(id), "three")));
                List<String> onThree = ids.stream().filter(id -> isRunningOn(apis.get(0).job(id), "three")).toList();
                services.get(2).kill();
                server.restart();

                Map<String, JsonNode> ended = awaitEnded(apis.get(0), ids, Duration.ofSeconds(90));

                assertThat(onThree).allSatisfy(id -> {
                    assertThat(ended.get(id).get("status").asString()).as(id).isEqualTo("ERROR");
                    assertThat(ended.get(id).get("error").asString()).contains("interrupted");
                });
                assertThat(ended.values()).allSatisfy(job -> assertThat(job.get("status").asString()).isIn("SUCCEEDED", "ERROR"));
                assertThat(ended.values().stream().filter(job -> job.get("status").asString().equals("SUCCEEDED")))
                        .as("the survivors' own jobs ran on").isNotEmpty();
                Awaitility.await("nothing of the store left on the engine").atMost(Duration.ofSeconds(60))
                        .until(() -> leftovers(engine, store), List::isEmpty);

                // An api instance and a worker instance do a whole job between them.
                services.get(0).close();
                ServiceProcess front = start(data, url, "front", "api");
                services.add(front);
                String id = front.api().submit("""
                        {"stages": [{"image": "IMAGE", "entrypoint": ["sh", "-c", "echo 6 > /job/n"]},
                                    {"image": "IMAGE", "entrypoint": ["cat", "/job/n"]}]}""");
                JsonNode job = awaitEnded(front.api(), List.of(id), Duration.ofSeconds(60)).get(id);
                assertThat(job.get("status").asString()).isEqualTo("SUCCEEDED");
                assertThat(job.get("instance").asString()).isEqualTo("two");
                assertThat(front.api().results(id).get(1).get("logs").get("stdout").asString()).endsWith(" 6\n");
            } finally {
                services.forEach(ServiceProcess::close);
            }
        }
    }

    private static boolean isRunningOn(JsonNode job, String instance) {
        return job.get("status").asString().equals("RUNNING") && instance.equals(job.get("instance").asString());
    }

    /** Each job's view once all have ended; the views read through an instance that stays up. */
    private static Map<String, JsonNode> awaitEnded(ServiceApi api, List<String> ids, Duration max) {
        Map<String, JsonNode> ended = new HashMap<>();
        Awaitility.await(ids.size() + " jobs end").atMost(max).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> {
                    for (String id : ids) {
                        if (!ended.containsKey(id)) {
                            JsonNode job = api.job(id);
                            if (EngineTest.TERMINAL.contains(job.get("status").asString())) {
                                ended.put(id, job);
                            }
                        }
                    }
                    return ended.size() == ids.size();
                });
        return ended;
    }

    private static List<String> leftovers(EngineConnection engine, String store) {
        List<String> found = new ArrayList<>();
        engine.client().listContainersCmd().withShowAll(true).withLabelFilter(Map.of(Labels.STORE, store)).exec()
                .forEach(container -> found.add("container " + container.getId()));
        var volumes = engine.client().listVolumesCmd().withFilter("label", List.of(Labels.STORE + "=" + store)).exec().getVolumes();
        if (volumes != null) {
            volumes.forEach(volume -> found.add("volume " + volume.getName()));
        }
        return found;
    }

    private static String storeOf(String url) throws Exception {
        try (var connection = DriverManager.getConnection(url, PostgresServer.USER, PostgresServer.PASSWORD);
             var rows = connection.createStatement().executeQuery("SELECT id FROM store WHERE singleton = 1")) {
            assertThat(rows.next()).as("the first instance made the store's id").isTrue();
            return rows.getString(1);
        }
    }

    private static ServiceProcess start(Path data, String url, String name, String role) {
        List<String> arguments = new ArrayList<>(PostgresServer.arguments(url));
        arguments.addAll(List.of("--chainlink.instance-id=" + name, "--chainlink.role=" + role, "--chainlink.workers=4",
                "--chainlink.lease=" + LEASE,
                "--chainlink.poll-interval=1s"));
        return ServiceProcess.start(data, name, arguments.toArray(String[]::new));
    }
}
