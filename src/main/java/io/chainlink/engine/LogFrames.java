package io.chainlink.engine;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The engine's multiplexed stream (containers without a TTY): frames of an 8-byte header
 * {@code [stream, 0, 0, 0, size (4 bytes, big-endian)]} and {@code size} bytes of payload;
 * stream 1 is stdout, 2 is stderr.
 */
final class LogFrames {

    private LogFrames() {
    }

    static void copy(InputStream in, OutputStream stdout, OutputStream stderr) throws IOException {
        byte[] header = new byte[8];
        byte[] buffer = new byte[32 * 1024];
        while (readHeader(in, header)) {
            OutputStream target = header[0] == 2 ? stderr : stdout;
            long size = ((header[4] & 0xffL) << 24) | ((header[5] & 0xff) << 16) | ((header[6] & 0xff) << 8) | (header[7] & 0xff);
            while (size > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, size));
                if (n < 0) {
                    throw new EOFException("log stream ended inside a frame");
                }
                target.write(buffer, 0, n);
                size -= n;
            }
        }
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
