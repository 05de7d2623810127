package io.chainlink.files;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.springframework.core.io.InputStreamSource;

/** A submission's files read and checked, every rule before anything is stored: from its JSON, or from a tar. */
final class InputFiles {

    static final int DEFAULT_MODE = 0644;

    private final FileLimits limits;

    InputFiles(FileLimits limits) {
        this.limits = limits;
    }

    /** {@code files} of a JSON submission; every problem is named {@code files[i].path}, {@code files[i].content} or {@code files[i].mode}. */
    JobInput fromJson(List<SubmittedFile> files) {
        if (files == null || files.isEmpty()) {
            return JobInput.NONE;
        }
        if (files.size() > limits.maxCount()) {
            throw new FilesRejectedException("files", "must hold at most " + limits.maxCount() + " files; got " + files.size());
        }
        List<FileProblem> problems = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        Map<String, byte[]> contents = new LinkedHashMap<>();
        Map<String, Integer> modes = new HashMap<>();
        for (int i = 0; i < files.size(); i++) {
            String field = "files[" + i + "]";
            SubmittedFile file = files.get(i);
            if (file == null) {
                problems.add(new FileProblem(field, "must not be null"));
                continue;
            }
            String path = null;
            try {
                path = FilePath.check(file.path(), limits.maxPathLength());
                Integer before = seen.putIfAbsent(path, i);
                if (before != null) {
                    problems.add(new FileProblem(field + ".path", "names the same file as files[" + before + "].path"));
                    path = null;
                }
            } catch (IllegalArgumentException e) {
                problems.add(new FileProblem(field + ".path", e.getMessage()));
            }
            byte[] content = null;
            if (file.content() == null) {
                problems.add(new FileProblem(field + ".content", "is required: the file's bytes in base64 (\"\" for an empty file)"));
            } else {
                try {
                    content = Base64.getDecoder().decode(file.content());
                } catch (IllegalArgumentException e) {
                    problems.add(new FileProblem(field + ".content", "is not base64 (RFC 4648, '=' padded, no line breaks)"));
                }
            }
            int mode = file.mode() == null ? DEFAULT_MODE : file.mode();
            if (mode < 0 || mode > 0777) {
                problems.add(new FileProblem(field + ".mode", "must be permission bits only: 0 to 511 (0777)"));
            }
            if (path != null && content != null) {
                contents.put(path, content);
                modes.put(path, mode);
            }
        }
        // A path that is a file here and a directory of another file's path cannot be both.
        for (String path : contents.keySet()) {
            for (String parent : FilePath.parents(path)) {
                if (seen.containsKey(parent)) {
                    problems.add(new FileProblem("files[" + seen.get(parent) + "].path",
                            "is a directory of files[" + seen.get(path) + "].path, so cannot be a file"));
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new FilesRejectedException(problems);
        }
        return new JobInput(contents.size(), tar -> {
            Set<String> written = new HashSet<>();
            for (var file : contents.entrySet()) {
                Tars.parents(tar, file.getKey(), written);
                tar.putArchiveEntry(Tars.file(file.getKey(), modes.get(file.getKey()), file.getValue().length));
                tar.write(file.getValue());
                tar.closeArchiveEntry();
            }
        });
    }

    /**
     * The {@code files} part of a form: a tar of regular files and directories only, each entry's
     * name under the same rules as a JSON file's path, at most {@code max-count} entries. Read once
     * to check it whole, and again, from the part as the container keeps it, when it is stored.
     */
    JobInput fromTar(InputStreamSource part) {
        Map<String, TarArchiveEntry> entries = new LinkedHashMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(part.getInputStream())) {
            for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
                String path = path(entry);
                if (path == null) {
                    continue;
                }
                if (entries.size() == limits.maxCount()) {
                    throw new FilesRejectedException("files", "must hold at most " + limits.maxCount() + " entries");
                }
                if (entries.putIfAbsent(path, entry) != null) {
                    throw new FilesRejectedException("files", "entry '" + entry.getName() + "' names a path an earlier entry names");
                }
            }
        } catch (IOException e) {
            throw new FilesRejectedException("files", "is not a tar archive (" + e.getMessage() + ")");
        }
        if (entries.isEmpty()) {
            throw new FilesRejectedException("files", "is a tar without entries");
        }
        for (var entry : entries.entrySet()) {
            for (String parent : FilePath.parents(entry.getKey())) {
                TarArchiveEntry above = entries.get(parent);
                if (above != null && !above.isDirectory()) {
                    throw new FilesRejectedException("files", "entry '" + above.getName()
                            + "' is a file and the directory of entry '" + entry.getValue().getName() + "'");
                }
            }
        }
        Set<String> directories = new TreeSet<>();
        entries.forEach((path, entry) -> {
            if (entry.isDirectory()) {
                directories.add(path);
            }
        });
        return new JobInput(entries.size(), out -> {
            Set<String> written = new HashSet<>();
            for (String directory : directories) {
                Tars.parents(out, directory, written);
                if (written.add(directory)) {
                    out.putArchiveEntry(Tars.directory(directory));
                    out.closeArchiveEntry();
                }
            }
            try (InputStream again = part.getInputStream(); TarArchiveInputStream tar = new TarArchiveInputStream(again)) {
                for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
                    String path = path(entry);
                    if (path == null || entry.isDirectory()) {
                        continue;
                    }
                    Tars.parents(out, path, written);
                    out.putArchiveEntry(Tars.file(path, entry.getMode(), entry.getSize()));
                    tar.transferTo(out);
                    out.closeArchiveEntry();
                }
            }
        });
    }

    /** The entry's path in /job, null for the archive's root; refused if it is not a regular file or directory, or its name breaks the rule. */
    private String path(TarArchiveEntry entry) {
        String path;
        try {
            path = FilePath.ofEntry(entry.getName(), limits.maxPathLength());
        } catch (IllegalArgumentException e) {
            throw new FilesRejectedException("files", "entry '" + printable(entry.getName()) + "': its name " + e.getMessage());
        }
        boolean regular = Tars.isRegular(entry);
        if (!regular && !entry.isDirectory()) {
            throw new FilesRejectedException("files", "entry '" + printable(entry.getName()) + "' is "
                    + (entry.isSymbolicLink() ? "a symbolic link" : entry.isLink() ? "a hard link" : "not a regular file or directory")
                    + ": only regular files and directories are placed");
        }
        return path;
    }

    private static String printable(String name) {
        return name.replace("\0", "\\0");
    }
}
