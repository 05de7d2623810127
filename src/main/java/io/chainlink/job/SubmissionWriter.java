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

    /** Keeps one transaction, and the wait of the group's first submitter, short. */
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

    /** One submission, until its group is committed: then its ids, or why it could not be stored. */
    private static final class Submission {
        final String tenant;
        final List<StageSpec> stages;
        final Instant at;
        /** What is stored with the job, in its transaction (its files): before any worker can claim it. */
        final LongConsumer alongside;
        final Thread submitter = Thread.currentThread();
        JobRepository.Ids stored; // written before done is set, read after it is seen
        RuntimeException failure;
        volatile boolean done;

        Submission(String tenant, List<StageSpec> stages, Instant at, LongConsumer alongside) {
            this.tenant = tenant;
            this.stages = stages;
            this.at = at;
            this.alongside = alongside;
        }

        JobRepository.Ids insert(JobRepository repository) {
            JobRepository.Ids ids = repository.insert(tenant, stages, at);
            alongside.accept(ids.internal());
            return ids;
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
        return store(tenant, stages, at, job -> { });
    }

    /** As {@link #store(String, List, Instant)}, with {@code alongside} storing more of the job (given its internal id) in the same transaction. */
    public JobRepository.Ids store(String tenant, List<StageSpec> stages, Instant at, LongConsumer alongside) {
        Submission mine = new Submission(tenant, stages, at, alongside);
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
            for (Submission next; group.size() < MAX_GROUP && (next = waiting.poll()) != null; ) {
                group.add(next);
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
            List<JobRepository.Ids> ids = transaction.execute(tx -> group.stream()
                    .map(submission -> submission.insert(repository))
                    .toList());
            for (int i = 0; i < group.size(); i++) {
                group.get(i).stored = ids.get(i);
            }
        } catch (RuntimeException groupFailed) {
            // Nothing of the group was stored. Each alone, so that one that cannot be stored fails alone.
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
