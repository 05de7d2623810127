package io.chainlink.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL cluster of the test's own: initdb into a temporary directory, the server on
 * 127.0.0.1 and a free port, its socket in that directory too, removed by {@link #close()}. Never
 * the machine's own cluster. Needs PostgreSQL's binaries (Debian's postgresql-15: .ci/run installs
 * it); without them it fails, naming what is missing.
 *
 * <p>initdb refuses to run as root, so as root the cluster runs as the {@code postgres} user
 * (runuser), in a directory that user owns.
 */
public final class PostgresServer implements AutoCloseable {

    /** The cluster's superuser; trust authentication on 127.0.0.1 only, so any password is taken. */
    public static final String USER = "chainlink";
    public static final String PASSWORD = "unused-with-trust";

    private final Path bin;
    private final Path dir;
    private final int port;

    private PostgresServer(Path bin, Path dir, int port) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
    }

    public static PostgresServer start() throws IOException, InterruptedException {
        Path bin = binaries();
        // Under /tmp, not target/: the postgres user must reach it, and a worktree may be under a root-only home.
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "chainlink-pg");
        if (isRoot()) {
            run(List.of("chown", "postgres:postgres", dir.toString()));
        }
        Path data = dir.resolve("data");
        int port = freePort();
        var server = new PostgresServer(bin, dir, port);
        try {
            server.asOwner(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", USER,
                    "--auth=trust", "-E", "UTF8", "--no-sync"));
            server.serverStart();
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    private void serverStart() throws IOException, InterruptedException {
        // fsync off: these tests restart the service and the server, never the machine.
        asOwner(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-w", "-t", "60",
                "-l", dir.resolve("server.log").toString(),
                "-o", "-c listen_addresses=127.0.0.1 -p " + port + " -k " + dir + " -c fsync=off", "start"));
    }

    /** A new, empty database on this server; its JDBC URL. */
    public String createDatabase() {
        String name = "chainlink_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection connection = DriverManager.getConnection(url("postgres"), USER, PASSWORD);
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create a database on the test's PostgreSQL", e);
        }
        return url(name);
    }

    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** The properties a user sets to run the service on this database: the URL, user and password, nothing else. */
    public static List<String> arguments(String url) {
        return List.of("--spring.datasource.url=" + url, "--spring.datasource.username=" + USER,
                "--spring.datasource.password=" + PASSWORD);
    }

    /**
     * Stops the server as a crash of the database would look to its clients (every session cut),
     * and starts it again on the same port and data: what the service must ride out.
     */
    public void restart() throws IOException, InterruptedException {
        stop("fast");
        serverStart();
    }

    /**
     * Stops once its clients have gone (a "smart" stop: at JVM exit the services' contexts close
     * their pools meanwhile, where a fast stop cut them and their last writes waited out the
     * pool's timeout), cut short after 20 s; then removes its files.
     */
    @Override
    public void close() {
        try {
            if (Files.exists(dir.resolve("data").resolve("postmaster.pid"))) {
                try {
                    stop("smart");
                } catch (IOException e) {
                    stop("fast");
                }
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("the test's PostgreSQL did not stop: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                System.err.println("could not remove " + dir + ": " + e.getMessage());
            }
        }
    }

    private void stop(String mode) throws IOException, InterruptedException {
        asOwner(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(),
                "-w", "-t", "smart".equals(mode) ? "20" : "60", "-m", mode, "stop"));
    }

    private static Path binaries() {
        Path root = Path.of("/usr/lib/postgresql");
        try (Stream<Path> versions = Files.isDirectory(root) ? Files.list(root) : Stream.empty()) {
            return versions.map(version -> version.resolve("bin"))
                    .filter(bin -> Files.isExecutable(bin.resolve("initdb")))
                    .max(java.util.Comparator.naturalOrder())
                    .orElseThrow(() -> new IllegalStateException("These tests need PostgreSQL's binaries"
                            + " (/usr/lib/postgresql/<version>/bin/initdb; Debian's postgresql-15, which bash .ci/run installs)"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void asOwner(List<String> command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (isRoot()) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        run(full);
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        // pg_ctl's server keeps no handle on this pipe (-l sends its output to the log), so this read ends.
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IOException(String.join(" ", command) + " failed:\n" + output);
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
