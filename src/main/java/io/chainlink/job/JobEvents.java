package io.chainlink.job;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongConsumer;
import org.springframework.stereotype.Component;

/**
 * In-process news of jobs: one queued (for idle workers), one settled (for threads waiting on any
 * end, and, by its id, for {@link JobWaits}), a cancel asked for (for the heartbeat, which stops
 * the job if this instance runs it).
 */
@Component
public class JobEvents {

    private final Signal queued = new Signal();
    private final Signal settled = new Signal();
    private final Signal cancelled = new Signal();
    private final List<LongConsumer> endListeners = new CopyOnWriteArrayList<>();
    private final List<Runnable> queuedListeners = new CopyOnWriteArrayList<>();

    public Signal queued() {
        return queued;
    }

    /**
     * A job was queued here (submitted, or sent back to the queue): idle workers here wake, and
     * the listeners tell other instances (LISTEN/NOTIFY). Once it is committed: a peer woken
     * before would find nothing.
     */
    public void queuedHere() {
        queued.fire();
        queuedListeners.forEach(Runnable::run);
    }

    /** Runs on the queuing thread, after each {@link #queuedHere()}. */
    public void onQueuedHere(Runnable listener) {
        queuedListeners.add(listener);
    }

    public Signal settled() {
        return settled;
    }

    public Signal cancelled() {
        return cancelled;
    }

    /** A job ended here: its settle committed. Listeners run on the caller's thread, so they only hand the id on. */
    public void ended(long job) {
        settled.fire();
        endListeners.forEach(listener -> listener.accept(job));
    }

    /** Has {@code listener} told the internal id of each job that ends here, on the thread that ended it. */
    public void onEnded(LongConsumer listener) {
        endListeners.add(listener);
    }
}
