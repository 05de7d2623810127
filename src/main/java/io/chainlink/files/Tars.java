package io.chainlink.files;

import java.io.IOException;
import java.io.OutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/** The tars this package writes: POSIX (pax) headers for long or non-ASCII names, 512-byte records, no padding to a block. */
final class Tars {

    static final int RECORD = 512;
    /** Directories placed in /job are as open as /job is made for a non-root stage: any stage's user may write beside its files. */
    static final int DIRECTORY_MODE = 0777;
    /** Every placed file is readable by every stage's user, whoever that is: its owner is root. */
    static final int READABLE = 0444;

    private Tars() {
    }

    static TarArchiveOutputStream writer(OutputStream out) {
        // 512: the end of the archive is its two zero records, not padded to 10 KiB.
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out, RECORD);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tar.setAddPaxHeadersForNonAsciiNames(true);
        return tar;
    }

    static TarArchiveEntry directory(String path) {
        TarArchiveEntry entry = new TarArchiveEntry(path + "/", TarConstants.LF_DIR);
        entry.setMode(040000 | DIRECTORY_MODE);
        root(entry);
        return entry;
    }

    static TarArchiveEntry file(String path, int permissions, long size) {
        TarArchiveEntry entry = new TarArchiveEntry(path, TarConstants.LF_NORMAL);
        entry.setMode(0100000 | (permissions & 0777) | READABLE);
        entry.setSize(size);
        root(entry);
        return entry;
    }

    private static void root(TarArchiveEntry entry) {
        entry.setIds(0, 0);
        entry.setNames("root", "root");
    }

    /**
     * A regular file by its type flag alone: commons-compress's {@code isFile()} is also true of
     * devices and fifos, which must never be placed or served as files.
     */
    static boolean isRegular(TarArchiveEntry entry) {
        byte flag = entry.getLinkFlag();
        return (flag == TarConstants.LF_NORMAL || flag == TarConstants.LF_OLDNORM || flag == TarConstants.LF_CONTIG)
                && !entry.getName().endsWith("/");
    }

    /** Bytes an entry's data takes in a tar: padded to a record. */
    static long padded(long size) {
        return (size + RECORD - 1) / RECORD * RECORD;
    }

    /** Writes a directory entry for each parent of {@code path} not yet written. */
    static void parents(TarArchiveOutputStream tar, String path, java.util.Set<String> written) throws IOException {
        for (String parent : FilePath.parents(path)) {
            if (written.add(parent)) {
                tar.putArchiveEntry(directory(parent));
                tar.closeArchiveEntry();
            }
        }
    }
}
