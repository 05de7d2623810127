package io.chainlink.job;

import io.chainlink.stage.StageSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Stores submissions in groups, one transaction each: every submission that arrives while a group
 * is being written goes into the next, and the group is written to the store's file
 * ({@link Durability}) before any of it is answered: that write, not the inserts, was most of
 * what a submission cost when each had its own; under load there is now one per group.
 *
 * <p>No thread of its own: one waiting submitter at a time leads, writing its own submission and
 * all that queued behind it, then wakes each submitter of the group, and the next waiting one to
 * lead. The others sleep until then: they do not queue for a lock only to find their submission
 * written (under load that relay of wake-ups, one after the other, took longer than the writes:
 * Flight Recorder showed 28 of 32 request threads waiting for the lock while groups averaged 5).
 * What waits is bounded by the request threads, each of which waits for its own submission only.
 * (Writing the file after letting the next group be written, or waiting a little for a larger
 * group, made it slower: bench/README.md.)
 */
@Component
public class SubmissionWriter {

    private static final Logger log = LoggerFactory.getLogger(SubmissionWriter.class);

    /** Jobs in one group (a batch counts each of its jobs): keeps one transaction, and the wait of the group's first submitter, short. */
    static final int MAX_GROUP = 64;
    /** A sleeping submitter looks again after this long, whatever woke it or did not. */
    private static final long RECHECK_NANOS = 50_000_000;

    private final JobRepository repository;
    private final TransactionTemplate transaction;
    private final Queue<Submission> waiting = new ConcurrentLinkedQueue<>();
    /** Whether a submitter is writing; it writes alone. */
    private final AtomicBoolean leading = new AtomicBoolean();

    private final Durability durability;

    public SubmissionWriter(JobRepository repository, PlatformTransactionManager transactions, Durability durability) {
        this.repository = repository;
        this.durability = durability;
        this.transaction = new TransactionTemplate(transactions);
    }

    /** One submission (one job, or a batch of them), until its group is committed: then its ids, or why it could not be stored. */
    private static final class Submission {
        final String tenant;
        final List<NewJob> jobs;
        final Instant at;
        final Thread submitter = Thread.currentThread();
        List<JobRepository.Ids> stored; // written before done is set, read after it is seen
        RuntimeException failure;
        volatile boolean done;

        Submission(String tenant, List<NewJob> jobs, Instant at) {
            this.tenant = tenant;
            this.jobs = jobs;
            this.at = at;
        }

        /** Its jobs' ids, in order; stored all together or not at all (the caller's transaction). */
        List<JobRepository.Ids> insert(JobRepository repository) {
            return jobs.stream().map(job -> {
                JobRepository.Ids ids = repository.insert(tenant, job.stages(), job.rerunOf(), at);
                job.alongside().accept(ids.internal()); // its files: in the transaction, before any worker can claim it
                return ids;
            }).toList();
        }

        void end() {
            done = true;
            if (submitter != Thread.currentThread()) {
                LockSupport.unpark(submitter);
            }
        }
    }

    /** Stores a job, once its group is committed and in the store's file; the same as {@link JobRepository#insert}, in fewer commits. */
    public JobRepository.Ids store(String tenant, List<StageSpec> stages, Instant at) {
        return storeAll(tenant, List.of(new NewJob(stages)), at).get(0);
    }

    /**
     * Stores jobs all together or none of them (one transaction), once their group is committed
     * and in the store's file; their ids in their order.
     */
    public List<JobRepository.Ids> storeAll(String tenant, List<NewJob> jobs, Instant at) {
        Submission mine = new Submission(tenant, List.copyOf(jobs), at);
        waiting.add(mine);
        // It waits for its submission even if interrupted (it may be written already), without
        // spinning on the flag; the flag is set again when it returns.
        boolean interrupted = false;
        while (!mine.done) {
            interrupted |= Thread.interrupted();
            if (leading.compareAndSet(false, true)) {
                try {
                    writeUntilDone(mine);
                } finally {
                    leading.set(false);
                    Submission next = waiting.peek();
                    if (next != null) {
                        LockSupport.unpark(next.submitter); // to lead, unless a newcomer already does
                    }
                }
            } else {
                LockSupport.parkNanos(this, RECHECK_NANOS);
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (mine.failure != null) {
            throw mine.failure;
        }
        return mine.stored;
    }

    /** Writes groups of what waits until {@code mine} is written; every submission it takes ends, whatever happens. */
    private void writeUntilDone(Submission mine) {
        while (!mine.done) {
            List<Submission> group = new ArrayList<>();
            int jobs = 0;
            for (Submission next; jobs < MAX_GROUP && (next = waiting.poll()) != null; ) {
                group.add(next);
                jobs += next.jobs.size();
            }
            if (group.isEmpty()) {
                // Every leader ends what it took before it lets go, so this cannot happen; never wait for it.
                mine.failure = new IllegalStateException("the submission was taken and never written");
                mine.end();
                return;
            }
            try {
                write(group);
                flush(group);
            } finally {
                for (Submission submission : group) {
                    if (submission.stored == null && submission.failure == null) {
                        // Its writer broke (an Error), and rolled it back.
                        submission.failure = new IllegalStateException("the submission's group could not be written");
                    }
                    submission.end();
                }
            }
        }
    }

    /**
     * Before any of the group is answered 202. If that fails the jobs are stored all the same and
     * will run: they are answered as stored (a retry would submit them twice), and it is logged.
     */
    private void flush(List<Submission> group) {
        try {
            durability.flush();
        } catch (RuntimeException e) {
            log.warn("{} submissions are stored but may not survive the process being killed: {}", group.size(), e.toString());
        }
    }

    private void write(List<Submission> group) {
        try {
            List<List<JobRepository.Ids>> ids = transaction.execute(tx -> group.stream()
                    .map(submission -> submission.insert(repository))
                    .toList());
            for (int i = 0; i < group.size(); i++) {
                group.get(i).stored = ids.get(i);
            }
        } catch (RuntimeException groupFailed) {
            // Nothing of the group was stored. Each alone, so that one that cannot be stored fails
            // alone; a batch in a transaction of its own, stored whole or not at all.
            for (Submission submission : group) {
                try {
                    submission.stored = transaction.execute(tx -> submission.insert(repository));
                } catch (RuntimeException e) {
                    submission.failure = e;
                }
            }
        }
    }
}
