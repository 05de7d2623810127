package io.chainlink.job;

import io.chainlink.config.ChainlinkProperties;
import io.chainlink.stage.StageSpec;
import java.io.OutputStream;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/** Submitting jobs and reading them back; running them is the worker pool's. */
@Service
public class JobService {

    private static final Logger log = LoggerFactory.getLogger(JobService.class);

    private final JobRepository repository;
    private final QueueSignal signal;
    private final ChainlinkProperties properties;
    private final Clock clock;

    public JobService(JobRepository repository, QueueSignal signal, ChainlinkProperties properties, Clock clock) {
        this.repository = repository;
        this.signal = signal;
        this.properties = properties;
        this.clock = clock;
    }

    public Job submit(List<StageSpec> stages) {
        if (stages.size() > properties.maxStages()) {
            throw new InvalidSubmissionException("stages",
                    "at most " + properties.maxStages() + " stages per job; got " + stages.size());
        }
        long queued = repository.countQueued();
        if (queued >= properties.maxQueued()) {
            throw new QueueFullException(queued);
        }
        long id = repository.insert(stages, clock.instant());
        signal.fire();
        log.info("job {} queued with {} stages", id, stages.size());
        return find(id);
    }

    public Job find(long id) {
        return repository.find(id).orElseThrow(() -> new JobNotFoundException("job " + id));
    }

    public List<Job> list(Optional<JobStatus> status, int limit, Optional<Long> after) {
        return repository.list(status, limit, after);
    }

    public List<StageResult> results(long id) {
        find(id);
        return repository.results(id);
    }

    /** Copies a stage's stored stream; false if the stage's logs were not kept. */
    public boolean copyLog(long id, int stage, LogStream stream, OutputStream out) {
        return repository.copyLog(id, stage, stream, out);
    }
}
