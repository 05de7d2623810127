package io.chainlink.files;

import io.chainlink.config.ChainlinkProperties;
import io.chainlink.files.FileStore.Direction;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.InputStreamSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A job's files, in and out of its {@code /job}: a submission's files checked before anything is
 * stored, and stored with the job; the runner's put of them before the first stage, and its copy
 * of {@code /job} when the chain has ended, kept up to {@code chainlink.files.max-bytes}; and the
 * kept tar served whole or a file at a time. Every tar is streamed, a chunk at a time.
 */
@Component
public class JobFiles {

    private static final Logger log = LoggerFactory.getLogger(JobFiles.class);

    private final JdbcClient jdbc;
    private final FileStore store;
    private final InputFiles inputs;
    private final FileLimits limits;
    private final TransactionTemplate transaction;

    public JobFiles(JdbcClient jdbc, PlatformTransactionManager transactions, ChainlinkProperties properties) {
        this.jdbc = jdbc;
        this.store = new FileStore(jdbc);
        this.transaction = new TransactionTemplate(transactions);
        this.limits = properties.files();
        this.inputs = new InputFiles(limits);
    }

    /** What a job's view says of its kept {@code /job}: how long its tar is, and whether entries were left out. */
    public record Kept(long bytes, boolean truncated) {
    }

    // ---- in

    /** A JSON submission's {@code files}, checked; {@link JobInput#NONE} for none. */
    public JobInput fromJson(List<SubmittedFile> files) {
        return inputs.fromJson(files);
    }

    /** As {@link #fromJson(List)}, for a submission within another ({@code jobs[3].}): its problems name fields from there. */
    public JobInput fromJson(List<SubmittedFile> files, String within) {
        try {
            return inputs.fromJson(files);
        } catch (FilesRejectedException e) {
            throw e.within(within);
        }
    }

    /** A form's {@code files} part (a tar), checked whole before anything is stored; its chain must not also have {@code files}. */
    public JobInput fromForm(List<SubmittedFile> inChain, InputStreamSource tar) {
        if (inChain != null && !inChain.isEmpty()) {
            throw new FilesRejectedException("files", "give the files in the chain or as the files part, not both");
        }
        return inputs.fromTar(tar);
    }

    /** Stores a checked input with its job, in the transaction that stores the job (so no worker claims it before). */
    public void storeInput(long job, JobInput input) {
        if (input.keepsOutput()) {
            jdbc.sql("UPDATE jobs SET keep_files = TRUE WHERE id = :job").param("job", job).update();
        }
        if (input.isEmpty()) {
            return;
        }
        try {
            store.store(job, Direction.IN, false, input::writeTo);
        } catch (IOException e) {
            throw new UncheckedIOException("the submission's files could not be read again to be stored", e);
        }
    }

    /** Gives a rerun the files its original placed in /job, in the transaction that stores the rerun; none if it had none. */
    public void copyInput(long original, long rerun) {
        store.copy(original, rerun, Direction.IN);
        jdbc.sql("UPDATE jobs SET keep_files = (SELECT keep_files FROM jobs WHERE id = :original) WHERE id = :rerun")
                .param("original", original).param("rerun", rerun).update();
    }

    /** Puts a tar where it belongs; the engine's put, with its deadline. */
    public interface Put {
        void put(InputStream tar);
    }

    /**
     * Has the job's input, a tar of paths relative to /job, put there before its first stage;
     * false, and nothing is asked of the engine, when it has none. The tar is read out of the
     * database into a file of its own on this thread first: the put runs on an engine call's
     * thread that its deadline interrupts, and an interrupt must never land in the database's file I/O.
     */
    public boolean putInput(long job, String name, Put put) {
        if (store.find(job, Direction.IN).isEmpty()) {
            return false;
        }
        Path spool = null;
        try {
            spool = Files.createTempFile("chainlink-job-" + job + "-in-", ".tar");
            try (InputStream stored = store.open(job, Direction.IN); OutputStream out = Files.newOutputStream(spool)) {
                stored.transferTo(out);
            }
            try (InputStream tar = Files.newInputStream(spool)) {
                put.put(tar);
            }
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("the job's files could not be read to be put in /job", e);
        } finally {
            deleteSpool(name, spool);
        }
    }

    // ---- out

    /** Reads an engine's archive of /job (entries named {@code job/...}). */
    public interface ArchiveReader {
        void read(InputStream archive) throws IOException;
    }

    /** Hands an {@link ArchiveReader} the archive of the job's /job: the engine's copy, with its deadline. */
    public interface JobArchive {
        void copyTo(ArchiveReader reader);
    }

