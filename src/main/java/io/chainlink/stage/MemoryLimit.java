package io.chainlink.stage;

import com.fasterxml.jackson.annotation.JsonCreator;
import io.swagger.v3.oas.annotations.media.Schema;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A container memory cap, read the way chainlink reads it (the Docker SDK for Python's
 * {@code parse_bytes}): a whole number of bytes, or a number with a unit {@code b k m g} in
 * either case, an optional trailing {@code b}, and a fraction allowed ({@code 1.5g}).
 */
@Schema(description = "A whole number of bytes, or a number with a unit b, k, m or g (either case, optional trailing b,"
        + " fractions allowed: 512m, 64M, 2gb, 1.5g); at least 6m (6291456 bytes)",
        oneOf = {String.class, Long.class}, example = "512m")
public record MemoryLimit(@Schema(hidden = true) long bytes) {

    /** The engine refuses a memory cap below 6 MiB (linuxMinMemory in moby). */
    public static final long ENGINE_FLOOR = 6L * 1024 * 1024;

    /**
     * Room for any size a long holds, with a fraction and a unit. A longer text is refused before
     * its digits are read: BigDecimal reads n digits in time growing with n squared, and a
     * megabyte of them held a request thread for 4 s.
     */
    private static final int TEXT_MAX = 32;

    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?|\\.\\d+)\\s*([bkmg])?b?", Pattern.CASE_INSENSITIVE);

    public MemoryLimit {
        if (bytes < ENGINE_FLOOR) {
            throw new IllegalArgumentException(
                    "must be at least 6m (" + ENGINE_FLOOR + " bytes), the engine's floor; got " + bytes + " bytes");
        }
    }

    public static MemoryLimit parse(String text) {
        if (text.length() > TEXT_MAX) {
            throw new IllegalArgumentException("is not a size: a size has at most " + TEXT_MAX
                    + " characters, e.g. 512m or 67108864");
        }
        Matcher m = SIZE.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "'" + text + "' is not a size: use bytes or a number with a unit b, k, m or g (e.g. 512m, 2g)");
        }
        long unit = switch (m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT)) {
            case "k" -> 1024L;
            case "m" -> 1024L * 1024;
            case "g" -> 1024L * 1024 * 1024;
            default -> 1L;
        };
        BigDecimal bytes = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unit));
        if (bytes.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw new IllegalArgumentException("'" + text + "' is too large");
        }
        // parse_bytes truncates a fractional byte count, so we do too.
        return new MemoryLimit(bytes.longValue());
    }

    /** The size in the largest unit that writes it whole: {@code 2g}, {@code 1536m}, {@code 6291457}. */
    public static String text(long bytes) {
        String[] units = {"g", "m", "k"};
        for (int i = 0; i < units.length; i++) {
            long size = 1L << (10 * (units.length - i));
            if (bytes % size == 0) {
                return bytes / size + units[i];
            }
        }
        return Long.toString(bytes);
    }

    /** JSON accepts a string such as {@code "512m"} or a whole number of bytes. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static MemoryLimit fromJson(Object value) {
        if (value instanceof String text) {
            return parse(text);
        }
        if (value instanceof Integer || value instanceof Long) {
            return new MemoryLimit(((Number) value).longValue());
        }
        throw new IllegalArgumentException("must be a string such as \"512m\" or a whole number of bytes");
    }
}
