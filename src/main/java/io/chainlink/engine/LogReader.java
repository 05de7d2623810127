package io.chainlink.engine;

import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient.Request.Method;
import io.chainlink.job.StageOutput;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import org.springframework.stereotype.Component;

/**
 * Reads a stage container's stdout and stderr from the engine into the stage's two streams: every
 * entry once, whatever the engine's log file does meanwhile.
 *
 * <p>What the engine does (Docker 20.10, json-file, tried here): a follow ({@code logs?follow=1})
 * reads the file it opened to its end, even once rotated away, then opens whichever file is
 * current, skipping any in between; and it ends when the container stops, wherever it stands. It
 * reads the driver's JSON at about 25 MB/s, while a flooding container writes 60, so a flood
 * leaves it behind: 30 MB of 40-byte lines (82 MB of JSON), then a line on stderr, came back as
 * the first 23 MB (the first file) without that line. A plain read once the container has
 * stopped reads every file the engine still holds, oldest first (there: all of it). Hence:
 * follow while the container runs (so that what the engine may discard before the end is read,
 * and the log's first entry is known), then, once it has stopped, read again from just before
 * the newest entry followed, and copy only what the follow missed ({@link LogFrames}).
 *
 * <p>Exact when the engine still holds the log's first line at the end: with {@code max-file} 2
 * ({@link ContainerSettings#LOG_CONFIG}) its files then span the whole log; the follow cannot
 * have skipped a file (that takes a third), and the read after the stop has all that came after
 * the follow. Otherwise the stage wrote more than the engine keeps (two files of the driver's
 * JSON: 128 MB), faster than the follow read it, the oldest file went unread, and the streams are
 * told ({@link StageOutput#engineDiscardedOutput()}): what was read is still kept and counted, the
 * last lines included. This relies on the follow opening the log before its first file rotates,
 * within milliseconds of the start (the engine follows only a running container).
 */
@Component
class LogReader {

    /**
     * How far before the newest entry followed the read after the stop starts. Each stream's
     * copier stamps its entries before it takes the log file's lock, so the two streams' entries
     * reach the file nearly, not exactly, in the order of their timestamps.
     */
    static final Duration OVERLAP = Duration.ofSeconds(1);

    private final EngineConnection engine;
    private final EngineCalls calls;

    LogReader(EngineConnection engine, EngineCalls calls) {
        this.engine = engine;
        this.calls = calls;
    }

    /** A follow that has ended, for {@link #catchUp}. */
    record Followed(String container, LogFrames frames, OutputStream stdout, OutputStream stderr) {
    }

    /**
     * Reads the container's log as it is written, on the calling thread, until the container
     * stops (or the engine ends the follow, or {@code watchdog} gives up on it). docker-java would
     * start a thread per stream for this.
     */
    Followed follow(String container, OutputStream stdout, OutputStream stderr, Watchdog watchdog) {
        LogFrames frames = new LogFrames(stdout, stderr);
        read(container, "&follow=1", frames, watchdog);
        return new Followed(container, frames, stdout, stderr);
    }

    /** Once the container has stopped: copies what the follow missed, and says whether all was read. */
    void catchUp(Followed followed, Watchdog watchdog) {
        LogFrames frames = followed.frames();
        LogFrames.Entry latest = frames.latest();
        frames.rewind();
        read(followed.container(), latest == null ? "" : "&since=" + unixTime(latest.time().minus(OVERLAP)), frames, watchdog);
        if (frames.first() != null && !firstLineHeld(followed.container(), frames, watchdog)) {
            for (OutputStream stream : new OutputStream[] {followed.stdout(), followed.stderr()}) {
                if (stream instanceof StageOutput output) {
                    output.engineDiscardedOutput();
                }
            }
        }
    }

    /**
     * Whether the engine still holds the log's first line whole: a read of that line's instant
     * alone (the engine stops at the first entry past it). Whole, not just some of it: the parts
     * of a long line share its timestamp, and the engine may have discarded the first of them.
     */
    private boolean firstLineHeld(String container, LogFrames read, Watchdog watchdog) {
        LogFrames.Entry first = read.first();
        String at = unixTime(first.time());
        LogFrames held = new LogFrames(OutputStream.nullOutputStream(), OutputStream.nullOutputStream());
        read(container, "&since=" + at + "&until=" + at, held, watchdog);
        return held.first() != null && held.first().stream() == first.stream() && held.firstParts() == read.firstParts();
    }

    private void read(String container, String query, LogFrames frames, Watchdog watchdog) {
        try (DockerHttpClient.Response response = calls.call("read the container's logs", () -> engine.execute(Method.GET,
                "/containers/" + container + "/logs?stdout=1&stderr=1&timestamps=1" + query))) {
            watchdog.watch(response);
            EngineErrors.expectOk(response, "read the container's logs");
            frames.copy(response.getBody());
        } catch (IOException e) {
            throw new EngineUnavailableException("the Docker engine at " + engine.host()
                    + " could not be reached: the connection broke while reading the container's logs: " + e.getMessage(), e);
        }
    }

    /** The engine's form of an instant in {@code since} and {@code until}: seconds, a dot, nanoseconds. */
    static String unixTime(Instant instant) {
        return instant.getEpochSecond() + "." + String.format("%09d", instant.getNano());
    }
}
