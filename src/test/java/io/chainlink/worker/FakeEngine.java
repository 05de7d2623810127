package io.chainlink.worker;

import io.chainlink.engine.ContainerEngine;
import io.chainlink.engine.EngineException;
import io.chainlink.engine.StageOutcome;
import io.chainlink.stage.PullPolicy;
import io.chainlink.stage.StageSpec;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

/**
 * An engine in memory, scripted per stage: what create, start and await do for stage {@code i}
 * (container {@code "c<i>"}). Records every call, so a test can say what the runner asked for.
 */
class FakeEngine implements ContainerEngine {

    /** How a stage's await ends: with an outcome, by throwing, or not before its container is killed. */
    interface Behaviour {
        StageOutcome await(String container, OutputStream stdout) throws InterruptedException;
    }

    final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    final Map<Integer, RuntimeException> createFails = new HashMap<>();
    final Map<Integer, RuntimeException> startFails = new HashMap<>();
    final Map<Integer, Behaviour> stages = new HashMap<>();
    RuntimeException prepareFails;
    /** What {@link #putFiles} was given, by container. */
    final Map<String, byte[]> put = new ConcurrentHashMap<>();
    /** What {@link #copyJob} hands over: the engine's archive of /job (entries named job/...); none, a failure. */
    volatile byte[] jobArchive;
    final CountDownLatch awaiting = new CountDownLatch(1);
    private final Map<String, CountDownLatch> kills = new ConcurrentHashMap<>();

    static StageOutcome exit(int code) {
        return new StageOutcome(code, false, "{\"Status\": \"exited\", \"ExitCode\": " + code + "}");
    }

    static Behaviour printsAndExits(String line, int code) {
        return (container, stdout) -> {
            try {
                stdout.write(line.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return exit(code);
        };
    }

    /** Runs until killed, then reports exit 137. */
    Behaviour runsUntilKilled() {
        return (container, stdout) -> {
            CountDownLatch killed = kills.computeIfAbsent(container, c -> new CountDownLatch(1));
            awaiting.countDown();
            if (!killed.await(10, TimeUnit.SECONDS)) {
                throw new AssertionError("never killed");
            }
            return exit(137);
        };
    }

    @Override
    public Map<String, Duration> prepareImages(Map<String, PullPolicy> images, String tenant, BooleanSupplier stopping) {
        calls.add("prepare " + images.keySet());
        if (prepareFails != null) {
            throw prepareFails;
        }
        return Map.of();
    }

    @Override
    public Optional<Map<String, Duration>> checkImages(Map<String, PullPolicy> images, String tenant) {
        return Optional.empty(); // the runner's tests go through prepareImages
    }

    @Override
    public String newVolume(String job) {
        calls.add("volume");
        return "v";
    }

    @Override
    public String create(String job, int stage, StageSpec spec, String volume) {
        calls.add("create " + stage);
        if (createFails.containsKey(stage)) {
            throw createFails.get(stage);
        }
        return "c" + stage;
    }

    /** A made-up image id, one per stage: what the runner records as the stage's image. */
    static String imageIdOf(String container) {
        return "sha256:" + "0".repeat(63) + container.substring(1);
    }

    @Override
    public String imageDigest(String container, StageSpec spec) {
        return imageIdOf(container); // not among the calls: the runner's tests name the engine's verbs
    }

    @Override
    public void putFiles(String container, java.io.InputStream tar) {
        calls.add("put files in " + container);
        try {
            put.put(container, tar.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void copyJob(String container, ArchiveReader reader) {
        calls.add("copy /job of " + container);
        if (jobArchive == null) {
            throw new EngineException("the engine could not copy /job out of the container: no such container");
        }
        try {
            reader.read(new java.io.ByteArrayInputStream(jobArchive));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void start(String container) {
        calls.add("start " + container);
        RuntimeException failure = startFails.get(Integer.parseInt(container.substring(1)));
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public StageOutcome await(String container, StageSpec spec, OutputStream stdout, OutputStream stderr) {
        calls.add("await " + container);
        try {
            return stages.getOrDefault(Integer.parseInt(container.substring(1)), (c, out) -> exit(0)).await(container, stdout);
        } catch (InterruptedException e) {
            throw new EngineException("interrupted");
        }
    }

    @Override
    public void kill(String container) {
        calls.add("kill " + container);
        kills.computeIfAbsent(container, c -> new CountDownLatch(1)).countDown();
    }

    @Override
    public void remove(List<String> containers, String volume) {
        calls.add("remove " + containers + " " + volume);
    }

    @Override
    public boolean removeLeftovers(String job) {
        calls.add("remove leftovers of " + job);
        return true;
    }

    @Override
    public boolean sweep(UnaryOperator<List<String>> removable) {
        calls.add("sweep");
        return true;
    }
}
