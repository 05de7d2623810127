package io.chainlink.job;

import io.chainlink.stage.StageSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
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
 * <p>No thread of its own: whichever waiting submitter takes the lock writes the group, its own
 * submission and all that queued behind it; the others find theirs written when their turn comes.
 * What waits is bounded by the request threads, each of which waits for its own submission only.
 * (Writing the file after letting the lock go, so the next group is written meanwhile, changed
 * nothing measurable: bench P4, P4b.)
 */
@Component
public class SubmissionWriter {

    private static final Logger log = LoggerFactory.getLogger(SubmissionWriter.class);

    /** Keeps one transaction, and the wait of the group's first submitter, short. */
    static final int MAX_GROUP = 64;

    private final JobRepository repository;
    private final TransactionTemplate transaction;
    private final Queue<Submission> waiting = new ConcurrentLinkedQueue<>();
    private final ReentrantLock writing = new ReentrantLock();

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
        JobRepository.Ids stored; // written and read under the lock
        RuntimeException failure;

        Submission(String tenant, List<StageSpec> stages, Instant at) {
            this.tenant = tenant;
            this.stages = stages;
            this.at = at;
        }

        boolean done() {
            return stored != null || failure != null;
        }
    }

    /** Stores a job, once its group is committed and in the store's file; the same as {@link JobRepository#insert}, in fewer commits. */
    public JobRepository.Ids store(String tenant, List<StageSpec> stages, Instant at) {
        Submission mine = new Submission(tenant, stages, at);
        waiting.add(mine);
        writing.lock();
        try {
            while (!mine.done()) {
                List<Submission> group = new ArrayList<>();
                for (Submission next; group.size() < MAX_GROUP && (next = waiting.poll()) != null; ) {
                    group.add(next);
                }
                if (group.isEmpty()) {
                    // Taken by a group whose writer broke (an Error), and rolled back with it.
                    mine.failure = new IllegalStateException("the submission's group could not be written");
                    break;
                }
                write(group);
                flush(group);
            }
        } finally {
            writing.unlock();
        }
        if (mine.failure != null) {
            throw mine.failure;
        }
        return mine.stored;
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
                    .map(submission -> repository.insert(submission.tenant, submission.stages, submission.at))
                    .toList());
            for (int i = 0; i < group.size(); i++) {
                group.get(i).stored = ids.get(i);
            }
        } catch (RuntimeException groupFailed) {
            // Nothing of the group was stored. Each alone, so that one that cannot be stored fails alone.
            for (Submission submission : group) {
                try {
                    submission.stored = repository.insert(submission.tenant, submission.stages, submission.at);
                } catch (RuntimeException e) {
                    submission.failure = e;
                }
            }
        }
    }
}
