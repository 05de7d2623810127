package io.chainlink.worker;

import io.chainlink.config.ChainlinkProperties;
import io.chainlink.engine.ContainerEngine;
import io.chainlink.engine.EngineAvailability;
import io.chainlink.engine.EngineException;
import io.chainlink.engine.EngineTimeoutException;
import io.chainlink.engine.EngineUnavailableException;
import io.chainlink.engine.StageOutcome;
import io.chainlink.job.JobEvents;
import io.chainlink.job.JobLifecycle;
import io.chainlink.job.JobLifecycle.ClaimedJob;
import io.chainlink.job.JobLifecycle.StageEnd;
import io.chainlink.job.JobRepository;
import io.chainlink.job.JobStatus;
import io.chainlink.job.LogStream;
import io.chainlink.job.StageLogWriter;
import io.chainlink.metrics.ChainlinkMetrics;
import io.chainlink.stage.PullPolicy;
import io.chainlink.stage.StageSpec;
import io.chainlink.stage.StageStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;

/**
 * Runs one claimed job to its end: pull its images, create its volume, run its stages in order
 * until one fails, store each result, settle the job, then have what it created removed. Every
 * outcome is decided here, and every path ends the job, or gives it back to the queue when the
 * engine was away before any stage ran.
 */
@Component
public class ChainRunner {

    private static final Logger log = LoggerFactory.getLogger(ChainRunner.class);

    private final ContainerEngine engine;
    private final EngineAvailability availability;
    private final JobLifecycle lifecycle;
    private final JobRepository repository;
    private final JobEvents events;
    private final InterruptionPolicy interruption;
    private final Instance instance;
    private final Clock clock;
    private final long logLimit;
    private final ChainlinkMetrics metrics;

    public ChainRunner(ContainerEngine engine, EngineAvailability availability, JobLifecycle lifecycle,
                       JobRepository repository, JobEvents events, InterruptionPolicy interruption, Instance instance,
                       Clock clock, ChainlinkProperties properties, ChainlinkMetrics metrics) {
        this.engine = engine;
        this.availability = availability;
        this.lifecycle = lifecycle;
        this.repository = repository;
        this.events = events;
        this.interruption = interruption;
        this.instance = instance;
        this.clock = clock;
        this.logLimit = properties.logLimit().toBytes();
        this.metrics = metrics;
    }

    /** How a run ended, before it is written. */
    private record Ending(JobStatus status, String error) {
        static Ending error(String why) {
            return new Ending(JobStatus.ERROR, why);
        }
    }

    /** What a job has made on the engine so far, for the removal at its end, and whether a stage began. */
    private static final class Run {
        final List<String> containers = new ArrayList<>();
        String volume;
        boolean stageBegan;
    }

    /** A claimed job whose images were made present, or why they could not be. */
    record Prepared(ClaimedJob job, RuntimeException failure) {
    }

    /** Whether the job must pull before it runs (an image is missing, or always pulled). */
    boolean needsPull(ClaimedJob job) {
        try {
            return engine.needsPull(images(job.stages()));
        } catch (RuntimeException e) {
            return false; // run() meets the same failure and ends the job with it
        }
    }

    /** Makes the job's images present; a failure is kept, for {@link #run(Prepared, Abort)} to end the job with. */
    Prepared prepare(ClaimedJob job, Abort abort) {
        MDC.put("job", Long.toString(job.id())); // also on a pull thread, whose pulls carry it on
        try {
            engine.prepareImages(images(job.stages()), job.tenant(), abort::requested);
            return new Prepared(job, null);
        } catch (RuntimeException e) {
            return new Prepared(job, e);
        } finally {
            MDC.remove("job");
        }
    }

    void run(ClaimedJob job, Abort abort) {
        run(prepare(job, abort), abort);
    }

    void run(Prepared prepared, Abort abort) {
        ClaimedJob job = prepared.job();
        MDC.put("job", Long.toString(job.id()));
        Run run = new Run();
        Ending ending = Ending.error("internal error");
        try {
            log.info("job {} running (attempt {})", job.id(), job.attempt());
            if (prepared.failure() != null) {
                throw prepared.failure();
            }
            run.volume = engine.createVolume(job.id());
            ending = runStages(job, run, abort);
        } catch (EngineUnavailableException e) {
            availability.reportDown(e.getMessage());
            ending = Ending.error(e.getMessage());
        } catch (EngineException e) {
            ending = Ending.error(e.getMessage());
        } catch (RuntimeException e) {
            log.error("job {} broke", job.id(), e);
            ending = Ending.error("internal error: " + e);
        } finally {
            MDC.remove("stage");
            // Whatever happened above, even an Error, the job ends or goes back to the queue.
            end(job, run, abort, ending);
            // Off the path between the last stage's exit and the job being reported done.
            engine.remove(run.containers, run.volume);
            MDC.remove("job");
        }
    }

