package io.chainlink.engine;

import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient.Request.Method;
import io.chainlink.config.ChainlinkProperties;
import io.chainlink.job.StoreId;
import io.chainlink.stage.PullPolicy;
import io.chainlink.stage.StageSpec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** {@link ContainerEngine} on the Docker engine, through docker-java; every call with a deadline ({@link EngineCalls}). */
@Component
public class DockerEngine implements ContainerEngine, AutoCloseable {

    static final int PARALLEL_PULLS = 4;

    private static final Logger log = LoggerFactory.getLogger(DockerEngine.class);

    private final EngineConnection engine;
    private final EngineCalls calls;
    private final ImagePuller puller;
    private final JsonMapper json;
    private final LogReader logs;
    private final LeftoverSweeper sweeper;
    private final StoreId store;
    private final Containment containment;
    private final OomEvents oomEvents;
    /** The job volumes whose root is already mode 0777. */
    private final Set<String> openVolumes = ConcurrentHashMap.newKeySet();
    /**
     * Kills containers that outlive their timeout, and gives up on streams past timeout and grace.
     * A kill can take up to the call deadline when the engine hangs, so more than one thread.
     */
    private final ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(2, runnable -> {
        Thread thread = new Thread(runnable, "chainlink-timeouts");
        thread.setDaemon(true);
        return thread;
    });

    public DockerEngine(EngineConnection engine, EngineCalls calls, ImagePuller puller, JsonMapper json, LogReader logs,
                        LeftoverSweeper sweeper, StoreId store, ChainlinkProperties properties, OomEvents oomEvents) {
        // A stage that ends before its timeout cancels its kill; drop it then, not a week later.
        timers.setRemoveOnCancelPolicy(true);
        this.engine = engine;
        this.calls = calls;
        this.puller = puller;
        this.json = json;
        this.logs = logs;
        this.sweeper = sweeper;
        this.store = store;
        this.containment = properties.containment();
        this.oomEvents = oomEvents;
    }

    @Override
    public Map<String, Duration> prepareImages(Map<String, PullPolicy> images, String tenant, BooleanSupplier stopping) {
        return puller.prepare(images, tenant, stopping);
    }

    @Override
    public Optional<Map<String, Duration>> checkImages(Map<String, PullPolicy> images, String tenant) {
        return puller.checkPresent(images, tenant);
    }