    /**
     * Whether the job's /job is to be kept: its submission asked (keepFiles) and
     * {@code chainlink.files.max-bytes} is above 0. If not, the runner does not copy it.
     */
    public boolean keepsOutput(long job) {
        return limits.maxBytes().toBytes() > 0
                && jdbc.sql("SELECT keep_files FROM jobs WHERE id = :job").param("job", job).query(Boolean.class).optional().orElse(false);
    }

    /**
     * Keeps the job's /job as its output, up to {@code chainlink.files.max-bytes}; never throws: a
     * copy that fails is logged and nothing is kept. The archive is rewritten into a file of its
     * own first and stored from there on this thread: the engine's copy runs on a call thread that
     * its deadline interrupts, and an interrupt must never land in the database's file I/O.
     */
    public void keepOutput(long job, String name, JobArchive archive) {
        Path spool = null;
        try {
            store.delete(job, Direction.OUT); // an earlier run's, of a job run again
            spool = Files.createTempFile("chainlink-job-" + job + "-out-", ".tar");
            Path file = spool;
            OutputCapture.Result[] result = new OutputCapture.Result[1];
            archive.copyTo(in -> {
                try (OutputStream out = Files.newOutputStream(file)) {
                    result[0] = OutputCapture.copy(in, out, limits.maxBytes().toBytes());
                }
            });
            if (result[0] == null) {
                throw new IllegalStateException("the engine's copy of /job returned without an archive");
            }
            boolean truncated = result[0].truncated();
            // One transaction: the view shows /job kept whole or not at all.
            transaction.executeWithoutResult(tx -> {
                try {
                    store.store(job, Direction.OUT, truncated, out -> Files.copy(file, out));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            log.debug("job {}: /job kept, {} entries, {} bytes{}", name, result[0].entries(), result[0].bytes(),
                    result[0].truncated() ? ", truncated at chainlink.files.max-bytes" : "");
            if (result[0].truncated()) {
                log.info("job {}: /job kept without entries past chainlink.files.max-bytes ({})", name, limits.maxBytes());
            }
        } catch (IOException | RuntimeException e) {
            log.warn("job {}: /job could not be kept: {}", name, e.getMessage());
            try {
                store.delete(job, Direction.OUT);
            } catch (RuntimeException ignored) {
                // the row was never written
            }
        } finally {
            deleteSpool(name, spool);
        }
    }

    private static void deleteSpool(String name, Path spool) {
        if (spool != null) {
            try {
                Files.deleteIfExists(spool);
            } catch (IOException e) {
                log.warn("job {}: could not delete {}: {}", name, spool, e.getMessage());
            }
        }
    }

    /** What the job's view says of its kept /job; empty until it was kept. */
    public Optional<Kept> kept(long job) {
        return store.find(job, Direction.OUT).map(stored -> new Kept(stored.bytes(), stored.truncated()));
    }

    // ---- serving

    /** The kept /job as a tar. */
    public void writeOutput(long job, String jobName, OutputStream out) {
        if (store.find(job, Direction.OUT).isEmpty()) {
            throw notKept(jobName);
        }
        try (InputStream tar = store.open(job, Direction.OUT)) {
            tar.transferTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One regular file of the kept /job, open at its first byte, with its length; the caller closes it. */
    public record KeptFile(long size, InputStream content) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            content.close();
        }
    }

    /**
     * The regular file at {@code path} in the kept /job.
     *
     * @throws FilesNotKeptException     no /job kept, or no entry at that path (404)
     * @throws NotARegularFileException  a directory or a link, which is answered as what it is, never followed
     */
    public KeptFile openFile(long job, String jobName, String path) {
        if (store.find(job, Direction.OUT).isEmpty()) {
            throw notKept(jobName);
        }
        TarArchiveInputStream tar = new TarArchiveInputStream(store.open(job, Direction.OUT));
        try {
            for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
                String name = entry.getName().endsWith("/") ? entry.getName().substring(0, entry.getName().length() - 1) : entry.getName();
                if (!name.equals(path)) {
                    continue;
                }
                if (Tars.isRegular(entry)) {
                    return new KeptFile(entry.getSize(), tar);
                }
                tar.close();
                throw entry.isSymbolicLink() ? new NotARegularFileException(path, "a symbolic link", entry.getLinkName())
                        : entry.isLink() ? new NotARegularFileException(path, "a hard link", entry.getLinkName())
                        : new NotARegularFileException(path, entry.isDirectory() ? "a directory" : "a special file", null);
            }
            tar.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new FilesNotKeptException("job " + jobName + "'s /job has no " + path);
    }

    private static FilesNotKeptException notKept(String jobName) {
        return new FilesNotKeptException("job " + jobName + " has no /job kept: its submission did not ask (keepFiles), it has not ended,"
                + " no stage ran, or /job could not be copied (chainlink.files.max-bytes 0 keeps none)");
    }
}
