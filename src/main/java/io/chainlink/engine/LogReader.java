package io.chainlink.engine;

import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient.Request.Method;
import java.io.IOException;
import java.io.OutputStream;
import org.springframework.stereotype.Component;

/** Reads a stage container's stdout and stderr from the engine into the stage's two streams. */
@Component
class LogReader {

    private final EngineConnection engine;
    private final EngineCalls calls;

    LogReader(EngineConnection engine, EngineCalls calls) {
        this.engine = engine;
        this.calls = calls;
    }

    /**
     * Reads the container's multiplexed log stream (no TTY: 8-byte frame headers say which
     * stream each payload belongs to) on the calling thread, as it is written, until the
     * container stops, or {@code watchdog} gives up on it. docker-java would start a thread per
     * stream for this.
     */
    void follow(String container, OutputStream stdout, OutputStream stderr, Watchdog watchdog) {
        try (DockerHttpClient.Response response = calls.call("read the container's logs", () -> engine.execute(Method.GET,
                "/containers/" + container + "/logs?follow=1&stdout=1&stderr=1&timestamps=1"))) {
            watchdog.watch(response);
            EngineErrors.expectOk(response, "read the container's logs");
            LogFrames.copy(response.getBody(), stdout, stderr);
        } catch (IOException e) {
            throw new EngineUnavailableException("the container's log stream broke: " + e.getMessage(), e);
        }
    }
}
