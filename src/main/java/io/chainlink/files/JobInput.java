package io.chainlink.files;

import java.io.IOException;
import java.io.OutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * A submission's files once they passed every rule: what will be stored with the job and placed
 * in its {@code /job}, written as a tar of the service's own (root's, directories 0777, every
 * file readable), whatever form they came in.
 */
public final class JobInput {

    /** A submission without files: nothing is stored and nothing is put. */
    public static final JobInput NONE = new JobInput(0, tar -> { }, false);

    /** Writes the entries; called once to store them. */
    interface Entries {
        void write(TarArchiveOutputStream tar) throws IOException;
    }

    private final int count;
    private final Entries entries;
    private final boolean keepOutput;

    JobInput(int count, Entries entries) {
        this(count, entries, false);
    }

    private JobInput(int count, Entries entries, boolean keepOutput) {
        this.count = count;
        this.entries = entries;
        this.keepOutput = keepOutput;
    }

    /** The same input, with /job kept when the chain ends (the submission's keepFiles) or not. */
    public JobInput keepingOutput(boolean keep) {
        return keep == keepOutput ? this : new JobInput(count, entries, keep);
    }

    public boolean isEmpty() {
        return count == 0;
    }

    /** Whether /job is to be kept when the chain ends. */
    boolean keepsOutput() {
        return keepOutput;
    }

    /** Files and directories named by the submission. */
    int count() {
        return count;
    }

    void writeTo(OutputStream out) throws IOException {
        try (TarArchiveOutputStream tar = Tars.writer(out)) {
            entries.write(tar);
            tar.finish();
        }
    }
}
