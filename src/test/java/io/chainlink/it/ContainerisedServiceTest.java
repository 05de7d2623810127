package io.chainlink.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.github.dockerjava.api.command.InspectContainerResponse;
import io.chainlink.engine.EngineConnection;
import io.chainlink.support.TestProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The service as it is deployed: the image the Dockerfile builds, started by docker-compose.yml,
 * reached over HTTP from outside its container with the admin client's token. It runs as a
 * non-root user in the group of the engine's socket, so the stages it starts are the host
 * engine's, and they share {@code /job} as they do for a service on the host.
 *
 * <p>Needs the image ({@code CHAINLINK_IMAGE}, default {@code chainlink:latest}: bash
 * .ci/service-image builds it without a registry, from the sources as they are), docker-compose
 * and the engine's socket at /var/run/docker.sock. Without them these tests fail; they never
 * skip. The only setting of the test's own over the compose file is a health check every second.
 */
class ContainerisedServiceTest {

    private static final String SERVICE_IMAGE = System.getenv().getOrDefault("CHAINLINK_IMAGE", "chainlink:latest");
    private static final Path SOCKET = Path.of("/var/run/docker.sock");
    private static final Set<String> ENDED = Set.of("SUCCEEDED", "FAILED", "ERROR", "CANCELLED");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static final String TOKEN = newToken();
    private static EngineConnection engine;
    private static ComposeProject compose;
    private static String socketGroup;
    private static String containerId;
    private static URI service;

    @BeforeAll
    static void startTheService() throws IOException {
        engine = new EngineConnection(TestProperties.of(Map.of()));
        try {
            engine.client().inspectImageCmd(SERVICE_IMAGE).exec();
            socketGroup = Files.getAttribute(SOCKET, "unix:gid").toString();
        } catch (RuntimeException | IOException e) {
            fail("These tests need the service's image " + SERVICE_IMAGE + " (bash .ci/service-image builds it) on the engine"
                    + " at " + SOCKET + ": " + e.getMessage(), e);
        }
        Path healthEverySecond = Files.createTempFile("compose-health", ".yml");
        healthEverySecond.toFile().deleteOnExit();
        Files.writeString(healthEverySecond, """
                services:
                  chainlink:
                    healthcheck:
                      interval: 1s
                """);
        compose = new ComposeProject(Map.of(
                "CHAINLINK_IMAGE", SERVICE_IMAGE,
                "CHAINLINK_TOKEN", TOKEN,
                "DOCKER_GID", socketGroup,
                "CHAINLINK_PORT", "127.0.0.1:0"), healthEverySecond);
        up();
    }

    @AfterAll
    static void removeTheService() throws IOException {
        if (compose != null) {
            compose.close();
        }
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    void healthCheckPassesOnceTheServiceReachesTheEngine() {
        var health = container().getState().getHealth();
        assertThat(health.getStatus()).isEqualTo("healthy");
        assertThat(health.getLog().get(health.getLog().size() - 1).getOutput()).contains("/actuator/health: 200");
        assertThat(get("/actuator/health").get("status").asString()).isEqualTo("UP");
    }

    @Test
    void runsAsANonRootUserInTheGroupOfTheEnginesSocket() {
        assertThat(compose.run("exec", "-T", "chainlink", "id", "-u")).isNotEqualTo("0");
        assertThat(compose.run("exec", "-T", "chainlink", "id", "-G").split(" ")).contains(socketGroup);
    }

    @Test
    void stagesItStartsShareJobAlsoWithANonRootStage() {
        String id = submit("""
                {"stages": [
                  {"image": "IMAGE", "entrypoint": ["sh", "-c", "echo from-root > /job/x"]},
                  {"image": "IMAGE", "user": "1000", "entrypoint": ["sh", "-c", "cat /job/x && id -u && echo from-1000 > /job/y"]},
                  {"image": "IMAGE", "entrypoint": ["cat", "/job/y"]}]}""");
        assertThat(awaitEnd(id).get("status").asString()).isEqualTo("SUCCEEDED");
        JsonNode results = get("/api/v1/jobs/" + id + "/results");
        assertThat(results.get(1).get("logs").get("stdout").asString()).matches("(?s)\\S+ from-root\n\\S+ 1000\n");
        assertThat(results.get(2).get("logs").get("stdout").asString()).endsWith(" from-1000\n");
    }

    @Test
    void jobsOutliveTheContainerOnItsVolume() {
        String id = submit("""
                {"stages": [{"image": "IMAGE", "entrypoint": ["echo", "kept"]}]}""");
        JsonNode before = awaitEnd(id);
        String first = container().getId();

        up("--force-recreate");

        assertThat(container().getId()).isNotEqualTo(first);
        assertThat(get("/api/v1/jobs/" + id)).isEqualTo(before);
        assertThat(get("/api/v1/jobs/" + id + "/results").get(0).get("logs").get("stdout").asString()).endsWith(" kept\n");
    }

    @Test
    void composeRefusesToStartWithoutTheTokenOrTheSocketsGroup() {
        for (String required : new String[] {"CHAINLINK_TOKEN", "DOCKER_GID"}) {
            ComposeProject.Result refused = compose.without(required).attempt("config");
            assertThat(refused.exitCode()).as(refused.output()).isNotZero();
            assertThat(refused.output()).contains("set " + required);
        }
    }

    /** Starts (or recreates) the service and waits until its own health check passes. */
    private static void up(String... options) {
        List<String> up = new ArrayList<>(List.of("up", "--detach", "--no-build"));
        up.addAll(List.of(options));
        compose.run(up.toArray(String[]::new));
        containerId = compose.run("ps", "--quiet", "chainlink");
        Awaitility.await("the service's health check passes").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    InspectContainerResponse container = container();
                    if (!container.getState().getRunning()) {
                        fail("the service's container stopped:%n%s", compose.run("logs", "chainlink"));
                    }
                    return "healthy".equals(container.getState().getHealth().getStatus());
                });
        service = URI.create("http://" + compose.run("port", "chainlink", "8080"));
    }

    private static InspectContainerResponse container() {
        return engine.client().inspectContainerCmd(containerId).exec();
    }

    private static String submit(String chain) {
        HttpResponse<String> response = send(request("/api/v1/jobs").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(chain.replace("IMAGE", EngineTest.IMAGE))));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return JSON.readTree(response.body()).get("id").asString();
    }

    private static JsonNode awaitEnd(String id) {
        return Awaitility.await("job " + id + " ends").atMost(Duration.ofMinutes(2))
                .until(() -> get("/api/v1/jobs/" + id + "?wait=30"), job -> ENDED.contains(job.get("status").asString()));
    }

    private static JsonNode get(String path) {
        HttpResponse<String> response = send(request(path).GET());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(service.resolve(path)).header("Authorization", "Bearer " + TOKEN);
    }

    private static String newToken() {
        byte[] token = new byte[16];
        new SecureRandom().nextBytes(token);
        return HexFormat.of().formatHex(token);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
