package io.chainlink.job;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * One stage stream on its way to the database, kept within a byte limit: its head (the first
 * half of the limit) and its tail (the last half), however much came between. Closing puts one
 * line between them saying exactly how many bytes were dropped, and records that count for the
 * stage's view. Bytes are counted as the engine sends them, each entry's timestamp and space
 * included: kept and dropped add up to the stored log the stage would have had uncut.
 *
 * <p>The tail lives in the database while the stage runs, not in memory: bytes past the head are
 * stored in chunks as they fill, numbered from {@link #TAIL_SEQ}, and the oldest is deleted once
 * the newer ones hold the tail's share; closing trims the oldest to size and renumbers the rest
 * to follow the head. So a stream holds one chunk in memory whatever the limit (the heap is
 * small and the limit is the operator's), for a write and a delete per chunk of a flood. A write
 * that alone fills the tail replaces it without storing what it pushes out, so a small limit
 * costs no database writes at all while the stage runs.
 */
public final class StageLogWriter extends OutputStream implements StageOutput {

    static final int CHUNK_BYTES = 64 * 1024;
    /** How long output a client can read may stay only in memory: a kill -9 loses at most this much of it. */
    static final long FLUSH_NANOS = 1_000_000_000L;
    /** Where tail chunks are numbered from until closing: past any head (2^30 chunks is 64 TiB). */
    static final int TAIL_SEQ = 1 << 30;

    private final JobRepository repository;
    private final long job;
    private final int stage;
    private final LogStream stream;
    private final long headLimit;
    private final long tailLimit;
    private final byte[] chunk = new byte[CHUNK_BYTES];
    private int filled;
    private long received;
    private long head;
    private int headChunks;
    private byte headLast = '\n';
    private byte last = '\n';
    /** Stored tail chunks: TAIL_SEQ + tailFirst up to, not including, TAIL_SEQ + tailNext. */
    private int tailFirst;
    private int tailNext;
    private long tailStored;
    /** Sizes of the oldest and newest stored tail chunk (all between are whole chunks). */
    private int tailOldest;
    private int tailNewest;
    private boolean discarded;
    private boolean closed;
    private final Durability durability;
    private final LongSupplier nanoTime;
    private long flushed;
    private boolean everFlushed;

    public StageLogWriter(JobRepository repository, Durability durability, long job, int stage, LogStream stream, long limit) {
        this(repository, durability, job, stage, stream, limit, System::nanoTime);
    }

    /** With the clock the flushes are timed by: a test's own. */
    StageLogWriter(JobRepository repository, Durability durability, long job, int stage, LogStream stream, long limit,
                   LongSupplier nanoTime) {
        this.repository = repository;
        this.durability = durability;
        this.nanoTime = nanoTime;
        this.job = job;
        this.stage = stage;
        this.stream = stream;
        this.headLimit = limit / 2;
        this.tailLimit = limit - headLimit;
    }

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        if (length == 0) {
            return;
        }
        received += length;
        last = bytes[offset + length - 1];
        if (head < headLimit) {
            int n = (int) Math.min(length, headLimit - head);
            for (int done = 0; done < n; ) {
                done += buffer(bytes, offset + done, n - done);
                if (filled == chunk.length || head + done == headLimit) {
                    repository.appendLog(job, stage, stream, headChunks++, Arrays.copyOf(chunk, filled));
                    filled = 0;
                    flushNowAndThen();
                }
            }
            head += n;
            headLast = bytes[offset + n - 1];
            offset += n;
            length -= n;
        }
        if (length > 0 && tailLimit > 0) {
            writeTail(bytes, offset, length);
        }
    }

    private void writeTail(byte[] bytes, int offset, int length) {
        if (length >= tailLimit) {
            // All the tail keeps is in this write: what came before it is dropped unstored.
            while (tailFirst < tailNext) {
                repository.deleteLogChunk(job, stage, stream, TAIL_SEQ + tailFirst++);
            }
            tailStored = 0;
            filled = 0;
            offset += (int) (length - tailLimit);
            length = (int) tailLimit;
        }
        for (int done = 0; done < length; ) {
            done += buffer(bytes, offset + done, length - done);
            if (filled == chunk.length) {
                storeTailChunk();
                // The newer chunks, with what comes next, hold the tail without the oldest.
                while (tailNext - tailFirst > 1 && tailStored - tailOldest >= tailLimit) {
                    dropOldestTailChunk();
                }
            }
        }
    }

    private int buffer(byte[] bytes, int offset, int length) {
        int n = Math.min(length, chunk.length - filled);
        System.arraycopy(bytes, offset, chunk, filled, n);
        filled += n;
        return n;
    }

    private void storeTailChunk() {
        repository.appendLog(job, stage, stream, TAIL_SEQ + tailNext++, Arrays.copyOf(chunk, filled));
        tailStored += filled;
        tailNewest = filled;
        if (tailNext - tailFirst == 1) {
            tailOldest = filled;
        }
        filled = 0;
        flushNowAndThen();
    }

    /**
     * Stored output is readable at once; it is written to the store's file with the first chunk
     * and then at most every {@link #FLUSH_NANOS} (and when the stage ends, with its end): a flood
     * stores two chunks a millisecond, and writing each to the file cost more than the flood.
     */
    private void flushNowAndThen() {
        long now = nanoTime.getAsLong();
        if (!everFlushed || now - flushed >= FLUSH_NANOS) {
            durability.flush();
            flushed = now;
            everFlushed = true;
        }
    }

    private void dropOldestTailChunk() {
        repository.deleteLogChunk(job, stage, stream, TAIL_SEQ + tailFirst++);
        tailStored -= tailOldest;
        tailOldest = tailNext - tailFirst == 1 ? tailNewest : CHUNK_BYTES;
    }

    /** Bytes received and not kept, so far. */
    public long dropped() {
        return received - head - keptTail();
    }

    private long keptTail() {
        return Math.min(received - head, tailLimit);
    }

    @Override
    public void engineDiscardedOutput() {
        discarded = true;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (filled > 0) {
            if (head < headLimit) {
                repository.appendLog(job, stage, stream, headChunks++, Arrays.copyOf(chunk, filled));
                filled = 0;
            } else {
                storeTailChunk();
            }
        }
        trimTail();
        long dropped = dropped();
        int seq = headChunks;
        if (dropped > 0) {
            repository.appendLog(job, stage, stream, seq++, line(headLast, "output cut: " + dropped
                    + " bytes dropped between the first " + head + " and the last " + keptTail() + " bytes"
                    + (discarded ? "; the engine discarded more of the stage's output before it could be read" : "")));
        }
        if (tailNext > tailFirst) {
            repository.renumberLog(job, stage, stream, TAIL_SEQ + tailFirst, seq);
            seq += tailNext - tailFirst;
        }
        if (discarded && dropped == 0) {
            repository.appendLog(job, stage, stream, seq, line(last, "the engine discarded part of the stage's output before it could be read"));
        }
        if (dropped > 0 || discarded) {
            repository.recordLogCut(job, stage, stream, dropped, discarded);
        }
    }

    /** Makes the stored tail exactly the tail kept: whole chunks off its front, then part of one. */
    private void trimTail() {
        long keep = keptTail();
        while (tailFirst < tailNext && tailStored - tailOldest >= keep) {
            dropOldestTailChunk();
        }
        int excess = (int) (tailStored - keep);
        if (excess > 0) {
            int seq = TAIL_SEQ + tailFirst;
            byte[] oldest = repository.logChunk(job, stage, stream, seq);
            repository.deleteLogChunk(job, stage, stream, seq);
            repository.appendLog(job, stage, stream, seq, Arrays.copyOfRange(oldest, excess, oldest.length));
            tailStored -= excess;
        }
    }

    /** A line of the service's own, on a line of its own. */
    private static byte[] line(byte previous, String text) {
        return ((previous == '\n' ? "" : "\n") + "[chainlink] " + text + "\n").getBytes(StandardCharsets.UTF_8);
    }
}
