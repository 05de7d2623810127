package io.chainlink.worker;

import io.chainlink.config.ChainlinkProperties;
import io.chainlink.engine.ContainerEngine;
import io.chainlink.engine.EngineAvailability;
import io.chainlink.engine.EngineException;
import io.chainlink.engine.EngineTimeoutException;
import io.chainlink.engine.EngineUnavailableException;
import io.chainlink.engine.LogContext;
import io.chainlink.engine.StageOutcome;
import io.chainlink.files.JobFiles;
import io.chainlink.job.Durability;
import io.chainlink.job.JobEvents;
import io.chainlink.job.JobLifecycle;
import io.chainlink.job.JobLifecycle.ClaimedJob;
import io.chainlink.job.JobLifecycle.StageEnd;
import io.chainlink.job.JobRepository;
import io.chainlink.job.JobStatus;
import io.chainlink.job.LiveLogs;
import io.chainlink.job.LogStream;
import io.chainlink.job.StageLogWriter;
import io.chainlink.job.StageTimings;
import io.chainlink.metrics.ChainlinkMetrics;
import io.chainlink.stage.PullPolicy;
import io.chainlink.stage.StageSpec;
import io.chainlink.stage.StageStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;

/**
 * Runs one claimed job to its end: make its images present, run its stages in order until one
 * fails (each stage's container created while the one before runs; the first makes the job's
 * volume), store each result and where its time went, settle the job, then have what it created
 * removed. Every outcome is decided here, and every path ends the job, or gives it back to the
 * queue when the engine was away before any stage ran.
 */
