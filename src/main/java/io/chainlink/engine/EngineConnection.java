package io.chainlink.engine;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.core.RemoteApiVersion;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient.Request;
import io.chainlink.config.ChainlinkProperties;
import java.io.IOException;
import java.time.Duration;
import org.slf4j.Logger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The one connection to the engine at {@code DOCKER_HOST}: one HTTP client and one docker-java
 * client for the whole process, at an API version agreed with the engine.
 *
 * <p>docker-java does not negotiate: unpinned, it gets the engine's newest behaviour (API 1.41
 * silently ignores filters newer ones honour); pinned too low, Docker 29 refuses it (minimum
 * 1.44). So, as the docker CLI does, we read the engine's {@code Api-Version} from {@code /_ping}
 * and pin the lower of it and the newest version docker-java 3.7 models. Done lazily, so the
 * service starts, and stays up, with the engine away: a job started then ends as ERROR.
 */
@Component
public class EngineConnection implements AutoCloseable {

    static final RemoteApiVersion NEWEST_MODELLED = RemoteApiVersion.VERSION_1_44;
    static final RemoteApiVersion OLDEST_SUPPORTED = RemoteApiVersion.VERSION_1_41;

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Logger log = LoggerFactory.getLogger(EngineConnection.class);

    private final DockerClientConfig config;
    private final DockerHttpClient http;
    private volatile Session session;

    /** The client and the version its requests carry. */
    private record Session(RemoteApiVersion version, DockerClient client) {
    }

    public EngineConnection(ChainlinkProperties properties) {
        var builder = DefaultDockerClientConfig.createDefaultConfigBuilder();
        if (properties.dockerHost() != null && !properties.dockerHost().isBlank()) {
            builder.withDockerHost(properties.dockerHost());
        }
        this.config = builder.build();
        // Each running stage holds one connection following its logs, and each pull one more;
        // the rest serve short control calls. No response timeout: it is an idle timeout and
        // would cut a quiet stage's log stream or a long wait.
        this.http = new ApacheDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                .maxConnections(properties.workers() * (2 + DockerEngine.PARALLEL_PULLS) + 16)
                .connectionTimeout(Duration.ofSeconds(5))
                .build();
    }

    public String host() {
        return config.getDockerHost().toString();
    }

    public DockerClient client() {
        return session().client();
    }

    /** A raw request at the agreed version, for what docker-java only offers asynchronously. */
    public DockerHttpClient.Response execute(Request.Method method, String path) {
        String versioned = "/v" + session().version().getVersion() + path;
        try {
            return http.execute(Request.builder().method(method).path(versioned).build());
        } catch (RuntimeException e) {
            throw unreachable(e);
        }
    }

    private Session session() {
        Session current = session;
        if (current == null) {
            synchronized (this) {
                if (session == null) {
                    session = negotiate();
                }
                current = session;
            }
        }
        return current;
    }

    private Session negotiate() {
        String offered;
        try (DockerHttpClient.Response ping = http.execute(Request.builder().method(Request.Method.GET).path("/_ping").build())) {
            offered = ping.getHeader("Api-Version");
        } catch (RuntimeException e) {
            throw unreachable(e);
        }
        if (offered == null) {
            throw new EngineException("the Docker engine at " + host() + " did not say which API version it speaks");
        }
        RemoteApiVersion engine = RemoteApiVersion.parseConfig(offered);
        if (!engine.isGreaterOrEqual(OLDEST_SUPPORTED)) {
            throw new EngineException("the Docker engine at " + host() + " speaks API " + offered
                    + "; Chainlink needs " + OLDEST_SUPPORTED.getVersion() + " or newer");
        }
        RemoteApiVersion pinned = engine.isGreater(NEWEST_MODELLED) ? NEWEST_MODELLED : engine;
        DockerClientConfig versioned = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(host())
                .withApiVersion(pinned)
                .build();
        log.info("Docker engine at {} speaks API {}; using {}", host(), offered, pinned.getVersion());
        return new Session(pinned, DockerClientImpl.getInstance(versioned, http));
    }

    private EngineException unreachable(RuntimeException e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        return new EngineUnavailableException("the Docker engine at " + host() + " is unreachable: " + cause.getMessage(), e);
    }

    /** What the engine says it is: asked afresh each time (health, the backoff while it is away). */
    public Version version() {
        try (DockerHttpClient.Response response = http.execute(Request.builder().method(Request.Method.GET).path("/version").build())) {
            EngineErrors.expectOk(response, "tell its version");
            JsonNode body = JSON.readTree(response.getBody());
            return new Version(body.path("Version").asString(), body.path("ApiVersion").asString());
        } catch (EngineException e) {
            throw e;
        } catch (RuntimeException e) {
            throw unreachable(e);
        }
    }

    /** The engine's release and the newest API version it speaks. */
    public record Version(String version, String apiVersion) {
    }

    @Override
    public void close() throws IOException {
        http.close();
    }
}
