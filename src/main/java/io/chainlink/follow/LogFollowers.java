package io.chainlink.follow;

import io.chainlink.auth.Caller;
import io.chainlink.job.JobEvents;
import io.chainlink.job.JobNotFoundException;
import io.chainlink.job.JobRepository;
import io.chainlink.job.JobRepository.StageState;
import io.chainlink.job.LiveLogs;
import io.chainlink.job.LogStream;
import java.io.IOException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;

/**
 * Follows stage logs as they are written ({@code ?follow=true}): the one door of this package.
 *
 * <p>No thread waits for a follower: each is a Spring MVC emitter, released by its request thread
 * at once, and fed by two shared threads. A ticker looks every {@link #TICK_MILLIS} at this
 * instance's news (a stream stored output, a stage or job ended) and has every follower look at
 * the database when there is some, or at its next poll ({@code chainlink.follow.poll-interval})
 * when there is none, which is how output that another instance stores shows. A look sends what
 * was stored since the last one. Followers are bounded ({@code chainlink.follow.max-followers}),
 * each ends at its stage's end or its timeout, and a client that goes away is dropped at the next
 * write to it (the container tells the emitter).
 */
@Component
public class LogFollowers implements AutoCloseable {

    static final long TICK_MILLIS = 100;
    /** Threads that write to followers: a client that reads slowly holds one while its write waits. */
    private static final int LOOKERS = 2;
    private static final Logger log = LoggerFactory.getLogger(LogFollowers.class);

    private final JobRepository repository;
    private final LiveLogs live;
    private final JobEvents events;
    private final FollowProperties properties;
    private final Set<Follower> followers = ConcurrentHashMap.newKeySet();
    private final AtomicInteger open = new AtomicInteger();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(daemon("chainlink-follow-tick"));
    private final ExecutorService lookers = Executors.newFixedThreadPool(LOOKERS, daemon("chainlink-follow"));
    private long seenOutput = -1;
    private long seenSettled = -1;

    public LogFollowers(JobRepository repository, LiveLogs live, JobEvents events, FollowProperties properties) {
        this.repository = repository;
        this.live = live;
        this.events = events;
        this.properties = properties;
        ticker.scheduleWithFixedDelay(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * A follow of one stage stream the caller may see, as plain text or ({@code events}) as
     * Server-Sent Events; empty if the stage's logs are not kept.
     *
     * @throws JobNotFoundException     no such job for this caller, or no such stage
     * @throws TooManyFollowersException every follow this instance allows is open
     */
    public Optional<ResponseBodyEmitter> follow(Caller caller, String id, int index, LogStream stream, boolean events) {
        long job = repository.owned(id).filter(owned -> caller.sees(owned.tenant())).map(JobRepository.Owned::id)
                .orElseThrow(() -> new JobNotFoundException("job " + id));
        StageState stage = repository.stageState(job, index)
                .orElseThrow(() -> new JobNotFoundException("stage " + index + " of job " + id));
        if (!stage.logs()) {
            return Optional.empty();
        }
        if (open.incrementAndGet() > properties.maxFollowers()) {
            open.decrementAndGet();
            throw new TooManyFollowersException(properties.maxFollowers());
        }
        long timeout = properties.timeout().toMillis();
        // The follower ends itself at its timeout; the container's, a little later, is the safety net.
        ResponseBodyEmitter emitter = new ResponseBodyEmitter(timeout + 10_000);
        long now = System.nanoTime();
        Follower follower = new Follower(repository, job, index, stream, emitter, events, now, now + timeout * 1_000_000);
        followers.add(follower);
        emitter.onCompletion(() -> drop(follower));
        emitter.onError(error -> drop(follower));
        emitter.onTimeout(() -> {
            drop(follower);
            emitter.complete();
        });
        try {
            // Nothing, flushed: the answer's status and headers go at once, so that the client
            // knows it follows (the container sends them with the first bytes otherwise).
            emitter.send(new byte[0], MediaType.APPLICATION_OCTET_STREAM);
        } catch (IOException e) { // not sent yet, only kept for when the answer starts
            drop(follower);
            throw new java.io.UncheckedIOException(e);
        }
        return Optional.of(emitter);
    }

    /** Follows open now. */
    int open() {
        return open.get();
    }

    private void drop(Follower follower) {
        if (followers.remove(follower)) {
            open.decrementAndGet();
        }
    }

    private void tick() {
        long output = live.changed().generation();
        long settled = events.settled().generation();
        boolean news = output != seenOutput || settled != seenSettled;
        seenOutput = output;
        seenSettled = settled;
        long now = System.nanoTime();
        for (Follower follower : followers) {
            if ((news || now - follower.nextLook >= 0) && follower.busy.compareAndSet(false, true)) {
                submit(follower);
            }
        }
    }

    private void submit(Follower follower) {
        try {
            lookers.execute(() -> look(follower));
        } catch (RejectedExecutionException e) { // stopping
            follower.busy.set(false);
        }
    }

    private void look(Follower follower) {
        long now = System.nanoTime();
        try {
            switch (follower.look(now)) {
                case WAIT -> follower.nextLook = now + properties.pollInterval().toNanos();
                case AGAIN -> {
                    submit(follower); // still busy: the next look is queued behind the others' turns
                    return;
                }
                case DONE -> drop(follower);
            }
        } catch (IOException | IllegalStateException e) {
            // The client went away, or the emitter was completed meanwhile (a timeout): it is over.
            drop(follower);
            follower.emitter().completeWithError(e);
        } catch (RuntimeException e) {
            // The database: try again at the next poll; the follow's timeout still bounds it.
            log.warn("a log follower could not read the stored log: {}", e.toString());
            follower.nextLook = now + properties.pollInterval().toNanos();
        }
        follower.busy.set(false);
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Ends every follow: the service is stopping. */
    @Override
    public void close() {
        ticker.shutdownNow();
        lookers.shutdownNow();
        followers.forEach(follower -> follower.emitter().complete());
    }
}
