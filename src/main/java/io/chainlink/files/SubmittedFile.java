package io.chainlink.files;

import io.swagger.v3.oas.annotations.media.Schema;

/** One file a submission places in {@code /job} before its first stage runs. */
@Schema(description = "A file placed in /job before the first stage runs, owned by root and readable by every stage's user")
public record SubmittedFile(
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "src/main.py",
                description = "Relative to /job: no absolute path, no '..', '.' or empty segment; parent directories are made (mode 0777, as /job)")
        String path,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "cHJpbnQoImhpIikK",
                description = "The file's bytes, base64 (RFC 4648, no line breaks)")
        String content,
        @Schema(example = "420", description = "Permission bits, 0 to 511 (0777); read for everyone is always added. Default 420 (0644)")
        Integer mode) {
}