    @Override
    public String newVolume(String job) {
        // Made, with its labels, by the engine with the job's first container: one call fewer per job.
        return "chainlink-job-" + job + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Override
    public String create(String job, int stage, StageSpec spec, String volume) {
        boolean open = !openVolumes.contains(volume) && runsAsNonRoot(spec);
        String container = calls.call("create stage " + stage + "'s container",
                () -> ContainerSettings.createCommand(engine.client(), labels(job), stage, spec, volume, containment)
                        .exec().getId());
        if (open) {
            try {
                openJobDirectory(container);
            } catch (RuntimeException e) {
                remove(List.of(container), null); // the runner never learns its id
                throw e;
            }
            openVolumes.add(volume);
        }
        return container;
    }

    /**
     * Makes the volume's root mode 0777, as chainlink makes its /job directory, so a stage that
     * runs as any user can write there. Through the engine's API only (the service may run in a
     * container, or far from the engine): a tar holding one directory entry {@code job/} with mode
     * 0777, put at {@code /} of the created container, sets the mounted volume's root mode (an
     * entry {@code ./} at {@code /job} is skipped by the engine). It costs about a fifth of a
     * trivial stage, so only a chain with a non-root stage pays it, once.
     */
    private void openJobDirectory(String container) {
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(tar)) {
            TarArchiveEntry entry = new TarArchiveEntry("job/");
            entry.setMode(040777);
            out.putArchiveEntry(entry);
            out.closeArchiveEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        calls.run("open /job to every user", () -> engine.client().copyArchiveToContainerCmd(container)
                .withRemotePath("/")
                .withTarInputStream(new ByteArrayInputStream(tar.toByteArray()))
                .exec());
    }

    /** Whether the stage's process runs as someone other than root: by its user, or its image's (as the job's check found it). */
    private boolean runsAsNonRoot(StageSpec spec) {
        String user = spec.user() != null ? spec.user() : puller.user(spec.runs());
        if (user.isEmpty()) {
            return false;
        }
        String name = user.split(":", 2)[0];
        return !name.equals("0") && !name.equals("root");
    }

    private Labels labels(String job) {
        return new Labels(store.value(), job);
    }

    /**
     * From the created container, not from the job's check of the image: its tag may have been
     * moved since, and the container holds the image it will run by id.
     */
    @Override
    public String imageDigest(String container, StageSpec spec) {
        String id = calls.call("inspect stage's container for its image",
                () -> engine.client().inspectContainerCmd(container).exec().getImageId());
        return ImageDigest.of(spec.image(), id, puller.repoDigests(spec.runs(), id));
    }

    @Override
    public void putFiles(String container, java.io.InputStream tar) {
        // The volume is mounted for archive operations on a created container, and /job exists there (its mount point).
        calls.run("put the job's files in /job", () -> engine.client().copyArchiveToContainerCmd(container)
                .withRemotePath("/job")
                .withTarInputStream(tar)
                .exec());
    }

    @Override
    public void copyJob(String container, ArchiveReader reader) {
        // Read within the call, so that its deadline bounds the whole copy, not only its first answer.
        calls.run("copy /job out of the container", () -> {
            try (java.io.InputStream archive = engine.client().copyArchiveFromContainerCmd(container, "/job").exec()) {
                reader.read(archive);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    @Override
    public void start(String container) {
        calls.run("start the container", () -> engine.client().startContainerCmd(container).exec());
    }

    @Override
    public StageOutcome await(String container, StageSpec spec, OutputStream stdout, OutputStream stderr) {
        AtomicBoolean killed = new AtomicBoolean();
        ScheduledFuture<?> timeout = timers.schedule(LogContext.carried(() -> killed.set(killIfRunning(container))),
                spec.timeoutMillis(), TimeUnit.MILLISECONDS);
        Watchdog watchdog = new Watchdog();
        ScheduledFuture<?> giveUp = timers.schedule(watchdog::fire,
                spec.timeoutMillis() + calls.deadline().toMillis(), TimeUnit.MILLISECONDS);
        long stopped;
        try {
            // The follow returns when the container stops; it misses what came after a rotation it fell behind.
            LogReader.Followed followed = spec.logs() ? logs.follow(container, stdout, stderr, watchdog) : null;
            waitUntilStopped(container, watchdog);
            stopped = System.nanoTime();
            if (followed != null) {
                catchUp(followed);
            }
        } catch (EngineException e) {
            if (watchdog.fired()) {
                killIfRunning(container);
                throw new EngineTimeoutException("the engine did not report the container's end within its timeout and "
                        + calls.deadline().toSeconds() + " s more");
            }
            throw e;
        } finally {
            giveUp.cancel(false);
            if (!timeout.cancel(false)) {
                awaitKill(timeout); // the kill may have stopped the container before its call returned
            }
        }
        JsonNode state = inspectState(container);
        if (!killed.get() && state instanceof ObjectNode engineSaid && oomEvents.missedBy(container, state)) {
            engineSaid.put("OOMKilled", true);
        }
        // A kill that raced the container's own exit is still a kill: the task ran and the
        // container died of it; a kill of a stopped container fails and leaves "killed" false.
        return new StageOutcome(state.path("ExitCode").asInt(-1), killed.get(), json.writeValueAsString(state),
                Duration.ofNanos(System.nanoTime() - stopped));
    }

    /** Reads what the follow missed, within a call deadline of its own: the stage's deadline may be near. */
    private void catchUp(LogReader.Followed followed) {
        Watchdog watchdog = new Watchdog();
        ScheduledFuture<?> giveUp = timers.schedule(watchdog::fire, calls.deadline().toMillis(), TimeUnit.MILLISECONDS);
        try {
            logs.catchUp(followed, watchdog);
        } catch (EngineException e) {
            throw watchdog.fired() ? new EngineTimeoutException("the engine did not hand over the container's logs within "
                    + calls.deadline().toSeconds() + " s") : e;
        } finally {
            giveUp.cancel(false);
        }
    }

    /** Waits for a timeout's kill that has started, so that "killed" is known before it is read. */
    private static void awaitKill(ScheduledFuture<?> kill) {
        try {
            kill.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | CancellationException e) {
            // killIfRunning never throws; nothing else ends this task
        }
    }

    @Override
    public void kill(String container) {
        killIfRunning(container);
    }

    private boolean killIfRunning(String container) {
        try {
            calls.run("kill the container", () -> engine.client().killContainerCmd(container).exec());
            return true;
        } catch (EngineException e) {
            if (e.getCause() instanceof NotFoundException || e.getCause() instanceof ConflictException) {
                return false; // already stopped or gone
            }
            log.warn("could not kill container {}: {}", container, e.getMessage());
            return false;
        }
    }

    private void waitUntilStopped(String container, Watchdog watchdog) {
        try (DockerHttpClient.Response response = calls.call("wait for the container",
                () -> engine.execute(Method.POST, "/containers/" + container + "/wait?condition=not-running"))) {
            watchdog.watch(response);
            EngineErrors.expectOk(response, "wait for the container");
            response.getBody().transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new EngineUnavailableException("the Docker engine at " + engine.host()
                    + " could not be reached: the connection broke while waiting for the container: " + e.getMessage(), e);
        }
    }

    /** The State as the engine returned it, not docker-java's model of it, which drops fields. */
    private JsonNode inspectState(String container) {
        return calls.call("inspect the container", () -> {
            try (DockerHttpClient.Response response = engine.execute(Method.GET, "/containers/" + container + "/json")) {
                EngineErrors.expectOk(response, "inspect the container");
                return json.readTree(response.getBody()).path("State");
            }
        });
    }

    @Override
    public void remove(List<String> containers, String volume) {
        sweeper.removeLater(List.copyOf(containers), volume);
        if (volume != null) {
            openVolumes.remove(volume);
        }
    }

    @Override
    public boolean removeLeftovers(String job) {
        return sweeper.removeJob(store.value(), job);
    }

    @Override
    public boolean sweep(java.util.function.UnaryOperator<List<String>> removable) {
        return sweeper.sweep(store.value(), removable);
    }

    @Override
    public void close() {
        timers.shutdownNow();
    }
}
