package io.chainlink.job;

import org.springframework.stereotype.Component;

/**
 * In-process news of jobs: one queued (for idle workers), one settled (for clients waiting on it),
 * a cancel asked for (for the heartbeat, which stops the job if this instance runs it).
 */
@Component
public class JobEvents {

    private final Signal queued = new Signal();
    private final Signal settled = new Signal();
    private final Signal cancelled = new Signal();

    public Signal queued() {
        return queued;
    }

    public Signal settled() {
        return settled;
    }

    public Signal cancelled() {
        return cancelled;
    }
}
