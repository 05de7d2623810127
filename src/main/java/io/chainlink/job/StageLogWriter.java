package io.chainlink.job;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * One stage stream on its way to the database: kept in chunks as it arrives, up to a byte cap;
 * past the cap bytes are only counted, and closing adds a last line saying how many were dropped.
 * Holds at most one chunk in memory, whatever the stage writes.
 */
public final class StageLogWriter extends OutputStream {

    static final int CHUNK_BYTES = 64 * 1024;

    private final JobRepository repository;
    private final long job;
    private final int stage;
    private final LogStream stream;
    private final long limit;
    private final byte[] chunk;
    private int filled;
    private int seq;
    private long kept;
    private long dropped;
    private byte last = '\n';
    private boolean closed;

    public StageLogWriter(JobRepository repository, long job, int stage, LogStream stream, long limit) {
        this.repository = repository;
        this.job = job;
        this.stage = stage;
        this.stream = stream;
        this.limit = limit;
        this.chunk = new byte[(int) Math.min(CHUNK_BYTES, Math.max(limit, 1))];
    }

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        int keep = (int) Math.min(length, limit - kept);
        for (int done = 0; done < keep; ) {
            int n = Math.min(keep - done, chunk.length - filled);
            System.arraycopy(bytes, offset + done, chunk, filled, n);
            filled += n;
            done += n;
            if (filled == chunk.length) {
                flushChunk();
            }
        }
        if (keep > 0) {
            kept += keep;
            last = bytes[offset + keep - 1];
        }
        dropped += length - Math.max(keep, 0);
    }

    public long dropped() {
        return dropped;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        flushChunk();
        if (dropped > 0) {
            String marker = (last == '\n' ? "" : "\n")
                    + "[chainlink] output cut at " + limit + " bytes: " + dropped + " bytes dropped\n";
            repository.appendLog(job, stage, stream, seq++, marker.getBytes(StandardCharsets.UTF_8));
        }
    }

    private void flushChunk() {
        if (filled > 0) {
            repository.appendLog(job, stage, stream, seq++, java.util.Arrays.copyOf(chunk, filled));
            filled = 0;
        }
    }
}
