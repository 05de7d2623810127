package io.chainlink.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class StageLogWriterTest {

    private static final int KIB = 1024;
    private static final int CHUNK = StageLogWriter.CHUNK_BYTES;
    private static final Lease JOB = new Lease(7, "a", 1);
    private static final int STAGE = 2;

    /** The stage_logs rows of the stream, by seq, as the database would hold them. */
    private final TreeMap<Integer, byte[]> rows = new TreeMap<>();
    private final List<String> statements = new ArrayList<>();
    private final List<Cut> cuts = new ArrayList<>();
    private int mostRows;

    record Cut(Lease job, int stage, LogStream stream, long dropped, boolean lost) {
    }

    private int flushes;
    private final Durability durability = new Durability(null, true) {
        @Override
        public void flush() {
            flushes++;
        }
    };

    private final JobRepository repository = new JobRepository(null, null) {
        @Override
        public void appendLog(Lease job, int idx, LogStream stream, int seq, byte[] data) {
            assertThat(new Object[] {job, idx}).containsExactly(JOB, STAGE);
            assertThat(rows).as("primary key").doesNotContainKey(seq);
            assertThat(data.length).isBetween(1, CHUNK);
            rows.put(seq, data.clone());
            mostRows = Math.max(mostRows, rows.size());
            statements.add("insert " + seq);
        }

        @Override
        public void replaceLogChunk(Lease job, int idx, LogStream stream, int seq, byte[] data) {
            assertThat(rows).as("replaced chunk").containsKey(seq);
            // A follower has read the stored bytes: a replacement may only add to them.
            assertThat(data).as("chunk " + seq + " only grows").startsWith(rows.get(seq));
            assertThat(data.length).isBetween(1, CHUNK);
            rows.put(seq, data.clone());
            statements.add("replace " + seq);
        }

        @Override
        public void deleteLogChunk(Lease job, int idx, LogStream stream, int seq) {
            assertThat(rows.remove(seq)).as("deleted chunk " + seq).isNotNull();
            statements.add("delete " + seq);
        }

        @Override
        public byte[] logChunk(long job, int idx, LogStream stream, int seq) {
            return rows.get(seq).clone();
        }

        @Override
        public void renumberLog(Lease job, int idx, LogStream stream, int from, int to) {
            // Row by row in key order, as PostgreSQL checks a unique key: each new number must be free.
            for (Map.Entry<Integer, byte[]> row : new TreeMap<>(rows.tailMap(from)).entrySet()) {
                int moved = row.getKey() - (from - to);
                assertThat(rows).as("primary key").doesNotContainKey(moved);
                rows.put(moved, rows.remove(row.getKey()));
            }
            statements.add("renumber " + from + " " + to);
        }

        @Override
        public void recordLogCut(Lease job, int idx, LogStream stream, long dropped, boolean outputLost) {
            cuts.add(new Cut(job, idx, stream, dropped, outputLost));
        }
    };

    @Test
    void outputUnderTheLimitIsKeptWhole() throws IOException {
        StageLogWriter writer = writer(100);

        writer.write(bytes("hello\n"));
        writer.write(bytes("world\n"));
        writer.close();

        assertThat(stored()).isEqualTo("hello\nworld\n");
        assertThat(writer.dropped()).isZero();
        assertThat(cuts).isEmpty();
    }

    @Test
    void outputOfExactlyTheLimitIsKeptWithoutAMarker() throws IOException {
        StageLogWriter writer = writer(10);

        writer.write(bytes("0123456789"));
        writer.close();

        assertThat(stored()).isEqualTo("0123456789");
        assertThat(writer.dropped()).isZero();
        assertThat(cuts).isEmpty();
    }

    @Test
    void outputOverTheLimitKeepsItsFirstAndLastHalfWithTheCountBetween() throws IOException {
        StageLogWriter writer = writer(10);

        writer.write(bytes("0123456789ABCDE"));
        writer.close();

        assertThat(stored()).isEqualTo("01234\n[chainlink] output cut: 5 bytes dropped between the first 5 and the last 5 bytes\nABCDE");
        assertThat(writer.dropped()).isEqualTo(5);
        assertThat(cuts).containsExactly(new Cut(JOB, STAGE, LogStream.STDOUT, 5, false));
    }

    @Test
    void oneByteOverTheLimitDropsOneByteFromTheMiddle() throws IOException {
        StageLogWriter writer = writer(10);

        writer.write(bytes("01234x56789"));
        writer.close();

        assertThat(stored()).isEqualTo("01234\n[chainlink] output cut: 1 bytes dropped between the first 5 and the last 5 bytes\n56789");
    }

    @Test
    void anOddLimitGivesTheTailTheOddByte() throws IOException {
        StageLogWriter writer = writer(5);

        writer.write(bytes("ab-----cde"));
        writer.close();

        assertThat(stored()).isEqualTo("ab\n[chainlink] output cut: 5 bytes dropped between the first 2 and the last 3 bytes\ncde");
    }

    @Test
    void whenTheHeadEndsALineTheMarkerFollowsDirectly() throws IOException {
        StageLogWriter writer = writer(12);

        writer.write(bytes("hello\nXXXXXXXXworld\n"));
        writer.close();

        assertThat(stored()).isEqualTo("hello\n[chainlink] output cut: 8 bytes dropped between the first 6 and the last 6 bytes\nworld\n");
    }

    @Test
    void theVerdictPrintedLastIsKeptWhateverCameBefore() throws IOException {
        StageLogWriter writer = writer(1024);

        for (int i = 0; i < 10_000; i++) {
            writer.write(bytes("line " + i + "\n"));
        }
        writer.write(bytes("verdict: passed\n"));
        writer.close();

        assertThat(stored()).startsWith("line 0\nline 1\n").endsWith("line 9999\nverdict: passed\n");
    }

    @Test
    void aLimitOfZeroKeepsNothingButSaysSo() throws IOException {
        StageLogWriter writer = writer(0);

        writer.write(bytes("abc"));
        writer.close();

        assertThat(stored()).isEqualTo("[chainlink] output cut: 3 bytes dropped between the first 0 and the last 0 bytes\n");
        assertThat(cuts).containsExactly(new Cut(JOB, STAGE, LogStream.STDOUT, 3, false));
    }

    @Test
    void aLimitOfOneKeepsTheLastByte() throws IOException {
        StageLogWriter writer = writer(1);

        writer.write(bytes("abc"));
        writer.write(bytes("d"));
        writer.close();

        assertThat(stored()).isEqualTo("[chainlink] output cut: 3 bytes dropped between the first 0 and the last 1 bytes\nd");
    }

    @Test
    void aLimitSmallerThanAChunkNeverWritesTheTailBeforeClosing() throws IOException {
        StageLogWriter writer = writer(100);
        byte[] output = pattern(3 * CHUNK + 7);

        for (int offset = 0; offset < output.length; offset += 1000) {
            writer.write(output, offset, Math.min(1000, output.length - offset));
        }
        assertThat(statements).containsExactly("insert 0"); // the head, once it was whole

        writer.close();
        assertThat(storedBytes()).isEqualTo(cut(output, 100));
    }

    @Test
    void aTailOfManyChunksStaysInTheDatabaseAndOnlyItsShareIsKept() throws IOException {
        int limit = 2 * 150 * KIB;
        byte[] output = pattern(2 * KIB * KIB + 13);
        StageLogWriter writer = writer(limit);

        for (int offset = 0; offset < output.length; offset += 32 * KIB) {
            writer.write(output, offset, Math.min(32 * KIB, output.length - offset));
        }
        writer.close();

        assertThat(storedBytes()).isEqualTo(cut(output, limit));
        // Head (3 chunks) and at most one chunk more of tail than its share needs (3 chunks), never the whole.
        assertThat(mostRows).isLessThanOrEqualTo(3 + 4);
        assertThat(rows.values()).allSatisfy(chunk -> assertThat(chunk.length).isLessThanOrEqualTo(CHUNK));
        // 2 MiB within a second: written to the file with the first chunk, not with each of 32.
        assertThat(flushes).isEqualTo(1);
    }

    @Test
    void storedOutputIsWrittenToTheFileWithItsFirstChunkAndThenAtMostEverySecond() throws IOException {
        AtomicLong now = new AtomicLong(5_000_000_000L);
        StageLogWriter writer = new StageLogWriter(repository, durability, JOB, STAGE, LogStream.STDOUT, 4 * CHUNK, now::get);
        writer.write(pattern(CHUNK), 0, CHUNK);
        assertThat(flushes).as("the first chunk is readable: it must survive a kill -9").isEqualTo(1);
        now.addAndGet(StageLogWriter.FLUSH_NANOS - 1);
        writer.write(pattern(CHUNK), 0, CHUNK);
        assertThat(flushes).as("within a second of the last").isEqualTo(1);
        now.addAndGet(1);
        writer.write(pattern(CHUNK), 0, CHUNK);
        assertThat(flushes).as("a second after it").isEqualTo(2);
    }

    @Test
    void theHeadsUnfilledChunkIsStoredForFollowersAtOnceThenAtMostEverySecondAndOnlyGrows() throws IOException {
        AtomicLong now = new AtomicLong(5_000_000_000L);
        StageLogWriter writer = new StageLogWriter(repository, durability, JOB, STAGE, LogStream.STDOUT, 4 * CHUNK, now::get);
        writer.write(bytes("first\n"));
        writer.storePartial();
        assertThat(stored()).as("a line, then quiet: stored without waiting for a whole chunk").isEqualTo("first\n");

        writer.write(bytes("second\n"));
        now.addAndGet(StageLogWriter.PARTIAL_NANOS - 1);
        writer.storePartial();
        assertThat(stored()).as("within a second of the last").isEqualTo("first\n");
        now.addAndGet(1);
        writer.storePartial();
        writer.storePartial(); // nothing new: no write
        assertThat(stored()).isEqualTo("first\nsecond\n");
        assertThat(statements).containsExactly("insert 0", "replace 0");
        assertThat(flushes).as("for followers, not for a kill -9: the file is written as before").isZero();

        byte[] rest = pattern(CHUNK + 10);
        writer.write(rest);
        writer.close();
        writer.storePartial(); // closed: nothing
        assertThat(statements).containsExactly("insert 0", "replace 0", "replace 0", "insert 1");
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.writeBytes(bytes("first\nsecond\n"));
        expected.writeBytes(rest);
        assertThat(storedBytes()).isEqualTo(expected.toByteArray());
    }

    @Test
    void pastTheHeadNothingIsStoredBeforeClosingAndTheCutIsAsWithoutFollowers() throws IOException {
        StageLogWriter writer = writer(10);

        writer.write(bytes("0123456789ABCDE"));
        writer.storePartial();
        assertThat(stored()).as("the tail is not final until closing").isEqualTo("01234");
        writer.close();

        assertThat(stored()).isEqualTo("01234\n[chainlink] output cut: 5 bytes dropped between the first 5 and the last 5 bytes\nABCDE");
    }

    @Test
    void afterClosingChunksAreNumberedFromZeroWithoutGaps() throws IOException {
        StageLogWriter writer = writer(200 * KIB);

        writer.write(pattern(KIB * KIB));
        writer.close();

        assertThat(rows.firstKey()).isZero();
        assertThat(rows.lastKey()).isEqualTo(rows.size() - 1);
    }

    @Test
    void aMultiByteCharacterAcrossTheCutIsCutAsBytes() throws IOException {
        StageLogWriter writer = writer(6);

        writer.write(bytes("ab\u00e9")); // a, b, then é as C3 A9: the head ends inside it
        writer.write(bytes("-----\u00e9yz"));
        writer.close();

        byte[] stored = storedBytes();
        assertThat(Arrays.copyOf(stored, 3)).isEqualTo(new byte[] {'a', 'b', (byte) 0xc3});
        assertThat(Arrays.copyOfRange(stored, stored.length - 3, stored.length)).isEqualTo(new byte[] {(byte) 0xa9, 'y', 'z'});
        assertThat(stored()).contains("\n[chainlink] output cut: 7 bytes dropped between the first 3 and the last 3 bytes\n");
    }

    @Test
    void droppedBytesAreCountedAcrossWritesAndSingleBytes() throws IOException {
        StageLogWriter writer = writer(4);

        writer.write(bytes("abcdef"));
        for (byte b : bytes("ghi")) {
            writer.write(b);
        }
        writer.write(bytes("jklmnopqrs"));
        writer.close();

        assertThat(stored()).isEqualTo("ab\n[chainlink] output cut: 15 bytes dropped between the first 2 and the last 2 bytes\nrs");
        assertThat(writer.dropped()).isEqualTo(15);
    }

    @Test
    void writesOfNoBytesStoreNothing() throws IOException {
        StageLogWriter writer = writer(10);

        writer.write(new byte[0]);
        writer.write(bytes("abc"), 1, 0);
        writer.close();

        assertThat(rows).isEmpty();
        assertThat(cuts).isEmpty();
    }

    @Test
    void onlyTheGivenSliceOfABufferIsWritten() throws IOException {
        StageLogWriter writer = writer(100);

        writer.write(bytes("xxhello\nyy"), 2, 6);
        writer.close();

        assertThat(stored()).isEqualTo("hello\n");
    }

    @Test
    void outputThatTheEngineDiscardedIsSaidInTheMarkerAndRecorded() throws IOException {
        StageLogWriter writer = writer(10);

        writer.write(bytes("0123456789ABCDE"));
        writer.engineDiscardedOutput();
        writer.close();

        assertThat(stored()).isEqualTo("01234\n[chainlink] output cut: 5 bytes dropped between the first 5 and the last 5 bytes;"
                + " the engine discarded more of the stage's output before it could be read\nABCDE");
        assertThat(cuts).containsExactly(new Cut(JOB, STAGE, LogStream.STDOUT, 5, true));
    }

    @Test
    void outputThatTheEngineDiscardedIsSaidAtTheEndWhenNothingWasCut() throws IOException {
        StageLogWriter writer = writer(100);

        writer.write(bytes("all that was read"));
        writer.engineDiscardedOutput();
        writer.close();

        assertThat(stored()).isEqualTo("all that was read\n[chainlink] the engine discarded part of the stage's output before it could be read\n");
        assertThat(cuts).containsExactly(new Cut(JOB, STAGE, LogStream.STDOUT, 0, true));
    }

    @Test
    void chunksFillToTheChunkSizeBelowTheHalfLimit() throws IOException {
        byte[] output = pattern(150 * KIB);
        StageLogWriter writer = writer(1024 * KIB);

        for (int offset = 0; offset < output.length; offset += 1000) {
            writer.write(output, offset, Math.min(1000, output.length - offset));
        }
        writer.close();

        assertThat(rows.values()).extracting(chunk -> chunk.length).containsExactly(64 * KIB, 64 * KIB, 22 * KIB);
        assertThat(storedBytes()).isEqualTo(output);
    }

    @Test
    void anyLimitAndAnyWritesStoreTheHeadTheMarkerAndTheTail() throws IOException {
        Random random = new Random(12);
        int[] limits = {0, 1, 2, 3, 64, 1000, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK, 2 * CHUNK + 1, 5 * CHUNK + 3};
        for (int limit : limits) {
            for (int length : new int[] {0, 1, limit / 2, limit - 1, limit, limit + 1, 2 * limit + 5, 7 * CHUNK + 11}) {
                if (length < 0) {
                    continue;
                }
                rows.clear();
                byte[] output = pattern(length);
                StageLogWriter writer = writer(limit);
                for (int offset = 0; offset < length; ) {
                    int n = Math.min(length - offset, 1 + random.nextInt(random.nextBoolean() ? 40 : 3 * CHUNK));
                    writer.write(output, offset, n);
                    offset += n;
                }
                writer.close();
                assertThat(storedBytes()).as("limit %d, %d bytes", limit, length).isEqualTo(cut(output, limit));
                assertThat(writer.dropped()).isEqualTo(Math.max(0, length - limit));
            }
        }
    }

    /** What the writer should store: the output whole, or its halves around the marker. */
    private static byte[] cut(byte[] output, long limit) {
        if (output.length <= limit) {
            return output;
        }
        int head = (int) (limit / 2);
        int tail = (int) (limit - head);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.write(output, 0, head);
        expected.writeBytes(bytes((head > 0 && output[head - 1] != '\n' ? "\n" : "")
                + "[chainlink] output cut: " + (output.length - limit) + " bytes dropped between the first " + head
                + " and the last " + tail + " bytes\n"));
        expected.write(output, output.length - tail, tail);
        return expected.toByteArray();
    }

    private StageLogWriter writer(long limit) {
        return new StageLogWriter(repository, durability, JOB, STAGE, LogStream.STDOUT, limit, () -> 0L); // time stands still
    }

    private byte[] storedBytes() {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        rows.values().forEach(all::writeBytes);
        return all.toByteArray();
    }

    private String stored() {
        return new String(storedBytes(), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Lines of distinct bytes, so that a misplaced or repeated slice shows. */
    private static byte[] pattern(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = i % 61 == 60 ? (byte) '\n' : (byte) ('!' + (i * 7 + i / 4093) % 90);
        }
        return bytes;
    }
}
