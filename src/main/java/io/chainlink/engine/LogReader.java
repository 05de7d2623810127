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

    LogReader(EngineConnection engine) {
        this.engine = engine;
    }

    /**
     * Reads the container's multiplexed log stream (no TTY: 8-byte frame headers say which
     * stream each payload belongs to) on the calling thread, as it is written, until the
     * container stops. docker-java would start a thread per stream for this.
     */
    void follow(String container, OutputStream stdout, OutputStream stderr) {
        try (DockerHttpClient.Response response = engine.execute(Method.GET,
                "/containers/" + container + "/logs?follow=1&stdout=1&stderr=1&timestamps=1")) {
            EngineErrors.expectOk(response, "read the container's logs");
            new LogFrames(stdout, stderr).copy(response.getBody());
        } catch (IOException e) {
            throw new EngineException("the container's log stream broke: " + e.getMessage(), e);
        }
    }
}
