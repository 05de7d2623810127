package io.chainlink.callback;

import io.chainlink.job.Job.Callback.State;
import io.chainlink.job.JobStatus;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Callbacks as stored (V12): registering one, making it due once its job has ended, claiming due ones, recording how a delivery went. */
@Repository
class CallbackRepository {

    /** What a claimed delivery needs; its secret stays out of toString. */
    record Due(long jobId, String publicJobId, String url, String secret, int attempts) {

        @Override
        public String toString() {
            return "Due[job=" + publicJobId + ", url=" + url + ", attempts=" + attempts + "]";
        }
    }

    /**
     * A callback is sent once its job has ended: its status is none of these. "NOT IN" the live
     * statuses, as Retention asks it: with "IN" the ended ones H2 walks jobs_status_id for each
     * callback instead of looking the job up by its key (50 times slower over 20,000 queued).
     */
    private static final List<String> LIVE = Arrays.stream(JobStatus.values()).filter(status -> !status.isTerminal()).map(Enum::name).toList();

    private final JdbcClient jdbc;

    CallbackRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A job's callback, PENDING from the start: it is sent once the job has ended. */
    void insert(long job, CallbackRequest callback, Instant now) {
        jdbc.sql("""
                        INSERT INTO callbacks (job_id, url, secret, state, attempts, next_attempt_at)
                        VALUES (:job, :url, :secret, :state, 0, :now)""")
                .param("job", job).param("url", callback.url()).param("secret", callback.secret())
                .param("state", State.PENDING.name()).param("now", utc(now))
                .update();
    }

    /**
     * Makes the callbacks of these jobs, which have ended here, due now: by their keys, without a
     * look at the jobs (this instance's news of their end came after its commit).
     */
    int arm(Collection<Long> endedJobs, Instant now) {
        return endedJobs.isEmpty() ? 0 : jdbc.sql("""
                        UPDATE callbacks SET job_ended = TRUE, next_attempt_at = :now
                        WHERE job_ended = FALSE AND job_id IN (:jobs)""")
                .param("now", utc(now)).param("jobs", endedJobs)
                .update();
    }

    /**
     * Jobs that have ended without this instance's news of it (ended by another instance, or
     * while none ran: recovery at start) and whose callbacks are not yet due, for {@link #arm}.
     * Walks the callbacks of jobs not yet ended, so it runs every poll interval, not at each job's
     * end. (An UPDATE ... WHERE EXISTS did the same at a quarter of the speed on H2.)
     */
    List<Long> endedUnarmed(int limit) {
        return jdbc.sql("""
                        SELECT c.job_id FROM callbacks c JOIN jobs j ON j.id = c.job_id
                        WHERE c.state = :pending AND c.job_ended = FALSE AND j.status NOT IN (:live)
                        FETCH FIRST :limit ROWS ONLY""")
                .param("pending", State.PENDING.name()).param("live", LIVE).param("limit", limit)
                .query(Long.class)
                .list();
    }

    /** Pending deliveries of ended jobs whose time has come, earliest first. */
    List<Due> due(Instant now, int limit) {
        return jdbc.sql("""
                        SELECT c.job_id, j.public_id, c.url, c.secret, c.attempts FROM callbacks c JOIN jobs j ON j.id = c.job_id
                        WHERE c.state = :pending AND c.job_ended = TRUE AND c.next_attempt_at <= :now
                        ORDER BY c.next_attempt_at FETCH FIRST :limit ROWS ONLY""")
                .param("pending", State.PENDING.name()).param("now", utc(now)).param("limit", limit)
                .query((rs, n) -> new Due(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5)))
                .list();
    }

    /**
     * Takes a delivery for this instance: counts the attempt and moves its time past the
     * delivery's deadlines, so that another instance takes it only if this one dies sending it.
     * The WHERE on the attempts seen makes it one instance's: of two that read the same row, one
     * updates it and the other finds it changed.
     */
    boolean claim(Due due, Instant now, Instant until) {
        return jdbc.sql("""
                        UPDATE callbacks SET attempts = attempts + 1, next_attempt_at = :until
                        WHERE job_id = :job AND state = :pending AND attempts = :attempts AND next_attempt_at <= :now""")
                .param("until", utc(until)).param("job", due.jobId()).param("pending", State.PENDING.name())
                .param("attempts", due.attempts()).param("now", utc(now))
                .update() == 1;
    }

    /** How a claimed delivery went: its state after it, the answer's status if there was one, and when to try again. */
    void record(long jobId, int attempts, State state, Integer status, Instant next) {
        jdbc.sql("""
                        UPDATE callbacks SET state = :state, last_status = :status, next_attempt_at = :next
                        WHERE job_id = :job AND state = :pending AND attempts = :attempts""")
                .param("state", state.name()).param("status", status).param("next", utc(next))
                .param("job", jobId).param("pending", State.PENDING.name()).param("attempts", attempts)
                .update();
    }

    /** When the next pending delivery of an ended job is due. */
    Optional<Instant> nextDue() {
        return jdbc.sql("SELECT MIN(next_attempt_at) FROM callbacks WHERE state = :pending AND job_ended = TRUE")
                .param("pending", State.PENDING.name())
                .query((rs, n) -> Optional.ofNullable(rs.getObject(1, OffsetDateTime.class)).map(OffsetDateTime::toInstant))
                .single();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
