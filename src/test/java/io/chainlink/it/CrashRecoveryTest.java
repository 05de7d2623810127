package io.chainlink.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import io.chainlink.engine.EngineCalls;
import io.chainlink.engine.EngineConnection;
import io.chainlink.engine.Labels;
import io.chainlink.engine.LeftoverSweeper;
import io.chainlink.job.StoreId;
import io.chainlink.support.TestProperties;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * A job outlives the process running it being killed (SIGKILL: no shutdown, no last write). The
 * killed instance's container runs on; the next instance on the same database finds the job's
 * lease run out, removes what the lost run left on the engine, and ends the job or runs it again,
 * by {@code chainlink.recovery}.
 */
class CrashRecoveryTest {

    private static final Duration LEASE = Duration.ofSeconds(3);
    /** Past the lease: a recovery round every third of it, the removal of a container, a write. */
    private static final Duration MARGIN = Duration.ofSeconds(10);
    private static final int SIGKILLED = 128 + 9;

    private final List<ServiceProcess> services = new ArrayList<>();
    private EngineConnection engine;
    private Path data;

    @BeforeEach
    void newDatabase() throws Exception {
        data = Files.createTempDirectory(Files.createDirectories(Path.of("target", "test-data")), "crash-recovery-");
        engine = new EngineConnection(TestProperties.of(Map.of()));
    }

    /** Stops the services; whatever a failed test left on the shared engine goes too: all of this database's. */
    @AfterEach
    void stopServicesAndClearTheEngine() throws Exception {
        services.forEach(ServiceProcess::close);
        if (Files.exists(data.resolve("chainlink.mv.db"))) {
            JdbcDataSource database = new JdbcDataSource();
            database.setURL("jdbc:h2:file:" + data.toAbsolutePath() + "/chainlink");
            database.setUser("sa");
            String store = new StoreId(JdbcClient.create(database)).value();
            try (var calls = new EngineCalls(TestProperties.of(Map.of()))) {
                new LeftoverSweeper(engine, calls).sweep(store, jobs -> jobs);
            }
        }
        engine.close();
    }

    @Test
    void underFailTheKilledInstancesJobEndsErrorAndLeavesNothingOnTheEngine() throws Exception {
        ServiceProcess first = start("fail");
        String run = UUID.randomUUID().toString();
        // More than a 64 KiB chunk of stdout, so that some of it is stored before the stage ends.
        String id = first.api().submit("""
                {"stages": [
                  {"image": "IMAGE", "entrypoint": ["sh", "-c", "yes started | head -n 3000; sleep 60"], "env": {"RUN": "%s"}},
                  {"image": "IMAGE", "entrypoint": ["true"]}]}""".formatted(run));
        Container container = awaitRunning(first, id, run);
        Awaitility.await("some of stage 0's stdout is stored").atMost(Duration.ofSeconds(30))
                .until(() -> first.api().get("/api/v1/jobs/" + id + "/stages/0/logs/stdout").status() == 200);

        assertThat(first.kill()).isEqualTo(SIGKILLED);
        assertThat(first.isAlive()).isFalse();
        assertThat(docker().inspectContainerCmd(container.getId()).exec().getState().getRunning())
                .as("the stage runs on without its instance").isTrue();

        ServiceProcess second = start("fail");
        JsonNode job = Awaitility.await("job " + id + " is settled by the new instance").atMost(LEASE.plus(MARGIN))
                .until(() -> second.api().job(id), view -> EngineTest.TERMINAL.contains(view.get("status").asString()));
        assertThat(job.get("status").asString()).isEqualTo("ERROR");
        assertThat(job.get("error").asString()).isEqualTo("interrupted: the instance running it stopped");
        assertThat(job.get("attempt").asInt()).isEqualTo(1);
        assertThat(job.at("/stages/0/status").asString()).isEqualTo("ERROR");
        assertThat(job.at("/stages/1/status").asString()).isEqualTo("SKIPPED");
        assertThat(second.api().get("/api/v1/jobs/" + id + "/stages/0/logs/stdout").text()).contains(" started\n");
        // Already gone when the job reads ERROR.
        assertNothingLeft(container);

        JsonNode next = second.api().submitAndWait("""
                {"stages": [{"image": "IMAGE", "entrypoint": ["echo", "next"]}]}""");
        assertThat(next.get("status").asString()).isEqualTo("SUCCEEDED");
    }

