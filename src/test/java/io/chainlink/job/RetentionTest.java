package io.chainlink.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chainlink.job.JobLifecycle.ClaimedJob;
import io.chainlink.stage.PullPolicy;
import io.chainlink.stage.StageSpec;
import io.chainlink.support.TestDatabase;
import io.chainlink.support.TestProperties;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/** Which jobs retention deletes, and that it deletes all of them, on the real schema (in-memory H2). */
class RetentionTest {

    private static final Instant NOW = Instant.parse("2026-11-25T08:00:00Z");
    private static final Duration DAY = Duration.ofDays(1);
    private static final List<String> TABLES = List.of("jobs", "stages", "stage_details", "stage_logs");

    private final TestDatabase db = new TestDatabase();

    private Retention retention(String retention) {
        return new Retention(db.jdbc, new DataSourceTransactionManager(db.dataSource),
                TestProperties.of(Map.of("chainlink.retention", retention)), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    /** A job of two stages, each with a stored log chunk, submitted at {@code at}. */
    private long submitted(Instant at) {
        StageSpec stage = new StageSpec("chainlink-test/busybox:latest", List.of("true"), "container", 64L << 20,
                false, false, 30_000, Map.of(), PullPolicy.NEVER, null, true, null, List.of(), null);
        long id = db.repository.insert("local", Collections.nCopies(2, stage), at).internal();
        for (int idx = 0; idx < 2; idx++) {
            // A queued job holds no lease to write with: the rows as a run would have left them.
            db.jdbc.sql("INSERT INTO stage_logs (job_id, idx, stream, seq, data) VALUES (:job, :idx, :stream, 0, :data)")
                    .param("job", id).param("idx", idx).param("stream", LogStream.STDOUT.key())
                    .param("data", "out\n".getBytes(StandardCharsets.UTF_8)).update();
        }
        return id;
    }

    private ClaimedJob running(Instant at) {
        submitted(at);
        return db.lifecycle.claimNext("a", at, NOW.plus(DAY)).orElseThrow();
    }

    private long ended(JobStatus status, Instant at) {
        ClaimedJob job = running(at);
        assertThat(db.lifecycle.settle(job.lease(), status, null, at)).isTrue();
        return job.id();
    }

    private long rows(String table, long job) {
        String column = table.equals("jobs") ? "id" : "job_id";
        return db.jdbc.sql("SELECT COUNT(*) FROM " + table + " WHERE " + column + " = :job").param("job", job)
                .query(Long.class).single();
    }

    private long rows(long job) {
        return TABLES.stream().mapToLong(table -> rows(table, job)).sum();
    }

    @Test
    void jobsThatEndedBeforeTheRetentionGoWithEveryRowOfTheirs() {
        long succeeded = ended(JobStatus.SUCCEEDED, NOW.minus(DAY.multipliedBy(31)));
        long failed = ended(JobStatus.FAILED, NOW.minus(DAY.multipliedBy(30)).minusSeconds(1));
        long error = ended(JobStatus.ERROR, NOW.minus(DAY.multipliedBy(40)));
        long cancelled = submitted(NOW.minus(DAY.multipliedBy(50)));
        db.lifecycle.cancel(cancelled, NOW.minus(DAY.multipliedBy(50)));
        for (String table : TABLES) {
            assertThat(rows(table, succeeded)).as(table + " before").isPositive();
        }

        assertThat(retention("30d").sweep()).isEqualTo(4);

        for (long job : List.of(succeeded, failed, error, cancelled)) {
            assertThat(rows(job)).as("rows left of job " + job).isZero();
            assertThat(db.repository.find(job)).isEmpty();
        }
    }

    @Test
    void jobsThatEndedWithinTheRetentionStay() {
        long recent = ended(JobStatus.SUCCEEDED, NOW.minus(DAY.multipliedBy(30)).plusSeconds(1));
        long older = ended(JobStatus.FAILED, NOW.minus(DAY.multipliedBy(31)));

        assertThat(retention("30d").sweep()).isEqualTo(1);

        assertThat(rows(older)).isZero();
        assertThat(rows(recent)).isEqualTo(1 + 2 + 2 + 2);
    }

    @Test
    void queuedAndRunningJobsStayHoweverOld() {
        long running = running(NOW.minus(DAY.multipliedBy(365))).id();
        ClaimedJob claimed = running(NOW.minus(DAY.multipliedBy(365)));
        long requeued = claimed.id();
        db.lifecycle.requeueOwned(claimed.lease());
        long queued = submitted(NOW.minus(DAY.multipliedBy(365)));
        Map<Long, Long> before = Map.of(running, rows(running), requeued, rows(requeued), queued, rows(queued));

        assertThat(retention("1s").sweep()).isZero();

        assertThat(db.repository.find(queued).orElseThrow().status()).isEqualTo(JobStatus.QUEUED);
        assertThat(db.repository.find(running).orElseThrow().status()).isEqualTo(JobStatus.RUNNING);
        assertThat(db.repository.find(requeued).orElseThrow().status()).isEqualTo(JobStatus.QUEUED);
        before.forEach((job, rows) -> assertThat(rows(job)).as("rows of job " + job).isEqualTo(rows));
    }

    @Test
    void aBacklogGoesInBatchesOldestFirst() {
        int backlog = 2 * Retention.BATCH + 1;
        db.jdbc.sql("INSERT INTO jobs (public_id, status, created_at) SELECT RANDOM_UUID(), 'QUEUED', :at FROM SYSTEM_RANGE(1, :n)")
                .param("at", NOW.minus(DAY.multipliedBy(60)).atOffset(ZoneOffset.UTC)).param("n", backlog).update();
        // Ended in the reverse order of their ids: the newest job ended first.
        db.jdbc.sql("UPDATE jobs SET status = 'SUCCEEDED', finished_at = created_at - id * INTERVAL '1' SECOND").update();
        Retention retention = retention("30d");

        assertThat(retention.deleteBatch(NOW.minus(DAY.multipliedBy(30)))).isEqualTo(Retention.BATCH);
        long lowest = db.jdbc.sql("SELECT MIN(id) FROM jobs").query(Long.class).single();
        long highest = db.jdbc.sql("SELECT MAX(id) FROM jobs").query(Long.class).single();
        assertThat(highest - lowest + 1).as("the oldest ended went first").isEqualTo(backlog - Retention.BATCH);
        assertThat(highest).isEqualTo(backlog - Retention.BATCH);

        assertThat(retention.sweep()).isEqualTo(backlog - Retention.BATCH);
        assertThat(db.jdbc.sql("SELECT COUNT(*) FROM jobs").query(Long.class).single()).isZero();
    }

    @Test
    void aTenthOfTheRetentionBetweenSweepsWithinASecondAndAnHour() {
        assertThat(Retention.period(Duration.ofDays(30))).isEqualTo(Duration.ofHours(1));
        assertThat(Retention.period(Duration.ofMinutes(5))).isEqualTo(Duration.ofSeconds(30));
        assertThat(Retention.period(Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void zeroKeepsEveryJobAndStartsNoSweep() {
        Retention retention = retention("0");

        retention.start();

        assertThat(retention.isRunning()).isFalse();
    }

    @Test
    void thirtyDaysByDefaultAndNeverNegative() {
        assertThat(TestProperties.of(Map.of()).retention()).isEqualTo(Duration.ofDays(30));
        assertThatThrownBy(() -> TestProperties.of(Map.of("chainlink.retention", "-1s")))
                .isInstanceOf(BindException.class)
                .rootCause().hasMessageContaining("chainlink.retention must not be negative");
    }
}
