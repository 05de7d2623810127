package io.chainlink.engine;

import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.command.PullImageResultCallback;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.AuthConfig;
import com.github.dockerjava.api.model.PullResponseItem;
import io.chainlink.config.ChainlinkProperties;
import io.chainlink.metrics.ChainlinkMetrics;
import io.chainlink.stage.PullPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** Makes a job's images present before its first stage: each image once, in parallel, by its policy. */
@Component
public class ImagePuller implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ImagePuller.class);
    /** How soon a shutdown is noticed while pulls run. */
    static final Duration STOP_CHECK = Duration.ofMillis(200);
    private static final int RECENT_IMAGES = 256;

    private final EngineConnection engine;
    private final EngineCalls calls;
    private final RegistryCredentials credentials;
    private final Duration timeout;
    private final Duration stall;
    private final ExecutorService pulls;
    private final ChainlinkMetrics metrics;
    /** What the check of each image found lately, for the stages of the job that checked it; bounded. */
    private final Map<String, Facts> facts = Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Facts> eldest) {
            return size() > RECENT_IMAGES;
        }
    });

    /** An image as its inspect describes it: the user it runs as ("" for root), its id, its repo digests. */
    private record Facts(String user, String id, List<String> repoDigests) {
    }

    public ImagePuller(EngineConnection engine, EngineCalls calls, RegistryCredentials credentials, ChainlinkProperties properties,
                       ChainlinkMetrics metrics) {
        this.engine = engine;
        this.calls = calls;
        this.credentials = credentials;
        this.timeout = properties.pullTimeout();
        this.stall = properties.pullStall();
        this.pulls = Executors.newFixedThreadPool(Math.max(1, properties.workers()) * DockerEngine.PARALLEL_PULLS, runnable -> {
            Thread thread = new Thread(runnable, "chainlink-pull");
            thread.setDaemon(true);
            return thread;
        });
        this.metrics = metrics;
    }

    /**
     * Makes every image present and returns how long each took (its check, and its pull if it had
     * one). Throws an EngineException naming every image that could not be made present, with the
     * engine's reason; or, within {@link #STOP_CHECK} of {@code stopping} turning true, one that
     * says so, after cancelling the pulls (which closes their streams, and the engine ends them).
     */
    public Map<String, Duration> prepare(Map<String, PullPolicy> images, String tenant, BooleanSupplier stopping) {
        Map<String, Future<Made>> pending = new LinkedHashMap<>();
        images.forEach((image, policy) -> pending.put(image, pulls.submit(LogContext.carried(() -> prepare(image, policy, tenant)))));
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> failures = new ArrayList<>();
        Map<String, Duration> took = new LinkedHashMap<>();
        pending.forEach((image, future) -> {
            try {
                Made made = awaitOrStop(future, deadline, stopping);
                made.failure().ifPresent(failures::add);
                took.put(image, made.took());
            } catch (StoppedException e) {
                pending.values().forEach(pull -> pull.cancel(true));
                throw new EngineException("the service stopped while pulling " + image);
            } catch (TimeoutException e) {
                future.cancel(true);
                failures.add("image " + image + " could not be pulled within " + timeout.toSeconds() + " s");
            } catch (ExecutionException e) {
                if (e.getCause() instanceof EngineUnavailableException unavailable) {
                    pending.values().forEach(pull -> pull.cancel(true));
                    throw unavailable;
                }
                failures.add("image " + image + " could not be pulled: " + e.getCause().getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failures.add("image " + image + ": interrupted while pulling");
            }
        });
        if (!failures.isEmpty()) {
            throw new EngineException(String.join("; ", failures));
        }
        return took;
    }

    /** What making one image present came to: why it is not there, if it is not, and how long it took. */
    private record Made(Optional<String> failure, Duration took) {
    }

    /** Waits for a pull in steps, so that a shutdown need not wait for the pull timeout. */
    private static Made awaitOrStop(Future<Made> pull, long deadline, BooleanSupplier stopping)
            throws InterruptedException, ExecutionException, TimeoutException {
        while (true) {
            if (stopping.getAsBoolean()) {
                throw new StoppedException();
            }
            long left = deadline - System.nanoTime();
            try {
                return pull.get(Math.max(0, Math.min(left, STOP_CHECK.toNanos())), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                if (left <= STOP_CHECK.toNanos()) {
                    throw e;
                }
            }
        }
    }

    private static final class StoppedException extends RuntimeException {
        StoppedException() {
            super(null, null, false, false);
        }
    }

    /**
     * Each image's check time, when every image is present and none is to be pulled: then the job
     * needs nothing of {@link #prepare}. Empty when one is to be pulled, or is missing under
     * "never" (prepare says so). The checks run in turn on the caller's thread: each is one inspect.
     */
    public Optional<Map<String, Duration>> checkPresent(Map<String, PullPolicy> images, String tenant) {
        Map<String, Duration> took = new LinkedHashMap<>();
        for (Map.Entry<String, PullPolicy> image : images.entrySet()) {
            long started = System.nanoTime();
            if (policy(image.getKey(), image.getValue(), tenant) == PullPolicy.ALWAYS || !isPresent(image.getKey())) {
                return Optional.empty();
            }
            took.put(image.getKey(), Duration.ofNanos(System.nanoTime() - started));
        }
        return Optional.of(took);
    }

    /**
     * The user an image runs as ("" for its default, root): as the job's check of it found, else
     * asked of the engine (after a pull, or once the check has left the bounded memory).
     */
    public String user(String image) {
        Facts found = facts.get(image);
        if (found == null) {
            isPresent(image);
            found = facts.get(image);
        }
        return found == null ? "" : found.user();
    }

    /**
     * The repo digests of the image with id {@code imageId}, which a container of {@code image}
     * runs: as the job's check found them when the check saw that very image (the tag may have
     * moved since), else asked of the engine by the id.
     */
    public List<String> repoDigests(String image, String imageId) {
        Facts found = facts.get(image);
        if (found != null && imageId.equals(found.id())) {
            return found.repoDigests();
        }
        InspectImageResponse inspected = calls.call("inspect image " + imageId, () -> engine.client().inspectImageCmd(imageId).exec());
        return inspected.getRepoDigests() == null ? List.of() : List.copyOf(inspected.getRepoDigests());
    }

    /**
     * An image from a registry whose configured credentials are another tenant's is always pulled,
     * with none: a copy another tenant pulled must not run for this one unchecked.
     */
    private PullPolicy policy(String image, PullPolicy asked, String tenant) {
        if (ImageDigest.isImageId(image)) {
            return PullPolicy.NEVER; // a regrade's pin to an image built on the engine: no registry has it
        }
        return credentials.withheldFrom(ImageRef.parse(image).registry(), tenant) ? PullPolicy.ALWAYS : asked;
    }

    private Made prepare(String image, PullPolicy asked, String tenant) {
        long started = System.nanoTime();
        PullPolicy policy = policy(image, asked, tenant);
        boolean present = isPresent(image);
        if (policy == PullPolicy.NEVER || (policy == PullPolicy.IF_NOT_PRESENT && present)) {
            return new Made(present ? Optional.empty() : Optional.of(ImageDigest.isImageId(image)
                            ? "image " + image + ", the image id the stage is pinned to, is no longer on the engine (an id cannot be pulled)"
                            : "image " + image + " is not present and its pull policy is never"),
                    Duration.ofNanos(System.nanoTime() - started));
        }
        // Under "always" a failed pull fails the job: an older local copy is not what was asked for.
        long pullStarted = System.nanoTime();
        Optional<String> failure = pull(image, tenant);
        metrics.pullEnded(Duration.ofNanos(System.nanoTime() - pullStarted), failure.isEmpty());
        facts.remove(image); // what was noted is the copy before the pull: user() asks again
        return new Made(failure, Duration.ofNanos(System.nanoTime() - started));
    }

    /** Whether the image is on the engine; notes the user it runs as, which decides whether /job is opened. */
    private boolean isPresent(String image) {
        try {
            InspectImageResponse inspected = calls.call("inspect image " + image, () -> engine.client().inspectImageCmd(image).exec());
            String user = inspected.getConfig() == null ? null : inspected.getConfig().getUser();
            facts.put(image, new Facts(user == null ? "" : user, inspected.getId(),
                    inspected.getRepoDigests() == null ? List.of() : List.copyOf(inspected.getRepoDigests())));
            return true;
        } catch (EngineException e) {
            if (e.getCause() instanceof NotFoundException) {
                facts.remove(image);
                return false;
            }
            throw e;
        }
    }

    private Optional<String> pull(String image, String tenant) {
        ImageRef ref = ImageRef.parse(image);
        var command = engine.client().pullImageCmd(ref.repository()).withTag(ref.tag());
        // Always our credentials, even none: docker-java would otherwise add ~/.docker's itself.
        command.withAuthConfig(credentials.forRegistry(ref.registry(), tenant).orElseGet(AuthConfig::new));
        // Closing the callback ends the pull's stream and frees its connection, whatever happened.
        try (WatchedPull pull = command.exec(new WatchedPull())) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!pull.ended.await(STOP_CHECK.toMillis(), TimeUnit.MILLISECONDS)) {
                if (System.nanoTime() - pull.lastWord > stall.toNanos()) {
                    return Optional.of("image " + image + " could not be pulled: no progress for " + stall.toSeconds() + " s");
                }
                if (System.nanoTime() - deadline > 0) {
                    return Optional.of("image " + image + " could not be pulled within " + timeout.toSeconds() + " s");
                }
            }
            pull.awaitCompletion(); // it has ended: this throws the engine's error, if it sent one
            log.info("pulled {}", image);
            return Optional.empty();
        } catch (java.io.IOException e) {
            return Optional.of("image " + image + " could not be pulled: " + e.getMessage());
        } catch (RuntimeException e) {
            EngineException failure = EngineCalls.translate("pull " + image, e);
            if (failure instanceof EngineUnavailableException) {
                throw failure;
            }
            return Optional.of("image " + image + " could not be pulled: "
                    + (e instanceof DockerException docker ? EngineErrors.reason(docker) : e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("image " + image + ": interrupted while pulling");
        }
    }

    /**
     * A pull that notes when the engine last reported on it (progress lines come every few hundred
     * ms while it moves) and when it ended. Waited on through {@link #ended}: docker-java's timed
     * awaitCompletion closes the pull when it returns, so it cannot be called in steps.
     */
    private static final class WatchedPull extends PullImageResultCallback {

        final CountDownLatch ended = new CountDownLatch(1);
        volatile long lastWord = System.nanoTime();

        @Override
        public void onNext(PullResponseItem item) {
            lastWord = System.nanoTime();
            super.onNext(item);
        }

        @Override
        public void onComplete() {
            super.onComplete();
            ended.countDown();
        }

        @Override
        public void onError(Throwable failure) {
            super.onError(failure);
            ended.countDown();
        }
    }

    @Override
    public void close() {
        pulls.shutdownNow();
    }
}
