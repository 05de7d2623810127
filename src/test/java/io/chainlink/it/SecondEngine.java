package io.chainlink.it;

import com.github.dockerjava.api.DockerClient;
import io.chainlink.engine.EngineConnection;
import io.chainlink.support.TestProperties;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.springframework.util.FileSystemUtils;

/**
 * A Docker engine of the test's own, which the test kills and starts again; the machine's engine
 * is never touched. Its socket, data, exec root and pid file live in a fresh directory, and it runs
 * in a network namespace of its own ({@code unshare --net}): a second engine in the same one
 * deletes the first one's docker0 bridge, even with {@code --bridge none}. It has no bridge, so
 * stages on it need {@code "networking": false}.
 *
 * <p>It runs with {@code --live-restore}: a container that outlived a killed engine is taken back
 * when the engine starts again. Without it the engine stops such a container first, and a stage
 * that sleeps as PID 1 ignores SIGTERM, which holds the start up for the 10 s stop timeout.
 */
final class SecondEngine implements AutoCloseable {

    private static final Duration STARTUP = Duration.ofSeconds(60);

    /** Short, under /tmp: a unix socket's path has at most 107 bytes, containerd's lies deep inside. */
    private final Path dir;
    /** dockerd's output, kept beside the test databases for the diagnosis of a failure. */
    private final Path output;
    private final EngineConnection connection;
    private Process dockerd;

    private SecondEngine(Path dir, Path output) {
        this.dir = dir;
        this.output = output;
        this.connection = new EngineConnection(TestProperties.of(Map.of("chainlink.docker-host", host())));
    }

    /** A new engine, started, with {@code image} loaded from the machine's engine. */
    static SecondEngine start(String image) throws IOException {
        Path dir = Files.createTempDirectory("chainlink-engine-");
        Path output = Files.createDirectories(Path.of("target", "test-data")).resolve(dir.getFileName() + ".log");
        SecondEngine engine = new SecondEngine(dir, output);
        try {
            // Its own, empty, configuration: never the machine engine's /etc/docker/daemon.json.
            Files.writeString(dir.resolve("daemon.json"), "{}");
            engine.start();
            try (EngineConnection machine = new EngineConnection(TestProperties.of(Map.of()));
                 InputStream tar = machine.client().saveImageCmd(image).exec()) {
                engine.client().loadImageCmd(tar).exec();
            }
            return engine;
        } catch (IOException | RuntimeException | Error e) {
            engine.close();
            throw e;
        }
    }

    String host() {
        return "unix://" + dir.resolve("docker.sock");
    }

    DockerClient client() {
        return connection.client();
    }

    /** Starts dockerd on this engine's directories (again, after a kill) and returns once it answers. */
    void start() throws IOException {
        // A killed engine leaves its pid files behind, and dockerd refuses to start over its own.
        Files.deleteIfExists(dir.resolve("docker.pid"));
        Files.deleteIfExists(dir.resolve("exec/containerd/containerd.pid"));
        Process process = new ProcessBuilder("unshare", "--net", "dockerd",
                "--config-file", dir.resolve("daemon.json").toString(),
                "--host", host(),
                "--data-root", dir.resolve("data").toString(),
                "--exec-root", dir.resolve("exec").toString(),
                "--pidfile", dir.resolve("docker.pid").toString(),
                "--cgroup-parent", "/" + dir.getFileName(),
                "--bridge", "none", "--iptables=false", "--live-restore")
                .redirectErrorStream(true).redirectOutput(Redirect.appendTo(output.toFile()))
                .start();
        dockerd = process;
        Awaitility.await("the second engine answers at " + host() + " (its output: " + output + ")")
                .atMost(STARTUP).pollInterval(Duration.ofMillis(200))
                .failFast("dockerd exited (its output: " + output + ")", () -> !process.isAlive())
                .ignoreExceptions()
                .until(() -> !connection.version().version().isBlank());
    }

