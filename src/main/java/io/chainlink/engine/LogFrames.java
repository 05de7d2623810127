package io.chainlink.engine;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;

/**
 * The engine's multiplexed log stream (containers without a TTY): frames of an 8-byte header
 * {@code [stream, 0, 0, 0, size (4 bytes, big-endian)]} and {@code size} bytes of payload;
 * stream 1 is stdout, 2 is stderr. With timestamps, each frame is one log entry that starts
 * with its fixed-width RFC 3339 timestamp ({@code 2026-11-25T03:41:55.123456789Z}) and a space.
 *
 * <p>One instance copies every read of one container's log, so that each entry reaches its
 * stream once: following a container whose log file rotates, the engine (seen on 20.10) sends
 * entries again that it had already sent (149 MB for 105 MB of output), and the read after the
 * container stops starts before the newest entry taken. Each stream's {@link StreamCursor} tells
 * those repeats apart; they are neither kept nor counted.
 */
final class LogFrames {

    static final int TIMESTAMP_LENGTH = "2026-11-25T03:41:55.123456789Z".length();

    /** A log entry by its stream (1 or 2) and timestamp. */
    record Entry(int stream, byte[] timestamp) {

        Instant time() {
            return Instant.parse(new String(timestamp, StandardCharsets.US_ASCII));
        }
    }

    private final OutputStream stdout;
    private final OutputStream stderr;
    private final StreamCursor[] cursors = {new StreamCursor(), new StreamCursor()};
    private final byte[] buffer = new byte[32 * 1024];
    private Entry first;
    private int firstParts;
    private Entry latest;

    LogFrames(OutputStream stdout, OutputStream stderr) {
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** The first timestamped entry copied, or null. */
    Entry first() {
        return first;
    }

    /** Entries copied of the first one's line: its stream and timestamp (a long line's parts share them). */
    int firstParts() {
        return firstParts;
    }

    /** The timestamped entry copied last, or null. */
    Entry latest() {
        return latest;
    }

    /** The next read starts earlier in the log: each stream's newest line comes again first. */
    void rewind() {
        for (StreamCursor cursor : cursors) {
            cursor.rewind();
        }
    }

    /** Copies one read of the log to the two streams, each entry not copied before. */
    void copy(InputStream in) throws IOException {
        byte[] header = new byte[8];
        while (readHeader(in, header)) {
            int stream = header[0] == 2 ? 2 : 1;
            long size = ((header[4] & 0xffL) << 24) | ((header[5] & 0xff) << 16) | ((header[6] & 0xff) << 8) | (header[7] & 0xff);
            int head = (int) Math.min(size, TIMESTAMP_LENGTH);
            if (in.readNBytes(buffer, 0, head) < head) {
                throw new EOFException("log stream ended inside a frame");
            }
            StreamCursor cursor = timestamped(buffer, head) ? cursors[stream - 1] : null;
            byte[] timestamp = cursor == null ? null : Arrays.copyOf(buffer, TIMESTAMP_LENGTH);
            boolean fresh = cursor == null || cursor.take(timestamp);
            OutputStream target = !fresh ? OutputStream.nullOutputStream() : stream == 2 ? stderr : stdout;
            target.write(buffer, 0, head);
            byte last = head > 0 ? buffer[head - 1] : (byte) '\n';
            for (size -= head; size > 0; ) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, size));
                if (n < 0) {
                    throw new EOFException("log stream ended inside a frame");
                }
                target.write(buffer, 0, n);
                last = buffer[n - 1];
                size -= n;
            }
            if (fresh && cursor != null) {
                cursor.ended(last);
                latest = new Entry(stream, timestamp);
                if (first == null) {
                    first = latest;
                }
                if (first.stream() == stream && Arrays.equals(first.timestamp(), timestamp)) {
                    firstParts++;
                }
            }
        }
    }

    private static boolean timestamped(byte[] entry, int length) {
        return length == TIMESTAMP_LENGTH && entry[TIMESTAMP_LENGTH - 1] == 'Z';
    }

    /** False at a clean end of stream, between frames. */
    private static boolean readHeader(InputStream in, byte[] header) throws IOException {
        int read = in.readNBytes(header, 0, header.length);
        if (read == 0) {
            return false;
        }
        if (read < header.length) {
            throw new EOFException("log stream ended inside a frame header");
        }
        return true;
    }
}
