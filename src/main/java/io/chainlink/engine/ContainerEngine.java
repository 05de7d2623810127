package io.chainlink.engine;

import io.chainlink.stage.PullPolicy;
import io.chainlink.stage.StageSpec;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * The few things the runner asks of a container engine. Failures are {@link EngineException}s:
 * {@link EngineUnavailableException} when the engine cannot be reached at all,
 * {@link EngineTimeoutException} when it took a request and did not answer in time.
 */
public interface ContainerEngine {

    /**
     * Makes every image present, pulling in parallel as each one's policy says, with the registry
     * credentials that serve {@code tenant}; returns how long each image took. Gives up, and
     * abandons its pulls, soon after {@code stopping} turns true (a shutdown, a cancel).
     */
    Map<String, Duration> prepareImages(Map<String, PullPolicy> images, String tenant, BooleanSupplier stopping);

    /**
     * How long each image's check took, when every image is present and none is to be pulled for
     * {@code tenant}: then {@link #prepareImages} has nothing to do. Empty when it has.
     */
    Optional<Map<String, Duration>> checkImages(Map<String, PullPolicy> images, String tenant);

    /**
     * Names a new volume for a job's {@code /job}: {@link #create} makes it with the first container
     * that mounts it. Jobs are named by their public id here and below, as the engine's labels show them.
     */
    String newVolume(String job);

    /** Creates (does not start) a stage's container, and the job's volume if it is not there yet; returns its id. */
    String create(String job, int stage, StageSpec spec, String volume);

    /**
     * Puts a tar's entries, named relative to {@code /job}, into the job's volume through a created
     * (not started) container that mounts it. An engine call (about 60 ms): only for a job with files.
     */
    void putFiles(String container, java.io.InputStream tar);

    /** Reads an archive the engine hands over; the engine call's deadline covers the reading too. */
    interface ArchiveReader {
        void read(java.io.InputStream archive) throws java.io.IOException;
    }

    /**
     * Hands {@code reader} the engine's archive of the container's {@code /job} (stopped or not,
     * until it is removed): entries named {@code job/...}, links as link entries, never followed.
     */
    void copyJob(String container, ArchiveReader reader);

    /**
     * What a created container runs ({@link ImageDigest}): its image's repo digest in the stage's
     * repository, {@code name@sha256:...}, when the engine knows one, else the image id {@code sha256:...}.
     */
    String imageDigest(String container, StageSpec spec);

    /** Starts a created container. */
    void start(String container);

    /**
     * Blocks until a started container exits or is killed at {@code spec}'s timeout. Its output goes
     * to {@code stdout} and {@code stderr} as it comes (unless the spec keeps no logs).
     */
    StageOutcome await(String container, StageSpec spec, OutputStream stdout, OutputStream stderr);

    /** Kills a container if it still runs (a shutdown, a cancel); never throws. */
    void kill(String container);

    /**
     * Has a job's containers, then its volume, removed, soon and off the caller's thread; never
     * throws; what cannot be removed is logged and left for the sweep.
     */
    void remove(java.util.List<String> containers, String volume);

    /** Removes whatever a job left behind, found by its labels; false if the engine could not be asked. */
    boolean removeLeftovers(String job);

    /**
     * Removes every container and volume the service made whose job {@code removable} names, of
     * the jobs found on the engine; false if the engine could not be asked.
     */
    boolean sweep(java.util.function.UnaryOperator<java.util.List<String>> removable);
}
