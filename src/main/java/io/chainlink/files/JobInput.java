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
    public static final JobInput NONE = new JobInput(0, tar -> { });

    /** Writes the entries; called once to store them. */
    interface Entries {
        void write(TarArchiveOutputStream tar) throws IOException;
    }

    private final int count;
    private final Entries entries;

    JobInput(int count, Entries entries) {
        this.count = count;
        this.entries = entries;
    }

    public boolean isEmpty() {
        return count == 0;
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