    @Test
    void underRequeueTheKilledInstancesJobRunsAgainAndSucceeds() throws Exception {
        ServiceProcess first = start("requeue");
        String run = UUID.randomUUID().toString();
        // Long enough to be killed mid-run, short enough for the second attempt.
        String id = first.api().submit("""
                {"stages": [{"image": "IMAGE", "entrypoint": ["sleep", "5"], "env": {"RUN": "%s"}}]}""".formatted(run));
        Container container = awaitRunning(first, id, run);
        assertThat(first.api().job(id).get("attempt").asInt()).isEqualTo(1);

        assertThat(first.kill()).isEqualTo(SIGKILLED);
        assertThat(first.isAlive()).isFalse();

        ServiceProcess second = start("requeue");
        JsonNode job = Awaitility.await("job " + id + " runs again on the new instance and ends")
                .atMost(LEASE.plus(MARGIN).plus(Duration.ofSeconds(5)))
                .until(() -> second.api().job(id), view -> EngineTest.TERMINAL.contains(view.get("status").asString()));
        assertThat(job.get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(job.get("attempt").asInt()).isEqualTo(2);
        assertThat(job.get("error").isNull()).isTrue();
        assertThat(job.at("/stages/0/status").asString()).isEqualTo("SUCCEEDED");
        assertThat(job.at("/stages/0/exitCode").asInt()).isZero();
        assertThat(second.api().results(id)).hasSize(1);
        // The first attempt's container went before the job was queued again.
        assertThatThrownBy(() -> docker().inspectContainerCmd(container.getId()).exec()).isInstanceOf(NotFoundException.class);
        // The second attempt's goes after the job is reported done.
        Awaitility.await("what the second attempt made is removed").atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertNothingLeft(container));
    }

    /** Right after: within the half second H2 by default holds a commit before it writes it to the file. */
    @Test
    void everyJobTheServiceAcceptedOutlivesAKillRightAfterItsAnswer() throws Exception {
        ServiceProcess first = start("fail");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(first.api().submit("""
                    {"stages": [{"image": "IMAGE", "entrypoint": ["echo", "kept"]}]}"""));
        }
        assertThat(first.kill()).isEqualTo(SIGKILLED);

        ServiceProcess second = start("fail");
        assertThat(ids).allSatisfy(id -> assertThat(second.api().get("/api/v1/jobs/" + id).status()).as("job " + id).isEqualTo(200));
        // Those the killed instance had begun end by the recovery policy; the others run here.
        assertThat(ids).allSatisfy(id -> assertThat(second.api().awaitEnd(id).get("status").asString()).isIn("SUCCEEDED", "ERROR"));
    }

    private ServiceProcess start(String recovery) {
        ServiceProcess service = ServiceProcess.start(data, "service-" + (services.size() + 1),
                "--chainlink.lease=" + LEASE.toSeconds() + "s", "--chainlink.recovery=" + recovery);
        services.add(service);
        return service;
    }

    /**
     * Waits until the job's first stage runs, and returns its container: the one whose environment
     * holds {@code run}, since every test database numbers its jobs from 1 and other tests share
     * the engine.
     */
    private Container awaitRunning(ServiceProcess service, String id, String run) {
        Awaitility.await("job " + id + "'s first stage runs").atMost(Duration.ofMinutes(1))
                .until(() -> service.api().job(id).at("/stages/0/status").asString().equals("RUNNING"));
        return Awaitility.await("job " + id + "'s container runs on the engine").atMost(Duration.ofSeconds(30))
                .ignoreException(NotFoundException.class) // another test's container, removed between list and inspect
                .until(() -> docker().listContainersCmd().withLabelFilter(List.of(Labels.JOB)).exec().stream()
                        .filter(c -> List.of(docker().inspectContainerCmd(c.getId()).exec().getConfig().getEnv()).contains("RUN=" + run))
                        .findFirst().orElse(null), found -> found != null);
    }

    /**
     * Nothing on the engine carries the job's labels in this database (the store the container's
     * labels name; the labels carry the job's internal number, which the API does not show).
     */
    private void assertNothingLeft(Container container) {
        String store = container.getLabels().get(Labels.STORE);
        String id = container.getLabels().get(Labels.JOB);
        assertThat(store).isNotBlank();
        assertThat(id).isNotBlank();
        assertThat(docker().listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(Labels.STORE, store, Labels.JOB, id)).exec()).isEmpty();
        assertThat(docker().listVolumesCmd()
                .withFilter("label", List.of(Labels.STORE + "=" + store, Labels.JOB + "=" + id)).exec().getVolumes())
                .isNullOrEmpty();
    }

    private DockerClient docker() {
        return engine.client();
    }
}
