package io.chainlink.job;

import java.io.InputStream;
import java.util.Objects;
import java.util.function.IntFunction;

/**
 * A stored stream read back one chunk (at most 64 KiB) at a time, so whoever reads a log holds a
 * chunk of it, never the whole. Chunks are numbered from 0 without gaps; {@code chunk} answers
 * null past the last.
 */
final class StoredLogInputStream extends InputStream {

    private final IntFunction<byte[]> chunk;
    private byte[] current = new byte[0];
    private int position;
    private int next;
    private boolean ended;

    StoredLogInputStream(IntFunction<byte[]> chunk) {
        this.chunk = chunk;
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] into, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, into.length);
        if (length == 0) {
            return 0;
        }
        while (position == current.length) {
            byte[] following = ended ? null : chunk.apply(next++);
            if (following == null) {
                ended = true;
                return -1;
            }
            current = following;
            position = 0;
        }
        int n = Math.min(length, current.length - position);
        System.arraycopy(current, position, into, offset, n);
        position += n;
        return n;
    }
}
