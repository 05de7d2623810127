package io.chainlink.worker;

import io.chainlink.config.ChainlinkProperties;
import io.chainlink.engine.ContainerEngine;
import io.chainlink.job.JobRepository;
import io.chainlink.job.JobEvents;
import io.chainlink.job.Signal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * A fixed number of worker threads ({@code chainlink.workers}), each taking the oldest queued job,
 * running it to its end, and taking the next. Idle workers wake on a submission here, or poll.
 */
@Component
public class WorkerPool implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(WorkerPool.class);

    private final JobRepository repository;
    private final ChainRunner runner;
    private final ContainerEngine engine;
    private final Signal signal;
    private final ChainlinkProperties properties;
    private final Clock clock;
    private final List<Thread> threads = new ArrayList<>();
    private final List<Abort> aborts = new ArrayList<>();
    private volatile boolean running;

    public WorkerPool(JobRepository repository, ChainRunner runner, ContainerEngine engine, JobEvents events,
                      ChainlinkProperties properties, Clock clock) {
        this.repository = repository;
        this.runner = runner;
        this.engine = engine;
        this.signal = events.queued();
        this.properties = properties;
        this.clock = clock;
    }

    @Override
    public synchronized void start() {
        running = true;
        if (properties.workers() == 0) {
            log.info("no workers: this instance accepts and serves jobs, and runs none");
            return;
        }
        List<Long> interrupted = repository.settleInterrupted("the service stopped while the job was running", clock.instant());
        if (!interrupted.isEmpty()) {
            log.warn("jobs {} were running when the service last stopped; they ended as ERROR", interrupted);
            Thread cleanup = new Thread(() -> interrupted.forEach(engine::removeLeftovers), "chainlink-cleanup");
            cleanup.setDaemon(true);
            cleanup.start();
        }
        for (int i = 0; i < properties.workers(); i++) {
            Abort abort = new Abort();
            aborts.add(abort);
            Thread thread = new Thread(() -> work(abort), "chainlink-worker-" + i);
            thread.start();
            threads.add(thread);
        }
        log.info("{} workers started", properties.workers());
    }

    private void work(Abort abort) {
        while (running) {
            long seen = signal.generation();
            try {
                var job = repository.claimNext(clock.instant());
                if (job.isPresent()) {
                    runner.run(job.get(), abort);
                } else {
                    signal.awaitAfter(seen, properties.pollInterval());
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.error("worker could not take a job; retrying", e);
                sleep();
            }
        }
    }

    private void sleep() {
        try {
            Thread.sleep(properties.pollInterval().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Lets running jobs finish within the grace period; then kills their containers, so they end as ERROR. */
    @Override
    public synchronized void stop() {
        running = false;
        signal.fire();
        long deadline = System.nanoTime() + properties.stopGrace().toNanos();
        for (int i = 0; i < threads.size(); i++) {
            Thread thread = threads.get(i);
            try {
                thread.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                if (thread.isAlive()) {
                    aborts.get(i).request(engine);
                    thread.join(10_000);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        threads.clear();
        aborts.clear();
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
