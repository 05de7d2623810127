package io.chainlink.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Event;
import io.chainlink.engine.EngineConnection;
import io.chainlink.engine.Labels;
import io.chainlink.job.JobRepository;
import io.chainlink.job.StoreId;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Base of the tests that run real containers: the service on a random port with its own H2
 * database, the real Docker engine, and a client that talks HTTP to it as a user would.
 * Without a reachable engine these tests fail, loudly; they never skip.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class EngineTest {

    /** Built offline by .ci/test-image; on a machine with internet, e.g. -Dchainlink.test.image=busybox:1.36. */
    public static final String IMAGE = System.getProperty("chainlink.test.image",
            System.getenv().getOrDefault("CHAINLINK_TEST_IMAGE", "chainlink-test/busybox:latest"));

    protected static final Set<String> TERMINAL = Set.of("SUCCEEDED", "FAILED", "ERROR", "CANCELLED");
    /** Strict about a name given twice in one object, which a lenient reader silently resolves to the last. */
    protected static final JsonMapper JSON = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();

    @LocalServerPort
    protected int port;

    @Autowired
    protected EngineConnection engine;

    @Autowired
    private StoreId store;

    @Autowired
    private JobRepository repository;

    @BeforeEach
    void engineIsThere() {
        try {
            docker().inspectImageCmd(IMAGE).exec();
        } catch (RuntimeException e) {
            fail("These tests need a Docker engine (DOCKER_HOST) and the test image " + IMAGE
                    + " (bash .ci/test-image builds it offline): " + e.getMessage(), e);
        }
    }

    protected DockerClient docker() {
        return engine.client();
    }

    /** A chain's JSON with every {@code IMAGE} replaced by the test image. */
    protected static String chain(String json) {
        return json.replace("IMAGE", IMAGE);
    }

    public record Response(int status, JsonNode body, String text, Map<String, List<String>> headers) {
    }

    protected Response post(String path, String body) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    protected Response get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    /** Submits a chain, expects 202, returns the job's id. */
    protected String submit(String json) {
        Response response = post("/api/v1/jobs", chain(json));
        assertThat(response.status()).as(response.text()).isEqualTo(202);
        return response.body().get("id").asString();
    }

    protected JsonNode job(String id) {
        Response response = get("/api/v1/jobs/" + id);
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response.body();
    }

    /** Waits (with a generous deadline, not a timing assertion) for the job to end; returns its view. */
    protected JsonNode awaitEnd(String id) {
        return Awaitility.await("job " + id + " ends").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
                .until(() -> job(id), job -> TERMINAL.contains(job.get("status").asString()));
    }

    /** Waits (with a generous deadline) until a stage of the job has the status, e.g. RUNNING: its container started. */
    protected void awaitStage(String id, int index, String status) {
        Awaitility.await("job " + id + " stage " + index + " " + status).atMost(Duration.ofMinutes(1))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> job(id).get("stages").get(index).get("status").asString().equals(status));
    }

    protected JsonNode submitAndWait(String json) {
        return awaitEnd(submit(json));
    }

    protected JsonNode results(String id) {
        Response response = get("/api/v1/jobs/" + id + "/results");
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response.body();
    }

    protected Response cancel(String id) {
        return post("/api/v1/jobs/" + id + "/cancel", "");
    }

    /**
     * What is on the engine labelled with this job of this context's store, containers and volumes
     * (other contexts, and other services on this engine, have jobs with the same internal ids, which the labels carry).
     */
    protected List<String> leftoversOf(String id) {
        List<String> found = new ArrayList<>();
        containersOf(id).forEach(container -> found.add("container " + container));
        var volumes = docker().listVolumesCmd().withFilter("label",
                jobLabels(id).entrySet().stream().map(label -> label.getKey() + "=" + label.getValue()).toList())
                .exec().getVolumes();
        if (volumes != null) {
            volumes.forEach(volume -> found.add("volume " + volume.getName()));
        }
        return found;
    }

    /** The ids of the containers of this job of this context's store. */
    protected List<String> containersOf(String id) {
        return containersLabelled(jobLabels(id));
    }

    /** The ids of the containers of this stage of this job of this context's store. */
    protected List<String> containersOf(String id, int stage) {
        Map<String, String> labels = new HashMap<>(jobLabels(id));
        labels.put(Labels.STAGE, Integer.toString(stage));
        return containersLabelled(labels);
    }

    /**
     * How many times the engine started a container of this stage of this job, by its own event
     * log since {@code since}: a container removed since then is still in it.
     */
    protected int startsOf(String id, int stage, Instant since) {
        Map<String, String> labels = new HashMap<>(jobLabels(id));
        labels.put(Labels.STAGE, Integer.toString(stage));
        List<Event> starts = new CopyOnWriteArrayList<>();
        try {
            docker().eventsCmd()
                    .withSince(Long.toString(since.getEpochSecond() - 1))
                    .withUntil(Long.toString(Instant.now().getEpochSecond() + 1))
                    .withLabelFilter(labels)
                    .withEventFilter("start")
                    .exec(new ResultCallback.Adapter<Event>() {
                        @Override
                        public void onNext(Event event) {
                            starts.add(event);
                        }
                    })
                    .awaitCompletion(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while reading the engine's events", e);
        }
        return starts.size();
    }

    private List<String> containersLabelled(Map<String, String> labels) {
        return docker().listContainersCmd().withShowAll(true).withLabelFilter(labels).exec().stream()
                .map(Container::getId).toList();
    }

    /** What the engine's labels name a job by: the id the API answered with. */
    private Map<String, String> jobLabels(String id) {
        return Map.of(Labels.STORE, store.value(), Labels.JOB, id);
    }

    /** The job's row in the store, which nothing outside the store names. */
    protected long internalId(String id) {
        return repository.internalId(id).orElseThrow(() -> new AssertionError("no job " + id));
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** The bearer token requests carry, when the context configures clients; null for none. */
    protected String token;

    private Response send(HttpRequest.Builder request) {
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            String type = response.headers().firstValue("Content-Type").orElse("");
            JsonNode body = type.contains("json") ? JSON.readTree(response.body()) : null;
            return new Response(response.statusCode(), body, response.body(), response.headers().map());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
