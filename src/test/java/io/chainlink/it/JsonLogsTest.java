package io.chainlink.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainlink.ChainlinkApplication;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * JSON logs are one property away: the service, started as an operator starts it with
 * {@code --logging.structured.format.console=ecs}, prints each line as a JSON object, and a job's
 * lines carry its id and stage as fields. In a process of its own: logging is set once per JVM
 * (a second Spring context in the test JVM keeps the first one's format), so no in-JVM context
 * could show it, nor leave the rest of the suite printing plain lines.
 */
class JsonLogsTest {

    private static final Pattern STARTED = Pattern.compile("Tomcat started on port (\\d+)");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private Process service;

    @AfterEach
    void stop() throws InterruptedException {
        if (service != null) {
            service.destroy(); // SIGTERM: it shuts down as it would in production
            if (!service.waitFor(30, TimeUnit.SECONDS)) {
                service.destroyForcibly();
            }
        }
    }

    @Test
    void withTheEcsFormatAJobsLinesAreJsonObjectsWithItsJobAndStage() throws Exception {
        int port = start("--logging.structured.format.console=ecs");

        String submitted = submit(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/jobs"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"stages": [{"image": "%s", "entrypoint": ["true"]}, {"image": "%1$s", "entrypoint": ["true"]}]}"""
                        .formatted(EngineTest.IMAGE))));
        assertThat(EngineTest.JSON.readTree(submitted).get("id").asString()).isNotBlank();

        // The worker's lines name the job by the id the API answered with, in the message and as a field.
        String id = EngineTest.JSON.readTree(submitted).get("id").asString();
        JsonNode stageLine = Awaitility.await().atMost(Duration.ofMinutes(1))
                .until(() -> line("job " + id + " stage 1 SUCCEEDED (exit 0)"), Optional::isPresent).get();
        assertThat(stageLine.get("job").asString()).isEqualTo(id);
        assertThat(stageLine.get("stage").asString()).isEqualTo("1");
        assertThat(stageLine.at("/log/logger").asString()).isEqualTo("io.chainlink.worker.ChainRunner");
        JsonNode endLine = Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> line("job " + id + " SUCCEEDED"), Optional::isPresent).get();
        assertThat(endLine.get("job").asString()).isEqualTo(id);
        assertThat(endLine.has("stage")).as("the job's own line names no stage").isFalse();
    }

    /** Starts the service with the test classpath and these arguments; returns its port. */
    private int start(String... arguments) {
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"), "-Xmx192m", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), ChainlinkApplication.class.getName(), "--server.port=0"));
        command.addAll(List.of(arguments));
        try {
            service = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(service.getInputStream(), StandardCharsets.UTF_8))) {
                out.lines().forEach(lines::add);
            } catch (IOException e) {
                // the service ended
            }
        }, "json-logs-reader");
        reader.setDaemon(true);
        reader.start();
        String started = Awaitility.await("the service starts").atMost(Duration.ofMinutes(1))
                .until(() -> lines.stream().filter(line -> STARTED.matcher(line).find()).findFirst(), Optional::isPresent)
                .get();
        Matcher port = STARTED.matcher(started);
        assertThat(port.find()).isTrue();
        assertThat(started).as("the line that says so is JSON").startsWith("{");
        return Integer.parseInt(port.group(1));
    }

    /** The JSON log line whose message is {@code message}. */
    private Optional<JsonNode> line(String message) {
        return lines.stream()
                .filter(line -> line.startsWith("{"))
                .map(EngineTest.JSON::readTree)
                .filter(line -> message.equals(line.path("message").asString()))
                .findFirst();
    }

    private static String submit(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return response.body();
    }
}
