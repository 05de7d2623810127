package io.chainlink.files;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.utils.CountingOutputStream;

/**
 * The engine's archive of {@code /job} rewritten as the job's output tar: names relative to
 * {@code /job}, regular files, directories and links only, never longer than the cap.
 *
 * <p>Links are entries, never followed: a stage's {@code ln -s /etc/shadow /job/x} is kept as a
 * link named {@code x} pointing at {@code /etc/shadow}, which no one reads (the engine archives
 * what the link is, Judge0's CVE-2024-28185 was a runner that read through one). An entry that
 * would not fit under the cap is left out, and those after it still get their chance.
 */
final class OutputCapture {

    /** The two zero records that end a tar. */
    private static final int END = 2 * Tars.RECORD;

    record Result(long bytes, boolean truncated, int entries) {
    }

    private OutputCapture() {
    }

    /** Copies the entries of {@code engine} (named {@code job/...}) to {@code out}, at most {@code cap} bytes in all. */
    static Result copy(InputStream engine, OutputStream out, long cap) throws IOException {
        CountingOutputStream counted = new CountingOutputStream(out);
        boolean truncated = false;
        int entries = 0;
        TarArchiveInputStream in = new TarArchiveInputStream(engine);
        TarArchiveOutputStream tar = Tars.writer(counted);
        for (TarArchiveEntry entry; (entry = in.getNextEntry()) != null; ) {
            String name = underJob(entry.getName());
            if (name == null) {
                continue; // /job itself
            }
            TarArchiveEntry copy = copyOf(entry, name);
            if (copy == null) {
                continue; // a device or a fifo: nothing a user reads
            }
            if (counted.getBytesWritten() + upperBound(copy) + END > cap) {
                truncated = true;
                continue;
            }
            tar.putArchiveEntry(copy);
            if (Tars.isRegular(copy)) {
                in.transferTo(tar);
            }
            tar.closeArchiveEntry();
            entries++;
        }
        tar.finish();
        tar.flush();
        return new Result(counted.getBytesWritten(), truncated, entries);
    }

    /** The name without its first segment ({@code job/}); null for that segment alone. */
    private static String underJob(String name) {
        int slash = name.indexOf('/');
        if (slash < 0 || slash == name.length() - 1) {
            return null;
        }
        return name.substring(slash + 1);
    }

    private static TarArchiveEntry copyOf(TarArchiveEntry entry, String name) {
        TarArchiveEntry copy;
        if (entry.isSymbolicLink()) {
            copy = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
            copy.setLinkName(entry.getLinkName()); // as the stage wrote it, absolute or not: never resolved
        } else if (entry.isLink()) {
            copy = new TarArchiveEntry(name, TarConstants.LF_LINK);
            String target = underJob(entry.getLinkName());
            copy.setLinkName(target == null ? entry.getLinkName() : target);
        } else if (entry.isDirectory()) {
            copy = new TarArchiveEntry(name.endsWith("/") ? name : name + "/", TarConstants.LF_DIR);
        } else if (Tars.isRegular(entry)) {
            copy = new TarArchiveEntry(name, TarConstants.LF_NORMAL);
            copy.setSize(entry.getSize());
        } else {
            return null;
        }
        copy.setMode(entry.getMode());
        copy.setUserId(entry.getLongUserId());
        copy.setGroupId(entry.getLongGroupId());
        copy.setNames(entry.getUserName(), entry.getGroupName());
        copy.setModTime(entry.getModTime());
        return copy;
    }

    /**
     * Most bytes the entry can take: one header record, or with a pax header before it (a name or
     * link over 99 bytes, or not ASCII) two more and the pax records, and its data padded.
     */
    private static long upperBound(TarArchiveEntry entry) {
        int name = entry.getName().getBytes(StandardCharsets.UTF_8).length;
        int link = entry.getLinkName().getBytes(StandardCharsets.UTF_8).length;
        boolean plain = name < 100 && link < 100 && isAscii(entry.getName()) && isAscii(entry.getLinkName())
                && entry.getSize() < 077777777777L && entry.getLongUserId() < 07777777 && entry.getLongGroupId() < 07777777;
        long headers = plain ? Tars.RECORD : 2L * Tars.RECORD + Tars.padded(name + link + 3L * 64);
        return headers + (Tars.isRegular(entry) ? Tars.padded(entry.getSize()) : 0);
    }

    private static boolean isAscii(String s) {
        return s.chars().allMatch(c -> c < 0x80);
    }
}
