package io.chainlink.job;

import io.chainlink.config.ChainlinkProperties;
import jakarta.annotation.PreDestroy;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Clients waiting for jobs to end, held without a thread each: a waiter is a callback, called once
 * with the ended job. Ends in this process arrive by id ({@link JobEvents#ended}); the worker that
 * settles a job only queues its id, and one thread of its own reads each ended job once for all its
 * waiters. Ends on another instance sharing the database are found by a look at the waited jobs
 * once a second. Waiters are bounded: past the bound {@link #await} declines, and the caller answers
 * at once. A waiter's own deadline is its caller's (the framework's async timeout), which then
 * {@link Registration#cancel cancels} it.
 */
@Component
public class JobWaits {

    private static final Logger log = LoggerFactory.getLogger(JobWaits.class);
    /** How often the waited jobs are looked up, for ends this process did not see. */
    private static final long LOOK_MILLIS = 1000;

    private final JobRepository repository;
    private final int max;
    private final Map<Long, Set<Registration>> byJob = new ConcurrentHashMap<>();
    private final AtomicInteger count = new AtomicInteger();
    /** Ids of jobs that ended here with someone waiting; when full, the once-a-second look finds the rest. */
    private final BlockingQueue<Long> ended = new ArrayBlockingQueue<>(4096);
    private final Thread thread;
    private volatile boolean running = true;

    public JobWaits(JobRepository repository, JobEvents events, ChainlinkProperties properties) {
        this.repository = repository;
        this.max = properties.maxWaiters();
        events.onEnded(job -> {
            if (byJob.containsKey(job)) {
                ended.offer(job);
            }
        });
        thread = new Thread(this::loop, "chainlink-waits");
        thread.setDaemon(true);
        thread.start();
    }

    /** One waiter, until it is called or cancelled. */
    public final class Registration {
        private final long job;
        private final Consumer<Job> onEnd;

        private Registration(long job, Consumer<Job> onEnd) {
            this.job = job;
            this.onEnd = onEnd;
        }

        /** No longer waits (its deadline passed, its client left); idempotent. */
        public void cancel() {
            boolean[] removed = {false};
            byJob.computeIfPresent(job, (id, waiting) -> {
                removed[0] = waiting.remove(this);
                return waiting.isEmpty() ? null : waiting;
            });
            if (removed[0]) {
                count.decrementAndGet();
            }
        }
    }

    /**
     * Calls {@code onEnd} once, on this class's thread, with the job when it has ended (at once if
     * it already has); empty when {@link #max} waiters are held already.
     */
    public Optional<Registration> await(long job, Consumer<Job> onEnd) {
        if (count.incrementAndGet() > max) {
            count.decrementAndGet();
            return Optional.empty();
        }
        Registration registration = new Registration(job, onEnd);
        // Each waiter leaves the map exactly once, by its cancel or with its job's whole set: both atomic per job.
        byJob.compute(job, (id, waiting) -> {
            Set<Registration> set = waiting == null ? ConcurrentHashMap.newKeySet() : waiting;
            set.add(registration);
            return set;
        });
        ended.offer(job); // it may have ended before it was registered: looked at once
        return Optional.of(registration);
    }

    /** Waiters held now. */
    public int size() {
        return count.get();
    }

    private void loop() {
        long nextLook = System.nanoTime();
        while (running) {
            try {
                Long job = ended.poll(LOOK_MILLIS, TimeUnit.MILLISECONDS);
                if (job != null) {
                    repository.find(job).filter(view -> view.status().isTerminal()).ifPresent(view -> call(job, view));
                }
                if (System.nanoTime() - nextLook >= 0) {
                    nextLook = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LOOK_MILLIS);
                    lookAtWaited();
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.warn("could not answer waiting clients; trying again: {}", e.getMessage());
            }
        }
    }

    /** Jobs ended elsewhere: one statement for all the waited jobs. */
    private void lookAtWaited() {
        List<Long> waited = List.copyOf(byJob.keySet());
        if (!waited.isEmpty()) {
            repository.endedAmong(waited).forEach(ended::offer);
        }
    }

    private void call(long id, Job job) {
        Set<Registration> waiting = byJob.remove(id);
        if (waiting == null) {
            return;
        }
        for (Registration registration : waiting) {
            count.decrementAndGet();
            try {
                registration.onEnd.accept(job);
            } catch (RuntimeException e) {
                log.warn("a waiting client could not be answered: {}", e.getMessage());
            }
        }
    }

    @PreDestroy
    void stop() {
        running = false;
        thread.interrupt();
    }
}
