package io.chainlink.job;

import io.chainlink.database.Database;
import io.chainlink.stage.StageSpec;
import io.chainlink.stage.StageStatus;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every status change of jobs and stages, and nothing else. Each goes through {@link #moveJob} or
 * {@link #moveStages}, which check the move against {@link JobStatus}'s and {@link StageStatus}'s
 * tables and put the expected old status in the UPDATE's WHERE, so that of two instances, or a
 * worker and a cancel, racing for one row, exactly one wins (optimistic, as db-scheduler claims).
 *
 * <p>A running job carries its owner, the instance that runs it, and a lease the owner renews
 * while it runs. Lease times are the instances' clocks: a lease is many heartbeats long, so
 * clocks a second or two apart do not matter.
 */
@Repository
public class JobLifecycle {

    /**
     * A job a worker has claimed, with what it needs to run it: its row for the store, its public id
     * for everything outside it (the engine's labels, log lines).
     */
    public record ClaimedJob(long id, String publicId, String tenant, int attempt, List<StageSpec> stages, String owner) {

        /** What every write of this run names: the job is this owner's in this attempt. */
        public Lease lease() {
            return new Lease(id, owner, attempt);
        }
    }

    /**
     * How a stage that was RUNNING ended: its exit, whether the service killed it at its timeout,
     * the engine's inspected State (null when the engine could not be asked), where its time went.
     */
    public record StageEnd(StageStatus status, Integer exitCode, boolean killed, String state, Instant finishedAt,
                           StageTimings timings) {
    }

    /** A running job whose owner stopped renewing its lease. */
    public record Expired(long id, String publicId, int attempt, boolean cancelRequested) {
    }

    /** What a cancel found. */
    public enum CancelResult { CANCELLED, REQUESTED, ALREADY_ENDED, NOT_FOUND }

    private static final int ERROR_CHARS = 4000; // jobs.error's size
    private static final int MAX_TENANTS_WEIGHED = 1000;

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final TransactionTemplate transaction;
    private final Durability durability;
    private final Database database;

    public JobLifecycle(JdbcClient jdbc, JsonMapper json, PlatformTransactionManager transactions, Durability durability,
                        Database database) {
        this.jdbc = jdbc;
        this.json = json;
        this.durability = durability;
        this.database = database;
        this.transaction = new TransactionTemplate(transactions);
    }

    /*
     * The claim's reads of the queue, along jobs_status_tenant_id. Each ORDER BY names the index's
     * columns that the WHERE fixes too: with "ORDER BY id" (or "tenant") alone H2 read every queued
     * job and sorted them, for each claim (QueuePlansTest).
     */
    /** A tenant's queued jobs, oldest first. */
    static final String OLDEST_QUEUED = "SELECT id FROM jobs WHERE status = 'QUEUED' AND tenant = :tenant ORDER BY status, tenant, id";
    /**
     * The first tenant after {@code :last} with a queued job. H2 starts a "tenant > :last" at
     * {@code :last}'s first queued job and walks all of them, so this is not asked after the last tenant.
     */
    static final String NEXT_QUEUED_TENANT =
            "SELECT tenant FROM jobs WHERE status = 'QUEUED' AND tenant > :last ORDER BY status, tenant FETCH FIRST 1 ROWS ONLY";
    /** The last tenant, in name order, with a queued job. */
    static final String LAST_QUEUED_TENANT =
            "SELECT tenant FROM jobs WHERE status = 'QUEUED' ORDER BY status DESC, tenant DESC FETCH FIRST 1 ROWS ONLY";

    /** Takes the next queued job, with no quotas to keep. */
    public Optional<ClaimedJob> claimNext(String owner, Instant now, Instant leaseUntil) {
        return claimNext(owner, now, leaseUntil, TenantQuotas.NONE);
    }

    /**
     * Takes the next queued job for {@code owner}: fair share across tenants (the tenant with the
     * fewest jobs running first, so one course's flood does not starve another's single job; then
     * the one whose oldest job has waited longest), oldest first within a tenant, never past a
     * tenant's running quota. A peer that claims the same row first makes this UPDATE match none.
     */
    public Optional<ClaimedJob> claimNext(String owner, Instant now, Instant leaseUntil, TenantQuotas quotas) {
        for (String tenant : fairOrder(quotas)) {
            Optional<ClaimedJob> claimed = database.skipsLocked()
                    ? transaction.execute(tx -> claimLocked(tenant, owner, now, leaseUntil, quotas))
                    : claimRacing(tenant, owner, now, leaseUntil);
            if (claimed.isPresent()) {
                try {
                    // The stages read after the row: a read inside the row mapper would hold a second connection.
                    return Optional.of(new ClaimedJob(claimed.get().id(), claimed.get().publicId(), tenant, claimed.get().attempt(),
                            specsOf(claimed.get().id()), owner));
                } catch (RuntimeException e) {
                    settle(claimed.get().lease(), JobStatus.ERROR, "the job's stored stages could not be read: " + e.getMessage(), now);
                    throw e;
                }
            }
        }
        return Optional.empty();
    }

    /**
     * One process's workers racing on H2: the tenant's oldest few, each tried by the conditional
     * UPDATE; a worker that lost one tries the next.
     */
    private Optional<ClaimedJob> claimRacing(String tenant, String owner, Instant now, Instant leaseUntil) {
        List<Long> oldest = jdbc.sql(OLDEST_QUEUED + " FETCH FIRST 8 ROWS ONLY")
                .param("tenant", tenant).query(Long.class).list();
        for (long id : oldest) {
            Optional<ClaimedJob> claimed = take(id, tenant, owner, now, leaseUntil);
            if (claimed.isPresent()) {
                return claimed;
            }
        }
        return Optional.empty();
    }

    /**
     * Instances sharing PostgreSQL, in one transaction: the tenant's oldest queued job that no peer
     * holds, locked (SKIP LOCKED: never waiting on a peer's claim), then taken by the same
     * conditional UPDATE. A tenant with a running quota is claimed for by one instance at a time
     * (a lock on its name until the commit), its running jobs counted under that lock: two
     * instances that each saw one slot left cannot both take it.
     */
    private Optional<ClaimedJob> claimLocked(String tenant, String owner, Instant now, Instant leaseUntil, TenantQuotas quotas) {
        if (quotas.maxRunning(tenant).isPresent()) {
            jdbc.sql("SELECT pg_advisory_xact_lock(hashtext(:tenant))").param("tenant", tenant).query(Object.class).list();
            long running = jdbc.sql("SELECT COUNT(*) FROM jobs WHERE status = 'RUNNING' AND tenant = :tenant")
                    .param("tenant", tenant).query(Long.class).single();
            if (running >= quotas.maxRunning(tenant).getAsInt()) {
                return Optional.empty();
            }
        }
        Optional<Long> oldest = jdbc.sql(OLDEST_QUEUED + " FETCH FIRST 1 ROWS ONLY FOR UPDATE SKIP LOCKED")
                .param("tenant", tenant).query(Long.class).optional();
        return oldest.flatMap(id -> take(id, tenant, owner, now, leaseUntil));
    }

    /** QUEUED to RUNNING for {@code owner}, if it is still queued; the claimed job without its stages. */
    private Optional<ClaimedJob> take(long id, String tenant, String owner, Instant now, Instant leaseUntil) {
        if (!moveJob(id, JobStatus.QUEUED, JobStatus.RUNNING,
                "started_at = :now, owner = :owner, lease_until = :lease, attempt = attempt + 1", "",
                Map.of("now", utc(now), "owner", owner, "lease", utc(leaseUntil)))) {
            return Optional.empty();
        }
        return Optional.of(jdbc.sql("SELECT attempt, public_id FROM jobs WHERE id = :id").param("id", id)
                .query((rs, n) -> new ClaimedJob(id, rs.getObject("public_id", UUID.class).toString(), tenant,
                        rs.getInt("attempt"), List.of(), owner))
                .single());
    }

    /** Tenants with queued jobs, in the order they are served; those at their running quota left out. */
    private List<String> fairOrder(TenantQuotas quotas) {
        List<String> tenants = queuedTenants();
        if (tenants.size() <= 1 && !quotas.limitsRunning()) {
            return tenants; // one tenant, the usual case: nothing to weigh
        }
        Map<String, Long> running = new java.util.HashMap<>();
        jdbc.sql("SELECT tenant, COUNT(*) AS n FROM jobs WHERE status = 'RUNNING' GROUP BY tenant")
                .query((rs, n) -> running.put(rs.getString("tenant"), rs.getLong("n"))).list();
        Map<String, Long> head = new java.util.HashMap<>();
        for (String tenant : tenants) {
            head.put(tenant, jdbc.sql(OLDEST_QUEUED + " FETCH FIRST 1 ROWS ONLY")
                    .param("tenant", tenant).query(Long.class).optional().orElse(Long.MAX_VALUE));
        }
        return tenants.stream()
                .filter(t -> quotas.maxRunning(t).stream().allMatch(max -> running.getOrDefault(t, 0L) < max))
                .sorted(java.util.Comparator.<String>comparingLong(t -> running.getOrDefault(t, 0L)).thenComparingLong(head::get))
                .toList();
    }

    /**
     * The distinct tenants with queued jobs, by index seeks (a GROUP BY would walk every queued
     * job, and a deadline can queue tens of thousands). One tenant, the usual case, costs two
     * seeks; with several, finding each next one walks the queued jobs of the one before it on H2.
     */
    private List<String> queuedTenants() {
        List<String> tenants = new java.util.ArrayList<>();
        Optional<String> lastTenant = jdbc.sql(LAST_QUEUED_TENANT).query(String.class).optional();
        for (String last = ""; lastTenant.isPresent() && tenants.size() < MAX_TENANTS_WEIGHED; ) {
            Optional<String> next = jdbc.sql(NEXT_QUEUED_TENANT)
                    .param("last", last).query(String.class).optional();
            if (next.isEmpty()) {
                break;
            }
            tenants.add(next.get());
            if (next.get().equals(lastTenant.get())) {
                break; // one queued after it since, if any, is found by the next claim
            }
            last = next.get();
        }
        return tenants;
    }

    /** PENDING to RUNNING: its container has started. False, and nothing written, once the lease is lost. */
    public boolean startStage(Lease lease, int idx, Instant now) {
        return startStage(lease, idx, now, null);
    }

    /**
     * PENDING to RUNNING: its container has started, running {@code imageDigest} (null if unknown;
     * ImageDigest says what it is). False, and nothing written, once the lease is lost.
     */
    public boolean startStage(Lease lease, int idx, Instant now, String imageDigest) {
        Map<String, Object> values = new HashMap<>();
        values.put("now", utc(now));
        values.put("digest", imageDigest); // may be null, which Map.of refuses
        return moveStages(lease, idx, StageStatus.PENDING, StageStatus.RUNNING, "started_at = :now, image_digest = :digest", values) == 1;
    }

    /** PENDING to ERROR: the engine did not answer the start, so whether it ran is unknown. */
    public boolean startUnanswered(Lease lease, int idx, Instant now) {
        return moveStages(lease, idx, StageStatus.PENDING, StageStatus.ERROR, "finished_at = :now", Map.of("now", utc(now))) == 1;
    }

    /** RUNNING to how it ended, with what its run left; nothing written if it was not running, or the lease is lost. */
    public boolean endStage(Lease lease, int idx, StageEnd end) {
        long job = lease.job();
        return Boolean.TRUE.equals(transaction.execute(tx -> {
            StageTimings took = end.timings();
            boolean ended = moveStages(lease, idx, StageStatus.RUNNING, end.status(),
                    "exit_code = :exit, killed = :killed, finished_at = :now, image_ms = :image, create_ms = :create,"
                            + " start_ms = :start, run_ms = :run, collect_ms = :collect",
                    params("exit", end.exitCode(), "killed", end.killed(), "now", utc(end.finishedAt()),
                            "image", took.image(), "create", took.create(), "start", took.start(), "run", took.run(),
                            "collect", took.collect())) == 1;
            if (ended && end.state() != null) {
                jdbc.sql("UPDATE stage_details SET state = :state WHERE job_id = :job AND idx = :idx")
                        .param("state", end.state()).param("job", job).param("idx", idx)
                        .update();
            }
            return ended;
        }));
    }

    /**
     * Ends a job its owner ran, in one transaction with its stages: a stage still RUNNING was cut
     * short (ERROR), the PENDING ones never ran (SKIPPED). False, and nothing changed, if the job
     * is no longer this owner's running job (a peer's recovery settled it after its lease ran out).
     */
    public boolean settle(Lease lease, JobStatus outcome, String error, Instant now) {
        return finish(lease.job(), outcome, error, now, " AND owner = :owner AND attempt = :attempt",
                Map.of("owner", lease.owner(), "attempt", lease.attempt()));
    }

    /** Ends a job whose lease ran out; false if its owner renewed it meanwhile or a peer settled it. */
    public boolean settleExpired(long job, JobStatus outcome, String error, Instant now) {
        return finish(job, outcome, error, now, " AND lease_until < :now", Map.of());
    }

    private boolean finish(long job, JobStatus outcome, String error, Instant now, String condition, Map<String, Object> extra) {
        return Boolean.TRUE.equals(transaction.execute(tx -> {
            Map<String, Object> params = new java.util.HashMap<>(extra);
            params.put("now", utc(now));
            params.put("error", capped(error));
            if (!moveJob(job, JobStatus.RUNNING, outcome, "finished_at = :now, error = :error, lease_until = NULL", condition, params)) {
                return false;
            }
            // Its stages in the same transaction, after the job's row moved: that move was the condition.
            moveStages(job, null, StageStatus.RUNNING, StageStatus.ERROR, "finished_at = :now", Map.of("now", utc(now)));
            moveStages(job, null, StageStatus.PENDING, StageStatus.SKIPPED, "", Map.of());
            return true;
        }));
    }

    /**
     * Gives a claimed job back to the queue before any of its stages ran (the engine was away):
     * as if never claimed, so it does not count as an attempt.
     */
    public boolean release(Lease lease) {
        return moveJob(lease.job(), JobStatus.RUNNING, JobStatus.QUEUED,
                "started_at = NULL, owner = NULL, lease_until = NULL, attempt = attempt - 1",
                " AND owner = :owner AND attempt = :attempt AND NOT cancel_requested",
                Map.of("owner", lease.owner(), "attempt", lease.attempt()));
    }

    /** Sends a job whose lease ran out back to the queue; false if its owner renewed it meanwhile or a peer settled it. */
    public boolean requeueExpired(long job, Instant now) {
        return requeue(job, " AND lease_until < :now", Map.of("now", utc(now)));
    }

    /** Sends a job its owner stopped running (a shutdown) back to the queue. */
    public boolean requeueOwned(Lease lease) {
        return requeue(lease.job(), " AND owner = :owner AND attempt = :attempt", Map.of("owner", lease.owner(), "attempt", lease.attempt()));
    }

    /**
     * Back to the queue, to run again from its first stage: what the interrupted attempt stored is
     * cleared, so that results never mix two attempts.
     */
    private boolean requeue(long job, String condition, Map<String, Object> params) {
        return Boolean.TRUE.equals(transaction.execute(tx -> {
            // A job a client asked to cancel is never run again: it stays for a settle as CANCELLED.
            if (!moveJob(job, JobStatus.RUNNING, JobStatus.QUEUED,
                    "started_at = NULL, owner = NULL, lease_until = NULL", condition + " AND NOT cancel_requested", params)) {
                return false;
            }
            jdbc.sql("DELETE FROM stage_logs WHERE job_id = :job").param("job", job).update();
            jdbc.sql("UPDATE stage_details SET state = NULL WHERE job_id = :job").param("job", job).update();
            // The reset StageStatus describes: a new attempt starts from PENDING.
            jdbc.sql("""
                    UPDATE stages SET status = 'PENDING', exit_code = NULL, killed = FALSE, started_at = NULL, finished_at = NULL,
                                      stdout_dropped = NULL, stderr_dropped = NULL, output_lost = FALSE,
                                      image_ms = NULL, create_ms = NULL, start_ms = NULL, run_ms = NULL, collect_ms = NULL,
                                      image_digest = NULL
                    WHERE job_id = :job""").param("job", job).update();
            return true;
        }));
    }

    /**
     * A queued job ends CANCELLED at once, its stages SKIPPED; a running one is flagged, and its
     * owner kills its container and settles it (or, if the owner is gone, the recovery does).
     */
    public CancelResult cancel(long job, Instant now) {
        return transaction.execute(tx -> {
            for (int tries = 0; tries < 3; tries++) { // a claim or a requeue may move it between two statements
                Optional<JobStatus> status = jdbc.sql("SELECT status FROM jobs WHERE id = :id").param("id", job)
                        .query(String.class).optional().map(JobStatus::valueOf);
                if (status.isEmpty()) {
                    return CancelResult.NOT_FOUND;
                }
                if (status.get().isTerminal()) {
                    return CancelResult.ALREADY_ENDED;
                }
                if (status.get() == JobStatus.QUEUED && moveJob(job, JobStatus.QUEUED, JobStatus.CANCELLED,
                        "finished_at = :now", "", Map.of("now", utc(now)))) {
                    moveStages(job, null, StageStatus.PENDING, StageStatus.SKIPPED, "", Map.of());
                    return CancelResult.CANCELLED;
                }
                if (status.get() == JobStatus.RUNNING && jdbc.sql(
                                "UPDATE jobs SET cancel_requested = TRUE WHERE id = :id AND status = 'RUNNING'")
                        .param("id", job).update() == 1) {
                    durability.flushOnceCommitted(); // answered 202: a restart must not forget it
                    return CancelResult.REQUESTED;
                }
            }
            return CancelResult.ALREADY_ENDED;
        });
    }

    /**
     * Extends the leases of the jobs {@code owner} runs now; the heartbeat. Only those it names: a
     * job of this owner that no worker runs any more (its settle failed, or an instance of the same
     * id died) must lose its lease, so that a recovery ends it.
     */
    public int renewLeases(String owner, List<Long> running, Instant until) {
        if (running.isEmpty()) {
            return 0;
        }
        return jdbc.sql("UPDATE jobs SET lease_until = :until WHERE owner = :owner AND status = 'RUNNING' AND id IN (:ids)")
                .param("until", utc(until)).param("owner", owner).param("ids", running)
                .update();
    }

    /** Whether a client asked to cancel this job. */
    public boolean isCancelRequested(long job) {
        return jdbc.sql("SELECT cancel_requested FROM jobs WHERE id = :id").param("id", job)
                .query(Boolean.class).optional().orElse(false);
    }

    /** Of {@code owner}'s running jobs, those a client asked to cancel. */
    public List<Long> cancelRequested(String owner) {
        return jdbc.sql("SELECT id FROM jobs WHERE owner = :owner AND status = 'RUNNING' AND cancel_requested")
                .param("owner", owner)
                .query(Long.class).list();
    }

    /** Running jobs whose owner stopped renewing their lease before {@code now}. */
    public List<Expired> expired(Instant now) {
        return jdbc.sql("SELECT id, public_id, attempt, cancel_requested FROM jobs WHERE status = 'RUNNING' AND lease_until < :now ORDER BY id")
                .param("now", utc(now))
                .query((rs, n) -> new Expired(rs.getLong("id"), rs.getObject("public_id", UUID.class).toString(),
                        rs.getInt("attempt"), rs.getBoolean("cancel_requested")))
                .list();
    }

    /**
     * Which of these jobs, named as the engine's labels name them, have ended or do not exist in
     * this store: what they left on the engine may go. Labels are public ids; a number is the label
     * of a container an earlier version made (it labelled with the internal id), judged by that id.
     */
    public List<String> endedOrUnknown(List<String> jobs) {
        List<UUID> publicIds = new java.util.ArrayList<>();
        List<Long> internalIds = new java.util.ArrayList<>();
        for (String job : jobs) {
            try {
                publicIds.add(UUID.fromString(job));
            } catch (IllegalArgumentException notUuid) {
                try {
                    internalIds.add(Long.parseLong(job));
                } catch (NumberFormatException neither) {
                    // no job of this store can have it: it is unknown, and goes
                }
            }
        }
        java.util.Set<String> live = new java.util.HashSet<>();
        if (!publicIds.isEmpty()) {
            jdbc.sql("SELECT public_id FROM jobs WHERE public_id IN (:ids) AND status IN ('QUEUED', 'RUNNING')")
                    .param("ids", publicIds)
                    .query((rs, n) -> live.add(rs.getObject("public_id", UUID.class).toString())).list();
        }
        if (!internalIds.isEmpty()) {
            jdbc.sql("SELECT id FROM jobs WHERE id IN (:ids) AND status IN ('QUEUED', 'RUNNING')")
                    .param("ids", internalIds)
                    .query((rs, n) -> live.add(Long.toString(rs.getLong("id")))).list();
        }
        return jobs.stream().filter(job -> !live.contains(job)).toList();
    }

    /** The one path of every job status change: the table allows it, the WHERE checks the old status. */
    private boolean moveJob(long id, JobStatus from, JobStatus to, String set, String condition, Map<String, Object> params) {
        if (!from.canMoveTo(to)) {
            throw new IllegalStateException("a job cannot move from " + from + " to " + to);
        }
        var statement = jdbc.sql("UPDATE jobs SET status = :to" + (set.isEmpty() ? "" : ", " + set)
                        + " WHERE id = :id AND status = :from" + condition)
                .param("to", to.name()).param("id", id).param("from", from.name());
        params.forEach((name, value) -> bind(statement, name, value));
        boolean moved = statement.update() == 1;
        if (moved) {
            durability.flushOnceCommitted(); // a client may see it at once: it must survive a kill -9
        }
        return moved;
    }

    /** A stage move of a running job by its owner: only while its lease holds. */
    private int moveStages(Lease lease, Integer idx, StageStatus from, StageStatus to, String set, Map<String, Object> params) {
        Map<String, Object> held = new java.util.HashMap<>(params);
        held.put("owner", lease.owner());
        held.put("attempt", lease.attempt());
        return moveStages(lease.job(), idx, from, to, set, " AND " + Lease.HELD, held);
    }

    private int moveStages(long job, Integer idx, StageStatus from, StageStatus to, String set, Map<String, Object> params) {
        return moveStages(job, idx, from, to, set, "", params);
    }

    /** The one path of every stage status change: one stage ({@code idx}) or all of a job's ({@code null}) that are {@code from}. */
    private int moveStages(long job, Integer idx, StageStatus from, StageStatus to, String set, String condition,
                           Map<String, Object> params) {
        if (!from.canMoveTo(to)) {
            throw new IllegalStateException("a stage cannot move from " + from + " to " + to);
        }
        var statement = jdbc.sql("UPDATE stages SET status = :to" + (set.isEmpty() ? "" : ", " + set)
                        + " WHERE job_id = :job AND status = :from" + (idx == null ? "" : " AND idx = :idx") + condition)
                .param("to", to.name()).param("job", job).param("from", from.name());
        if (idx != null) {
            statement.param("idx", idx);
        }
        params.forEach((name, value) -> bind(statement, name, value));
        int moved = statement.update();
        if (moved > 0) {
            durability.flushOnceCommitted();
        }
        return moved;
    }

    private static void bind(JdbcClient.StatementSpec statement, String name, Object value) {
        if (value == null) {
            statement.param(name, null, Types.NULL);
        } else {
            statement.param(name, value);
        }
    }

    /** Map.of refuses nulls; an exit code or an error may be null. */
    private static Map<String, Object> params(Object... namesAndValues) {
        Map<String, Object> params = new java.util.HashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            params.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return params;
    }

    private List<StageSpec> specsOf(long job) {
        return jdbc.sql("SELECT spec FROM stage_details WHERE job_id = :job ORDER BY idx")
                .param("job", job)
                .query((rs, n) -> json.readValue(rs.getString(1), StageSpec.class))
                .list();
    }

    /** Fits an error message to its column: a job must settle however long the engine's words were. */
    private static String capped(String error) {
        return error == null || error.length() <= ERROR_CHARS ? error : error.substring(0, ERROR_CHARS - 1) + "…";
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
