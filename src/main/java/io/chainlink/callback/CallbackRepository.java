package io.chainlink.callback;

import io.chainlink.job.Job.Callback.State;
import io.chainlink.job.JobStatus;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Callbacks as stored (V12): registering one, finding and claiming due ones, recording how a delivery went. */
@Repository
class CallbackRepository {

    /** What a claimed delivery needs; its secret stays out of toString. */
    record Due(long jobId, String publicJobId, String url, String secret, int attempts) {

        @Override
        public String toString() {
            return "Due[job=" + publicJobId + ", url=" + url + ", attempts=" + attempts + "]";
        }
    }

    /** A callback is sent once its job has ended. */
    private static final List<String> ENDED = Arrays.stream(JobStatus.values()).filter(JobStatus::isTerminal).map(Enum::name).toList();

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

    /** Pending deliveries of ended jobs whose time has come, earliest first. */
    List<Due> due(Instant now, int limit) {
        return jdbc.sql("""
                        SELECT c.job_id, j.public_id, c.url, c.secret, c.attempts FROM callbacks c JOIN jobs j ON j.id = c.job_id
                        WHERE c.state = :pending AND c.next_attempt_at <= :now
                          AND j.status IN (:ended)
                        ORDER BY c.next_attempt_at FETCH FIRST :limit ROWS ONLY""")
                .param("pending", State.PENDING.name()).param("now", utc(now)).param("limit", limit).param("ended", ENDED)
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
        return jdbc.sql("""
                        SELECT MIN(c.next_attempt_at) FROM callbacks c JOIN jobs j ON j.id = c.job_id
                        WHERE c.state = :pending AND j.status IN (:ended)""")
                .param("ended", ENDED)
                .param("pending", State.PENDING.name())
                .query((rs, n) -> Optional.ofNullable(rs.getObject(1, OffsetDateTime.class)).map(OffsetDateTime::toInstant))
                .single();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
