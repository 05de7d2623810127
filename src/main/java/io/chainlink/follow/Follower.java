package io.chainlink.follow;

import io.chainlink.job.JobRepository;
import io.chainlink.job.JobRepository.StageState;
import io.chainlink.job.LogStream;
import io.chainlink.job.StageLogWriter;
import io.chainlink.stage.StageStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;

/**
 * One client following one stage stream: where it stands in the stored stream (a chunk and how
 * much of it was sent) and how it is told (plain bytes, or one Server-Sent Event a line).
 *
 * <p>It reads only what is stored, so it never holds the stage up, and reads the same whether this
 * instance or another runs the stage. While the stage runs it follows the stream's head, whose
 * chunks only grow ({@link StageLogWriter#CHUNK_BYTES}); past the head (more than half of
 * chainlink.log-limit) the writer keeps only a moving tail, which is final when the stage ends, so
 * the rest comes then. The stage's status is read before its chunks: once it has ended, the
 * stored stream is final (the writer closes before the stage ends), and is sent to its end.
 */
final class Follower {

    /** What a look found: nothing more for now, more to send at once, or the follow is over. */
    enum Next { WAIT, AGAIN, DONE }

    /** Bytes one look reads at most, so that one follower of a long log does not hold a thread. */
    private static final int CHUNKS_PER_LOOK = 2;
    private static final long HEARTBEAT_NANOS = 15_000_000_000L;
    private static final byte[] HEARTBEAT = ":\n\n".getBytes(StandardCharsets.US_ASCII);

    private final JobRepository repository;
    private final long job;
    private final int stage;
    private final LogStream stream;
    private final ResponseBodyEmitter emitter;
    /** Null for plain text. */
    private final LogLines lines;
    private final long deadline;
    private int seq;
    private int offset;
    private long sentAt;
    final AtomicBoolean busy = new AtomicBoolean();
    volatile long nextLook;

    Follower(JobRepository repository, long job, int stage, LogStream stream, ResponseBodyEmitter emitter, boolean events,
             long now, long deadline) {
        this.repository = repository;
        this.job = job;
        this.stage = stage;
        this.stream = stream;
        this.emitter = emitter;
        this.lines = events ? new LogLines() : null;
        this.sentAt = now;
        this.deadline = deadline;
    }

    ResponseBodyEmitter emitter() {
        return emitter;
    }

    /** Sends what was stored since the last look; one thread at a time ({@link #busy}). */
    Next look(long now) throws IOException {
        if (now - deadline >= 0) {
            if (lines != null) {
                send(SseFrames.event("timeout", "").getBytes(StandardCharsets.UTF_8));
            }
            emitter.complete();
            return Next.DONE;
        }
        Optional<StageState> state = repository.stageState(job, stage);
        if (state.isEmpty()) { // deleted under its follower (retention): nothing more will come
            return end(null);
        }
        StageStatus status = state.get().status();
        boolean ended = status.isFinal();
        if (status != StageStatus.PENDING) {
            for (int i = 0; i < CHUNKS_PER_LOOK; i++) {
                byte[] data = repository.logChunk(job, stage, stream, seq);
                if (data == null) {
                    return ended ? end(status) : waiting(now);
                }
                if (data.length > offset) {
                    send(data, offset);
                    offset = data.length;
                    sentAt = now;
                }
                if (!ended && data.length < StageLogWriter.CHUNK_BYTES) {
                    return waiting(now);
                }
                seq++;
                offset = 0;
            }
            return Next.AGAIN;
        }
        return waiting(now);
    }

    /** An SSE comment now and then while nothing comes: proxies keep the connection, and a gone client shows. */
    private Next waiting(long now) throws IOException {
        if (lines != null && now - sentAt >= HEARTBEAT_NANOS) {
            send(HEARTBEAT);
            sentAt = now;
        }
        return Next.WAIT;
    }

    private Next end(StageStatus status) throws IOException {
        if (lines != null) {
            StringBuilder rest = new StringBuilder();
            lines.finish().forEach(line -> rest.append(SseFrames.data(line)));
            rest.append(SseFrames.event("end", status == null ? "" : status.name()));
            send(rest.toString().getBytes(StandardCharsets.UTF_8));
        }
        emitter.complete();
        return Next.DONE;
    }

    private void send(byte[] data, int from) throws IOException {
        if (lines == null) {
            send(Arrays.copyOfRange(data, from, data.length));
            return;
        }
        List<String> complete = lines.feed(data, from, data.length - from);
        if (!complete.isEmpty()) {
            StringBuilder events = new StringBuilder();
            complete.forEach(line -> events.append(SseFrames.data(line)));
            send(events.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    private void send(byte[] bytes) throws IOException {
        emitter.send(bytes, MediaType.APPLICATION_OCTET_STREAM);
    }
}
