package io.chainlink.stage;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A stage with every default resolved: what the runner and the engine read. Stored with the job
 * as JSON, so a queued job runs as it was submitted even if the service's defaults change.
 *
 * @param entrypoint  replaces the image's entrypoint and CMD; null keeps the image's
 * @param env         the job's environ with the stage's env over it
 * @param cpusetCpus  CPU list such as "0-3"; null for all CPUs
 * @param user        "uid", "uid:gid" or a user name; null for the image's user
 * @param capabilities added to the engine's default set, without {@code CAP_}; never null
 * @param cpus        a CPU quota in CPUs ({@code 0.5}: half of one CPU's time); null for no quota
 * @param imageId     the local image id ({@code sha256:...}) a regrade pinned the stage to, run in place of
 *                    what {@code image} names now; null to run {@code image}. Only for an image the engine
 *                    knows no repo digest of (built on it): one from a registry is pinned as {@code name@sha256:...}
 *                    in {@code image} itself. An id is never pulled, and policies judge the stage by {@code image}.
 */
public record StageSpec(
        String image,
        List<String> entrypoint,
        String hostname,
        long memoryBytes,
        boolean networking,
        boolean privileged,
        long timeoutMillis,
        Map<String, String> env,
        PullPolicy pull,
        String cpusetCpus,
        boolean logs,
        String user,
        List<String> capabilities,
        Double cpus,
        String imageId) {

    /** The least CPU quota: the kernel's least quota, 1 ms, over the 100 ms period. */
    public static final String MIN_CPUS = "0.01";
    public static final String MAX_CPUS = "1024";

    public StageSpec {
        // A job stored before capabilities existed has none.
        capabilities = capabilities == null ? List.of() : List.copyOf(capabilities);
    }

    /** A stage as submitted: it runs its image as named. */
    public StageSpec(String image, List<String> entrypoint, String hostname, long memoryBytes, boolean networking,
                     boolean privileged, long timeoutMillis, Map<String, String> env, PullPolicy pull, String cpusetCpus,
                     boolean logs, String user, List<String> capabilities, Double cpus) {
        this(image, entrypoint, hostname, memoryBytes, networking, privileged, timeoutMillis, env, pull, cpusetCpus,
                logs, user, capabilities, cpus, null);
    }

    /** What the engine is asked to run: the pinned image id, else the image as named. */
    public String runs() {
        return imageId != null ? imageId : image;
    }

    /** The same stage on another image reference, e.g. {@code name@sha256:...}. */
    public StageSpec withImage(String reference) {
        return new StageSpec(reference, entrypoint, hostname, memoryBytes, networking, privileged, timeoutMillis, env, pull,
                cpusetCpus, logs, user, capabilities, cpus, null);
    }

    /** The same stage, still named by {@code image}, run on exactly this local image id, which is never pulled. */
    public StageSpec withImageId(String id) {
        return new StageSpec(image, entrypoint, hostname, memoryBytes, networking, privileged, timeoutMillis, env,
                PullPolicy.NEVER, cpusetCpus, logs, user, capabilities, cpus, id);
    }

    public Duration timeout() {
        return Duration.ofMillis(timeoutMillis);
    }
}
