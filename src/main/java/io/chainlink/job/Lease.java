package io.chainlink.job;

/**
 * One instance's claim on one run of a job: the job's row, the instance that claimed it, which
 * run (attempt) it is. Every write of a running job names its lease, and its SQL matches the job
 * only while the row still says so ({@link #HELD}): once a peer settled the job after the lease
 * ran out, or sent it back to the queue and it was claimed again (by another instance, or this
 * one: a new attempt), a late write of the lost run changes nothing.
 */
public record Lease(long job, String owner, int attempt) {

    /** The condition, for a WHERE, that this lease still holds; binds {@code :job}, {@code :owner} and {@code :attempt}. */
    static final String HELD = "EXISTS (SELECT 1 FROM jobs WHERE id = :job AND status = 'RUNNING'"
            + " AND owner = :owner AND attempt = :attempt)";
}