    private void end(ClaimedJob job, Run run, Abort abort, Ending ending) {
        try {
            if (abort.reason() == Abort.Reason.CANCEL) {
                ending = new Ending(JobStatus.CANCELLED, null);
            } else if (abort.reason() == Abort.Reason.SHUTDOWN) {
                if (interruption.runsAgain(job.attempt()) && lifecycle.requeueOwned(job.id(), instance.id())) {
                    log.info("job {} interrupted by the shutdown; queued to run again", job.id());
                    return;
                }
                ending = Ending.error(interruption.error(job.attempt()));
            } else if (!run.stageBegan && availability.isDown() && lifecycle.release(job.id(), instance.id())) {
                log.info("job {} back in the queue until the engine answers", job.id());
                return;
            }
            if (ending.status() != JobStatus.CANCELLED && lifecycle.isCancelRequested(job.id())) {
                ending = new Ending(JobStatus.CANCELLED, null); // asked for while it ended otherwise: the client's word stands
            }
            if (lifecycle.settle(job.id(), instance.id(), ending.status(), ending.error(), clock.instant())) {
                events.settled().fire();
                metrics.jobFinished(ending.status());
                log.info("job {} {}{}", job.id(), ending.status(), ending.error() == null ? "" : ": " + ending.error());
            } else {
                log.warn("job {} was no longer this instance's when it ended {}; left as it was", job.id(), ending.status());
            }
        } catch (RuntimeException e) {
            // No worker runs it now, so the heartbeat stops renewing its lease, and a recovery ends it.
            log.error("job {} could not be settled as {}; its lease runs out and a recovery ends it", job.id(), ending.status(), e);
        }
    }

    private Ending runStages(ClaimedJob job, Run run, Abort abort) {
        for (int index = 0; index < job.stages().size(); index++) {
            if (abort.requested()) {
                return Ending.error("aborted"); // end() says why
            }
            MDC.put("stage", Integer.toString(index));
            StageSpec spec = job.stages().get(index);
            String container;
            try {
                container = engine.create(job.id(), index, spec, run.volume);
            } catch (EngineUnavailableException e) {
                throw e;
            } catch (EngineException e) {
                // The stage did not run (the engine refused it): it ends SKIPPED with the rest.
                throw new EngineException("stage " + index + ": " + e.getMessage(), e);
            }
            run.containers.add(container);
            abort.running(container);
            try {
                if (abort.requested()) {
                    return Ending.error("aborted"); // between create and start: the stage never ran
                }
                StageEnd end = runStage(job, index, spec, container, run, abort);
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

    /** Starts a created stage, follows it to its end and stores how it ended. */
    private StageEnd runStage(ClaimedJob job, int index, StageSpec spec, String container, Run run, Abort abort) {
        try {
            engine.start(container);
        } catch (EngineTimeoutException e) {
            lifecycle.startUnanswered(job.id(), index, clock.instant());
            throw new EngineException("stage " + index + ": " + e.getMessage(), e);
        } catch (EngineUnavailableException e) {
            throw e;
        } catch (EngineException e) {
            throw new EngineException("stage " + index + ": " + e.getMessage(), e); // refused: it never ran
        }
        run.stageBegan = true;
        Instant started = clock.instant();
        if (!lifecycle.startStage(job.id(), index, started)) {
            throw new IllegalStateException("stage " + index + " was no longer pending");
        }
        StageOutcome outcome;
        var stdout = new StageLogWriter(repository, job.id(), index, LogStream.STDOUT, logLimit);
        var stderr = new StageLogWriter(repository, job.id(), index, LogStream.STDERR, logLimit);
        try (stdout; stderr) {
            outcome = engine.await(container, spec, stdout, stderr);
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
        StageEnd end = new StageEnd(status, outcome.exitCode(), outcome.killed(), outcome.state(), clock.instant());
        if (lifecycle.endStage(job.id(), index, end)) {
            metrics.stageEnded(status, Duration.between(started, end.finishedAt()));
        } else {
            log.warn("job {} stage {} was no longer running when it ended {}; left as it was", job.id(), index, status);
        }
        log.info("job {} stage {} {} (exit {}{})", job.id(), index, status, outcome.exitCode(),
                outcome.killed() ? ", killed at its timeout" : "");
        return end;
    }

    /** Each image once, under the strongest pull policy any of its stages asks for. */
    private static Map<String, PullPolicy> images(List<StageSpec> stages) {
        Map<String, PullPolicy> images = new LinkedHashMap<>();
        stages.forEach(stage -> images.merge(stage.image(), stage.pull(), PullPolicy::strongest));
        return images;
    }
}
