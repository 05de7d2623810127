package io.chainlink.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainlink.it.CallbackReceiver.Received;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Job callbacks against a real receiver on 127.0.0.1: the ended job's view, signed with the
 * secret over the exact body, retried after a failing answer, FAILED after the bound; refused
 * (403, nothing stored) for a URL the operator did not allow; the secret in no answer and no log.
 */
@DirtiesContext
@ExtendWith(OutputCaptureExtension.class)
class CallbacksTest extends EngineTest {

    private static final String SECRET = "s3cret-callback-key-for-tests";
    private static final CallbackReceiver RECEIVER = new CallbackReceiver();
    /** A port nothing listens on: the one a socket had before it closed. */
    private static final int CLOSED_PORT = closedPort();

    @DynamicPropertySource
    static void callbacks(DynamicPropertyRegistry registry) {
        registry.add("chainlink.callbacks.allowed-urls[0]", () -> RECEIVER.base() + "/hooks/");
        registry.add("chainlink.callbacks.allowed-urls[1]", () -> "http://127.0.0.1:" + CLOSED_PORT + "/hooks/");
        registry.add("chainlink.callbacks.retry-delay", () -> "100ms");
        registry.add("chainlink.callbacks.max-retry-delay", () -> "200ms");
        registry.add("chainlink.callbacks.max-attempts", () -> "3");
        registry.add("chainlink.callbacks.poll-interval", () -> "500ms");
    }

    @AfterAll
    static void stopReceiver() {
        RECEIVER.close();
    }

    private String submitWithCallback(String path) {
        return submit("""
                {"stages": [{"image": "IMAGE", "entrypoint": ["echo", "hi"]}],
                 "callback": {"url": "%s", "secret": "%s"}}""".formatted(RECEIVER.base() + path, SECRET));
    }

