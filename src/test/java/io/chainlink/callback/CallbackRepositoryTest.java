package io.chainlink.callback;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainlink.job.Job;
import io.chainlink.job.Job.Callback.State;
import io.chainlink.job.JobRepository;
import io.chainlink.job.JobStatus;
import io.chainlink.stage.PullPolicy;
import io.chainlink.stage.StageSpec;
import io.chainlink.support.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Callbacks on the real schema (in-memory H2): due only once their job has ended and that is known, claimed by one sender, recorded by it. */
class CallbackRepositoryTest {

    private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");
    private static final StageSpec STAGE = new StageSpec("chainlink-test/absent:never", List.of("true"), "container", 64L << 20,
            false, false, 30_000, Map.of(), PullPolicy.NEVER, null, true, null, List.of(), null);
    private static final CallbackRequest CALLBACK = new CallbackRequest("http://127.0.0.1:9000/hooks/", "0123456789abcdef");

    private final TestDatabase db = new TestDatabase();
    private final CallbackRepository callbacks = new CallbackRepository(db.jdbc);

    private JobRepository.Ids jobWithCallback() {
        JobRepository.Ids ids = db.repository.insert("t", List.of(STAGE), NOW);
        callbacks.insert(ids.internal(), CALLBACK, NOW);
        return ids;
    }

    private void end(JobRepository.Ids job) {
        db.jdbc.sql("UPDATE jobs SET status = :status, finished_at = :at WHERE id = :id")
                .param("status", JobStatus.SUCCEEDED.name()).param("at", NOW.atOffset(ZoneOffset.UTC)).param("id", job.internal())
                .update();
    }

    /** The job ends here: its callback is made due by the job's id. */
    private void endHere(JobRepository.Ids job) {
        end(job);
        assertThat(callbacks.arm(List.of(job.internal()), NOW)).isEqualTo(1);
    }

    private Job.Callback viewOf(JobRepository.Ids job) {
        return db.repository.find(job.internal()).orElseThrow().callback();
    }

    @Test
    void aCallbackIsDueOnlyOnceItsJobHasEnded() {
        JobRepository.Ids job = jobWithCallback();
        assertThat(viewOf(job)).isEqualTo(new Job.Callback(State.PENDING, 0, null));
        assertThat(callbacks.due(NOW, 10)).isEmpty();
        assertThat(callbacks.nextDue()).isEmpty();

        end(job);
        assertThat(callbacks.due(NOW, 10)).as("ended, but not yet heard of").isEmpty();
        assertThat(callbacks.arm(List.of(job.internal()), NOW)).isEqualTo(1);
        assertThat(callbacks.due(NOW, 10)).extracting(CallbackRepository.Due::publicJobId).containsExactly(job.external());
        assertThat(callbacks.due(NOW, 10).get(0).secret()).isEqualTo(CALLBACK.secret());
        assertThat(callbacks.nextDue()).contains(NOW);
        assertThat(callbacks.arm(List.of(job.internal()), NOW.plusSeconds(9))).as("once").isZero();
    }

    @Test
    void theSweepMakesDueTheCallbacksOfJobsEndedElsewhereAndOnlyThose() {
        JobRepository.Ids endedElsewhere = jobWithCallback();
        JobRepository.Ids queued = jobWithCallback();
        end(endedElsewhere);

        assertThat(callbacks.endedUnarmed(10)).containsExactly(endedElsewhere.internal());
        callbacks.arm(callbacks.endedUnarmed(10), NOW);
        assertThat(callbacks.due(NOW, 10)).extracting(CallbackRepository.Due::publicJobId).containsExactly(endedElsewhere.external());
        assertThat(callbacks.endedUnarmed(10)).as("nothing more").isEmpty();
        assertThat(viewOf(queued)).isEqualTo(new Job.Callback(State.PENDING, 0, null));
    }

    @Test
    void ofTwoSendersThatReadTheSameDeliveryOnlyOneClaimsIt() {
        JobRepository.Ids job = jobWithCallback();
        endHere(job);
        CallbackRepository.Due seenByOne = callbacks.due(NOW, 10).get(0);
        CallbackRepository.Due seenByOther = callbacks.due(NOW, 10).get(0);
        Instant until = NOW.plus(Duration.ofSeconds(45));

        assertThat(callbacks.claim(seenByOne, NOW, until)).isTrue();
        assertThat(callbacks.claim(seenByOther, NOW, until)).isFalse();
        assertThat(callbacks.due(NOW.plusSeconds(44), 10)).as("claimed: due again only if its sender dies").isEmpty();
        assertThat(callbacks.due(until, 10)).hasSize(1);
        assertThat(viewOf(job)).isEqualTo(new Job.Callback(State.PENDING, 1, null));
    }

    @Test
    void aDeliveryIsRecordedOnlyByTheSenderOfItsAttempt() {
        JobRepository.Ids job = jobWithCallback();
        endHere(job);
        CallbackRepository.Due due = callbacks.due(NOW, 10).get(0);
        callbacks.claim(due, NOW, NOW.plusSeconds(45));

        callbacks.record(job.internal(), 1, State.PENDING, 500, NOW.plusSeconds(2));
        assertThat(viewOf(job)).isEqualTo(new Job.Callback(State.PENDING, 1, 500));
        assertThat(callbacks.nextDue()).contains(NOW.plusSeconds(2));

        callbacks.record(job.internal(), 7, State.DELIVERED, 200, NOW.plusSeconds(3));
        assertThat(viewOf(job)).as("a stale sender's record changes nothing").isEqualTo(new Job.Callback(State.PENDING, 1, 500));

        callbacks.claim(callbacks.due(NOW.plusSeconds(2), 10).get(0), NOW.plusSeconds(2), NOW.plusSeconds(47));
        callbacks.record(job.internal(), 2, State.DELIVERED, 204, NOW.plusSeconds(3));
        assertThat(viewOf(job)).isEqualTo(new Job.Callback(State.DELIVERED, 2, 204));
        assertThat(callbacks.due(NOW.plusSeconds(100), 10)).isEmpty();
        assertThat(callbacks.nextDue()).isEmpty();
    }

    @Test
    void aJobWithoutACallbackShowsNoneAndDeletingAJobDeletesItsCallback() {
        JobRepository.Ids without = db.repository.insert("t", List.of(STAGE), NOW);
        assertThat(viewOf(without)).isNull();

        JobRepository.Ids with = jobWithCallback();
        for (String table : List.of("stage_logs", "stage_details", "stages")) {
            db.jdbc.sql("DELETE FROM " + table + " WHERE job_id = :job").param("job", with.internal()).update();
        }
        db.jdbc.sql("DELETE FROM jobs WHERE id = :job").param("job", with.internal()).update();
        assertThat(db.jdbc.sql("SELECT COUNT(*) FROM callbacks").query(Long.class).single()).isZero();
    }
}
