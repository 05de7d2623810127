package io.chainlink.engine;

import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient.Request.Method;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * Whether a container that died of SIGKILL ran out of memory, when its State does not say so.
 *
 * <p>Docker 20.10 marks {@code State.OOMKilled} only when the kernel's OOM event reaches the
 * daemon before the container's exit does. A stage whose process the OOM killer ends within
 * milliseconds of starting races it: on our CI engine about 1 run in 5 of {@code head -c 100m
 * /dev/zero | tail} under 16m ended ExitCode 137 with OOMKilled false, for good (inspected again a
 * second later), while the engine's event log held the container's {@code oom} a few ms after its
 * {@code die}. So the event log is asked, from about the container's start to half a second past
 * its end, by the engine's own clock, so no clock of ours is compared with the engine's.
 */
@Component
class OomEvents {

    private static final Logger log = LoggerFactory.getLogger(OomEvents.class);
    /** How long past the container's end the engine's late OOM event is waited for. */
    static final Duration LATE = Duration.ofMillis(500);
    private static final int SIGKILL_EXIT = 128 + 9;
    /** A storm of OOM events is a few hundred bytes each; one is enough to know. */
    private static final int READ_LIMIT = 64 * 1024;

    private final EngineConnection engine;
    private final EngineCalls calls;

    OomEvents(EngineConnection engine, EngineCalls calls) {
        this.engine = engine;
        this.calls = calls;
    }

    /** True if the container was SIGKILLed, its State says no OOM, and the engine's events say otherwise. */
    boolean missedBy(String container, JsonNode state) {
        if (state.path("OOMKilled").asBoolean() || state.path("ExitCode").asInt() != SIGKILL_EXIT) {
            return false;
        }
        try {
            Instant started = Instant.parse(state.path("StartedAt").asString());
            Instant finished = Instant.parse(state.path("FinishedAt").asString());
            String filters = "{\"container\":[\"" + container + "\"],\"type\":[\"container\"],\"event\":[\"oom\"]}";
            // StartedAt is noted once start returns, and a quick process may be killed before that:
            // FinishedAt then comes before StartedAt. A second earlier covers it; the filter keeps
            // the window to this container.
            Instant since = (started.isBefore(finished) ? started : finished).minusSeconds(1);
            String path = "/events?since=" + LogReader.unixTime(since) + "&until=" + LogReader.unixTime(finished.plus(LATE))
                    + "&filters=" + URLEncoder.encode(filters, StandardCharsets.UTF_8);
            boolean seen = calls.call("list the container's OOM events", () -> {
                try (DockerHttpClient.Response response = engine.execute(Method.GET, path);
                     InputStream body = response.getBody()) {
                    EngineErrors.expectOk(response, "list the container's OOM events");
                    return new String(body.readNBytes(READ_LIMIT), StandardCharsets.UTF_8).contains("\"oom\"");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            if (seen) {
                log.info("container {} ran out of memory; the engine's State missed it, its events did not", container);
            }
            return seen;
        } catch (DateTimeParseException | EngineException | UncheckedIOException e) {
            log.debug("could not ask the engine whether container {} ran out of memory: {}", container, e.getMessage());
            return false; // the State stands as the engine gave it
        }
    }
}