@Component
public class ChainRunner implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ChainRunner.class);

    private final ContainerEngine engine;
    private final EngineAvailability availability;
    private final JobLifecycle lifecycle;
    private final JobRepository repository;
    private final Durability durability;
    private final JobEvents events;
    private final LiveLogs live;
    private final InterruptionPolicy interruption;
    private final Instance instance;
    private final Clock clock;
    private final long logLimit;
    private final ChainlinkMetrics metrics;
    private final JobFiles files;
    /** Creates each job's next container while its stage runs: one create ahead per worker at most. */
    private final ExecutorService ahead;

    public ChainRunner(ContainerEngine engine, EngineAvailability availability, JobLifecycle lifecycle,
                       JobRepository repository, Durability durability, JobEvents events, LiveLogs live, InterruptionPolicy interruption,
                       Instance instance, Clock clock, ChainlinkProperties properties, ChainlinkMetrics metrics, JobFiles files) {
        this.engine = engine;
        this.availability = availability;
        this.lifecycle = lifecycle;
        this.repository = repository;
        this.durability = durability;
        this.events = events;
        this.live = live;
        this.interruption = interruption;
        this.instance = instance;
        this.clock = clock;
        this.logLimit = properties.logLimit().toBytes();
        this.metrics = metrics;
        this.files = files;
        this.ahead = Executors.newFixedThreadPool(Math.max(1, properties.workers()), runnable -> {
            Thread thread = new Thread(runnable, "chainlink-create-ahead");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public void close() {
        ahead.shutdownNow();
    }

    /** How a run ended, before it is written. */
    private record Ending(JobStatus status, String error) {
        static Ending error(String why) {
            return new Ending(JobStatus.ERROR, why);
        }
    }

    /**
     * What a job has made on the engine so far, for the removal at its end, whether a stage began,
     * and the next stage's container while it is being created.
     */
    private static final class Run {
        final List<String> containers = new ArrayList<>();
        String volume;
        boolean stageBegan;
        /** The container of the last stage that started: /job is copied out of it at the end. */
        String lastStarted;
        Future<Created> ahead;

        /** The container created ahead, once its create has answered (within the engine's call deadline); it is removed with the rest. */
        private Created awaitAhead() throws ExecutionException, InterruptedException {
            Created created = ahead.get();
            ahead = null;
            containers.add(created.container());
            return created;
        }

        /** Stage {@code index}'s container, created ahead; the create's own failure if it failed. */
        Created takeAhead(int index) {
            try {
                return awaitAhead();
            } catch (ExecutionException e) {
                ahead = null;
                throw e.getCause() instanceof RuntimeException failure ? failure
                        : new IllegalStateException("stage " + index + "'s create broke", e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EngineException("stage " + index + ": interrupted while its container was created");
            }
        }

        /** At the end: a container created ahead for a stage that will not run is removed with the rest. */
        void collectAhead() {
            if (ahead == null) {
                return;
            }
            try {
                awaitAhead();
            } catch (ExecutionException e) {
                // its create failed: nothing was made
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // left for the sweep, with the job's label
            }
        }
    }

    /** A stage's container, how long its create took, and the image it runs (null if the engine did not say). */
    private record Created(String container, Duration took, String imageDigest) {
    }

    /** A claimed job whose images were made present (each with how long it took), or why they could not be. */
    record Prepared(ClaimedJob job, Map<String, Duration> images, RuntimeException failure) {
    }

    /**
     * The job ready to run when its images are present and none is to be pulled: one check of
     * each; empty when {@link #prepare} must make them present (a pull) first.
     */
    Optional<Prepared> checked(ClaimedJob job) {
        try {
            return engine.checkImages(images(job.stages()), job.tenant()).map(took -> new Prepared(job, took, null));
        } catch (RuntimeException e) {
            return Optional.of(new Prepared(job, Map.of(), e)); // run() ends the job with it
        }
    }

    /** Makes the job's images present; a failure is kept, for {@link #run(Prepared, Abort)} to end the job with. */
    Prepared prepare(ClaimedJob job, Abort abort) {
        MDC.put("job", job.publicId()); // also on a pull thread, whose pulls carry it on
        try {
            return new Prepared(job, engine.prepareImages(images(job.stages()), job.tenant(), abort::requested), null);
        } catch (RuntimeException e) {
            return new Prepared(job, Map.of(), e);
        } finally {
            MDC.remove("job");
        }
    }

    void run(ClaimedJob job, Abort abort) {
        run(prepare(job, abort), abort);
    }

    void run(Prepared prepared, Abort abort) {
        ClaimedJob job = prepared.job();
        MDC.put("job", job.publicId());
        Run run = new Run();
        Ending ending = Ending.error("internal error");
        try {
            log.info("job {} running (attempt {})", job.publicId(), job.attempt());
            if (prepared.failure() != null) {
                throw prepared.failure();
            }
            run.volume = engine.newVolume(job.publicId());
            ending = runStages(job, prepared.images(), run, abort);
        } catch (EngineUnavailableException e) {
            availability.reportDown(e.getMessage());
            ending = Ending.error(e.getMessage());
        } catch (EngineException e) {
            ending = Ending.error(e.getMessage());
        } catch (RuntimeException e) {
            log.error("job {} broke", job.publicId(), e);
            ending = Ending.error("internal error: " + e);
        } finally {
            MDC.remove("stage");
            // Before the job is reported ended, so that a client that saw it end finds its files.
            keepJobDirectory(job, run);
            // Whatever happened above, even an Error, the job ends or goes back to the queue.
            end(job, run, abort, ending);
            // Off the path between the last stage's exit and the job being reported done.
            run.collectAhead();
            engine.remove(run.containers, run.volume);
            MDC.remove("job");
        }
    }

    /**
     * Keeps /job, as the last stage that started left it, whatever the outcome; never throws. Its
     * container is stopped (or killed) but not yet removed. Skipped when the engine is known away.
     */
    private void keepJobDirectory(ClaimedJob job, Run run) {
        if (run.lastStarted == null || availability.isDown() || !files.keepsOutput(job.id())) {
            return;
        }
        try {
            files.keepOutput(job.id(), job.publicId(), reader -> engine.copyJob(run.lastStarted, reader::read));
        } catch (RuntimeException e) {
            log.warn("job {}: /job could not be kept: {}", job.publicId(), e.toString());
        }
    }

    /** Puts the submission's files in /job through stage 0's created container; only a job with files pays the put. */
    private void putFiles(ClaimedJob job, String container) {
        try {
            files.putInput(job.id(), job.publicId(), tar -> engine.putFiles(container, tar));
        } catch (EngineUnavailableException e) {
            throw e;
        } catch (EngineException e) {
            throw new EngineException("stage 0: the job's files could not be put in /job: " + e.getMessage(), e);
        }
    }

    private void end(ClaimedJob job, Run run, Abort abort, Ending ending) {
        try {
            if (abort.reason() == Abort.Reason.CANCEL) {
                ending = new Ending(JobStatus.CANCELLED, null);
            } else if (abort.reason() == Abort.Reason.SHUTDOWN) {
                if (interruption.runsAgain(job.attempt()) && lifecycle.requeueOwned(job.lease())) {
                    log.info("job {} interrupted by the shutdown; queued to run again", job.publicId());
                    return;
                }
                ending = Ending.error(interruption.error(job.attempt()));
            } else if (!run.stageBegan && availability.isDown() && lifecycle.release(job.lease())) {
                log.info("job {} back in the queue until the engine answers", job.publicId());
                return;
            }
            if (ending.status() != JobStatus.CANCELLED && lifecycle.isCancelRequested(job.id())) {
                ending = new Ending(JobStatus.CANCELLED, null); // asked for while it ended otherwise: the client's word stands
            }
            if (lifecycle.settle(job.lease(), ending.status(), ending.error(), clock.instant())) {
                events.ended(job.id());
                metrics.jobFinished(ending.status());
                log.info("job {} {}{}", job.publicId(), ending.status(), ending.error() == null ? "" : ": " + ending.error());
            } else {
                log.warn("job {} was no longer this instance's when it ended {}; left as it was", job.publicId(), ending.status());
            }
        } catch (RuntimeException e) {
            // No worker runs it now, so the heartbeat stops renewing its lease, and a recovery ends it.
            log.error("job {} could not be settled as {}; its lease runs out and a recovery ends it", job.publicId(), ending.status(), e);
        }
    }

    private Ending runStages(ClaimedJob job, Map<String, Duration> images, Run run, Abort abort) {
        Set<String> imagesCounted = new HashSet<>();
        for (int index = 0; index < job.stages().size(); index++) {
            if (abort.requested()) {
                return Ending.error("aborted"); // end() says why
            }
            MDC.put("stage", Integer.toString(index));
            StageSpec spec = job.stages().get(index);
            Created created = null;
            if (run.ahead != null) {
                try {
                    created = run.takeAhead(index);
                } catch (EngineUnavailableException e) {
                    throw e;
                } catch (EngineException e) {
                    // Made while the stage before ran, perhaps through a blip of the engine's: once more, now.
                    log.info("job {} stage {}: its container could not be created ahead ({}); creating it now",
                            job.publicId(), index, e.getMessage());
                }
            }
            if (created == null) {
                created = create(job, index, run);
                run.containers.add(created.container());
            }
            if (index == 0) {
                putFiles(job, created.container());
            }
            Duration image = imagesCounted.add(spec.runs()) ? images.getOrDefault(spec.runs(), Duration.ZERO) : Duration.ZERO;
            abort.running(created.container());
            try {
                if (abort.requested()) {
                    return Ending.error("aborted"); // between create and start: the stage never ran
                }
                StageEnd end = runStage(job, index, spec, created, image, run, abort);
                if (end.status() != StageStatus.SUCCEEDED) {
                    return end.status() == StageStatus.FAILED ? new Ending(JobStatus.FAILED, null)
                            : Ending.error("aborted");
                }
            } finally {
                abort.running(null);
            }
        }
        return new Ending(JobStatus.SUCCEEDED, null);
    }

    private Created create(ClaimedJob job, int index, Run run) {
        long began = System.nanoTime();
        StageSpec spec = job.stages().get(index);
        try {
            String container = engine.create(job.publicId(), index, spec, run.volume);
            Duration took = since(began);
            return new Created(container, took, imageDigest(job, index, container, spec));
        } catch (EngineUnavailableException e) {
            throw e;
        } catch (EngineException e) {
            // The stage did not run (the engine refused it): it ends SKIPPED with the rest.
            throw new EngineException("stage " + index + ": " + e.getMessage(), e);
        }
    }

    /**
     * What the container runs, for the stage's record and a regrade's pin. Not knowing it does not
     * stop the stage (and the container must reach the removal): an engine that went away shows at the start.
     */
    private String imageDigest(ClaimedJob job, int index, String container, StageSpec spec) {
        try {
            return engine.imageDigest(container, spec);
        } catch (RuntimeException e) {
            log.warn("job {} stage {}: the image its container runs is unknown: {}", job.publicId(), index, e.getMessage());
            return null;
        }
    }

    /**
     * Has the next stage's container created while this one runs, so that it starts as soon as
     * this one ends: a create takes a tenth of a short stage. If this one fails, it is removed unused.
     */
    private void createAhead(ClaimedJob job, int index, Run run, Abort abort) {
        if (index + 1 < job.stages().size() && !abort.requested()) {
            try {
                run.ahead = ahead.submit(LogContext.carried(() -> create(job, index + 1, run)));
            } catch (RejectedExecutionException e) {
                // The service is stopping: the next stage, if it comes, is created in its turn.
            }
        }
    }

    /** Starts a created stage, follows it to its end and stores how it ended. */
    private StageEnd runStage(ClaimedJob job, int index, StageSpec spec, Created created, Duration image, Run run, Abort abort) {
        String container = created.container();
        long starting = System.nanoTime();
        try {
            engine.start(container);
        } catch (EngineTimeoutException e) {
            lifecycle.startUnanswered(job.lease(), index, clock.instant());
            throw new EngineException("stage " + index + ": " + e.getMessage(), e);
        } catch (EngineUnavailableException e) {
            throw e;
        } catch (EngineException e) {
            throw new EngineException("stage " + index + ": " + e.getMessage(), e); // refused: it never ran
        }
        long running = System.nanoTime();
        run.stageBegan = true;
        run.lastStarted = container;
        createAhead(job, index, run, abort);
        Instant started = clock.instant();
        if (!lifecycle.startStage(job.lease(), index, started, created.imageDigest())) {
            throw new IllegalStateException("stage " + index + " was no longer pending");
        }
        StageOutcome outcome;
        long stopped;
        var stdout = new StageLogWriter(repository, durability, live, job.lease(), index, LogStream.STDOUT, logLimit);
        var stderr = new StageLogWriter(repository, durability, live, job.lease(), index, LogStream.STDERR, logLimit);
        try (stdout; stderr) {
            outcome = engine.await(container, spec, stdout, stderr);
            stopped = System.nanoTime() - outcome.collecting().toNanos();
        } catch (EngineUnavailableException e) {
            // Cut short by the engine: the stage ends ERROR with the output it had (settle does it).
            throw new EngineUnavailableException("stage " + index + ": " + e.getMessage(), e);
        } catch (EngineException e) {
            throw new EngineException("stage " + index + ": " + e.getMessage(), e);
        } finally {
            metrics.logDropped(stdout.dropped() + stderr.dropped());
        }
        StageStatus status = abort.reason() == Abort.Reason.CANCEL ? StageStatus.CANCELLED
                : abort.reason() == Abort.Reason.SHUTDOWN ? StageStatus.ERROR
                : outcome.succeeded() ? StageStatus.SUCCEEDED : StageStatus.FAILED;
        StageTimings timings = StageTimings.of(image, created.took(), Duration.ofNanos(running - starting),
                Duration.ofNanos(stopped - running), since(stopped));
        StageEnd end = new StageEnd(status, outcome.exitCode(), outcome.killed(), outcome.state(), clock.instant(), timings);
        if (lifecycle.endStage(job.lease(), index, end)) {
            live.changed().fire(); // its followers end now, not at their next poll
            metrics.stageEnded(status, Duration.between(started, end.finishedAt()), timings);
        } else {
            log.warn("job {} stage {} was no longer running when it ended {}; left as it was", job.publicId(), index, status);
        }
        log.info("job {} stage {} {} (exit {}{})", job.publicId(), index, status, outcome.exitCode(),
                outcome.killed() ? ", killed at its timeout" : "");
        return end;
    }

    private static Duration since(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos);
    }

    /** Each image once, under the strongest pull policy any of its stages asks for. */
    private static Map<String, PullPolicy> images(List<StageSpec> stages) {
        Map<String, PullPolicy> images = new LinkedHashMap<>();
        stages.forEach(stage -> images.merge(stage.runs(), stage.pull(), PullPolicy::strongest));
        return images;
    }
}