    /**
     * Kills dockerd and its containerd (SIGKILL), as a crash does; containers run on in their shims.
     * Returns once both are gone.
     */
    void kill() throws InterruptedException {
        List<ProcessHandle> containerd = dockerd.children().toList();
        dockerd.destroyForcibly();
        containerd.forEach(ProcessHandle::destroyForcibly);
        awaitGone(Stream.concat(Stream.of(dockerd.toHandle()), containerd.stream()).toList());
    }

    /**
     * Stops dockerd as its service manager does (SIGTERM): it closes its connections and exits, and
     * its containerd with it; under live-restore its containers run on. Returns once both are gone.
     */
    void stop() throws InterruptedException {
        List<ProcessHandle> containerd = dockerd.children().toList();
        dockerd.destroy();
        awaitGone(Stream.concat(Stream.of(dockerd.toHandle()), containerd.stream()).toList());
    }

    /**
     * Whatever happened: its containers removed, dockerd stopped, any process left that names its
     * directory killed with what it runs (shims after a kill), its mounts undone, its directory gone.
     */
    @Override
    public void close() {
        try {
            if (dockerd != null && dockerd.isAlive()) {
                removeContainers(); // under live-restore a stopping engine leaves them running
                dockerd.destroy();
                if (!dockerd.waitFor(30, TimeUnit.SECONDS)) {
                    dockerd.destroyForcibly();
                }
            }
            killProcessesLeft();
            removeCgroups();
            unmount();
            FileSystemUtils.deleteRecursively(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                connection.close();
            } catch (IOException e) {
                // nothing more to free
            }
        }
    }

    private void removeContainers() {
        try {
            client().listContainersCmd().withShowAll(true).exec()
                    .forEach(c -> client().removeContainerCmd(c.getId()).withForce(true).exec());
        } catch (RuntimeException e) {
            // the processes are killed below
        }
    }

    private void killProcessesLeft() throws InterruptedException {
        List<ProcessHandle> named = ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(line -> line.contains(dir.toString())).orElse(false))
                .toList();
        List<ProcessHandle> all = Stream.concat(named.stream().flatMap(ProcessHandle::descendants), named.stream()).toList();
        all.forEach(ProcessHandle::destroyForcibly);
        awaitGone(all);
    }

    /**
     * The cgroups of its containers live under a parent named as its directory in every hierarchy
     * (cgroup v1: one per controller; v2: one); a container killed along with its shim leaves its
     * own behind, empty.
     */
    private void removeCgroups() throws IOException {
        Path root = Path.of("/sys/fs/cgroup");
        List<Path> parents;
        try (Stream<Path> found = Files.walk(root, 2)) {
            parents = found.filter(path -> path.getFileName() != null && path.getFileName().equals(dir.getFileName())).toList();
        }
        for (Path parent : parents) {
            try (Stream<Path> children = Files.list(parent)) {
                for (Path child : children.filter(Files::isDirectory).toList()) {
                    Files.deleteIfExists(child);
                }
            }
            Files.deleteIfExists(parent);
        }
    }

    /** Deepest first, lazily: a mount still busy goes once its last user does. */
    private void unmount() throws IOException, InterruptedException {
        List<String> mounts;
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/mountinfo"))) {
            mounts = lines.map(line -> line.split(" ")[4])
                    .filter(point -> point.startsWith(dir + "/"))
                    .sorted(Comparator.comparingInt(String::length).reversed())
                    .toList();
        }
        for (String point : mounts) {
            new ProcessBuilder("umount", "-l", point).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static void awaitGone(List<ProcessHandle> processes) throws InterruptedException {
        try {
            CompletableFuture.allOf(processes.stream().map(ProcessHandle::onExit).toArray(CompletableFuture[]::new))
                    .get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("processes outlived SIGKILL for 30 s: " + processes, e);
        }
    }
}
