package io.chainlink.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class LogFramesTest {

    private static final byte STDOUT = 1;
    private static final byte STDERR = 2;

    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

    @Test
    void framesGoToTheStreamTheirHeaderNames() throws IOException {
        copy(stream(frame(STDOUT, "out 1\n"), frame(STDERR, "err 1\n"), frame(STDOUT, "out 2\n"), frame(STDERR, "err 2\n")));

        assertThat(stdout.toString(StandardCharsets.UTF_8)).isEqualTo("out 1\nout 2\n");
        assertThat(stderr.toString(StandardCharsets.UTF_8)).isEqualTo("err 1\nerr 2\n");
    }

    @Test
    void aFrameLargerThanTheCopyBufferArrivesWhole() throws IOException {
        byte[] big = pattern(100_000);
        byte[] bigger = pattern(3 * 32 * 1024 + 1);

        copy(stream(frame(STDOUT, big), frame(STDERR, bigger), frame(STDOUT, "tail".getBytes(StandardCharsets.UTF_8))));

        byte[] expected = Arrays.copyOf(big, big.length + 4);
        System.arraycopy("tail".getBytes(StandardCharsets.UTF_8), 0, expected, big.length, 4);
        assertThat(stdout.toByteArray()).isEqualTo(expected);
        assertThat(stderr.toByteArray()).isEqualTo(bigger);
    }

    @Test
    void anEmptyStreamWritesNothing() throws IOException {
        copy(new ByteArrayInputStream(new byte[0]));

        assertThat(stdout.size()).isZero();
        assertThat(stderr.size()).isZero();
    }

    @Test
    void anEmptyFrameIsSkipped() throws IOException {
        copy(stream(frame(STDOUT, ""), frame(STDERR, "e"), frame(STDERR, ""), frame(STDOUT, "o")));

        assertThat(stdout.toString(StandardCharsets.UTF_8)).isEqualTo("o");
        assertThat(stderr.toString(StandardCharsets.UTF_8)).isEqualTo("e");
    }

    @Test
    void bytesArrivingAFewAtATimeAreReassembled() throws IOException {
        byte[] big = pattern(70_000);

        copy(new Trickle(stream(frame(STDERR, "first\n"), frame(STDOUT, big), frame(STDERR, "last\n")), 7));

        assertThat(stdout.toByteArray()).isEqualTo(big);
        assertThat(stderr.toString(StandardCharsets.UTF_8)).isEqualTo("first\nlast\n");
    }

    @Test
    void aStreamEndingInsideAHeaderIsAnError() {
        byte[] whole = concat(frame(STDOUT, "ok"), frame(STDERR, "cut"));
        byte[] cut = Arrays.copyOf(whole, 8 + 2 + 5); // the first frame, then 5 of the next header's 8 bytes

        assertThatExceptionOfType(EOFException.class).isThrownBy(() -> copy(new ByteArrayInputStream(cut)))
                .withMessageContaining("header");
        assertThat(stdout.toString(StandardCharsets.UTF_8)).isEqualTo("ok");
    }

    @Test
    void aStreamEndingInsideAPayloadIsAnError() {
        byte[] whole = frame(STDOUT, "0123456789");
        byte[] cut = Arrays.copyOf(whole, 8 + 4);

        assertThatExceptionOfType(EOFException.class).isThrownBy(() -> copy(new ByteArrayInputStream(cut)))
                .withMessageContaining("inside a frame");
    }

    @Test
    void aStreamEndingInsideALargePayloadIsAnError() {
        byte[] whole = frame(STDERR, pattern(100_000));
        byte[] cut = Arrays.copyOf(whole, 8 + 50_000);

        assertThatExceptionOfType(EOFException.class).isThrownBy(() -> copy(new ByteArrayInputStream(cut)));
    }

    @Test
    void entriesTheEngineSendsAgainAfterARotationAreSkippedPerStream() throws IOException {
        String t1 = "2026-11-25T03:41:55.000000001Z ";
        String t2 = "2026-11-25T03:41:55.000000002Z ";
        String t3 = "2026-11-25T03:41:55.000000003Z ";
        copy(stream(
                frame((byte) 1, t1 + "a\n"), frame((byte) 2, t1 + "x\n"), frame((byte) 1, t2 + "b\n"),
                frame((byte) 1, t1 + "a\n"), frame((byte) 1, t2 + "b\n"), // the repeat
                frame((byte) 2, t2 + "y\n"), frame((byte) 1, t3 + "c\n")));

        assertThat(stdout.toString(StandardCharsets.UTF_8)).isEqualTo(t1 + "a\n" + t2 + "b\n" + t3 + "c\n");
        assertThat(stderr.toString(StandardCharsets.UTF_8)).isEqualTo(t1 + "x\n" + t2 + "y\n");
    }

    @Test
    void entriesWithoutTimestampsAreNeverTakenForRepeats() throws IOException {
        copy(stream(frame((byte) 1, "same\n"), frame((byte) 1, "same\n")));
        assertThat(stdout.toString(StandardCharsets.UTF_8)).isEqualTo("same\nsame\n");
    }

    @Test
    void thePartsOfALongLineShareItsTimestampAndAreAllKept() throws IOException {
        // The engine splits a line past 16 KiB into entries that all carry the line's timestamp.
        String t1 = "2026-11-25T03:41:55.000000001Z ";
        String t2 = "2026-11-25T03:41:55.000000002Z ";
        copy(stream(frame(STDOUT, t1 + "aaaa"), frame(STDOUT, t1 + "bbbb"), frame(STDERR, t1 + "e\n"),
                frame(STDOUT, t1 + "cc\n"), frame(STDOUT, t2 + "next\n")));

        assertThat(stdout.toString(StandardCharsets.UTF_8)).isEqualTo(t1 + "aaaa" + t1 + "bbbb" + t1 + "cc\n" + t2 + "next\n");
        assertThat(stderr.toString(StandardCharsets.UTF_8)).isEqualTo(t1 + "e\n");
    }

    @Test
    void aLongLineSentAgainAfterTheEngineWentBackIsSkippedPartByPart() throws IOException {
        String t1 = "2026-11-25T03:41:55.000000001Z ";
        String t2 = "2026-11-25T03:41:55.000000002Z ";
        copy(stream(frame(STDOUT, t1 + "a\n"), frame(STDOUT, t2 + "b1"), frame(STDOUT, t2 + "b2"),
                frame(STDOUT, t1 + "a\n"), frame(STDOUT, t2 + "b1"), frame(STDOUT, t2 + "b2"), // sent again
                frame(STDOUT, t2 + "b3\n")));

        assertThat(stdout.toString(StandardCharsets.UTF_8)).isEqualTo(t1 + "a\n" + t2 + "b1" + t2 + "b2" + t2 + "b3\n");
    }

    @Test
    void anEntryOfTheNewestTimestampAfterItsLineEndedIsARepeat() throws IOException {
        String t1 = "2026-11-25T03:41:55.000000001Z ";
        copy(stream(frame(STDOUT, t1 + "x1"), frame(STDOUT, t1 + "x2\n"), frame(STDOUT, t1 + "x2\n")));

        assertThat(stdout.toString(StandardCharsets.UTF_8)).isEqualTo(t1 + "x1" + t1 + "x2\n");
    }

    @Test
    void aSecondReadFromEarlierOnCopiesOnlyWhatTheFirstMissed() throws IOException {
        String t1 = "2026-11-25T03:41:55.000000001Z ";
        String t2 = "2026-11-25T03:41:55.000000002Z ";
        String t3 = "2026-11-25T03:41:55.000000003Z ";
        String t4 = "2026-11-25T03:41:55.000000004Z ";
        LogFrames frames = new LogFrames(stdout, stderr);
        frames.copy(stream(frame(STDOUT, t1 + "a\n"), frame(STDERR, t2 + "e\n"), frame(STDOUT, t3 + "long1")));
        assertThat(new String(frames.first().timestamp(), StandardCharsets.US_ASCII)).isEqualTo(t1.strip());
        assertThat(frames.latest().stream()).isEqualTo(1);
        assertThat(frames.latest().time()).isEqualTo(java.time.Instant.parse(t3.strip()));

        // The read after the stop starts before the newest entry; the open line comes again from its start.
        frames.rewind();
        frames.copy(stream(frame(STDOUT, t1 + "a\n"), frame(STDERR, t2 + "e\n"), frame(STDOUT, t3 + "long1"),
                frame(STDOUT, t3 + "long2\n"), frame(STDERR, t4 + "last\n")));

        assertThat(stdout.toString(StandardCharsets.UTF_8)).isEqualTo(t1 + "a\n" + t3 + "long1" + t3 + "long2\n");
        assertThat(stderr.toString(StandardCharsets.UTF_8)).isEqualTo(t2 + "e\n" + t4 + "last\n");
        assertThat(frames.latest().stream()).isEqualTo(2);
    }

    @Test
    void aSecondReadThatStartsAfterTheNewestEntryCopiesItAll() throws IOException {
        String t1 = "2026-11-25T03:41:55.000000001Z ";
        String t2 = "2026-11-25T03:41:55.000000002Z ";
        LogFrames frames = new LogFrames(stdout, stderr);
        frames.copy(stream(frame(STDOUT, t1 + "a\n")));
        frames.rewind();
        frames.copy(stream(frame(STDOUT, t2 + "b\n")));

        assertThat(stdout.toString(StandardCharsets.UTF_8)).isEqualTo(t1 + "a\n" + t2 + "b\n");
    }

    @Test
    void theFirstLinesPartsAreCountedOnceWhateverIsSentAgain() throws IOException {
        String t1 = "2026-11-25T03:41:55.000000001Z ";
        String t2 = "2026-11-25T03:41:55.000000002Z ";
        LogFrames frames = new LogFrames(stdout, stderr);
        frames.copy(stream(frame(STDOUT, t1 + "p1"), frame(STDERR, t1 + "other stream\n"), frame(STDOUT, t1 + "p2")));
        frames.rewind();
        frames.copy(stream(frame(STDOUT, t1 + "p1"), frame(STDOUT, t1 + "p2"), frame(STDOUT, t1 + "p3\n"),
                frame(STDOUT, t2 + "next\n")));

        assertThat(frames.first().stream()).isEqualTo(1);
        assertThat(frames.firstParts()).isEqualTo(3);
    }

    @Test
    void nothingCopiedLeavesNoFirstOrLatestEntry() throws IOException {
        LogFrames frames = new LogFrames(stdout, stderr);
        frames.copy(stream(frame(STDOUT, "untimed\n")));

        assertThat(frames.first()).isNull();
        assertThat(frames.latest()).isNull();
    }

    private void copy(InputStream in) throws IOException {
        new LogFrames(stdout, stderr).copy(in);
    }

    private static byte[] frame(byte stream, String payload) {
        return frame(stream, payload.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code [stream, 0, 0, 0, size (big-endian)]} then the payload, as the engine writes it. */
    private static byte[] frame(byte stream, byte[] payload) {
        return ByteBuffer.allocate(8 + payload.length)
                .put(stream).put((byte) 0).put((byte) 0).put((byte) 0)
                .putInt(payload.length)
                .put(payload)
                .array();
    }

    private static ByteArrayInputStream stream(byte[]... frames) {
        return new ByteArrayInputStream(concat(frames));
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            all.writeBytes(part);
        }
        return all.toByteArray();
    }

    /** Distinct bytes, so that a misplaced or repeated slice shows. */
    private static byte[] pattern(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (i * 31 + i / 251);
        }
        return bytes;
    }

    /** Hands out at most {@code most} bytes per read, as a socket may. */
    private static final class Trickle extends FilterInputStream {

        private final int most;

        Trickle(InputStream in, int most) {
            super(in);
            this.most = most;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return super.read(b, off, Math.min(len, most));
        }
    }
}
