package io.chainlink.callback;

import io.chainlink.config.ChainlinkProperties;
import io.chainlink.job.Job;
import io.chainlink.job.Job.Callback.State;
import io.chainlink.job.JobEvents;
import io.chainlink.job.JobRepository;
import io.chainlink.job.Signal;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends the callbacks of ended jobs, from the database. A callback becomes due when its job ends:
 * by its id when the job ends here ({@link JobEvents#onEnded}), and by a sweep at start (what a
 * stopped instance left) and every poll interval (what another instance ended). One thread looks
 * and claims; deliveries run on a pool of chainlink.callbacks.threads, never on a worker's thread,
 * so a slow receiver delays no job.
 */
@Component
class CallbackDeliverer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(CallbackDeliverer.class);
    /** While deliveries are under way, the next look comes this soon: one may have scheduled a retry. */
    private static final Duration BUSY_LOOK = Duration.ofMillis(100);
    /** Past a claim's deadlines, before another instance may take the delivery as abandoned. */
    private static final Duration CLAIM_MARGIN = Duration.ofSeconds(30);
    /** How long a stop waits for deliveries under way to end. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);
    /** Ends heard of and not yet looked at; past it the next sweep finds the rest. */
    private static final int ENDED_BACKLOG = 10_000;
    /** Job ids in one statement that makes their callbacks due. */
    private static final int ARM_BATCH = 500;

    private final CallbackRepository callbacks;
    private final JobRepository jobs;
    private final JsonMapper json;
    private final Clock clock;
    private final ChainlinkProperties.Callbacks settings;
    private final Backoff backoff;
    private final Semaphore free;
    private ExecutorService senders;
    private ExecutorService httpThreads;
    private HttpClient http;
    private Thread looker;
    private volatile boolean running;
    /** Wakes the looker: a job ended here, or a stop. */
    private final Signal wake = new Signal();
    private final BlockingQueue<Long> ended = new ArrayBlockingQueue<>(ENDED_BACKLOG);
    private volatile boolean endedMissed;
    /** When the looker next sweeps for jobs ended elsewhere (System.nanoTime); the first look does. */
    private long nextSweep;

    CallbackDeliverer(CallbackRepository callbacks, JobRepository jobs, JobEvents events, JsonMapper json, Clock clock,
                      ChainlinkProperties properties) {
        this.callbacks = callbacks;
        this.jobs = jobs;
        this.json = json;
        this.clock = clock;
        this.settings = properties.callbacks();
        this.backoff = new Backoff(settings.retryDelay(), settings.maxRetryDelay());
        this.free = new Semaphore(settings.threads());
        events.onEnded(this::jobEnded);
    }

    /** On the thread that ended the job: hands the id on, nothing more. */
    private void jobEnded(long job) {
        if (!ended.offer(job)) {
            endedMissed = true;
        }
        wake.fire();
    }

    @Override
    public synchronized void start() {
        senders = Executors.newFixedThreadPool(settings.threads(), named("chainlink-callback-"));
        httpThreads = Executors.newFixedThreadPool(2, named("chainlink-callback-http-"));
        // No redirects: a 3xx would send the signed job to a URL the allowlist never saw.
        // HTTP/1.1: no h2c upgrade offered to receivers, some of which answer it wrongly.
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).executor(httpThreads).build();
        running = true;
        nextSweep = System.nanoTime();
        looker = new Thread(this::look, "chainlink-callbacks");
        looker.setDaemon(true);
        looker.start();
    }

    /**
     * Stops looking, then lets the deliveries under way end and record how they went, for a
     * moment. No interrupt while the looker may be in the database (one could land in H2's file
     * I/O): it is woken by the signal it waits on. A delivery cut short stays claimed until its
     * claim runs out, then is sent again (by the next instance to start, or another one): at least
     * once, as receivers of webhooks expect.
     */
    @Override
    public synchronized void stop() {
        if (looker == null) {
            return;
        }
        running = false;
        wake.fire();
        try {
            looker.join(STOP_GRACE.toMillis());
            senders.shutdown();
            if (!senders.awaitTermination(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                senders.shutdownNow();
                senders.awaitTermination(1, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        httpThreads.shutdownNow();
        looker = null;
    }

    @Override
    public boolean isRunning() {
        return looker != null;
    }

    private void look() {
        while (true) {
            // The generation before running: a stop sets running, then fires, so either this sees
            // it stopped or the wait below returns at once.
            long seen = wake.generation();
            if (!running) {
                return;
            }
            Duration wait;
            try {
                armEnded();
                claimDue();
                wait = untilNextLook();
            } catch (RuntimeException e) { // the database away a moment: look again later
                log.warn("could not look for due callbacks; trying again: {}", e.toString());
                wait = settings.pollInterval();
            }
            Duration untilSweep = Duration.ofNanos(Math.max(nextSweep - System.nanoTime(), 1_000_000));
            try {
                wake.awaitAfter(seen, untilSweep.compareTo(wait) < 0 ? untilSweep : wait);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Makes due the callbacks of the jobs that ended here since the last look, and, when its time has come, sweeps for the others. */
    private void armEnded() {
        Instant now = clock.instant();
        List<Long> batch = new ArrayList<>(ARM_BATCH);
        while (ended.drainTo(batch, ARM_BATCH) > 0) {
            try {
                callbacks.arm(batch, now);
            } catch (RuntimeException e) {
                endedMissed = true; // the sweep finds them
                throw e;
            }
            batch.clear();
        }
        if (endedMissed || System.nanoTime() - nextSweep >= 0) {
            endedMissed = false;
            nextSweep = System.nanoTime() + settings.pollInterval().toNanos();
            List<Long> endedElsewhere;
            do {
                endedElsewhere = callbacks.endedUnarmed(ARM_BATCH);
                callbacks.arm(endedElsewhere, now);
            } while (endedElsewhere.size() == ARM_BATCH && running);
        }
    }

    private void claimDue() {
        int room = free.availablePermits();
        if (room == 0) {
            return;
        }
        Instant now = clock.instant();
        Instant until = now.plus(settings.connectTimeout()).plus(settings.responseTimeout()).plus(CLAIM_MARGIN);
        for (CallbackRepository.Due due : callbacks.due(now, room)) {
            if (!running || !free.tryAcquire()) {
                return;
            }
            boolean handed = false;
            try {
                if (callbacks.claim(due, now, until)) {
                    int attempt = due.attempts() + 1;
                    senders.execute(() -> {
                        try {
                            deliver(due, attempt);
                        } finally {
                            free.release();
                        }
                    });
                    handed = true;
                }
            } finally {
                if (!handed) {
                    free.release();
                }
            }
        }
    }

    /**
     * Until the next due delivery, or the poll interval; while deliveries are under way at most
     * {@link #BUSY_LOOK} (one may have scheduled a retry), and with every sender busy at least
     * that, so that a backlog is not looked at in a spin.
     */
    private Duration untilNextLook() {
        Duration wait = settings.pollInterval();
        if (free.availablePermits() == 0) {
            return BUSY_LOOK.compareTo(wait) < 0 ? BUSY_LOOK : wait;
        }
        if (free.availablePermits() < settings.threads() && BUSY_LOOK.compareTo(wait) < 0) {
            wait = BUSY_LOOK;
        }
        Optional<Instant> next = callbacks.nextDue();
        if (next.isPresent()) {
            Duration untilDue = Duration.between(clock.instant(), next.get());
            if (untilDue.compareTo(wait) < 0) {
                wait = untilDue.isNegative() || untilDue.isZero() ? Duration.ofMillis(10) : untilDue;
            }
        }
        return wait;
    }

    /** One delivery of a claimed callback: attempt is its number, 1 for the first. */
    private void deliver(CallbackRepository.Due due, int attempt) {
        String id = due.publicJobId();
        try (var context = MDC.putCloseable("job", id)) {
            if (attempt > settings.maxAttempts()) { // counted by an instance that died sending it
                callbacks.record(due.jobId(), attempt, State.FAILED, null, clock.instant());
                log.warn("callback of job {} failed for good: its last attempt was cut short", id);
                return;
            }
            Optional<Job> job = jobs.find(due.jobId());
            if (job.isEmpty()) {
                return; // deleted meanwhile (retention), and its callback with it
            }
            Integer status = null;
            String failure;
            try {
                status = send(due, json.writeValueAsBytes(job.get()));
                failure = status / 100 == 2 ? null : "answered " + status;
            } catch (IOException e) { // refused, reset, timed out (HttpTimeoutException)
                failure = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return; // shutting down: the claim runs out and it is sent again
            }
            Instant now = clock.instant();
            if (failure == null) {
                callbacks.record(due.jobId(), attempt, State.DELIVERED, status, now);
                log.info("callback of job {} delivered (attempt {}, status {})", id, attempt, status);
            } else if (attempt >= settings.maxAttempts()) {
                callbacks.record(due.jobId(), attempt, State.FAILED, status, now);
                log.warn("callback of job {} failed for good after {} attempts: {}", id, attempt, failure);
            } else {
                Duration delay = backoff.after(attempt);
                callbacks.record(due.jobId(), attempt, State.PENDING, status, now.plus(delay));
                log.info("callback of job {} not delivered (attempt {}: {}); again in {}", id, attempt, failure, delay);
            }
        } catch (RuntimeException e) { // the database: the claim runs out and it is sent again
            log.warn("callback of job {} could not be recorded: {}", id, e.toString());
        }
    }

    /**
     * The answer's status. The answer's body is not read: the stream is closed at once, which
     * drops the connection, so that a receiver that sends an endless body holds no sender (the
     * request's timeout ends at the answer's headers, not at its body).
     */
    private int send(CallbackRepository.Due due, byte[] body) throws IOException, InterruptedException {
        String timestamp = Long.toString(clock.instant().getEpochSecond());
        HttpRequest request = HttpRequest.newBuilder(URI.create(due.url()))
                .timeout(settings.responseTimeout())
                .header("Content-Type", "application/json")
                .header("User-Agent", "chainlink-callbacks")
                .header(Callbacks.SIGNATURE, CallbackSignature.ofBody(due.secret(), body))
                .header(Callbacks.TIMESTAMP, timestamp)
                .header(Callbacks.TIMESTAMP_SIGNATURE, CallbackSignature.ofTimestampedBody(due.secret(), timestamp, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        response.body().close();
        return response.statusCode();
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
