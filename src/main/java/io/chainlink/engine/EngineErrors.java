package io.chainlink.engine;

import com.github.dockerjava.api.exception.DockerException;
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
}