    private JsonNode awaitCallback(String id, String state) {
        return Awaitility.await("callback of " + id + " " + state).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> job(id).get("callback"), callback -> callback.get("state").asString().equals(state));
    }

    @Test
    void anEndedJobsViewIsPostedSignedWithTheSecret(CapturedOutput output) throws Exception {
        Response submitted = post("/api/v1/jobs", chain("""
                {"stages": [{"image": "IMAGE", "entrypoint": ["echo", "hi"]}],
                 "callback": {"url": "%s", "secret": "%s"}}""".formatted(RECEIVER.base() + "/hooks/ok", SECRET)));
        assertThat(submitted.status()).as(submitted.text()).isEqualTo(202);
        JsonNode pending = submitted.body().get("callback");
        assertThat(pending.get("state").asString()).isEqualTo("PENDING");
        assertThat(pending.get("attempts").asInt()).isZero();
        assertThat(pending.get("lastStatus").isNull()).isTrue();
        String id = submitted.body().get("id").asString();

        JsonNode callback = awaitCallback(id, "DELIVERED");
        assertThat(callback.get("attempts").asInt()).isEqualTo(1);
        assertThat(callback.get("lastStatus").asInt()).isEqualTo(200);

        List<Received> received = RECEIVER.requests("/hooks/ok");
        assertThat(received).hasSize(1);
        Received delivery = received.get(0);
        JsonNode body = JSON.readTree(delivery.body());
        assertThat(body.get("id").asString()).isEqualTo(id);
        assertThat(body.get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(body.get("stages").get(0).get("exitCode").asInt()).isZero();
        // The job view as GET answers it, but for the callback, which moved on once delivered.
        JsonNode view = job(id);
        assertThat(body.properties().stream().map(Map.Entry::getKey).toList())
                .isEqualTo(view.properties().stream().map(Map.Entry::getKey).toList());
        assertThat(body.get("stages")).isEqualTo(view.get("stages"));
        assertThat(body.get("finishedAt")).isEqualTo(view.get("finishedAt"));
        assertThat(delivery.header("Content-Type")).startsWith("application/json");
        assertThat(delivery.header("Chainlink-Signature")).isEqualTo(CallbackReceiver.sha256(SECRET, delivery.body()));
        String timestamp = delivery.header("Chainlink-Timestamp");
        assertThat(Long.parseLong(timestamp)).isCloseTo(System.currentTimeMillis() / 1000, Offset.offset(60L));
        byte[] timestamped = (timestamp + "." + delivery.text()).getBytes(StandardCharsets.UTF_8);
        assertThat(delivery.header("Chainlink-Timestamp-Signature")).isEqualTo(CallbackReceiver.sha256(SECRET, timestamped));

        // The secret in no answer (the submission's, the job's, the list's, a wait's), not in
        // what was delivered, and not in the service's log.
        for (String answer : List.of(submitted.text(), get("/api/v1/jobs/" + id).text(), get("/api/v1/jobs").text(),
                get("/api/v1/jobs/" + id + "?wait=1").text(), delivery.text())) {
            assertThat(answer).doesNotContain(SECRET);
        }
        assertThat(output.getAll()).contains("callback of job " + id + " delivered").doesNotContain(SECRET);
    }

    @Test
    void aFailingAnswerIsRetriedUntilDelivered() throws Exception {
        RECEIVER.failFirst("/hooks/flaky", 1);
        String id = submitWithCallback("/hooks/flaky");
        JsonNode callback = awaitCallback(id, "DELIVERED");
        assertThat(callback.get("attempts").asInt()).isEqualTo(2);
        assertThat(callback.get("lastStatus").asInt()).isEqualTo(200);

        // Each delivery carries the view as it stood while it was sent: PENDING, its own attempt,
        // and the first failure's status in the second.
        List<Received> received = RECEIVER.requests("/hooks/flaky");
        assertThat(received).hasSize(2);
        JsonNode first = JSON.readTree(received.get(0).body()).get("callback");
        JsonNode second = JSON.readTree(received.get(1).body()).get("callback");
        assertThat(first.get("state").asString()).isEqualTo("PENDING");
        assertThat(first.get("attempts").asInt()).isEqualTo(1);
        assertThat(first.get("lastStatus").isNull()).isTrue();
        assertThat(second.get("state").asString()).isEqualTo("PENDING");
        assertThat(second.get("attempts").asInt()).isEqualTo(2);
        assertThat(second.get("lastStatus").asInt()).isEqualTo(500);
        for (Received delivery : received) {
            assertThat(delivery.header("Chainlink-Signature")).isEqualTo(CallbackReceiver.sha256(SECRET, delivery.body()));
        }
    }

    @Test
    void aCallbackNeverAnswered2xxEndsFailedAfterTheBound() {
        RECEIVER.failFirst("/hooks/down", Integer.MAX_VALUE);
        String id = submitWithCallback("/hooks/down");
        JsonNode callback = awaitCallback(id, "FAILED");
        assertThat(callback.get("attempts").asInt()).isEqualTo(3);
        assertThat(callback.get("lastStatus").asInt()).isEqualTo(500);
        assertThat(RECEIVER.requests("/hooks/down")).hasSize(3);
        assertThat(job(id).get("status").asString()).as("the job's own outcome").isEqualTo("SUCCEEDED");
    }

    @Test
    void aRedirectIsNotFollowed() {
        RECEIVER.redirect("/hooks/moved", RECEIVER.base() + "/hooks/redirected");
        String id = submitWithCallback("/hooks/moved");
        JsonNode callback = awaitCallback(id, "FAILED");
        assertThat(callback.get("lastStatus").asInt()).isEqualTo(302);
        assertThat(RECEIVER.requests("/hooks/moved")).hasSize(3);
        assertThat(RECEIVER.requests("/hooks/redirected")).isEmpty();
    }

    @Test
    void aRefusedConnectionIsRetriedThenFailed() {
        String id = submit("""
                {"stages": [{"image": "IMAGE", "entrypoint": ["true"]}],
                 "callback": {"url": "http://127.0.0.1:%d/hooks/none", "secret": "%s"}}""".formatted(CLOSED_PORT, SECRET));
        JsonNode callback = awaitCallback(id, "FAILED");
        assertThat(callback.get("attempts").asInt()).isEqualTo(3);
        assertThat(callback.get("lastStatus").isNull()).as("no answer, no status").isTrue();
    }

    @Test
    void aUrlOutsideTheAllowlistIsRefusedAndNothingStored() {
        String before = get("/api/v1/jobs").text();
        // Outside the prefix's path, beside it as text, out of it once resolved; the same host by
        // another name, another scheme.
        for (String url : List.of(RECEIVER.base() + "/elsewhere", RECEIVER.base() + "/hooksmith",
                RECEIVER.base() + "/hooks/../elsewhere", "http://localhost:" + RECEIVER.port() + "/hooks/",
                "https://127.0.0.1:" + RECEIVER.port() + "/hooks/")) {
            Response refused = post("/api/v1/jobs", chain("""
                    {"stages": [{"image": "IMAGE", "entrypoint": ["true"]}],
                     "callback": {"url": "%s", "secret": "%s"}}""".formatted(url, SECRET)));
            assertThat(refused.status()).as(url + ": " + refused.text()).isEqualTo(403);
            assertThat(refused.body().get("errors").get(0).get("field").asString()).isEqualTo("callback.url");
            assertThat(refused.text()).doesNotContain(SECRET);
        }
        assertThat(get("/api/v1/jobs").text()).isEqualTo(before);
        assertThat(RECEIVER.requests("/elsewhere")).isEmpty();
    }

    @Test
    void eachJobOfABatchHasItsOwnCallbackAndOneRefusedRefusesTheBatch() {
        String before = get("/api/v1/jobs").text();
        String job = """
                {"stages": [{"image": "IMAGE", "entrypoint": ["echo", "%s"]}], "callback": {"url": "%s", "secret": "%s"}}""";
        Response refused = post("/api/v1/jobs/batch", chain("{\"jobs\": [" + job.formatted("a", RECEIVER.base() + "/hooks/batch-a", SECRET)
                + ", " + job.formatted("b", RECEIVER.base() + "/elsewhere", SECRET) + "]}"));
        assertThat(refused.status()).as(refused.text()).isEqualTo(403);
        assertThat(refused.body().get("errors").get(0).get("field").asString()).isEqualTo("jobs[1].callback.url");
        assertThat(get("/api/v1/jobs").text()).as("nothing stored").isEqualTo(before);

        Response queued = post("/api/v1/jobs/batch", chain("{\"jobs\": [" + job.formatted("a", RECEIVER.base() + "/hooks/batch-a", SECRET)
                + ", {\"stages\": [{\"image\": \"IMAGE\", \"entrypoint\": [\"true\"]}]}"
                + ", " + job.formatted("c", RECEIVER.base() + "/hooks/batch-c", SECRET) + "]}"));
        assertThat(queued.status()).as(queued.text()).isEqualTo(202);
        JsonNode jobs = queued.body().get("jobs");
        assertThat(jobs.get(0).get("callback").get("state").asString()).isEqualTo("PENDING");
        assertThat(jobs.get(1).get("callback").isNull()).as("a job of the batch without one").isTrue();
        awaitCallback(jobs.get(0).get("id").asString(), "DELIVERED");
        awaitCallback(jobs.get(2).get("id").asString(), "DELIVERED");
        assertThat(JSON.readTree(RECEIVER.requests("/hooks/batch-a").get(0).body()).get("id").asString())
                .isEqualTo(jobs.get(0).get("id").asString());
        assertThat(JSON.readTree(RECEIVER.requests("/hooks/batch-c").get(0).body()).get("id").asString())
                .isEqualTo(jobs.get(2).get("id").asString());
    }

    @Test
    void aMalformedCallbackIsABadRequestNamingItsField() {
        String before = get("/api/v1/jobs").text();
        String hooks = RECEIVER.base() + "/hooks/x";
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("{\"url\": \"ftp://127.0.0.1/x\", \"secret\": \"" + SECRET + "\"}", "callback.url");
        cases.put("{\"url\": \"/hooks/relative\", \"secret\": \"" + SECRET + "\"}", "callback.url");
        cases.put("{\"url\": \"http://user:pw@127.0.0.1/hooks/\", \"secret\": \"" + SECRET + "\"}", "callback.url");
        cases.put("{\"url\": \"" + RECEIVER.base() + ".evil.com/hooks/\", \"secret\": \"" + SECRET + "\"}", "callback.url");
        cases.put("{\"url\": \"\", \"secret\": \"" + SECRET + "\"}", "callback.url");
        cases.put("{\"secret\": \"" + SECRET + "\"}", "callback.url");
        cases.put("{\"url\": \"" + RECEIVER.base() + "/hooks/" + "x".repeat(2100) + "\", \"secret\": \"" + SECRET + "\"}", "callback.url");
        cases.put("{\"url\": \"" + hooks + "\", \"secret\": \"short\"}", "callback.secret");
        cases.put("{\"url\": \"" + hooks + "\", \"secret\": \"\"}", "callback.secret");
        cases.put("{\"url\": \"" + hooks + "\"}", "callback.secret");
        cases.put("{\"url\": \"" + hooks + "\", \"secret\": \"" + "k".repeat(257) + "\"}", "callback.secret");
        cases.forEach((callback, field) -> {
            Response bad = post("/api/v1/jobs", chain("""
                    {"stages": [{"image": "IMAGE", "entrypoint": ["true"]}], "callback": %s}""".formatted(callback)));
            assertThat(bad.status()).as(callback + ": " + bad.text()).isEqualTo(400);
            assertThat(bad.body().get("errors").get(0).get("field").asString()).as(callback).isEqualTo(field);
            assertThat(bad.text()).doesNotContain(SECRET).doesNotContain("k".repeat(257));
        });
        assertThat(get("/api/v1/jobs").text()).isEqualTo(before);
    }

    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
