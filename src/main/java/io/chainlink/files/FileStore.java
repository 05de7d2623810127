package io.chainlink.files;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;

/** A job's tars as stored (V10): a row saying how long each is, and its bytes in chunks, written and read one chunk at a time. */
final class FileStore {

    /** As a stage's log chunks: small enough to hold one per reader or writer, large enough that a tar is few rows. */
    static final int CHUNK = 64 * 1024;

    enum Direction {
        IN("in"), OUT("out");

        final String key;

        Direction(String key) {
            this.key = key;
        }
    }

    /** A stored tar: its length, and whether entries were left out of it. */
    record Stored(long bytes, boolean truncated) {
    }

    private final JdbcClient jdbc;

    FileStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<Stored> find(long job, Direction direction) {
        return jdbc.sql("SELECT bytes, truncated FROM job_files WHERE job_id = :job AND direction = :direction")
                .param("job", job).param("direction", direction.key)
                .query((rs, n) -> new Stored(rs.getLong(1), rs.getBoolean(2))).optional();
    }

    /** Stores what {@code writer} writes as the job's tar of {@code direction}; in the caller's transaction, if it has one. */
    long store(long job, Direction direction, boolean truncated, TarWriter writer) throws IOException {
        jdbc.sql("INSERT INTO job_files (job_id, direction, bytes, truncated) VALUES (:job, :direction, 0, :truncated)")
                .param("job", job).param("direction", direction.key).param("truncated", truncated)
                .update();
        long bytes;
        try (Chunks out = new Chunks(job, direction)) {
            writer.write(out);
            out.flush();
            bytes = out.bytes;
        }
        jdbc.sql("UPDATE job_files SET bytes = :bytes WHERE job_id = :job AND direction = :direction")
                .param("bytes", bytes).param("job", job).param("direction", direction.key)
                .update();
        return bytes;
    }

    interface TarWriter {
        void write(OutputStream out) throws IOException;
    }

    /** The stored tar, read a chunk at a time as the reader goes. */
    InputStream open(long job, Direction direction) {
        return new InputStream() {
            private byte[] chunk = new byte[0];
            private int at;
            private int seq;
            private boolean ended;

            private boolean more() {
                while (at == chunk.length) {
                    if (ended) {
                        return false;
                    }
                    byte[] next = jdbc.sql("SELECT data FROM job_file_chunks WHERE job_id = :job AND direction = :direction AND seq = :seq")
                            .param("job", job).param("direction", direction.key).param("seq", seq++)
                            .query(byte[].class).optional().orElse(null);
                    if (next == null) {
                        ended = true;
                        return false;
                    }
                    chunk = next;
                    at = 0;
                }
                return true;
            }

            @Override
            public int read() {
                return more() ? chunk[at++] & 0xff : -1;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) {
                if (length == 0) {
                    return 0;
                }
                if (!more()) {
                    return -1;
                }
                int n = Math.min(length, chunk.length - at);
                System.arraycopy(chunk, at, buffer, offset, n);
                at += n;
                return n;
            }
        };
    }

    /** Inserts a chunk each time {@link #CHUNK} bytes have been written, and the rest when flushed. */
    private final class Chunks extends OutputStream {
        private final long job;
        private final Direction direction;
        private final byte[] buffer = new byte[CHUNK];
        private int filled;
        private int seq;
        long bytes;

        Chunks(long job, Direction direction) {
            this.job = job;
            this.direction = direction;
        }

        @Override
        public void write(int b) {
            buffer[filled++] = (byte) b;
            bytes++;
            if (filled == CHUNK) {
                flush();
            }
        }

        @Override
        public void write(byte[] data, int offset, int length) {
            while (length > 0) {
                int n = Math.min(length, CHUNK - filled);
                System.arraycopy(data, offset, buffer, filled, n);
                filled += n;
                bytes += n;
                offset += n;
                length -= n;
                if (filled == CHUNK) {
                    flush();
                }
            }
        }

        @Override
        public void flush() {
            if (filled == 0) {
                return;
            }
            byte[] data = java.util.Arrays.copyOf(buffer, filled);
            jdbc.sql("INSERT INTO job_file_chunks (job_id, direction, seq, data) VALUES (:job, :direction, :seq, :data)")
                    .param("job", job).param("direction", direction.key).param("seq", seq++).param("data", data)
                    .update();
            filled = 0;
        }
    }

    /** Copies one job's tar of {@code direction} to another, row for row, inside the database; in the caller's transaction. */
    void copy(long from, long to, Direction direction) {
        jdbc.sql("INSERT INTO job_files (job_id, direction, bytes, truncated)"
                        + " SELECT :to, direction, bytes, truncated FROM job_files WHERE job_id = :from AND direction = :direction")
                .param("to", to).param("from", from).param("direction", direction.key).update();
        jdbc.sql("INSERT INTO job_file_chunks (job_id, direction, seq, data)"
                        + " SELECT :to, direction, seq, data FROM job_file_chunks WHERE job_id = :from AND direction = :direction")
                .param("to", to).param("from", from).param("direction", direction.key).update();
    }

    /** Deletes a job's tar of {@code direction} with its chunks (the cascade). */
    void delete(long job, Direction direction) {
        jdbc.sql("DELETE FROM job_files WHERE job_id = :job AND direction = :direction")
                .param("job", job).param("direction", direction.key).update();
    }
}
