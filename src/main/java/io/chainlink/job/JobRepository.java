package io.chainlink.job;

import io.chainlink.stage.StageSpec;
import io.chainlink.stage.StageStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/** Jobs as stored: submitting, reading, listing, and their stages' logs. Status changes are {@link JobLifecycle}'s. */
@Repository
public class JobRepository {

    /** What {@link #job} reads, in its order. */
    private static final String JOB_COLUMNS = "public_id, tenant, status, attempt, created_at, started_at, finished_at, error, owner, rerun_of";
    private static final int JOB_COLUMN_COUNT = JOB_COLUMNS.split(",").length;
    /** What {@link #stage} reads, in its order, after the job's columns. */
    private static final String STAGE_COLUMNS = """
            s.idx, s.image, s.image_digest, s.status, s.exit_code, s.killed, s.started_at, s.finished_at,
            s.stdout_dropped, s.stderr_dropped, s.output_lost, s.image_ms, s.create_ms, s.start_ms, s.run_ms, s.collect_ms""";
    /** What {@link #findWhere} reads of the kept /job (io.chainlink.files), after the stage's columns. */
    private static final String FILES_COLUMNS = "f.bytes, f.truncated";
    private static final int STAGE_COLUMN_COUNT = STAGE_COLUMNS.split(",").length;
    private static final int FILES_COLUMN_COUNT = FILES_COLUMNS.split(",").length;
    /** What {@link #callback} reads of the job's callback (io.chainlink.callback), after the kept /job's columns. */
    private static final String CALLBACK_COLUMNS = "c.state, c.attempts, c.last_status";
    /** A job with its stages, its kept /job and its callback, in one statement: one row a stage (or one for a job without stages). */
    private static final String FIND = "SELECT j." + JOB_COLUMNS.replace(", ", ", j.") + ", " + STAGE_COLUMNS + ", " + FILES_COLUMNS
            + ", " + CALLBACK_COLUMNS
            + " FROM jobs j LEFT JOIN stages s ON s.job_id = j.id"
            + " LEFT JOIN job_files f ON f.job_id = j.id AND f.direction = 'out'"
            + " LEFT JOIN callbacks c ON c.job_id = j.id WHERE %s ORDER BY s.idx";
    private static final String FIND_BY_ID = FIND.formatted("j.id = :id");
    private static final String FIND_BY_PUBLIC_ID = FIND.formatted("j.public_id = :id");
    private static final String FIND_BY_PUBLIC_IDS = FIND.formatted("j.public_id IN (:ids)");

    private final JdbcClient jdbc;
    private final JsonMapper json;

