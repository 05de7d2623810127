package io.chainlink.it;

import io.chainlink.ChainlinkApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * The service in a JVM process of its own, started from this build's classpath as an operator
 * starts the service, so that a test can kill it as a crash does: no shutdown hook, no last write.
 * Its output goes to a file beside its database, named in every failure to start.
 */
final class ServiceProcess implements AutoCloseable {

    private static final Duration STARTUP = Duration.ofSeconds(90);

    private final Process process;
    private final ServiceApi api;

    private ServiceProcess(Process process, int port) {
        this.process = process;
        this.api = new ServiceApi(port);
    }

    /** Starts the service on {@code data} and returns once it answers HTTP; {@code name} names its output file. */
    static ServiceProcess start(Path data, String name, String... arguments) {
        int port = freePort();
        Path output = data.resolve(name + ".log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"),
                ChainlinkApplication.class.getName(),
                "--server.address=127.0.0.1", "--server.port=" + port,
                "--chainlink.data-dir=" + data.toAbsolutePath(), "--chainlink.stop-grace=1s"));
        command.addAll(List.of(arguments));
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ServiceProcess service = new ServiceProcess(process, port);
        try {
            Awaitility.await("the service process answers on port " + port + " (its output: " + output + ")")
                    .atMost(STARTUP).pollInterval(Duration.ofMillis(200))
                    .failFast("the service process exited (its output: " + output + ")", () -> !process.isAlive())
                    .ignoreExceptions()
                    .until(() -> Set.of(200, 503).contains(service.api.get("/actuator/health").status()));
        } catch (RuntimeException | Error e) {
            service.close();
            throw e;
        }
        return service;
    }

    ServiceApi api() {
        return api;
    }

    /** SIGKILL, as {@code kill -9} or the kernel's OOM killer ends it; returns its exit status once it is gone. */
    int kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("process " + process.pid() + " outlived SIGKILL for 30 s");
        }
        return process.exitValue();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** A graceful stop (SIGTERM), forced if it takes long; nothing is left running whatever happened before. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
