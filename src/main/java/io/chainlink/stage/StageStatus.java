package io.chainlink.stage;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * A stage's life within one run of its job, and the one table of the moves it may make
 * (JobLifecycle checks every change against it):
 *
 * <pre>
 * PENDING -> RUNNING    its container started
 *         -> SKIPPED    it never ran: a stage before it failed, the engine refused it, the job ended
 *         -> ERROR      the engine did not answer when asked to start it: whether it ran is unknown
 * RUNNING -> SUCCEEDED | FAILED   it ran to its end (FAILED: non-zero exit, or killed at its timeout)
 *         -> CANCELLED  its job was cancelled and its container killed
 *         -> ERROR      it was cut short: the engine was lost, or its instance stopped
 * </pre>
 *
 * A stage that ran never becomes SKIPPED: it keeps what it had. When a job is sent back to the
 * queue to run again, its stages start over from PENDING (a reset, not a move).
 */
@Schema(enumAsRef = true, description = "PENDING, RUNNING, then SUCCEEDED or FAILED when it ran to its end (FAILED: non-zero"
        + " exit or killed at its timeout); CANCELLED when its job was cancelled under it; ERROR when it was cut short"
        + " or the engine did not answer; SKIPPED when it never ran")
public enum StageStatus {
    PENDING, RUNNING, SUCCEEDED, FAILED, CANCELLED, ERROR, SKIPPED;

    private static final Map<StageStatus, Set<StageStatus>> MOVES = Map.of(
            PENDING, EnumSet.of(RUNNING, SKIPPED, ERROR),
            RUNNING, EnumSet.of(SUCCEEDED, FAILED, CANCELLED, ERROR),
            SUCCEEDED, EnumSet.noneOf(StageStatus.class),
            FAILED, EnumSet.noneOf(StageStatus.class),
            CANCELLED, EnumSet.noneOf(StageStatus.class),
            ERROR, EnumSet.noneOf(StageStatus.class),
            SKIPPED, EnumSet.noneOf(StageStatus.class));

    public boolean isFinal() {
        return MOVES.get(this).isEmpty();
    }

    public boolean canMoveTo(StageStatus next) {
        return MOVES.get(this).contains(next);
    }
}
