package io.chainlink.job;

/**
 * A job's life: {@code QUEUED -> RUNNING -> SUCCEEDED | FAILED | ERROR}. FAILED means the user's
 * code failed (a stage exited non-zero or was killed at its timeout); ERROR means the chain could
 * not run (pull, engine refusal, engine unreachable, service stopped). Frontends retry ERROR only.
 */
public enum JobStatus {
    QUEUED, RUNNING, SUCCEEDED, FAILED, ERROR;

    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED || this == ERROR;
    }

    public boolean canMoveTo(JobStatus next) {
        return switch (this) {
            case QUEUED -> next == RUNNING || next == ERROR;
            case RUNNING -> next.isTerminal();
            default -> false;
        };
    }
}
