package io.chainlink.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainlink.config.ChainlinkProperties;
import io.chainlink.engine.EngineAvailability;
import io.chainlink.engine.EngineCalls;
import io.chainlink.engine.EngineConnection;
import io.chainlink.engine.EngineException;
import io.chainlink.engine.EngineTimeoutException;
import io.chainlink.engine.EngineUnavailableException;
import io.chainlink.engine.StageOutcome;
import io.chainlink.job.Job;
import io.chainlink.job.JobEvents;
import io.chainlink.job.JobLifecycle.ClaimedJob;
import io.chainlink.job.JobStatus;
import io.chainlink.job.LiveLogs;
import io.chainlink.metrics.ChainlinkMetrics;
import io.chainlink.stage.PullPolicy;
import io.chainlink.stage.StageSpec;
import io.chainlink.stage.StageStatus;
import io.chainlink.support.TestDatabase;
import io.chainlink.support.TestProperties;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The runner's decisions, against an engine in memory and the real schema on in-memory H2: what
 * each engine answer makes of the stages and the job, and that what was created is always removed.
 */
class ChainRunnerTest {

    private static final Instant NOW = Instant.parse("2026-11-25T08:00:00Z");
    private static final String OWNER = "instance-a";

    private final TestDatabase db = new TestDatabase();
    private final FakeEngine engine = new FakeEngine();
    private ChainlinkProperties properties = TestProperties.of(Map.of("chainlink.instance-id", OWNER));
    private final EngineAvailability availability = new EngineAvailability(
            new EngineConnection(TestProperties.of(Map.of("chainlink.docker-host", "unix:///nonexistent/docker.sock"))),
            new EngineCalls(properties));

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final LiveLogs live = new LiveLogs();

    @AfterEach
    void stopLiveLogs() {
        live.close();
    }

