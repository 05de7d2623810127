package io.chainlink.files;

/**
 * The path names an entry of the job's {@code /job} that is not a regular file: a directory, or a
 * link, which is never followed; {@link #linkTarget} is what a link points at, as the stage wrote it.
 */
public class NotARegularFileException extends RuntimeException {

    private final String path;
    private final String kind;
    private final String linkTarget;

    NotARegularFileException(String path, String kind, String linkTarget) {
        super(path + " is " + kind + (linkTarget == null ? "" : " to " + linkTarget) + ", not a regular file"
                + (linkTarget == null ? "" : "; links are never followed"));
        this.path = path;
        this.kind = kind;
        this.linkTarget = linkTarget;
    }

    public String path() {
        return path;
    }

    /** {@code directory}, {@code symbolic link} or {@code hard link}. */
    public String kind() {
        return kind;
    }

    public String linkTarget() {
        return linkTarget;
    }
}
