package io.chainlink.it;

import static org.assertj.core.api.Assertions.fail;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.AuthConfig;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * A real registry (Debian's docker-registry) on 127.0.0.1, optionally demanding a password
 * (htpasswd from apache2-utils). The engine treats 127.0.0.0/8 as an insecure registry, so plain
 * HTTP works. Stops its process on close.
 */
final class LocalRegistry implements AutoCloseable {

    final String host;
    private final Process process;
    private final Path dir;

    private LocalRegistry(String host, Process process, Path dir) {
        this.host = host;
        this.process = process;
        this.dir = dir;
    }

    static LocalRegistry open() {
        return start(null, null);
    }

    static LocalRegistry withPassword(String user, String password) {
        return start(user, password);
    }

    private static LocalRegistry start(String user, String password) {
        try {
            Path dir = Files.createTempDirectory("chainlink-registry");
            int port;
            try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                port = socket.getLocalPort();
            }
            String auth = "";
            if (user != null) {
                Process htpasswd = new ProcessBuilder("htpasswd", "-Bbn", user, password).start();
                String line = new String(htpasswd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                htpasswd.waitFor(30, TimeUnit.SECONDS);
                Files.writeString(dir.resolve("htpasswd"), line.strip() + "\n");
                auth = "auth:\n  htpasswd:\n    realm: chainlink-test\n    path: " + dir.resolve("htpasswd") + "\n";
            }
            Files.writeString(dir.resolve("config.yml"), """
                    version: 0.1
                    log:
                      level: warn
                    storage:
                      filesystem:
                        rootdirectory: %s
                    http:
                      addr: 127.0.0.1:%d
                    """.formatted(dir.resolve("data"), port) + auth);
            Process process = new ProcessBuilder("docker-registry", "serve", dir.resolve("config.yml").toString())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("registry.log").toFile())
                    .start();
            String host = "127.0.0.1:" + port;
            Awaitility.await("registry on " + host).atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> answers(host));
            return new LocalRegistry(host, process, dir);
        } catch (IOException e) {
            return fail("the registry tests need Debian's docker-registry and apache2-utils (htpasswd): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static boolean answers(String host) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) URI.create("http://" + host + "/v2/").toURL().openConnection();
        try {
            int status = connection.getResponseCode();
            return status == 200 || status == 401;
        } finally {
            connection.disconnect();
        }
    }

    /** Pushes a local image to this registry as {@code repository:tag}, then removes the local tag. */
    String push(DockerClient docker, String image, String repository, String tag, AuthConfig auth) throws InterruptedException {
        String name = host + "/" + repository;
        docker.tagImageCmd(image, name, tag).exec();
        var push = docker.pushImageCmd(name).withTag(tag);
        if (auth != null) {
            push.withAuthConfig(auth.withRegistryAddress(host));
        }
        push.exec(new ResultCallback.Adapter<>()).awaitCompletion(2, TimeUnit.MINUTES);
        docker.removeImageCmd(name + ":" + tag).exec();
        return name + ":" + tag;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.destroyForcibly();
    }
}
