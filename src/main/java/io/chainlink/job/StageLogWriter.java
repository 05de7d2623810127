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
 *
 * <p>For followers ({@link LiveLogs}), the head's last chunk is also stored before it fills, when
 * the stage has gone quiet on it, and then replaced as it grows: a follower never sees a stored
 * byte change, only chunks grow. The tail is not stored that way: it is not final until closing,
 * so a follower reads it then. Writes, closing and that store take the writer's lock: the
 * engine's reading thread may wait for one such store a second, never for a follower.
 */
public final class StageLogWriter extends OutputStream implements StageOutput {

    /**
     * The most a stored chunk holds. While the stream is open, a stored chunk this long is whole and
     * the next one follows it, and a shorter one is the last so far and may grow; once it is closed,
     * any chunk may be shorter (the cut line, the trimmed tail).
     */
    public static final int CHUNK_BYTES = 64 * 1024;
    /** How long output a client can read may stay only in memory: a kill -9 loses at most this much of it. */
    static final long FLUSH_NANOS = 1_000_000_000L;
    /** Where tail chunks are numbered from until closing: past any head (2^30 chunks is 64 TiB). */
    static final int TAIL_SEQ = 1 << 30;
    /** How often, at most, the head's unfilled chunk is stored for followers: a row rewritten once a second. */
    static final long PARTIAL_NANOS = 1_000_000_000L;

    private final JobRepository repository;
    private final Lease job;
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
    /** Null: no one follows this stream (a test's writer). */
    private final LiveLogs live;
    /** Bytes of the head's unfilled chunk already stored, as row headChunks; 0: it has no row yet. */
    private int partialStored;
    private long partialAt;
    private boolean everPartial;

    /** A stream whose output followers in this process see as it comes ({@code live}). */
    public StageLogWriter(JobRepository repository, Durability durability, LiveLogs live, Lease job, int stage, LogStream stream,
                          long limit) {
        this(repository, durability, live, job, stage, stream, limit, System::nanoTime);
    }

    /** With the clock the flushes are timed by: a test's own; no partial chunk is stored but by {@link #storePartial()}. */
    StageLogWriter(JobRepository repository, Durability durability, Lease job, int stage, LogStream stream, long limit,
                   LongSupplier nanoTime) {
        this(repository, durability, null, job, stage, stream, limit, nanoTime);
    }

    StageLogWriter(JobRepository repository, Durability durability, LiveLogs live, Lease job, int stage, LogStream stream,
                   long limit, LongSupplier nanoTime) {
        this.live = live;
        this.repository = repository;
        this.durability = durability;
        this.nanoTime = nanoTime;
        this.job = job;
        this.stage = stage;
        this.stream = stream;
        this.headLimit = limit / 2;
        this.tailLimit = limit - headLimit;
        if (live != null) {
            live.opened(this);
        }
    }

    @Override
    public synchronized void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) {
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
                    storeHeadChunk();
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

    /** Stores the head's chunk as it stands and starts the next: a row of its own, or its partial row replaced. */
    private void storeHeadChunk() {
        byte[] data = Arrays.copyOf(chunk, filled);
        if (partialStored > 0) {
            repository.replaceLogChunk(job, stage, stream, headChunks, data);
        } else {
            repository.appendLog(job, stage, stream, headChunks, data);
        }
        headChunks++;
        filled = 0;
        partialStored = 0;
        changed();
    }

    /**
     * Stores the head's unfilled chunk, if it holds bytes not stored yet and none was stored so
     * in the last {@link #PARTIAL_NANOS}: for followers, who would otherwise wait for 64 KiB or
     * the stage's end. Not written to the store's file ({@link Durability}): that stays as it was.
     */
    synchronized void storePartial() {
        // Past the head the buffer holds tail bytes, which followers read once the stream is closed.
        if (closed || head >= headLimit || filled == partialStored) {
            return;
        }
        long now = nanoTime.getAsLong();
        if (everPartial && now - partialAt < PARTIAL_NANOS) {
            return;
        }
        byte[] data = Arrays.copyOf(chunk, filled);
        if (partialStored > 0) {
            repository.replaceLogChunk(job, stage, stream, headChunks, data);
        } else {
            repository.appendLog(job, stage, stream, headChunks, data);
        }
        partialStored = filled;
        partialAt = now;
        everPartial = true;
        changed();
    }

    private void changed() {
        if (live != null) {
            live.changed().fire();
        }
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
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            end();
        } finally {
            if (live != null) {
                live.closed(this);
            }
        }
    }

    private void end() {
        if (filled > 0) {
            if (head < headLimit) {
                storeHeadChunk();
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
            byte[] oldest = repository.logChunk(job.job(), stage, stream, seq);
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