    private ChainRunner runner() {
        return runner(engine, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private ChainRunner runner(FakeEngine engine, Clock clock) {
        return new ChainRunner(engine, availability, db.lifecycle, db.repository, db.durability, new JobEvents(), live,
                new InterruptionPolicy(properties), new Instance(properties), clock, properties, new ChainlinkMetrics(meters));
    }

    private ClaimedJob claimed(int stages) {
        StageSpec stage = new StageSpec("chainlink-test/busybox:latest", List.of("true"), "container", 64L << 20,
                false, false, 30_000, Map.of(), PullPolicy.IF_NOT_PRESENT, null, true, null, List.of(), null);
        db.repository.insert("cs101", Collections.nCopies(stages, stage), NOW);
        return db.lifecycle.claimNext(OWNER, NOW, NOW.plusSeconds(30)).orElseThrow();
    }

    private Job run(ClaimedJob job) {
        runner().run(job, new Abort());
        return db.repository.find(job.id()).orElseThrow();
    }

    private static List<StageStatus> stages(Job job) {
        return job.stages().stream().map(Job.Stage::status).toList();
    }

    @Test
    void everyStageSucceedsAndTheJobToo() {
        engine.stages.put(0, FakeEngine.printsAndExits("hello\n", 0));

        Job job = run(claimed(2));

        assertThat(job.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(stages(job)).containsExactly(StageStatus.SUCCEEDED, StageStatus.SUCCEEDED);
        assertThat(engine.calls).containsExactly("prepare [chainlink-test/busybox:latest]", "volume",
                "create 0", "start c0", engine.calls.get(4), engine.calls.get(5), "start c1", "await c1", "remove [c0, c1] v");
        assertThat(engine.calls.subList(4, 6)).as("stage 1's container is created while stage 0 runs")
                .containsExactlyInAnyOrder("create 1", "await c0");
    }

    @Test
    void aRunIsCountedByOutcomeWithItsStagesTimeAndTheOutputItDropped() {
        properties = TestProperties.of(Map.of("chainlink.instance-id", OWNER, "chainlink.log-limit", "4B"));
        AtomicReference<Instant> now = new AtomicReference<>(NOW);
        engine.stages.put(0, (container, stdout) -> {
            FakeEngine.printsAndExits("hello\n", 0).await(container, stdout);
            now.set(NOW.plusMillis(1500));
            return FakeEngine.exit(3);
        });

        runner(engine, new Clock() {
            @Override
            public Instant instant() {
                return now.get();
            }

            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                throw new UnsupportedOperationException();
            }
        }).run(claimed(2), new Abort());

        assertThat(meters.get("chainlink.jobs.finished").tag("status", "FAILED").counter().count()).isEqualTo(1);
        assertThat(meters.get("chainlink.jobs.finished").tag("status", "SUCCEEDED").counter().count()).isZero();
        Timer stage = meters.get("chainlink.stage.duration").tag("status", "FAILED").timer();
        assertThat(stage.count()).as("the skipped stage never ran").isEqualTo(1);
        assertThat(stage.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(1500);
        assertThat(meters.get("chainlink.log.dropped").counter().count()).as("6 bytes, 4 kept").isEqualTo(2);
    }

    @Test
    void aFailedStageSkipsTheRest() {
        engine.stages.put(0, FakeEngine.printsAndExits("wrong\n", 3));

        Job job = run(claimed(3));

        assertThat(job.status()).isEqualTo(JobStatus.FAILED);
        assertThat(stages(job)).containsExactly(StageStatus.FAILED, StageStatus.SKIPPED, StageStatus.SKIPPED);
        assertThat(job.stages().get(0).exitCode()).isEqualTo(3);
        assertThat(job.stages().get(0).timings()).as("it ran to its end").isNotNull();
        assertThat(job.stages().get(1).timings()).as("it never ran").isNull();
        assertThat(engine.calls).as("stage 1, created while stage 0 ran, never starts and is removed")
                .doesNotContain("start c1", "create 2").endsWith("remove [c0, c1] v");
    }

    @Test
    void aStageKilledAtItsTimeoutFailsAndSaysKilled() {
        engine.stages.put(0, (container, out) -> new StageOutcome(137, true, "{\"ExitCode\": 137}"));

        Job job = run(claimed(1));

        assertThat(job.status()).isEqualTo(JobStatus.FAILED);
        assertThat(job.stages().get(0).killed()).isTrue();
        assertThat(job.stages().get(0).status()).isEqualTo(StageStatus.FAILED);
    }

    @Test
    void aContainerTheEngineRefusesToCreateNeverRan() {
        engine.createFails.put(1, new EngineException("the engine could not create stage 1's container: no such image"));

        Job job = run(claimed(2));

        assertThat(job.status()).isEqualTo(JobStatus.ERROR);
        assertThat(job.error()).startsWith("stage 1: ").contains("no such image");
        assertThat(stages(job)).containsExactly(StageStatus.SUCCEEDED, StageStatus.SKIPPED);
        assertThat(engine.calls).last().isEqualTo("remove [c0] v");
    }

    @Test
    void aContainerTheEngineRefusesToStartNeverRan() {
        engine.startFails.put(0, new EngineException("the engine could not start the container: unable to apply caps"));

        Job job = run(claimed(2));

        assertThat(job.status()).isEqualTo(JobStatus.ERROR);
        assertThat(job.error()).contains("unable to apply caps");
        assertThat(stages(job)).containsExactly(StageStatus.SKIPPED, StageStatus.SKIPPED);
        assertThat(engine.calls).last().isEqualTo("remove [c0] v");
    }

    @Test
    void aStartTheEngineNeverAnswersEndsTheStageInError() {
        engine.startFails.put(0, new EngineTimeoutException("the engine did not answer within 30 s when asked to start the container"));

        Job job = run(claimed(2));

        assertThat(job.status()).isEqualTo(JobStatus.ERROR);
        assertThat(job.error()).contains("did not answer");
        assertThat(stages(job)).containsExactly(StageStatus.ERROR, StageStatus.SKIPPED);
        assertThat(engine.calls).last().isEqualTo("remove [c0] v");
    }

    @Test
    void anEngineLostMidStageEndsThatStageInErrorWithWhatItWrote() {
        engine.stages.put(0, (container, out) -> {
            try {
                out.write("partial\n".getBytes());
            } catch (IOException e) {
                throw new AssertionError(e);
            }
            throw new EngineUnavailableException("the Docker engine at unix:///var/run/docker.sock could not be reached:"
                    + " the connection broke while reading the container's logs: Connection reset", new IOException());
        });

        Job job = run(claimed(2));

        assertThat(job.status()).isEqualTo(JobStatus.ERROR);
        assertThat(stages(job)).containsExactly(StageStatus.ERROR, StageStatus.SKIPPED);
        assertThat(availability.isDown()).isTrue();
    }

    @Test
    void anEngineAwayBeforeAnyStageRanSendsTheJobBackToTheQueue() {
        engine.prepareFails = new EngineUnavailableException("the engine could not be reached", new ConnectException());

        Job job = run(claimed(1));

        assertThat(job.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(job.attempt()).as("a run that never began is no attempt").isZero();
        assertThat(stages(job)).containsExactly(StageStatus.PENDING);
        assertThat(availability.isDown()).isTrue();
    }

    @Test
    void aCancelMidStageKillsItKeepsWhatRanAndSkipsTheRest() throws Exception {
        engine.stages.put(1, engine.runsUntilKilled());
        ClaimedJob claimed = claimed(3);
        Abort abort = new Abort();

        CompletableFuture<Void> running = CompletableFuture.runAsync(() -> runner().run(claimed, abort));
        assertThat(engine.awaiting.await(10, TimeUnit.SECONDS)).isTrue();
        abort.request(Abort.Reason.CANCEL, engine);
        running.get(10, TimeUnit.SECONDS);

        Job job = db.repository.find(claimed.id()).orElseThrow();
        assertThat(job.status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(stages(job)).containsExactly(StageStatus.SUCCEEDED, StageStatus.CANCELLED, StageStatus.SKIPPED);
        assertThat(engine.calls).contains("kill c1").doesNotContain("start c2").last().isEqualTo("remove [c0, c1, c2] v");
    }

    @Test
    void anAbortBetweenCreateAndStartNeverStartsTheStage() {
        ClaimedJob claimed = claimed(1);
        Abort abort = new Abort();
        FakeEngine cancelsOnCreate = new FakeEngine() {
            @Override
            public String create(String job, int stage, StageSpec spec, String volume) {
                String container = super.create(job, stage, spec, volume);
                abort.request(Abort.Reason.CANCEL, this);
                return container;
            }
        };
        runner(cancelsOnCreate, Clock.fixed(NOW, ZoneOffset.UTC)).run(claimed, abort);

        Job job = db.repository.find(claimed.id()).orElseThrow();
        assertThat(job.status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(stages(job)).containsExactly(StageStatus.SKIPPED);
        assertThat(cancelsOnCreate.calls).doesNotContain("start c0").last().isEqualTo("remove [c0] v");
    }

    @Test
    void aShutdownEndsTheJobByThePolicyFail() throws Exception {
        Job job = shutDownMidStage();

        assertThat(job.status()).isEqualTo(JobStatus.ERROR);
        assertThat(job.error()).isEqualTo("interrupted: the instance running it stopped");
        assertThat(stages(job)).containsExactly(StageStatus.ERROR);
    }

    @Test
    void aShutdownQueuesTheJobAgainByThePolicyRequeue() throws Exception {
        properties = TestProperties.of(Map.of("chainlink.instance-id", OWNER, "chainlink.recovery", "requeue"));

        Job job = shutDownMidStage();

        assertThat(job.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(stages(job)).containsExactly(StageStatus.PENDING);
    }

    private Job shutDownMidStage() throws Exception {
        engine.stages.put(0, engine.runsUntilKilled());
        ClaimedJob claimed = claimed(1);
        Abort abort = new Abort();
        CompletableFuture<Void> running = CompletableFuture.runAsync(() -> runner().run(claimed, abort));
        assertThat(engine.awaiting.await(10, TimeUnit.SECONDS)).isTrue();
        abort.request(Abort.Reason.SHUTDOWN, engine);
        running.get(10, TimeUnit.SECONDS);
        assertThat(engine.calls).last().isEqualTo("remove [c0] v");
        return db.repository.find(claimed.id()).orElseThrow();
    }

    @Test
    void aJobNoLongerItsOwnersIsLeftAsItIsAndItsContainersStillGo() {
        ClaimedJob claimed = claimed(1);
        db.lifecycle.settleExpired(claimed.id(), JobStatus.ERROR, "interrupted", NOW.plusSeconds(60)); // a peer's recovery

        runner().run(claimed, new Abort());

        Job job = db.repository.find(claimed.id()).orElseThrow();
        assertThat(job.status()).isEqualTo(JobStatus.ERROR);
        assertThat(job.error()).isEqualTo("interrupted");
        assertThat(engine.calls).last().isEqualTo("remove [c0] v");
    }
}
