package io.chainlink.engine;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * The engine's multiplexed log stream (containers without a TTY): frames of an 8-byte header
 * {@code [stream, 0, 0, 0, size (4 bytes, big-endian)]} and {@code size} bytes of payload;
 * stream 1 is stdout, 2 is stderr. With timestamps, each frame is one log entry that starts
 * with its fixed-width RFC 3339 timestamp ({@code 2026-11-25T03:41:55.123456789Z}).
 *
 * <p>Following a container whose log file rotates, the engine (seen on 20.10) sends entries
 * again that it had already sent: 149 MB for 105 MB of output. Entries of one stream carry
 * rising timestamps, so an entry not newer than the last one of its stream is such a repeat,
 * and is skipped: neither kept nor counted.
 */
final class LogFrames {

    static final int TIMESTAMP_LENGTH = "2026-11-25T03:41:55.123456789Z".length();

    private LogFrames() {
    }

    static void copy(InputStream in, OutputStream stdout, OutputStream stderr) throws IOException {
        byte[] header = new byte[8];
        byte[] buffer = new byte[32 * 1024];
        byte[][] newest = new byte[3][];
        while (readHeader(in, header)) {
            int stream = header[0] == 2 ? 2 : 1;
            long size = ((header[4] & 0xffL) << 24) | ((header[5] & 0xff) << 16) | ((header[6] & 0xff) << 8) | (header[7] & 0xff);
            int head = (int) Math.min(size, TIMESTAMP_LENGTH);
            if (in.readNBytes(buffer, 0, head) < head) {
                throw new EOFException("log stream ended inside a frame");
            }
            boolean repeat = isRepeat(buffer, head, newest, stream);
            OutputStream target = repeat ? OutputStream.nullOutputStream() : stream == 2 ? stderr : stdout;
            target.write(buffer, 0, head);
            for (size -= head; size > 0; ) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, size));
                if (n < 0) {
                    throw new EOFException("log stream ended inside a frame");
                }
                target.write(buffer, 0, n);
                size -= n;
            }
        }
    }

    /** Whether an entry's timestamp is not newer than its stream's newest; remembers it otherwise. */
    private static boolean isRepeat(byte[] entry, int length, byte[][] newest, int stream) {
        if (length < TIMESTAMP_LENGTH || entry[TIMESTAMP_LENGTH - 1] != 'Z') {
            return false; // not a timestamped entry
        }
        byte[] timestamp = Arrays.copyOf(entry, TIMESTAMP_LENGTH);
        if (newest[stream] != null && Arrays.compare(timestamp, newest[stream]) <= 0) {
            return true;
        }
        newest[stream] = timestamp;
        return false;
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