    public JobRepository(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** A stored job's two ids: the number every table and label uses inside, and the UUID the API shows. */
    public record Ids(long internal, String external) {
    }

    @Transactional
    public Ids insert(String tenant, List<StageSpec> stages, Instant now) {
        return insert(tenant, stages, null, now);
    }

    /** @param rerunOf the public id of the job this one reruns; null for none */
    @Transactional
    public Ids insert(String tenant, List<StageSpec> stages, String rerunOf, Instant now) {
        GeneratedKeyHolder key = new GeneratedKeyHolder();
        UUID publicId = PublicId.next(now);
        var statement = jdbc.sql("INSERT INTO jobs (public_id, tenant, status, created_at, rerun_of) VALUES (:publicId, :tenant, :status, :now, :rerunOf)");
        if (rerunOf == null) {
            statement.param("rerunOf", null, java.sql.Types.NULL);
        } else {
            statement.param("rerunOf", UUID.fromString(rerunOf));
        }
        statement.param("publicId", publicId)
                .param("tenant", tenant)
                .param("status", JobStatus.QUEUED.name())
                .param("now", utc(now))
                .update(key, "id");
        long id = key.getKey().longValue();
        for (int i = 0; i < stages.size(); i++) {
            StageSpec stage = stages.get(i);
            // A stage pinned to an image id shows its pin from the start; any other shows what ran once it starts.
            jdbc.sql("INSERT INTO stages (job_id, idx, image, image_digest, status, logs) VALUES (:job, :idx, :image, :digest, :status, :logs)")
                    .param("job", id).param("idx", i)
                    .param("image", stage.image())
                    .param("digest", stage.imageId(), java.sql.Types.VARCHAR)
                    .param("status", StageStatus.PENDING.name())
                    .param("logs", stage.logs())
                    .update();
            jdbc.sql("INSERT INTO stage_details (job_id, idx, spec) VALUES (:job, :idx, :spec)")
                    .param("job", id).param("idx", i)
                    .param("spec", json.writeValueAsString(stage))
                    .update();
        }
        return new Ids(id, publicId.toString());
    }

    /** A stage as stored: its spec as resolved at submission, and the image it ran ({@code null} if it did not start). */
    public record StoredStage(StageSpec spec, String imageDigest) {
    }

    /** A job's stages as submitted, in order, each with what it ran: what a rerun repeats. */
    public List<StoredStage> storedStages(long job) {
        return jdbc.sql("""
                SELECT d.spec, s.image_digest FROM stages s JOIN stage_details d ON d.job_id = s.job_id AND d.idx = s.idx
                WHERE s.job_id = :job ORDER BY s.idx""")
                .param("job", job)
                .query((rs, n) -> new StoredStage(json.readValue(rs.getString(1), StageSpec.class), rs.getString(2)))
                .list();
    }

    /** A job's internal id and its tenant: what deciding who may see it takes, and no more. */
    public record Owned(long id, String tenant) {
    }

    /** Which of these jobs have ended. */
    public List<Long> endedAmong(List<Long> jobs) {
        return jdbc.sql("SELECT id FROM jobs WHERE id IN (:ids) AND status NOT IN ('QUEUED', 'RUNNING')")
                .param("ids", jobs).query(Long.class).list();
    }

    /** The job with this public id, by its internal id and tenant; empty for an unknown one or a string that is no UUID. */
    public Optional<Owned> owned(String publicId) {
        return uuid(publicId).flatMap(id -> jdbc.sql("SELECT id, tenant FROM jobs WHERE public_id = :publicId").param("publicId", id)
                .query((rs, n) -> new Owned(rs.getLong("id"), rs.getString("tenant"))).optional());
    }

    /** The internal id of the job with this public id; empty for an unknown one or a string that is no UUID. */
    public Optional<Long> internalId(String publicId) {
        return owned(publicId).map(Owned::id);
    }

    /** Only the canonical, lower-case form the service writes: any other spelling names no job. */
    private static Optional<UUID> uuid(String candidate) {
        if (candidate == null || candidate.length() != 36) {
            return Optional.empty();
        }
        try {
            UUID uuid = UUID.fromString(candidate);
            return uuid.toString().equals(candidate) ? Optional.of(uuid) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** A job with its stages, in one statement. */
    public Optional<Job> find(long id) {
        return findWhere(FIND_BY_ID, id);
    }

    /** The job with this public id, with its stages, in one statement: the status read every client polls. */
    public Optional<Job> find(String publicId) {
        return uuid(publicId).flatMap(id -> findWhere(FIND_BY_PUBLIC_ID, id));
    }

    private Optional<Job> findWhere(String sql, Object id) {
        record Row(Job job, Job.Stage stage) {
        }
        List<Row> rows = jdbc.sql(sql)
                .param("id", id)
                .query((rs, n) -> new Row(n == 0 ? job(new Columns(rs, 1), null)
                        .withFiles(files(new Columns(rs, JOB_COLUMN_COUNT + STAGE_COLUMN_COUNT + 1)))
                        .withCallback(callback(new Columns(rs, JOB_COLUMN_COUNT + STAGE_COLUMN_COUNT + FILES_COLUMN_COUNT + 1))) : null,
                        stage(new Columns(rs, JOB_COLUMN_COUNT + 1))))
                .list();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        List<Job.Stage> stages = rows.stream().map(Row::stage).filter(Objects::nonNull).toList();
        return Optional.of(rows.get(0).job().withStages(stages));
    }

    /**
     * The jobs with these public ids, with their stages, in one statement, in no particular order;
     * ids that are no canonical UUID or name no job are left out. The caller bounds the count.
     */
    public List<Job> find(Collection<String> publicIds) {
        List<UUID> ids = publicIds.stream().map(JobRepository::uuid).flatMap(Optional::stream).distinct().toList();
        if (ids.isEmpty()) {
            return List.of();
        }
        Map<String, Job> jobs = new LinkedHashMap<>();
        Map<String, List<Job.Stage>> stages = new HashMap<>();
        jdbc.sql(FIND_BY_PUBLIC_IDS).param("ids", ids).query(rs -> {
            Job job = job(new Columns(rs, 1), null)
                    .withCallback(callback(new Columns(rs, JOB_COLUMN_COUNT + STAGE_COLUMN_COUNT + FILES_COLUMN_COUNT + 1)));
            jobs.putIfAbsent(job.id(), job);
            Job.Stage stage = stage(new Columns(rs, JOB_COLUMN_COUNT + 1));
            if (stage != null) { // rows come in stage order, each job's among the others'
                stages.computeIfAbsent(job.id(), id -> new ArrayList<>()).add(stage);
            }
        });
        return jobs.values().stream().map(job -> job.withStages(List.copyOf(stages.getOrDefault(job.id(), List.of())))).toList();
    }

    /** Newest first, of one tenant or all; {@code after} is the internal id of the last job of the previous page. */
    public List<Job> list(Optional<String> tenant, Optional<JobStatus> status, int limit, Optional<Long> after) {
        var statement = jdbc.sql(listSql(status.isPresent(), tenant.isPresent()));
        status.ifPresent(s -> statement.param("status", s.name()));
        tenant.ifPresent(t -> statement.param("tenant", t));
        return statement
                .param("after", after.orElse(Long.MAX_VALUE))
                .param("limit", limit)
                .query((rs, n) -> job(new Columns(rs, 1), null))
                .list();
    }

    /**
     * A page of the list. Plain conditions rather than "(:status IS NULL OR ...)", so that each
     * statement walks its index; and the ORDER BY names the index's columns that the WHERE fixes:
     * with "ORDER BY id DESC" alone H2 read every job of the status or tenant and sorted them, to
     * answer a page of 20 (QueuePlansTest).
     */
    static String listSql(boolean byStatus, boolean byTenant) {
        String where = " WHERE id < :after" + (byStatus ? " AND status = :status" : "") + (byTenant ? " AND tenant = :tenant" : "");
        String order = (byStatus ? "status DESC, " : "") + (byTenant ? "tenant DESC, " : "") + "id DESC";
        return "SELECT " + JOB_COLUMNS + " FROM jobs" + where + " ORDER BY " + order + " FETCH FIRST :limit ROWS ONLY";
    }

    public long countQueued() {
        return jdbc.sql("SELECT COUNT(*) FROM jobs WHERE status = 'QUEUED'").query(Long.class).single();
    }

    /** A tenant's queued jobs, counted along its index: for a quota, which bounds how far it walks. */
    public long countQueued(String tenant) {
        return jdbc.sql("SELECT COUNT(*) FROM jobs WHERE status = 'QUEUED' AND tenant = :tenant")
                .param("tenant", tenant).query(Long.class).single();
    }

    /** Cheap enough for every metrics scrape, unlike the queue's count: at most every instance's workers are RUNNING. */
    public long countRunning() {
        return jdbc.sql("SELECT COUNT(*) FROM jobs WHERE status = 'RUNNING'").query(Long.class).single();
    }

    /*
     * A stage's output is written while its job runs, by the run that holds the job's lease; each
     * write is conditional on it (Lease.HELD), so that a run that lost its job writes nothing into
     * the next attempt's logs.
     */

    public void appendLog(Lease lease, int idx, LogStream stream, int seq, byte[] data) {
        // Casts: H2 types no bare parameter in a SELECT's list.
        held(jdbc.sql("INSERT INTO stage_logs (job_id, idx, stream, seq, data) SELECT CAST(:job AS BIGINT), CAST(:idx AS INT),"
                        + " CAST(:stream AS VARCHAR(6)), CAST(:seq AS INT), CAST(:data AS BYTEA) FROM jobs WHERE id = :job"
                        + " AND status = 'RUNNING' AND owner = :owner AND attempt = :attempt"), lease)
                .param("idx", idx).param("stream", stream.key())
                .param("seq", seq).param("data", data)
                .update();
    }

    private static JdbcClient.StatementSpec held(JdbcClient.StatementSpec statement, Lease lease) {
        return statement.param("job", lease.job()).param("owner", lease.owner()).param("attempt", lease.attempt());
    }

    /**
     * Replaces a stored chunk with a longer version of itself: the head's last chunk, stored
     * before it filled so that a follower sees output a stage wrote and then went quiet on.
     */
    public void replaceLogChunk(Lease lease, int idx, LogStream stream, int seq, byte[] data) {
        held(jdbc.sql("UPDATE stage_logs SET data = :data WHERE job_id = :job AND idx = :idx AND stream = :stream AND seq = :seq"
                        + " AND " + Lease.HELD), lease)
                .param("data", data).param("idx", idx).param("stream", stream.key()).param("seq", seq)
                .update();
    }

    /** Where a stage stands, for a follower of its log: its status, and whether its logs are kept. */
    public record StageState(StageStatus status, boolean logs) {
    }

    /** One small read, not the whole job: a follower asks it every time it looks. */
    public Optional<StageState> stageState(long job, int idx) {
        return jdbc.sql("SELECT status, logs FROM stages WHERE job_id = :job AND idx = :idx")
                .param("job", job).param("idx", idx)
                .query((rs, n) -> new StageState(StageStatus.valueOf(rs.getString("status")), rs.getBoolean("logs")))
                .optional();
    }

    /** Writes a stored stream to {@code out} chunk by chunk; false if the stage's logs were not kept. */
    public boolean copyLog(long job, int idx, LogStream stream, OutputStream out) {
        Boolean kept = jdbc.sql("SELECT logs FROM stages WHERE job_id = :job AND idx = :idx")
                .param("job", job).param("idx", idx)
                .query(Boolean.class).optional()
                .orElseThrow(() -> new JobNotFoundException("stage " + idx + " of job " + job));
        if (!kept) {
            return false;
        }
        try (InputStream log = openLog(job, idx, stream)) {
            log.transferTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return true;
    }

    /** A stored stream, read chunk by chunk as the reader goes; empty if nothing was stored. */
    InputStream openLog(long job, int idx, LogStream stream) {
        return new StoredLogInputStream(seq -> logChunk(job, idx, stream, seq));
    }

    /** One stored chunk of a stream; null if there is none. */
    public byte[] logChunk(long job, int idx, LogStream stream, int seq) {
        return jdbc.sql("""
                        SELECT data FROM stage_logs WHERE job_id = :job AND idx = :idx AND stream = :stream AND seq = :seq""")
                .param("job", job).param("idx", idx).param("stream", stream.key()).param("seq", seq)
                .query(byte[].class).optional().orElse(null);
    }

    public void deleteLogChunk(Lease lease, int idx, LogStream stream, int seq) {
        held(jdbc.sql("DELETE FROM stage_logs WHERE job_id = :job AND idx = :idx AND stream = :stream AND seq = :seq"
                        + " AND " + Lease.HELD), lease)
                .param("idx", idx).param("stream", stream.key()).param("seq", seq)
                .update();
    }

    /**
     * Moves a stream's chunks numbered from {@code from} on down to start at {@code to}, in order.
     * The numbers they move to must be free and below all of them (StageLogWriter keeps its tail
     * far above its head): PostgreSQL checks the key row by row, so no row may land on another.
     */
    public void renumberLog(Lease lease, int idx, LogStream stream, int from, int to) {
        held(jdbc.sql("UPDATE stage_logs SET seq = seq - :shift WHERE job_id = :job AND idx = :idx AND stream = :stream AND seq >= :from"
                        + " AND " + Lease.HELD), lease)
                .param("shift", from - to).param("idx", idx).param("stream", stream.key()).param("from", from)
                .update();
    }

    /**
     * Records, for the stage's view, how many bytes of a stream were read but not kept, and whether
     * the engine discarded output before it could be read (then more than that was never seen).
     */
    public void recordLogCut(Lease lease, int idx, LogStream stream, long dropped, boolean outputLost) {
        // The column's name comes from the enum, never from a request.
        held(jdbc.sql("UPDATE stages SET " + stream.key() + "_dropped = :dropped, output_lost = output_lost OR :lost"
                        + " WHERE job_id = :job AND idx = :idx AND " + Lease.HELD), lease)
                .param("dropped", dropped == 0 ? null : dropped, java.sql.Types.BIGINT).param("lost", outputLost)
                .param("idx", idx)
                .update();
    }

    /** A stage that ran to its end, as chainlink's result list shows it; {@code state} is the engine's JSON. */
    record EndedStage(int idx, boolean killed, StageStatus status, String state, boolean logs) {

        /** The run's own verdict (StageOutcome.succeeded), as JobLifecycle.endStage stored it. */
        boolean success() {
            return status == StageStatus.SUCCEEDED;
        }
    }

    /** The stages of a job that ran, in order. */
    List<EndedStage> endedStages(long job) {
        return jdbc.sql("""
                SELECT s.idx, s.killed, s.status, d.state, s.logs
                FROM stages s JOIN stage_details d ON d.job_id = s.job_id AND d.idx = s.idx
                WHERE s.job_id = :job AND d.state IS NOT NULL ORDER BY s.idx""")
                .param("job", job)
                .query((rs, n) -> new EndedStage(rs.getInt("idx"), rs.getBoolean("killed"),
                        StageStatus.valueOf(rs.getString("status")), rs.getString("state"), rs.getBoolean("logs")))
                .list();
    }

    private static Job job(Columns row, List<Job.Stage> stages) throws SQLException {
        return new Job(row.string(), row.string(), JobStatus.valueOf(row.string()), row.integer(),
                row.instant(), row.instant(), row.instant(), row.string(), row.string(), row.string(), stages);
    }

    /** Null until /job was kept (the LEFT JOIN's empty side). */
    private static Job.Files files(Columns row) throws SQLException {
        Long bytes = row.nullableLong();
        boolean truncated = row.bool();
        return bytes == null ? null : new Job.Files(bytes, truncated);
    }

    /** Null for a job without a callback (the LEFT JOIN's empty side). */
    private static Job.Callback callback(Columns row) throws SQLException {
        String state = row.string();
        if (state == null) {
            return null;
        }
        return new Job.Callback(Job.Callback.State.valueOf(state), row.integer(), row.nullableInteger());
    }

    /** Null for the job's row of a job without stages (the LEFT JOIN's empty side). */
    private static Job.Stage stage(Columns row) throws SQLException {
        Integer index = row.nullableInteger();
        if (index == null) {
            return null;
        }
        return new Job.Stage(index, row.string(), row.string(), StageStatus.valueOf(row.string()), row.nullableInteger(), row.bool(),
                row.instant(), row.instant(), row.nullableLong(), row.nullableLong(), row.bool(), timings(row));
    }

    /** Null for a stage that did not run to its end: then none of them was written. */
    private static StageTimings timings(Columns row) throws SQLException {
        Long image = row.nullableLong(), create = row.nullableLong(), start = row.nullableLong(), run = row.nullableLong(),
                collect = row.nullableLong();
        return run == null ? null : new StageTimings(image, create, start, run, collect);
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
