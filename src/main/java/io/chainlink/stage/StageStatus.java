package io.chainlink.stage;

/**
 * A stage's life: {@code PENDING -> RUNNING -> SUCCEEDED | FAILED}, or SKIPPED from PENDING or
 * RUNNING when its job ends without it (a stage before it failed, the engine refused it, the
 * service stopped). JobRepository's updates check the old status in their WHERE.
 */
public enum StageStatus {
    PENDING, RUNNING, SUCCEEDED, FAILED, SKIPPED
}
