package io.chainlink.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Following a stage's log ({@code ?follow=true}) over real HTTP against the real engine: lines
 * arrive while the stage runs, the stream ends when the stage ends and then holds what is stored.
 * Two follows at most here, so the cap shows with few.
 */
@TestPropertySource(properties = "chainlink.follow.max-followers=2")
class LogFollowTest extends EngineTest {

    private static final Pattern LINE = Pattern.compile("(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z) (.*)");
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    private final HttpClient http = HttpClient.newHttpClient();
    private final ExecutorService readers = Executors.newCachedThreadPool();

    @AfterEach
    void stopReaders() {
        readers.shutdownNow();
    }

    @Test
    void theFirstLineArrivesWhileTheStageStillRunsAndTheStreamEndsWithTheStageHoldingBoth() throws Exception {
        String id = submit("""
                {"stages": [{"image": "IMAGE", "entrypoint": ["sh", "-c", "echo first; sleep 5; echo second"]}]}""");
        Follow follow = follow(id, 0, "stdout", null);
        assertThat(follow.response.statusCode()).isEqualTo(200);
        assertThat(follow.response.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain");

        String first = follow.nextLine();
        Instant arrived = Instant.now();
        assertThat(job(id).get("stages").get(0).get("status").asString()).isEqualTo("RUNNING");
        Matcher line = LINE.matcher(first);
        assertThat(line.matches()).as(first).isTrue();
        assertThat(line.group(2)).isEqualTo("first");
        // The engine stamped the line as the stage wrote it: what passed until a follower had it.
        Duration late = Duration.between(Instant.parse(line.group(1)), arrived);
        System.out.println("log follow: the first line reached the follower " + late.toMillis() + " ms after the stage wrote it");
        assertThat(late).isLessThan(Duration.ofSeconds(2));

        String second = follow.nextLine();
        assertThat(second).matches(LINE.pattern()).endsWith(" second");
        assertThat(follow.nextLine()).as("the stream ends after the stage's last line").isNull();
        assertThat(job(id).get("stages").get(0).get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(first + "\n" + second + "\n").isEqualTo(storedLog(id, 0, "stdout"));
    }

    @Test
    void withAcceptEventStreamEachLineIsADataEventThenAnEndEventWithTheStagesStatus() throws Exception {
        String id = submit("""
                {"stages": [{"image": "IMAGE", "entrypoint": ["sh", "-c", "echo one; echo two >&2; echo three; exit 3"]}]}""");
        Follow follow = follow(id, 0, "stdout", "text/event-stream");
        assertThat(follow.response.statusCode()).isEqualTo(200);
        assertThat(follow.response.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/event-stream");

        List<String> lines = follow.rest();
        assertThat(lines).hasSize(7);
        assertThat(lines.get(0)).matches("data: " + LINE.pattern()).endsWith(" one");
        assertThat(lines.get(1)).isEmpty();
        assertThat(lines.get(2)).matches("data: " + LINE.pattern()).endsWith(" three");
        assertThat(lines.subList(3, 7)).containsExactly("", "event: end", "data: FAILED", "");
    }

    @Test
    void followingAStageNotYetStartedWaitsForItThenStreamsIt() throws Exception {
        String id = submit("""
                {"stages": [{"image": "IMAGE", "entrypoint": ["sleep", "3"]},
                            {"image": "IMAGE", "entrypoint": ["sh", "-c", "echo later"]}]}""");
        Follow follow = follow(id, 1, "stdout", null);
        assertThat(job(id).get("stages").get(1).get("status").asString()).as("followed before it started").isEqualTo("PENDING");

        assertThat(follow.nextLine()).matches(LINE.pattern()).endsWith(" later");
        assertThat(follow.nextLine()).isNull();
        assertThat(job(id).get("stages").get(0).get("status").asString()).isEqualTo("SUCCEEDED");
    }

    @Test
    void followingAnEndedStageGivesItsStoredLogAndEnds() throws Exception {
        String id = submit("""
                {"stages": [{"image": "IMAGE", "entrypoint": ["sh", "-c", "echo done >&2"]}]}""");
        awaitEnd(id);
        Follow follow = follow(id, 0, "stderr", null);

        assertThat(String.join("\n", follow.rest()) + "\n").isEqualTo(storedLog(id, 0, "stderr"))
                .matches(LINE.pattern() + "\n").endsWith(" done\n");
    }

    @Test
    void aStageWithoutLogsAndAnUnknownJobAnswer404AsWithoutFollow() throws Exception {
        String id = submit("""
                {"stages": [{"image": "IMAGE", "logs": false, "entrypoint": ["true"]}]}""");
        Follow follow = follow(id, 0, "stdout", null);
        assertThat(follow.response.statusCode()).isEqualTo(404);
        assertThat(String.join("\n", follow.rest())).contains("logs: false");

        Follow unknown = follow("00000000-0000-4000-8000-000000000000", 0, "stdout", null);
        assertThat(unknown.response.statusCode()).isEqualTo(404);
    }

    @Test
    void pastTheCapAFollowIsAnswered503WithRetryAfterAndAFreedPlaceIsTakenAgain() throws Exception {
        String id = submit("""
                {"stages": [{"image": "IMAGE", "entrypoint": ["sleep", "30"]}]}""");
        awaitStage(id, 0, "RUNNING");
        Follow one = follow(id, 0, "stdout", null);
        Follow two = follow(id, 0, "stderr", "text/event-stream");
        assertThat(List.of(one.response.statusCode(), two.response.statusCode())).containsExactly(200, 200);

        Follow three = follow(id, 0, "stdout", null);
        assertThat(three.response.statusCode()).isEqualTo(503);
        assertThat(three.response.headers().firstValue("Retry-After")).contains("5");
        assertThat(three.response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
        assertThat(String.join("\n", three.rest())).contains("chainlink.follow.max-followers");

        assertThat(cancel(id).status()).isIn(200, 202);
        assertThat(one.rest()).as("a cancelled stage's follow ends").isEmpty();
        assertThat(two.rest()).containsExactly("event: end", "data: CANCELLED", "");

        awaitEnd(id);
        Follow again = follow(id, 0, "stdout", null);
        assertThat(again.response.statusCode()).isEqualTo(200);
        assertThat(again.rest()).isEmpty();
    }

    /** A follow whose lines are read with a deadline each: a stream that never ends fails the test, not hangs it. */
    private final class Follow {
        final HttpResponse<InputStream> response;
        final BufferedReader reader;

        Follow(HttpResponse<InputStream> response) {
            this.response = response;
            this.reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
        }

        /** The next line, or null at the end of the stream. */
        String nextLine() throws Exception {
            return CompletableFuture.supplyAsync(() -> {
                try {
                    return reader.readLine();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, readers).get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        }

        /** Every line to the end of the stream. */
        List<String> rest() throws Exception {
            List<String> lines = new ArrayList<>();
            for (String line = nextLine(); line != null; line = nextLine()) {
                lines.add(line);
            }
            return lines;
        }
    }

    private Follow follow(String id, int stage, String stream, String accept) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/jobs/" + id
                + "/stages/" + stage + "/logs/" + stream + "?follow=true")).GET();
        if (accept != null) {
            request.header("Accept", accept);
        }
        return new Follow(http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofInputStream())
                .get(DEADLINE.toSeconds(), TimeUnit.SECONDS));
    }

    private String storedLog(String id, int stage, String stream) {
        Response response = get("/api/v1/jobs/" + id + "/stages/" + stage + "/logs/" + stream);
        assertThat(response.status()).isEqualTo(200);
        return response.text();
    }
}
