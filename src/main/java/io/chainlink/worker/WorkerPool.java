package io.chainlink.worker;

import io.chainlink.config.ChainlinkProperties;
import io.chainlink.engine.ContainerEngine;
import io.chainlink.engine.EngineAvailability;
import io.chainlink.job.JobEvents;
import io.chainlink.job.JobLifecycle;
import io.chainlink.job.JobLifecycle.ClaimedJob;
import io.chainlink.job.Signal;
import io.chainlink.job.TenantQuotas;
import io.chainlink.metrics.ChainlinkMetrics;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * A fixed number of worker threads ({@code chainlink.workers}), each taking the next queued job,
 * running it to its end, and taking the next. Idle workers wake on a submission here, or poll;
 * while the engine is unreachable they take nothing and wait for it.
 *
 * <p>Pulls do not hold workers: a job whose images must be pulled is handed to a pull thread (up
 * to {@code workers} such jobs at once; past that a worker pulls itself), and its worker takes the
 * next job; once the images are there, the job waits for the next free worker, before any new claim.
 */
@Component
public class WorkerPool implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(WorkerPool.class);

    private final JobLifecycle lifecycle;
    private final ChainRunner runner;
    private final ContainerEngine engine;
    private final EngineAvailability availability;
    private final Signal queued;
    private final Instance instance;
    private final TenantQuotas quotas;
    private final ChainlinkProperties properties;
    private final Clock clock;
    private final List<Thread> threads = new ArrayList<>();
    /** The jobs this instance runs now, pulling included, for cancels and the shutdown. */
    /** The jobs this instance runs, by their row in the store, each with its public id for the log. */
    private final Map<Long, Running> running = new ConcurrentHashMap<>();
    /** Jobs whose pulls have ended, waiting for a worker. At most pullSlots of them. */
    private final Queue<Pulled> pulled = new ConcurrentLinkedQueue<>();
    private Semaphore pullSlots;
    private ExecutorService pullers;

    private record Running(String publicId, Abort abort) {
    }

    private record Pulled(ChainRunner.Prepared job, Abort abort) {
    }
    private volatile boolean accepting;

    public WorkerPool(JobLifecycle lifecycle, ChainRunner runner, ContainerEngine engine, EngineAvailability availability,
                      JobEvents events, Instance instance, TenantQuotas quotas, ChainlinkProperties properties, Clock clock,
                      ChainlinkMetrics metrics) {
        this.lifecycle = lifecycle;
        this.runner = runner;
        this.engine = engine;
        this.availability = availability;
        this.queued = events.queued();
        this.instance = instance;
        this.quotas = quotas;
        this.properties = properties;
        this.clock = clock;
        metrics.watchWorkers(running::size, properties.jobWorkers());
    }

    @Override
    public synchronized void start() {
        accepting = true;
        if (properties.jobWorkers() == 0) {
            log.info("no workers: this instance accepts and serves jobs, and runs none");
            return;
        }
        pullSlots = new Semaphore(properties.jobWorkers());
        pullers = Executors.newFixedThreadPool(properties.jobWorkers(), runnable -> {
            Thread thread = new Thread(runnable, "chainlink-pulling-job");
            thread.setDaemon(true);
            return thread;
        });
        for (int i = 0; i < properties.jobWorkers(); i++) {
            Thread thread = new Thread(this::work, "chainlink-worker-" + i);
            thread.start();
            threads.add(thread);
        }
        log.info("{} workers started as instance {}", properties.jobWorkers(), instance.id());
    }

    private void work() {
        while (accepting) {
            long seen = queued.generation();
            try {
                Pulled ready = pulled.poll();
                if (ready != null) {
                    finish(ready);
                    continue;
                }
                availability.awaitUp(() -> !accepting);
                Optional<ClaimedJob> job = accepting
                        ? lifecycle.claimNext(instance.id(), clock.instant(), clock.instant().plus(properties.lease()), quotas)
                        : Optional.empty();
                if (job.isPresent()) {
                    run(job.get());
                } else if (accepting) {
                    queued.awaitAfter(seen, properties.pollInterval());
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.error("worker could not take a job; retrying", e);
                sleep();
            }
        }
    }

    private void run(ClaimedJob job) {
        Abort abort = new Abort();
        running.put(job.id(), new Running(job.publicId(), abort));
        Optional<ChainRunner.Prepared> ready = runner.checked(job);
        if (ready.isEmpty() && pullSlots.tryAcquire()) {
            pullers.execute(() -> {
                ChainRunner.Prepared prepared = new ChainRunner.Prepared(job, Map.of(), new IllegalStateException("the pull thread failed"));
                try {
                    prepared = runner.prepare(job, abort);
                } finally {
                    pulled.add(new Pulled(prepared, abort)); // whatever happened, a worker ends it
                    pullSlots.release();
                    queued.fire(); // wakes an idle worker for it
                }
            });
            return;
        }
        try {
            // Every pull slot taken: this worker pulls.
            runner.run(ready.orElseGet(() -> runner.prepare(job, abort)), abort);
        } finally {
            running.remove(job.id());
        }
    }

    private void finish(Pulled ready) {
        try {
            runner.run(ready.job(), ready.abort());
        } finally {
            running.remove(ready.job().job().id());
        }
    }

    /** The jobs this instance is running now. */
    List<Long> runningJobs() {
        return List.copyOf(running.keySet());
    }

    /** Stops a job this instance runs, if it does: its container is killed and it ends CANCELLED. */
    void cancel(long job) {
        Running run = running.get(job);
        if (run != null) {
            try (var context = MDC.putCloseable("job", run.publicId())) {
                log.info("job {} cancelled; stopping it", run.publicId());
                run.abort().request(Abort.Reason.CANCEL, engine);
            }
            // Pulled and waiting for a worker: it has no container to kill, so it ends here and now.
            for (Pulled ready : pulled) {
                if (ready.job().job().id() == job && pulled.remove(ready)) {
                    finish(ready);
                }
            }
        }
    }

    /** After a failure (the database away): at most a second, however long the poll interval, so that it carries on soon after. */
    private void sleep() {
        try {
            Thread.sleep(Math.min(1000, properties.pollInterval().toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Takes no more jobs and lets running ones finish within the grace period; then kills their
     * containers, and they end by the recovery policy.
     */
    @Override
    public synchronized void stop() {
        accepting = false;
        queued.fire();
        long deadline = System.nanoTime() + properties.stopGrace().toNanos();
        try {
            for (Thread thread : threads) {
                thread.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            }
            running.values().forEach(run -> run.abort().request(Abort.Reason.SHUTDOWN, engine));
            for (Thread thread : threads) {
                thread.join(10_000);
            }
            if (pullers != null) {
                pullers.shutdown(); // their pulls were abandoned with the abort above
                pullers.awaitTermination(10, TimeUnit.SECONDS);
                for (Pulled ready = pulled.poll(); ready != null; ready = pulled.poll()) {
                    finish(ready); // ends it by the recovery policy: it was aborted
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        threads.clear();
    }

    @Override
    public boolean isRunning() {
        return accepting;
    }
}
