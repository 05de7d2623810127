package io.chainlink.follow;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A stream of log bytes cut into lines, for Server-Sent Events: one event a line. Bytes arrive in
 * pieces that do not follow line boundaries, so the unfinished line is kept until its newline
 * comes, within {@link #MAX_LINE} bytes: a longer one is sent in parts, each cut where a UTF-8
 * character begins, so that no part holds half a character. Cutting bytes at a newline is safe
 * for UTF-8, whose multi-byte characters never contain the byte 0x0A.
 *
 * <p>A carriage return ends a line in SSE (CR, LF and CRLF all do), so one inside a line would end
 * the event's data and start a stray field: a CRLF ending loses its CR, and a CR within a line
 * becomes a newline, which the event carries as a second {@code data:} line (clients join them
 * with a newline).
 */
final class LogLines {

    static final int MAX_LINE = 64 * 1024;

    private byte[] pending = new byte[256];
    private int length;

    /** The lines that {@code bytes} completes, without their newlines. */
    List<String> feed(byte[] bytes, int offset, int count) {
        List<String> lines = new ArrayList<>();
        for (int i = offset; i < offset + count; i++) {
            byte b = bytes[i];
            if (b == '\n') {
                lines.add(take(length));
            } else {
                if (length == MAX_LINE) {
                    lines.add(take(characterStart()));
                }
                append(b);
            }
        }
        return lines;
    }

    /** What is left once the stream has ended: an unfinished last line, if there is one. */
    List<String> finish() {
        return length == 0 ? List.of() : List.of(take(length));
    }

    private void append(byte b) {
        if (length == pending.length) {
            pending = Arrays.copyOf(pending, Math.min(MAX_LINE, pending.length * 2));
        }
        pending[length++] = b;
    }

    /** Where the last character of the pending bytes begins: continuation bytes are 10xxxxxx. */
    private int characterStart() {
        int start = length;
        while (start > 0 && length - start < 4 && (pending[start - 1] & 0xC0) == 0x80) {
            start--;
        }
        // The byte before the continuations leads the character; if they run to the start, cut anyway.
        return start > 0 && length - start < 4 && (pending[start - 1] & 0xC0) == 0xC0 ? start - 1 : length;
    }

    /** The first {@code n} pending bytes as a line; the rest stay pending. */
    private String take(int n) {
        int end = n > 0 && pending[n - 1] == '\r' ? n - 1 : n;
        String line = new String(pending, 0, end, StandardCharsets.UTF_8).replace('\r', '\n');
        System.arraycopy(pending, n, pending, 0, length - n);
        length -= n;
        return line;
    }
}
