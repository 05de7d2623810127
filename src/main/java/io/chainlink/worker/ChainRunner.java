package io.chainlink.worker;

import io.chainlink.config.ChainlinkProperties;
import io.chainlink.engine.ContainerEngine;
import io.chainlink.engine.EngineException;
import io.chainlink.engine.StageOutcome;
import io.chainlink.job.JobEvents;
import io.chainlink.job.JobRepository;
import io.chainlink.job.JobRepository.ClaimedJob;
import io.chainlink.job.JobRepository.StageEnd;
import io.chainlink.job.JobStatus;
import io.chainlink.job.LogStream;
import io.chainlink.job.StageLogWriter;
import io.chainlink.stage.PullPolicy;
import io.chainlink.stage.StageSpec;
import io.chainlink.stage.StageStatus;
import java.time.Clock;
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
 * until one fails, store each result, settle the job, then remove what it created. Whatever
 * happens, the job ends in a terminal state.
 */
@Component
public class ChainRunner {

    private static final Logger log = LoggerFactory.getLogger(ChainRunner.class);

    private final ContainerEngine engine;
    private final JobRepository repository;
    private final JobEvents events;
    private final Clock clock;
    private final long logLimit;

    public ChainRunner(ContainerEngine engine, JobRepository repository, JobEvents events, Clock clock,
                       ChainlinkProperties properties) {
        this.engine = engine;
        this.repository = repository;
        this.events = events;
        this.clock = clock;
        this.logLimit = properties.logLimit().toBytes();
    }

    void run(ClaimedJob job, Abort abort) {
        MDC.put("job", Long.toString(job.id()));
        Created created = new Created();
        JobStatus outcome = JobStatus.ERROR;
        String error = "internal error";
        try {
            log.info("job {} running", job.id());
            engine.prepareImages(images(job.stages()), abort::requested);
            created.volume = engine.createVolume(job.id());
            outcome = runStages(job, created, abort);
            error = null;
        } catch (EngineException e) {
            error = e.getMessage();
        } catch (RuntimeException e) {
            log.error("job {} broke", job.id(), e);
            error = "internal error: " + e;
        } finally {
            // Whatever happened above, even an Error, the job ends and what it made is removed.
            if (abort.requested()) {
                outcome = JobStatus.ERROR;
                error = "the service stopped while the job was running";
            }
            settle(job.id(), outcome, error);
            // Off the path between the last stage's exit and the job being reported done.
            engine.remove(created.containers, created.volume);
            MDC.remove("job");
        }
    }

    /** What a job has made on the engine so far, for the removal at its end. */
    private static final class Created {
        final List<String> containers = new ArrayList<>();
        String volume;
    }

    private void settle(long job, JobStatus outcome, String error) {
        try {
            repository.skipStagesFrom(job, 0);
            if (repository.settle(job, outcome, error, clock.instant())) {
                events.settled().fire();
                log.info("job {} {}{}", job, outcome, error == null ? "" : ": " + error);
            } else {
                log.warn("job {} was no longer running when it ended {}; left as it was", job, outcome);
            }
        } catch (RuntimeException e) {
            log.error("job {} could not be settled as {}; the next start of the service ends it", job, outcome, e);
        }
    }

    private JobStatus runStages(ClaimedJob job, Created created, Abort abort) {
        for (int index = 0; index < job.stages().size(); index++) {
            StageSpec spec = job.stages().get(index);
            StageOutcome outcome;
            try {
                String container = engine.create(job.id(), index, spec, created.volume);
                created.containers.add(container);
                abort.running(container);
                if (abort.requested()) {
                    return JobStatus.ERROR;
                }
                if (!repository.stageStarted(job.id(), index, clock.instant())) {
                    throw new IllegalStateException("stage " + index + " was no longer pending");
                }
                try (var stdout = new StageLogWriter(repository, job.id(), index, LogStream.STDOUT, logLimit);
                     var stderr = new StageLogWriter(repository, job.id(), index, LogStream.STDERR, logLimit)) {
                    outcome = engine.run(container, spec, stdout, stderr);
                }
            } catch (EngineException e) {
                // The stage did not run (the engine refused it): it ends SKIPPED with the rest.
                throw new EngineException("stage " + index + ": " + e.getMessage(), e);
            } finally {
                abort.running(null);
            }
            StageStatus status = outcome.succeeded() ? StageStatus.SUCCEEDED : StageStatus.FAILED;
            if (!repository.stageEnded(job.id(), index,
                    new StageEnd(status, outcome.exitCode(), outcome.killed(), outcome.state(), clock.instant()))) {
                log.warn("job {} stage {} was no longer running when it ended {}; left as it was", job.id(), index, status);
            }
            log.info("job {} stage {} {} (exit {}{})", job.id(), index, status, outcome.exitCode(),
                    outcome.killed() ? ", killed at its timeout" : "");
            if (!outcome.succeeded()) {
                return JobStatus.FAILED;
            }
        }
        return JobStatus.SUCCEEDED;
    }

    /** Each image once, under the strongest pull policy any of its stages asks for. */
    private static Map<String, PullPolicy> images(List<StageSpec> stages) {
        Map<String, PullPolicy> images = new LinkedHashMap<>();
        stages.forEach(stage -> images.merge(stage.image(), stage.pull(), PullPolicy::strongest));
        return images;
    }
}
