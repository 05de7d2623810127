package io.chainlink.job;

import java.util.Locale;

public enum LogStream {
    STDOUT, STDERR;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static LogStream of(String key) {
        for (LogStream stream : values()) {
            if (stream.key().equals(key)) {
                return stream;
            }
        }
        throw new JobNotFoundException("log stream '" + key + "'");
    }
}
