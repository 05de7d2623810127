package io.chainlink.job;

import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * Tells idle workers at once that a job was queued here, so a job does not wait for the next
 * poll of the database. Polling stays as the fallback for jobs queued by another instance.
 */
@Component
public class QueueSignal {

    private long generation;

    public synchronized void fire() {
        generation++;
        notifyAll();
    }

    public synchronized long generation() {
        return generation;
    }

    /** Returns when a job was queued after {@code seen} was read, or after {@code max}. */
    public synchronized void awaitAfter(long seen, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        for (long left = max.toNanos(); generation == seen && left > 0; left = deadline - System.nanoTime()) {
            wait(Math.max(1, left / 1_000_000));
        }
    }
}
