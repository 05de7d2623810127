package io.chainlink.worker;

import io.chainlink.config.ChainlinkProperties;
import io.chainlink.job.JobEvents;
import io.chainlink.job.JobLifecycle;
import io.chainlink.job.Signal;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Keeps this instance's running jobs its own: once a second, renews their leases in one
 * statement, and stops those a client cancelled (here or through another instance). A cancel made
 * here wakes it at once. It stops after the workers (a lower phase), so leases hold while running
 * jobs finish during a shutdown.
 */
@Component
public class Heartbeat implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(Heartbeat.class);
    static final Duration BEAT = Duration.ofSeconds(1);

    private final JobLifecycle lifecycle;
    private final WorkerPool workers;
    private final Instance instance;
    private final Signal cancels;
    private final ChainlinkProperties properties;
    private final Clock clock;
    private volatile Thread thread;

    public Heartbeat(JobLifecycle lifecycle, WorkerPool workers, Instance instance, JobEvents events,
                     ChainlinkProperties properties, Clock clock) {
        this.lifecycle = lifecycle;
        this.workers = workers;
        this.instance = instance;
        this.cancels = events.cancelled();
        this.properties = properties;
        this.clock = clock;
    }

    @Override
    public synchronized void start() {
        if (properties.jobWorkers() == 0) {
            return;
        }
        thread = new Thread(this::beat, "chainlink-heartbeat");
        thread.setDaemon(true);
        thread.start();
    }

    private void beat() {
        long nextRenewal = 0;
        while (thread == Thread.currentThread()) {
            long seen = cancels.generation();
            try {
                if (System.nanoTime() - nextRenewal >= 0) {
                    lifecycle.renewLeases(instance.id(), workers.runningJobs(), clock.instant().plus(properties.lease()));
                    nextRenewal = System.nanoTime() + BEAT.toNanos();
                }
                if (!workers.runningJobs().isEmpty()) {
                    lifecycle.cancelRequested(instance.id()).forEach(workers::cancel);
                }
            } catch (RuntimeException e) {
                log.warn("heartbeat failed; retrying: {}", e.getMessage());
            }
            try {
                cancels.awaitAfter(seen, BEAT);
            } catch (InterruptedException e) {
                return; // never interrupted by us: an interrupt in the middle of H2's file I/O closes its file
            }
        }
    }

    @Override
    public synchronized void stop() {
        Thread current = thread;
        thread = null;
        cancels.fire(); // wakes it; it sees it is no longer the heartbeat's thread
        if (current != null) {
            try {
                current.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return thread != null;
    }

    /** Starts before the workers and stops after them. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 1;
    }
}
