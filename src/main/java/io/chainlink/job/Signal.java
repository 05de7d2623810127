package io.chainlink.job;

import java.time.Duration;

/**
 * Something happened in this process, for threads that would otherwise poll the database: a
 * waiter reads {@link #generation()}, checks the database, then awaits a change of generation.
 * Polling stays the fallback for what another instance does.
 */
public final class Signal {

    private long generation;

    public synchronized void fire() {
        generation++;
        notifyAll();
    }

    public synchronized long generation() {
        return generation;
    }

    /** Returns when the signal fired after {@code seen} was read, or after {@code max}. */
    public synchronized void awaitAfter(long seen, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        for (long left = max.toNanos(); generation == seen && left > 0; left = deadline - System.nanoTime()) {
            wait(Math.max(1, left / 1_000_000));
        }
    }
}
