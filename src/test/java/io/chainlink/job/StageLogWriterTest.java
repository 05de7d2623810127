package io.chainlink.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StageLogWriterTest {

    private static final int KIB = 1024;
    private static final long JOB = 7;
    private static final int STAGE = 2;

    /** What reached the database, in order. */
    private final List<Chunk> chunks = new ArrayList<>();

    private final JobRepository repository = new JobRepository(null, null) {
        @Override
        public void appendLog(long job, int idx, LogStream stream, int seq, byte[] data) {
            chunks.add(new Chunk(job, idx, stream, seq, data.clone()));
        }
    };

    record Chunk(long job, int stage, LogStream stream, int seq, byte[] data) {
    }

    @Test
    void outputUnderTheLimitIsKeptWhole() throws IOException {
        StageLogWriter writer = writer(100);

        writer.write(bytes("hello\n"));
        writer.write(bytes("world\n"));
        writer.close();

        assertThat(stored()).isEqualTo("hello\nworld\n");
        assertThat(writer.dropped()).isZero();
    }

    @Test
    void outputOfExactlyTheLimitIsKeptWithoutAMarker() throws IOException {
        StageLogWriter writer = writer(10);

        writer.write(bytes("0123456789"));
        writer.close();

        assertThat(stored()).isEqualTo("0123456789");
        assertThat(writer.dropped()).isZero();
    }

    @Test
    void largeOutputIsStoredInChunksOfAtMost64KiB() throws IOException {
        byte[] output = pattern(150 * KIB);
        StageLogWriter writer = writer(1024 * KIB);

        writer.write(output);
        writer.close();

        assertThat(chunks).extracting(chunk -> chunk.data().length).containsExactly(64 * KIB, 64 * KIB, 22 * KIB);
        assertThat(storedBytes()).isEqualTo(output);
    }

    @Test
    void manySmallWritesAreGatheredIntoFullChunks() throws IOException {
        byte[] output = pattern(130 * KIB);
        StageLogWriter writer = writer(1024 * KIB);

        for (int offset = 0; offset < output.length; offset += 1000) {
            writer.write(output, offset, Math.min(1000, output.length - offset));
        }
        writer.close();

        assertThat(chunks).extracting(chunk -> chunk.data().length).containsExactly(64 * KIB, 64 * KIB, 2 * KIB);
        assertThat(storedBytes()).isEqualTo(output);
    }

    @Test
    void chunksCarryTheJobStageStreamAndConsecutiveSequenceNumbers() throws IOException {
        StageLogWriter writer = new StageLogWriter(repository, JOB, STAGE, LogStream.STDERR, 200 * KIB);

        writer.write(pattern(300 * KIB));
        writer.close();

        assertThat(chunks).extracting(Chunk::seq).containsExactly(0, 1, 2, 3, 4);
        assertThat(chunks).allSatisfy(chunk -> {
            assertThat(chunk.job()).isEqualTo(JOB);
            assertThat(chunk.stage()).isEqualTo(STAGE);
            assertThat(chunk.stream()).isEqualTo(LogStream.STDERR);
        });
    }

    @Test
    void outputOverTheLimitIsCutThereAndTheDropIsCountedOnANewLine() throws IOException {
        StageLogWriter writer = writer(10);

        writer.write(bytes("0123456789ABCDE"));
        writer.close();

        assertThat(stored()).isEqualTo("0123456789\n[chainlink] output cut at 10 bytes: 5 bytes dropped\n");
        assertThat(writer.dropped()).isEqualTo(5);
    }

    @Test
    void whenTheKeptPartEndsALineTheMarkerFollowsDirectly() throws IOException {
        StageLogWriter writer = writer(6);

        writer.write(bytes("hello\nworld\n"));
        writer.close();

        assertThat(stored()).isEqualTo("hello\n[chainlink] output cut at 6 bytes: 6 bytes dropped\n");
    }

    @Test
    void aNewlineThatIsDroppedDoesNotCountAsEndingTheKeptPart() throws IOException {
        StageLogWriter writer = writer(5);

        writer.write(bytes("abcde"));
        writer.write(bytes("\n"));
        writer.close();

        assertThat(stored()).isEqualTo("abcde\n[chainlink] output cut at 5 bytes: 1 bytes dropped\n");
    }

    @Test
    void droppedBytesAreCountedAcrossWrites() throws IOException {
        StageLogWriter writer = writer(4);

        writer.write(bytes("abcdef"));
        writer.write(bytes("ghi"));
        writer.write(bytes("jklmnopqrs"));
        writer.close();

        assertThat(stored()).isEqualTo("abcd\n[chainlink] output cut at 4 bytes: 15 bytes dropped\n");
        assertThat(writer.dropped()).isEqualTo(15);
    }

    @Test
    void aCutBeyondOneChunkKeepsExactlyTheLimitAndCountsTheRest() throws IOException {
        byte[] output = pattern(300 * KIB);
        int limit = 100 * KIB + 3;
        StageLogWriter writer = writer(limit);

        writer.write(output, 0, 150 * KIB);
        writer.write(output, 150 * KIB, 150 * KIB);
        writer.close();

        byte[] stored = storedBytes();
        byte[] marker = bytes("\n[chainlink] output cut at " + limit + " bytes: " + (300 * KIB - limit) + " bytes dropped\n");
        assertThat(stored).hasSize(limit + marker.length);
        assertThat(java.util.Arrays.copyOf(stored, limit)).isEqualTo(java.util.Arrays.copyOf(output, limit));
        assertThat(java.util.Arrays.copyOfRange(stored, limit, stored.length)).isEqualTo(marker);
        assertThat(chunks).allSatisfy(chunk -> assertThat(chunk.data().length).isLessThanOrEqualTo(64 * KIB));
        assertThat(writer.dropped()).isEqualTo(300 * KIB - limit);
    }

    @Test
    void writesOfNoBytesStoreNothing() throws IOException {
        StageLogWriter writer = writer(10);

        writer.write(new byte[0]);
        writer.write(bytes("abc"), 1, 0);
        writer.close();

        assertThat(chunks).isEmpty();
        assertThat(writer.dropped()).isZero();
    }

    @Test
    void writesOfNoBytesAtTheLimitDropNothing() throws IOException {
        StageLogWriter writer = writer(3);

        writer.write(bytes("abc"));
        writer.write(new byte[0]);
        writer.close();

        assertThat(stored()).isEqualTo("abc");
        assertThat(writer.dropped()).isZero();
    }

    @Test
    void onlyTheGivenSliceOfABufferIsWritten() throws IOException {
        StageLogWriter writer = writer(100);

        writer.write(bytes("xxhello\nyy"), 2, 6);
        writer.close();

        assertThat(stored()).isEqualTo("hello\n");
    }

    @Test
    void singleByteWritesAreKeptInOrder() throws IOException {
        StageLogWriter writer = writer(100);

        for (byte b : bytes("abc\n")) {
            writer.write(b);
        }
        writer.close();

        assertThat(stored()).isEqualTo("abc\n");
        assertThat(chunks).hasSize(1);
    }

    @Test
    void singleByteWritesPastTheLimitAreCountedOneByOne() throws IOException {
        StageLogWriter writer = writer(3);

        for (byte b : bytes("abcde")) {
            writer.write(b);
        }
        writer.close();

        assertThat(stored()).isEqualTo("abc\n[chainlink] output cut at 3 bytes: 2 bytes dropped\n");
        assertThat(writer.dropped()).isEqualTo(2);
    }

    @Test
    void aLimitOfZeroKeepsNothingButSaysSo() throws IOException {
        StageLogWriter writer = writer(0);

        writer.write(bytes("abc"));
        writer.close();

        assertThat(stored()).isEqualTo("[chainlink] output cut at 0 bytes: 3 bytes dropped\n");
    }

    @Test
    void nothingIsStoredBeforeAChunkFillsOrTheWriterCloses() throws IOException {
        StageLogWriter writer = writer(1024 * KIB);

        writer.write(pattern(64 * KIB - 1));
        assertThat(chunks).isEmpty();

        writer.write(1);
        assertThat(chunks).hasSize(1);

        writer.write(2);
        writer.close();
        assertThat(chunks).hasSize(2);
    }

    private StageLogWriter writer(long limit) {
        return new StageLogWriter(repository, JOB, STAGE, LogStream.STDOUT, limit);
    }

    private byte[] storedBytes() {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        chunks.forEach(chunk -> all.writeBytes(chunk.data()));
        return all.toByteArray();
    }

    private String stored() {
        return new String(storedBytes(), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] pattern(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) ('a' + i % 26);
        }
        return bytes;
    }
}
