package io.chainlink.engine;

import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.transport.DockerHttpClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The engine's own words from an error answer: {@code {"message": "..."}}, or the answer as it came. */
final class EngineErrors {

    private static final Pattern MESSAGE = Pattern.compile("\"message\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    private EngineErrors() {
    }

    static String reason(DockerException e) {
        String text = e.getMessage() == null ? "" : e.getMessage();
        return reason(e.getHttpStatus(), text.replaceFirst("^Status \\d+: ", ""));
    }

    static String reason(int status, String body) {
        Matcher m = MESSAGE.matcher(body);
        String message = m.find() ? m.group(1).replace("\\\"", "\"").replace("\\\\", "\\") : body.strip();
        return message.isEmpty() ? "HTTP " + status : message;
    }

    /** Throws the engine's refusal, in its own words, unless the answer is 2xx. */
    static void expectOk(DockerHttpClient.Response response, String what) {
        if (response.getStatusCode() / 100 != 2) {
            String body;
            try (InputStream in = response.getBody()) {
                body = new String(in.readNBytes(4096), StandardCharsets.UTF_8);
            } catch (IOException e) {
                body = "";
            }
            throw new EngineException("the engine could not " + what + ": " + reason(response.getStatusCode(), body));
        }
    }
}
