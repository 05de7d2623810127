package io.chainlink.job;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * A job's life, and the one table of the moves it may make (as jobrunr's
 * AllowedJobStateStateChanges): {@link JobLifecycle} checks every status change against it, and
 * its SQL checks the old status in its WHERE.
 *
 * <pre>
 * QUEUED  -> RUNNING    a worker claims it
 *         -> CANCELLED  cancelled before it ran
 *         -> ERROR      its stored stages cannot be read
 * RUNNING -> SUCCEEDED | FAILED | ERROR | CANCELLED   it ends
 *         -> QUEUED     sent back: the engine was away before any stage ran, or its instance
 *                       stopped and the recovery policy runs it again
 * </pre>
 *
 * FAILED means the user's code failed (a stage exited non-zero or was killed at its timeout);
 * ERROR means the chain could not run (pull, engine refusal, engine lost, instance stopped).
 * Frontends retry ERROR only.
 */
@Schema(enumAsRef = true, description = "QUEUED, RUNNING, then SUCCEEDED, FAILED (a stage exited non-zero or was killed at"
        + " its timeout), ERROR (the chain could not run: pull, engine refusal, engine lost) or CANCELLED")
public enum JobStatus {
    QUEUED, RUNNING, SUCCEEDED, FAILED, ERROR, CANCELLED;

    private static final Map<JobStatus, Set<JobStatus>> MOVES = Map.of(
            QUEUED, EnumSet.of(RUNNING, CANCELLED, ERROR),
            RUNNING, EnumSet.of(SUCCEEDED, FAILED, ERROR, CANCELLED, QUEUED),
            SUCCEEDED, EnumSet.noneOf(JobStatus.class),
            FAILED, EnumSet.noneOf(JobStatus.class),
            ERROR, EnumSet.noneOf(JobStatus.class),
            CANCELLED, EnumSet.noneOf(JobStatus.class));

    public boolean isTerminal() {
        return MOVES.get(this).isEmpty();
    }

    public boolean canMoveTo(JobStatus next) {
        return MOVES.get(this).contains(next);
    }
}
