package io.chainlink.job;

import io.chainlink.auth.Caller;
import io.chainlink.auth.ForbiddenException;
import io.chainlink.config.ChainlinkProperties;
import io.chainlink.metrics.ChainlinkMetrics;
import io.chainlink.stage.StageSpec;
import java.io.OutputStream;
import io.chainlink.stage.StageStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.stereotype.Service;

/** Submitting jobs and reading them back; running them is the worker pool's. */
@Service
public class JobService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(JobService.class);
    /** Cancels that wait, briefly, on a request thread for the job to stop. */
    static final int MAX_CANCEL_WAITERS = 64;
    private static final long SECOND_NANOS = 1_000_000_000L;
    /** How long a cancel waits for a running job to stop before it answers; the kill takes well under it. */
    private static final Duration CANCEL_WAIT = Duration.ofSeconds(3);

    private final JobRepository repository;
    private final SubmissionWriter submissions;
    private final JobLifecycle lifecycle;
    private final TenantQuotas quotas;
    private final JobEvents events;
    private final ChainlinkProperties properties;
    private final Clock clock;
    private final QueueGauge queue;
    private final ResultsWriter results;
    private final ChainlinkMetrics metrics;
    /** Recounts the queue for {@link QueueGauge}, off the submissions' path. */
    private final ExecutorService queueCounter = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "chainlink-queue-count");
        thread.setDaemon(true);
        return thread;
    });
    private final Semaphore cancelWaiters = new Semaphore(MAX_CANCEL_WAITERS);
    private final JobWaits waits;

    public JobService(JobRepository repository, SubmissionWriter submissions, JobLifecycle lifecycle, TenantQuotas quotas, ResultsWriter results, JobEvents events,
                      JobWaits waits, ChainlinkProperties properties, Clock clock, ChainlinkMetrics metrics) {
        this.waits = waits;
        this.repository = repository;
        this.submissions = submissions;
        this.lifecycle = lifecycle;
        this.quotas = quotas;
        this.results = results;
        this.events = events;
        this.properties = properties;
        this.clock = clock;
        this.queue = new QueueGauge(repository::countQueued, queueCounter, System::nanoTime);
        this.metrics = metrics;
        metrics.watchQueue(queue::latest);
        metrics.watchRunning(repository::countRunning);
    }

    @Override
    public void close() {
        queueCounter.shutdownNow();
    }

    /**
     * Queues a job. Checked first, before anything is stored: the caller's role (403), the stage
     * policy (403), the tenant's quota (429), then the queue's bound (503).
     *
     * @throws io.chainlink.policy.PolicyViolationException naming each field the policy refuses
     */
    public Job submit(Caller caller, List<StageSpec> stages) {
        return submit(caller, stages, job -> { });
    }

    /**
     * As {@link #submit(Caller, List)}, with {@code alongside} storing more of the job (its files)
     * in the transaction that stores it, given its internal id.
     */
    public Job submit(Caller caller, List<StageSpec> stages, LongConsumer alongside) {
        maySubmit(caller);
        properties.policyFor(caller.tenant()).check(stages, caller.tenant());
        return queue(caller, List.of(new NewJob(stages, alongside))).get(0);
    }

    /**
     * Queues jobs all together or none of them, checked as {@link #submit} checks one, the quota and
     * the queue's bound counting them all; the policy's refusals name each job by its place
     * ({@code jobs[3].stages[0].privileged}). One transaction stores them; workers are woken once.
     */
    public List<Job> submitBatch(Caller caller, List<NewJob> jobs) {
        maySubmit(caller);
        properties.policyFor(caller.tenant()).checkBatch(jobs.stream().map(NewJob::stages).toList(), caller.tenant());
        return queue(caller, jobs);
    }
    /**
     * Queues a rerun, checked as {@link #submit} checks a job (the caller's own role, policy and
     * quota: the rerun is the caller's job, as any it submits).
     */
    public Job resubmit(Caller caller, NewJob rerun) {
        maySubmit(caller);
        properties.policyFor(caller.tenant()).check(rerun.stages(), caller.tenant());
        return queue(caller, List.of(rerun)).get(0);
    }

    private static void maySubmit(Caller caller) {
        if (!caller.maySubmit()) {
            throw new ForbiddenException("client " + caller.tenant() + " may read jobs, not submit them (role " + caller.role() + ")");
        }
    }

    /** The quota (429) and the queue's bound (503) for all of them, then one store, one wake-up. */
    private List<Job> queue(Caller caller, List<NewJob> jobs) {
        long queued = queue.estimate();
        if (queued + jobs.size() > properties.maxQueued()) {
            throw new QueueFullException(queued);
        }
        OptionalInt quota = quotas.maxQueued(caller.tenant());
        if (quota.isPresent()) {
            long tenantQueued = repository.countQueued(caller.tenant());
            if (tenantQueued + jobs.size() > quota.getAsInt()) {
                throw jobs.size() == 1 ? new QuotaExceededException(caller.tenant(), quota.getAsInt())
                        : new QuotaExceededException(caller.tenant(), quota.getAsInt(), tenantQueued, jobs.size());
            }
        }
        Instant now = clock.instant();
        List<JobRepository.Ids> stored = submissions.storeAll(caller.tenant(), jobs, now);
        List<Job> queuedJobs = new ArrayList<>();
        for (int j = 0; j < jobs.size(); j++) {
            queue.added();
            metrics.jobSubmitted();
            JobRepository.Ids ids = stored.get(j);
            List<StageSpec> stages = jobs.get(j).stages();
            try (var context = MDC.putCloseable("job", ids.external())) {
                log.debug("job {} queued with {} stages", ids.external(), stages.size());
            }
            List<Job.Stage> pending = new ArrayList<>();
            for (int i = 0; i < stages.size(); i++) {
                pending.add(new Job.Stage(i, stages.get(i).image(), stages.get(i).imageId(), StageStatus.PENDING, null, false,
                        null, null, null, null, false, null));
            }
            queuedJobs.add(new Job(ids.external(), caller.tenant(), JobStatus.QUEUED, 0, now, null, null, null, null,
                    jobs.get(j).rerunOf(), pending));
        }
        events.queuedHere();
        return queuedJobs;
    }

    /**
     * The job, if the caller may see it: another tenant's job is "not found", so that it does not
     * learn it exists; so is an id that is no UUID.
     */
    public Job find(Caller caller, String id) {
        return repository.find(id).filter(job -> caller.sees(job.tenant())).orElseThrow(() -> new JobNotFoundException("job " + id));
    }

    /** The internal id of a job the caller may see, by its public one: one small read, not the whole job. */
    public long internalId(Caller caller, String id) {
        return repository.owned(id).filter(job -> caller.sees(job.tenant())).map(JobRepository.Owned::id)
                .orElseThrow(() -> new JobNotFoundException("job " + id));
    }

    private Job find(Caller caller, long internal, String id) {
        return repository.find(internal).filter(job -> caller.sees(job.tenant()))
                .orElseThrow(() -> new JobNotFoundException("job " + id));
    }

    /**
     * Has {@code onEnd} called with the job once it has ended (at once if it has), on a thread of
     * {@link JobWaits}, holding no thread meanwhile; the registration cancels it. Empty when the
     * service holds as many waiters as it may: the caller answers at once. 404 as {@link #find}.
     */
    public Optional<JobWaits.Registration> onEnd(Caller caller, String id, java.util.function.Consumer<Job> onEnd) {
        return waits.await(internalId(caller, id), onEnd);
    }

    /**
     * The job once it has ended, or as it stands after {@code max}, on the caller's thread: for a
     * cancel's few seconds. Bounded: past {@link #MAX_CANCEL_WAITERS} it answers at once.
     */
    private Job awaitEnd(Caller caller, String id, Duration max) throws InterruptedException {
        long internal = internalId(caller, id);
        if (!cancelWaiters.tryAcquire()) {
            return find(caller, internal, id);
        }
        try {
            long deadline = System.nanoTime() + max.toNanos();
            while (true) {
                long seen = events.settled().generation();
                Job job = find(caller, internal, id);
                long left = deadline - System.nanoTime();
                if (job.status().isTerminal() || left <= 0) {
                    return job;
                }
                // A job settled by another instance shows at the next look, a second later at most.
                events.settled().awaitAfter(seen, Duration.ofNanos(Math.min(left, SECOND_NANOS)));
            }
        } finally {
            cancelWaiters.release();
        }
    }

    /**
     * Cancels a job: a queued one ends CANCELLED at once; a running one is stopped by its instance
     * (its container killed, its later stages skipped), which this waits for, briefly, so that the
     * answer usually shows it CANCELLED already.
     */
    public Job cancel(Caller caller, String id) throws InterruptedException {
        long internal = internalId(caller, id);
        if (!caller.maySubmit()) {
            throw new ForbiddenException("client " + caller.tenant() + " may read jobs, not cancel them (role " + caller.role() + ")");
        }
        switch (lifecycle.cancel(internal, clock.instant())) {
            case NOT_FOUND -> throw new JobNotFoundException("job " + id);
            case ALREADY_ENDED -> throw new JobAlreadyEndedException(find(caller, internal, id));
            case CANCELLED -> {
                events.ended(internal);
                metrics.jobFinished(JobStatus.CANCELLED);
                log.info("job {} cancelled before it ran", id);
            }
            case REQUESTED -> {
                events.cancelled().fire();
                return awaitEnd(caller, id, CANCEL_WAIT);
            }
        }
        return find(caller, internal, id);
    }

    /**
     * A roster: the jobs of these ids the caller may see, whole (with their stages), in the order
     * asked, each once. An id of no job, or of another tenant's, is left out, as it would be 404 alone.
     */
    public List<Job> findAll(Caller caller, List<String> ids) {
        Map<String, Job> found = new HashMap<>();
        repository.find(ids).stream().filter(job -> caller.sees(job.tenant())).forEach(job -> found.put(job.id(), job));
        return ids.stream().distinct().map(found::get).filter(Objects::nonNull).toList();
    }

    /** The caller's own jobs; an admin's are every tenant's, or one tenant's if it names one. */
    public List<Job> list(Caller caller, Optional<String> tenant, Optional<JobStatus> status, int limit, Optional<String> after) {
        if (!caller.seesAll() && tenant.isPresent() && !tenant.get().equals(caller.tenant())) {
            throw new ForbiddenException("only admins list other tenants' jobs");
        }
        Optional<Long> before = after.map(id -> {
            try {
                return internalId(caller, id);
            } catch (JobNotFoundException e) {
                throw new UnknownPageStartException("after", id);
            }
        });
        return repository.list(caller.seesAll() ? tenant : Optional.of(caller.tenant()), status, limit, before);
    }

    /** Writes a job's results, chainlink's list, as JSON, streamed from the database: never held whole. */
    public void writeResults(Caller caller, String id, OutputStream out) {
        results.write(internalId(caller, id), out);
    }

    /** Copies a stage's stored stream; false if the stage's logs were not kept. */
    public boolean copyLog(Caller caller, String id, int stage, LogStream stream, OutputStream out) {
        long internal = internalId(caller, id);
        try {
            return repository.copyLog(internal, stage, stream, out);
        } catch (JobNotFoundException e) { // named by its public id, as the caller knows it
            throw new JobNotFoundException("stage " + stage + " of job " + id);
        }
    }
}
