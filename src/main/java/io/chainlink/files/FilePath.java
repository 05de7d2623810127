package io.chainlink.files;

import java.nio.charset.StandardCharsets;

/**
 * The one rule for a path in {@code /job}, whether a submission names it or a tar entry does:
 * relative, made of non-empty segments none of which is {@code .} or {@code ..}, no NUL, at most
 * a given length. So nothing placed can land outside {@code /job} however the engine joins it.
 */
final class FilePath {

    /** The kernel's NAME_MAX: a longer segment could never be created. */
    static final int MAX_SEGMENT = 255;

    private FilePath() {
    }

    /**
     * The path as given, if it follows the rule.
     *
     * @throws IllegalArgumentException saying what is wrong, in the API's words
     */
    static String check(String path, int maxLength) {
        if (path == null || path.isEmpty()) {
            throw new IllegalArgumentException("is required: a path relative to /job, such as src/main.py");
        }
        if (path.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("must not contain NUL");
        }
        if (path.startsWith("/")) {
            throw new IllegalArgumentException("must be relative to /job, not absolute");
        }
        if (path.getBytes(StandardCharsets.UTF_8).length > maxLength) {
            throw new IllegalArgumentException("must be at most " + maxLength + " bytes long");
        }
        for (String segment : path.split("/", -1)) {
            if (segment.equals("..")) {
                throw new IllegalArgumentException("must not have a '..' segment");
            }
            if (segment.isEmpty() || segment.equals(".")) {
                throw new IllegalArgumentException("must not have an empty or '.' segment (as in a//b, a/./b or a/)");
            }
            if (segment.getBytes(StandardCharsets.UTF_8).length > MAX_SEGMENT) {
                throw new IllegalArgumentException("must not have a segment longer than " + MAX_SEGMENT + " bytes");
            }
        }
        return path;
    }

    /**
     * A tar entry's name as a path in {@code /job}, or null for the archive's own root ({@code ./}):
     * tools write {@code ./src/} and directories with a trailing slash, which are the same paths.
     */
    static String ofEntry(String name, int maxLength) {
        String path = name;
        while (path.startsWith("./")) {
            path = path.substring(2);
        }
        if (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        if (path.isEmpty() || path.equals(".")) {
            return null;
        }
        return check(path, maxLength);
    }

    /** The directories above a path, outermost first: {@code a/b/c} has {@code a} and {@code a/b}. */
    static java.util.List<String> parents(String path) {
        java.util.List<String> parents = new java.util.ArrayList<>();
        for (int slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', slash + 1)) {
            parents.add(path.substring(0, slash));
        }
        return parents;
    }
}
