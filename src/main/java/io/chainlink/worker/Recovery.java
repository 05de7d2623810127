package io.chainlink.worker;

import io.chainlink.config.ChainlinkProperties;
import io.chainlink.engine.ContainerEngine;
import io.chainlink.job.JobEvents;
import io.chainlink.job.JobLifecycle;
import io.chainlink.job.JobLifecycle.Expired;
import io.chainlink.job.JobStatus;
import io.chainlink.metrics.ChainlinkMetrics;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Settles the jobs of instances that stopped, and removes what ended jobs left on the engine. At
 * startup and every third of a lease, each running job whose lease ran out has its containers and
 * volume removed (by label), then ends by the recovery policy; a live instance's jobs, whose
 * leases are renewed every second, are never touched. Every {@code sweep-interval}, containers
 * and volumes of this store whose job ended or is unknown are removed: what a crash, a failed
 * removal or an engine outage left.
 */
@Component
public class Recovery implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(Recovery.class);

    private final JobLifecycle lifecycle;
    private final ContainerEngine engine;
    private final InterruptionPolicy interruption;
    private final JobEvents events;
    private final ChainlinkProperties properties;
    private final Clock clock;
    private final ChainlinkMetrics metrics;
    private volatile Thread thread;

    public Recovery(JobLifecycle lifecycle, ContainerEngine engine, InterruptionPolicy interruption, JobEvents events,
                    ChainlinkProperties properties, Clock clock, ChainlinkMetrics metrics) {
        this.lifecycle = lifecycle;
        this.engine = engine;
        this.interruption = interruption;
        this.events = events;
        this.properties = properties;
        this.clock = clock;
        this.metrics = metrics;
    }

    @Override
    public synchronized void start() {
        if (properties.jobWorkers() == 0) {
            return; // the instances that run jobs keep the engine clean
        }
        thread = new Thread(this::loop, "chainlink-recovery");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        Duration round = properties.lease().dividedBy(3);
        long nextSweep = System.nanoTime();
        while (thread == Thread.currentThread()) {
            try {
                settleExpired();
                if (System.nanoTime() - nextSweep >= 0 && engine.sweep(lifecycle::endedOrUnknown)) {
                    nextSweep = System.nanoTime() + properties.sweepInterval().toNanos();
                }
            } catch (RuntimeException e) {
                log.warn("recovery round failed; retrying: {}", e.getMessage());
            }
            synchronized (this) {
                try {
                    if (thread == Thread.currentThread()) {
                        wait(round.toMillis()); // stop() wakes it: an interrupt could land in H2's file I/O
                    }
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** Ends, by the policy, every running job whose owner stopped renewing its lease. */
    void settleExpired() {
        for (Expired job : lifecycle.expired(clock.instant())) {
            try (var context = MDC.putCloseable("job", job.publicId())) {
                settleExpired(job);
            }
        }
    }

    private void settleExpired(Expired job) {
        // Stage runs are not idempotent: what the lost run made goes first, then the job moves.
        boolean cleaned = engine.removeLeftovers(job.publicId());
        if (job.cancelRequested()) {
            settle(job, JobStatus.CANCELLED, null);
        } else if (interruption.runsAgain(job.attempt())) {
            if (!cleaned) {
                return; // the engine is away: its old containers could still run; next round
            }
            if (lifecycle.requeueExpired(job.id(), clock.instant())) {
                log.warn("job {} lost its instance; queued to run again (attempt {} was cut short)", job.publicId(), job.attempt());
                events.queuedHere();
            }
        } else {
            settle(job, JobStatus.ERROR, interruption.error(job.attempt()));
        }
    }

    private void settle(Expired job, JobStatus outcome, String error) {
        if (lifecycle.settleExpired(job.id(), outcome, error, clock.instant())) {
            log.warn("job {} lost its instance; ended {}", job.publicId(), outcome);
            events.ended(job.id());
            metrics.jobFinished(outcome);
        }
    }

    @Override
    public synchronized void stop() {
        thread = null;
        notifyAll();
    }

    @Override
    public boolean isRunning() {
        return thread != null;
    }
}
