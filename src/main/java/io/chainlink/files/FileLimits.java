package io.chainlink.files;

import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * What a job's files may be, under {@code chainlink.files.*}.
 *
 * @param maxBytes      most bytes of {@code /job} kept when a chain ends, as a tar; entries past it
 *                      are left out and the job's view says {@code files.truncated}. 0 keeps nothing
 *                      and skips the copy (each costs an engine call per job)
 * @param maxUpload     largest {@code multipart/form-data} submission (its tar and its chain), in place
 *                      of {@code chainlink.max-request-size}, which bounds every other body
 * @param maxCount      most entries (files and directories) a submission may place in {@code /job}
 * @param maxPathLength longest path of one of them, in UTF-8 bytes
 */
public record FileLimits(
        @DefaultValue("8MB") DataSize maxBytes,
        @DefaultValue("16MB") DataSize maxUpload,
        @DefaultValue("1000") int maxCount,
        @DefaultValue("1024") int maxPathLength) {

    public FileLimits {
        if (maxBytes.toBytes() < 0 || maxUpload.toBytes() <= 0 || maxCount < 1 || maxPathLength < 1) {
            throw new IllegalArgumentException("chainlink.files.max-bytes must not be negative, and max-upload,"
                    + " max-count and max-path-length must be positive");
        }
    }
}
