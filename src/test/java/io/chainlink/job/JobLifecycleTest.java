package io.chainlink.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chainlink.job.JobLifecycle.CancelResult;
import io.chainlink.job.JobLifecycle.ClaimedJob;
import io.chainlink.job.JobLifecycle.StageEnd;
import io.chainlink.stage.PullPolicy;
import io.chainlink.stage.StageSpec;
import io.chainlink.stage.StageStatus;
import io.chainlink.support.TestDatabase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Every status change on the real schema and SQL (in-memory H2), with the clock set by hand. */
class JobLifecycleTest {

    private static final Instant NOW = Instant.parse("2026-11-25T08:00:00Z");
    private static final Instant LEASE = NOW.plusSeconds(30);
    private static final String STATE = "{\"Status\": \"exited\", \"ExitCode\": 0}";

    private final TestDatabase db = newDatabase();
    private final JobLifecycle lifecycle = db.lifecycle;

    private long job(int stages) {
        StageSpec stage = new StageSpec("chainlink-test/absent:never", List.of("true"), "container", 64L << 20,
                false, false, 30_000, Map.of(), PullPolicy.NEVER, null, true, null, List.of(), null);
        return db.repository.insert("cs101", java.util.Collections.nCopies(stages, stage), NOW).internal();
    }

    private Job view(long job) {
        return db.repository.find(job).orElseThrow();
    }

    private List<StageStatus> stages(long job) {
        return view(job).stages().stream().map(Job.Stage::status).toList();
    }

    /** Where the lifecycle's SQL runs: H2 here, PostgreSQL in {@link JobLifecycleOnPostgresTest}. */
    TestDatabase newDatabase() {
        return new TestDatabase();
    }

    /** The lease {@code owner} holds on the job's current run, if it holds it. */
    private Lease lease(long job, String owner) {
        return new Lease(job, owner, view(job).attempt());
    }

    private ClaimedJob claim(String owner) {
        return lifecycle.claimNext(owner, NOW, LEASE).orElseThrow();
    }

    private static StageEnd end(StageStatus status) {
        return new StageEnd(status, 0, false, STATE, NOW, new StageTimings(1, 2, 3, 4, 5));
    }

    @Test
    void aClaimRecordsItsOwnerAndCountsTheAttempt() {
        long id = job(1);

        ClaimedJob claimed = claim("a");

        assertThat(claimed.id()).isEqualTo(id);
        assertThat(claimed.attempt()).isEqualTo(1);
        assertThat(view(id).status()).isEqualTo(JobStatus.RUNNING);
        assertThat(lifecycle.claimNext("b", NOW, LEASE)).as("nothing left to claim").isEmpty();
    }

    @Test
    void aStageStartsOnceAndEndsOnce() {
        long id = job(2);
        claim("a");

        assertThat(lifecycle.endStage(lease(id, "a"), 0, end(StageStatus.SUCCEEDED))).as("a pending stage cannot end").isFalse();
        assertThat(lifecycle.startStage(lease(id, "a"), 0, NOW)).isTrue();
        assertThat(lifecycle.startStage(lease(id, "a"), 0, NOW)).as("nor start twice").isFalse();
        assertThat(lifecycle.endStage(lease(id, "a"), 0, end(StageStatus.SUCCEEDED))).isTrue();
        assertThat(lifecycle.endStage(lease(id, "a"), 0, end(StageStatus.FAILED))).as("nor end twice").isFalse();

        assertThat(stages(id)).containsExactly(StageStatus.SUCCEEDED, StageStatus.PENDING);
    }

