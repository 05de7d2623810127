package io.chainlink.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Job callbacks against a real receiver on 127.0.0.1: the ended job's view, signed with the
 * secret, retried after a failing answer, FAILED after the bound; refused (403, nothing stored)
 * for a URL the operator did not allow; the secret in no answer.
 */
@DirtiesContext
class CallbacksTest extends EngineTest {

    private static final String SECRET = "s3cret-callback-key-for-tests";
    private static final Receiver RECEIVER = new Receiver();
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
        RECEIVER.server.stop(0);
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
    void anEndedJobsViewIsPostedSignedWithTheSecret() throws Exception {
        Response submitted = post("/api/v1/jobs", chain("""
                {"stages": [{"image": "IMAGE", "entrypoint": ["echo", "hi"]}],
                 "callback": {"url": "%s", "secret": "%s"}}""".formatted(RECEIVER.base() + "/hooks/ok", SECRET)));
        assertThat(submitted.status()).as(submitted.text()).isEqualTo(202);
        assertThat(submitted.body().get("callback").get("state").asString()).isEqualTo("PENDING");
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
        assertThat(delivery.header("Content-Type")).startsWith("application/json");
        assertThat(delivery.header("Chainlink-Signature")).isEqualTo("sha256=" + hmac(SECRET, delivery.body()));
        String timestamp = delivery.header("Chainlink-Timestamp");
        assertThat(Long.parseLong(timestamp)).isCloseTo(System.currentTimeMillis() / 1000, org.assertj.core.data.Offset.offset(60L));
        byte[] timestamped = (timestamp + "." + new String(delivery.body(), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        assertThat(delivery.header("Chainlink-Timestamp-Signature")).isEqualTo("sha256=" + hmac(SECRET, timestamped));

        // The secret in no answer: the submission's, the job's, the list's, nor what was delivered.
        for (String answer : List.of(submitted.text(), get("/api/v1/jobs/" + id).text(), get("/api/v1/jobs").text(),
                get("/api/v1/jobs/" + id + "?wait=1").text(), new String(delivery.body(), StandardCharsets.UTF_8))) {
            assertThat(answer).doesNotContain(SECRET);
        }
    }

    @Test
    void aFailingAnswerIsRetried() {
        RECEIVER.failFirst("/hooks/flaky", 1);
        String id = submitWithCallback("/hooks/flaky");
        JsonNode callback = awaitCallback(id, "DELIVERED");
        assertThat(callback.get("attempts").asInt()).isEqualTo(2);
        assertThat(callback.get("lastStatus").asInt()).isEqualTo(200);
        assertThat(RECEIVER.requests("/hooks/flaky")).hasSize(2);
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
        Response refused = post("/api/v1/jobs", chain("""
                {"stages": [{"image": "IMAGE", "entrypoint": ["true"]}],
                 "callback": {"url": "%s", "secret": "%s"}}""".formatted(RECEIVER.base() + "/elsewhere", SECRET)));
        assertThat(refused.status()).as(refused.text()).isEqualTo(403);
        assertThat(refused.body().get("errors").get(0).get("field").asString()).isEqualTo("callback.url");
        assertThat(refused.text()).doesNotContain(SECRET);
        assertThat(get("/api/v1/jobs").text()).isEqualTo(before);
        assertThat(RECEIVER.requests("/elsewhere")).isEmpty();
    }

    @Test
    void aMalformedCallbackIsABadRequestNamingItsField() {
        String before = get("/api/v1/jobs").text();
        Map<String, String> cases = Map.of(
                "{\"url\": \"ftp://127.0.0.1/x\", \"secret\": \"" + SECRET + "\"}", "callback.url",
                "{\"url\": \"/hooks/relative\", \"secret\": \"" + SECRET + "\"}", "callback.url",
                "{\"url\": \"http://user:pw@127.0.0.1/hooks/\", \"secret\": \"" + SECRET + "\"}", "callback.url",
                "{\"url\": \"" + RECEIVER.base() + "/hooks/x\", \"secret\": \"short\"}", "callback.secret",
                "{\"url\": \"" + RECEIVER.base() + "/hooks/x\"}", "callback.secret",
                "{\"secret\": \"" + SECRET + "\"}", "callback.url",
                "{\"url\": \"" + RECEIVER.base() + "/hooks/" + "x".repeat(2100) + "\", \"secret\": \"" + SECRET + "\"}", "callback.url");
        cases.forEach((callback, field) -> {
            Response bad = post("/api/v1/jobs", chain("""
                    {"stages": [{"image": "IMAGE", "entrypoint": ["true"]}], "callback": %s}""".formatted(callback)));
            assertThat(bad.status()).as(callback + ": " + bad.text()).isEqualTo(400);
            assertThat(bad.body().get("errors").get(0).get("field").asString()).as(callback).isEqualTo(field);
            assertThat(bad.text()).doesNotContain(SECRET);
        });
        assertThat(get("/api/v1/jobs").text()).isEqualTo(before);
    }

    private static int closedPort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String hmac(String secret, byte[] body) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body));
    }

    record Received(String path, Map<String, List<String>> headers, byte[] body) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    /** A webhook receiver: records every request; a path told to fail answers 500 that many times first. */
    static final class Receiver {
        final HttpServer server;
        private final List<Received> received = new CopyOnWriteArrayList<>();
        private final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();

        Receiver() {
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server.createContext("/", this::answer);
            server.start();
        }

        String base() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        void failFirst(String path, int times) {
            failures.put(path, new AtomicInteger(times));
        }

        List<Received> requests(String path) {
            return received.stream().filter(r -> r.path().equals(path)).toList();
        }

        private void answer(HttpExchange exchange) throws IOException {
            try (exchange) {
                byte[] body = exchange.getRequestBody().readAllBytes();
                String path = exchange.getRequestURI().getPath();
                received.add(new Received(path, Map.copyOf(exchange.getRequestHeaders()), body));
                AtomicInteger left = failures.get(path);
                int status = left != null && left.getAndDecrement() > 0 ? 500 : 200;
                exchange.sendResponseHeaders(status, -1);
            }
        }
    }
}