    @Test
    void aMoveTheTableForbidsIsRefusedBeforeAnySql() {
        long id = job(1);
        claim("a");
        lifecycle.startStage(lease(id, "a"), 0, NOW);

        assertThatThrownBy(() -> lifecycle.endStage(lease(id, "a"), 0, end(StageStatus.SKIPPED)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("RUNNING to SKIPPED");
        assertThat(stages(id)).containsExactly(StageStatus.RUNNING);
    }

    @Test
    void settlingEndsTheRunningStageAsErrorAndSkipsThePendingOnesInOneMove() {
        long id = job(3);
        claim("a");
        lifecycle.startStage(lease(id, "a"), 0, NOW);
        lifecycle.endStage(lease(id, "a"), 0, end(StageStatus.SUCCEEDED));
        lifecycle.startStage(lease(id, "a"), 1, NOW);

        assertThat(lifecycle.settle(lease(id, "a"), JobStatus.ERROR, "the engine went away", NOW)).isTrue();

        assertThat(view(id).status()).isEqualTo(JobStatus.ERROR);
        assertThat(view(id).error()).isEqualTo("the engine went away");
        assertThat(stages(id)).containsExactly(StageStatus.SUCCEEDED, StageStatus.ERROR, StageStatus.SKIPPED);
    }

    @Test
    void onlyTheOwnerSettlesItsJobAndAnEndedJobStaysEnded() {
        long id = job(2);
        claim("a");

        assertThat(lifecycle.settle(lease(id, "b"), JobStatus.SUCCEEDED, null, NOW)).isFalse();
        assertThat(stages(id)).as("a refused settle changes nothing").containsOnly(StageStatus.PENDING);

        assertThat(lifecycle.settle(lease(id, "a"), JobStatus.FAILED, null, NOW)).isTrue();
        assertThat(lifecycle.settle(lease(id, "a"), JobStatus.SUCCEEDED, null, NOW)).isFalse();
        assertThat(view(id).status()).isEqualTo(JobStatus.FAILED);
    }

    @Test
    void aQueuedJobIsCancelledAtOnce() {
        long id = job(2);

        assertThat(lifecycle.cancel(id, NOW)).isEqualTo(CancelResult.CANCELLED);

        assertThat(view(id).status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(stages(id)).containsOnly(StageStatus.SKIPPED);
        assertThat(lifecycle.claimNext("a", NOW, LEASE)).as("a cancelled job never runs").isEmpty();
    }

    @Test
    void aRunningJobIsFlaggedForItsOwnerToStop() {
        long id = job(1);
        claim("a");

        assertThat(lifecycle.cancel(id, NOW)).isEqualTo(CancelResult.REQUESTED);

        assertThat(view(id).status()).isEqualTo(JobStatus.RUNNING);
        assertThat(lifecycle.cancelRequested("a")).containsExactly(id);
        assertThat(lifecycle.cancelRequested("b")).isEmpty();
    }

    @Test
    void anEndedOrUnknownJobCannotBeCancelled() {
        long id = job(1);
        claim("a");
        lifecycle.settle(lease(id, "a"), JobStatus.SUCCEEDED, null, NOW);

        assertThat(lifecycle.cancel(id, NOW)).isEqualTo(CancelResult.ALREADY_ENDED);
        assertThat(lifecycle.cancel(id + 1, NOW)).isEqualTo(CancelResult.NOT_FOUND);
        assertThat(view(id).status()).isEqualTo(JobStatus.SUCCEEDED);
    }

    @Test
    void onlyJobsWhoseLeaseRanOutAreExpired() {
        long renewed = job(1);
        long lost = job(1);
        claim("a");
        claim("b");

        assertThat(lifecycle.renewLeases("a", List.of(renewed), NOW.plusSeconds(90))).isEqualTo(1);

        Instant later = NOW.plusSeconds(60);
        assertThat(lifecycle.expired(later)).extracting(JobLifecycle.Expired::id).containsExactly(lost);
        assertThat(lifecycle.settleExpired(renewed, JobStatus.ERROR, "interrupted", later))
                .as("a live instance's job is never touched").isFalse();
        assertThat(lifecycle.settleExpired(lost, JobStatus.ERROR, "interrupted", later)).isTrue();
        assertThat(view(renewed).status()).isEqualTo(JobStatus.RUNNING);
        assertThat(view(lost).status()).isEqualTo(JobStatus.ERROR);
    }

    @Test
    void aLeaseIsRenewedOnlyForTheJobsItsOwnerStillRuns() {
        long running = job(1);
        long forgotten = job(1); // its settle failed: no worker runs it any more
        claim("a");
        claim("a");

        assertThat(lifecycle.renewLeases("a", List.of(running), NOW.plusSeconds(90))).isEqualTo(1);
        assertThat(lifecycle.renewLeases("a", List.of(), NOW.plusSeconds(90))).isZero();

        assertThat(lifecycle.expired(NOW.plusSeconds(60))).extracting(JobLifecycle.Expired::id).containsExactly(forgotten);
    }

    @Test
    void aJobAClientAskedToCancelIsNeverSentBackToTheQueue() {
        long id = job(1);
        claim("a");
        lifecycle.cancel(id, NOW);

        assertThat(lifecycle.requeueExpired(id, NOW.plusSeconds(60))).isFalse();
        assertThat(lifecycle.requeueOwned(lease(id, "a"))).isFalse();
        assertThat(lifecycle.release(lease(id, "a"))).isFalse();
        assertThat(view(id).status()).isEqualTo(JobStatus.RUNNING);
        assertThat(lifecycle.isCancelRequested(id)).isTrue();
        assertThat(lifecycle.expired(NOW.plusSeconds(60))).singleElement().satisfies(e -> assertThat(e.cancelRequested()).isTrue());
    }

    @Test
    void aRequeuedJobStartsAgainFromAClearSlateAndCountsItsAttempts() {
        long id = job(2);
        claim("a");
        lifecycle.startStage(lease(id, "a"), 0, NOW);
        db.repository.appendLog(lease(id, "a"), 0, LogStream.STDOUT, 0, "half a run\n".getBytes());
        lifecycle.endStage(lease(id, "a"), 0, end(StageStatus.SUCCEEDED));
        lifecycle.startStage(lease(id, "a"), 1, NOW);

        assertThat(lifecycle.requeueExpired(id, NOW.plusSeconds(60))).isTrue();

        assertThat(view(id).status()).isEqualTo(JobStatus.QUEUED);
        assertThat(stages(id)).containsOnly(StageStatus.PENDING);
        assertThat(db.repository.endedStages(id)).as("no results of the lost attempt").isEmpty();
        assertThat(view(id).stages()).extracting(Job.Stage::timings).as("nor its timings").containsOnlyNulls();
        assertThat(db.jdbc.sql("SELECT COUNT(*) FROM stage_logs").query(Long.class).single()).isZero();
        assertThat(claim("b").attempt()).isEqualTo(2);
    }

    @Test
    void aRunThatLostItsLeaseWritesNothingIntoTheNextAttempt() {
        long id = job(2);
        Lease lost = claim("a").lease();
        assertThat(lifecycle.startStage(lost, 0, NOW)).isTrue();
        assertThat(lifecycle.requeueExpired(id, NOW.plusSeconds(60))).as("a peer's recovery").isTrue();
        Lease next = claim("a").lease(); // the same instance, even: a new attempt
        assertThat(lifecycle.startStage(next, 0, NOW)).isTrue();
        db.repository.appendLog(next, 0, LogStream.STDOUT, 0, "second run\n".getBytes());

        db.repository.appendLog(lost, 0, LogStream.STDOUT, 1, "first run\n".getBytes());
        db.repository.replaceLogChunk(lost, 0, LogStream.STDOUT, 0, "first run\n".getBytes());
        db.repository.recordLogCut(lost, 0, LogStream.STDOUT, 99, true);
        db.repository.deleteLogChunk(lost, 0, LogStream.STDOUT, 0);
        assertThat(lifecycle.endStage(lost, 0, end(StageStatus.FAILED))).isFalse();
        assertThat(lifecycle.startStage(lost, 1, NOW)).isFalse();
        assertThat(lifecycle.settle(lost, JobStatus.FAILED, null, NOW)).isFalse();
        assertThat(lifecycle.requeueOwned(lost)).isFalse();
        assertThat(lifecycle.release(lost)).isFalse();

        assertThat(view(id).status()).isEqualTo(JobStatus.RUNNING);
        assertThat(view(id).attempt()).isEqualTo(2);
        assertThat(stages(id)).containsExactly(StageStatus.RUNNING, StageStatus.PENDING);
        assertThat(view(id).stages().get(0).stdoutDropped()).isNull();
        assertThat(new String(db.repository.logChunk(id, 0, LogStream.STDOUT, 0))).isEqualTo("second run\n");
        assertThat(db.repository.logChunk(id, 0, LogStream.STDOUT, 1)).isNull();
        assertThat(lifecycle.endStage(next, 0, end(StageStatus.SUCCEEDED))).isTrue();
        assertThat(lifecycle.settle(next, JobStatus.SUCCEEDED, null, NOW)).isTrue();
    }

    @Test
    void aReleasedJobIsQueuedAsIfNeverClaimed() {
        long id = job(1);
        claim("a");

        assertThat(lifecycle.release(lease(id, "a"))).isTrue();

        assertThat(view(id).status()).isEqualTo(JobStatus.QUEUED);
        assertThat(view(id).attempt()).isZero();
        assertThat(claim("a").attempt()).isEqualTo(1);
    }

    @Test
    void whatTheEngineHoldsOfEndedAndUnknownJobsMayGo() {
        long queued = job(1);
        long running = job(1);
        long ended = job(1);
        lifecycle.cancel(ended, NOW);
        lifecycle.claimNext("a", NOW, LEASE); // the oldest queued: "queued"
        lifecycle.requeueExpired(queued, NOW.plusSeconds(60));
        claim("a");
        claim("a");

        assertThat(view(running).status()).isEqualTo(JobStatus.RUNNING);
        String unknown = "01a235df-f7bb-7c3e-9c61-0a5d8e7f1b23";
        List<String> labels = List.of(view(queued).id(), view(running).id(), view(ended).id(), unknown, "not-a-job");
        assertThat(lifecycle.endedOrUnknown(labels)).containsExactlyInAnyOrder(view(ended).id(), unknown, "not-a-job");
        // An earlier version labelled containers with the internal number: judged by it.
        assertThat(lifecycle.endedOrUnknown(List.of(Long.toString(running), Long.toString(ended), "999")))
                .containsExactlyInAnyOrder(Long.toString(ended), "999");
    }

    private long jobOf(String tenant) {
        StageSpec stage = new StageSpec("chainlink-test/absent:never", List.of("true"), "container", 64L << 20,
                false, false, 30_000, Map.of(), PullPolicy.NEVER, null, true, null, List.of(), null);
        return db.repository.insert(tenant, List.of(stage), NOW).internal();
    }

    @Test
    void aTenantsSingleJobIsTakenBeforeAnotherTenantsFlood() {
        for (int i = 0; i < 100; i++) {
            jobOf("flood");
        }
        assertThat(claim("a").tenant()).isEqualTo("flood");
        assertThat(claim("a").tenant()).isEqualTo("flood");
        long single = jobOf("single");

        ClaimedJob next = claim("a");

        assertThat(next.id()).as("the tenant with no job running goes first").isEqualTo(single);
        assertThat(claim("a").tenant()).isEqualTo("flood");
    }

    @Test
    void withEqualShareTheOldestWaitingJobGoesFirst() {
        long first = jobOf("b");
        long second = jobOf("a");

        assertThat(claim("x").id()).isEqualTo(first);
        assertThat(claim("x").id()).isEqualTo(second);
    }

    @Test
    void aTenantAtItsRunningQuotaWaitsItsTurn() {
        TenantQuotas quotas = new TenantQuotas(io.chainlink.support.TestProperties.of(Map.of(
                "chainlink.clients[0].name", "capped", "chainlink.clients[0].token", "a-token-of-16-chars!",
                "chainlink.clients[0].role", "submit", "chainlink.clients[0].max-running", "1")));
        jobOf("capped");
        jobOf("capped");

        assertThat(lifecycle.claimNext("a", NOW, LEASE, quotas)).isPresent();
        assertThat(lifecycle.claimNext("a", NOW, LEASE, quotas)).as("one running already").isEmpty();
        long other = jobOf("other");
        assertThat(lifecycle.claimNext("a", NOW, LEASE, quotas).orElseThrow().id()).isEqualTo(other);
    }

    @Test
    void twoInstancesRacingForJobsNeverRunOneTwice() throws Exception {
        int jobs = 300;
        for (int i = 0; i < jobs; i++) {
            job(1);
        }
        Map<Long, AtomicInteger> runs = new ConcurrentHashMap<>();
        int claimers = 16;
        ExecutorService pool = Executors.newFixedThreadPool(claimers);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int c = 0; c < claimers; c++) {
            String owner = "instance-" + (c % 2); // two instances, eight workers each
            done.add(pool.submit(() -> {
                go.await();
                for (var job = lifecycle.claimNext(owner, NOW, LEASE); job.isPresent(); job = lifecycle.claimNext(owner, NOW, LEASE)) {
                    runs.computeIfAbsent(job.get().id(), id -> new AtomicInteger()).incrementAndGet();
                    lifecycle.settle(job.get().lease(), JobStatus.SUCCEEDED, null, NOW);
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> f : done) {
            f.get(1, TimeUnit.MINUTES);
        }
        pool.shutdown();

        assertThat(runs).hasSize(jobs);
        assertThat(runs.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
        assertThat(db.jdbc.sql("SELECT COUNT(*) FROM jobs WHERE status = 'SUCCEEDED'").query(Long.class).single())
                .isEqualTo(jobs);
    }
}
