package io.chainlink.api;

import io.chainlink.callback.CallbackRequest;
import io.chainlink.files.SubmittedFile;
import io.chainlink.stage.StageDefaults;
import io.chainlink.stage.StageSpec;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.util.List;
import java.util.Map;

@Schema(description = "A chain to run: stages in order, all sharing /job")
public record JobSubmission(
        @ArraySchema(arraySchema = @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "Run in order; the first that fails ends the chain"))
        @NotEmpty List<@NotNull @Valid StageRequest> stages,

        @Schema(description = "Base environment of every stage", example = "{\"TEST\": \"testing\"}")
        @Environment Map<String, String> environ,

        @ArraySchema(arraySchema = @Schema(description = "Placed in /job before the first stage runs (a multipart"
                + " submission gives them as its files part, a tar, instead)"))
        List<SubmittedFile> files,

        @Schema(description = "Keep /job as the chain leaves it, for GET /api/v1/jobs/{id}/files (at most"
                + " chainlink.files.max-bytes); without it nothing is kept, and the job does not pay the copy", defaultValue = "false")
        Boolean keepFiles,

        @Schema(description = "POSTed the job view, signed (Chainlink-Signature), once the job has ended; only to URLs"
                + " the operator allows (chainlink.callbacks.allowed-urls), any other is refused with 403 naming callback.url")
        @Valid CallbackRequest callback) {

    /** Whether /job is to be kept when the chain ends. */
    boolean keepsFiles() {
        return Boolean.TRUE.equals(keepFiles);
    }

    List<StageSpec> toSpecs(StageDefaults defaults) {
        return stages.stream().map(stage -> stage.toSpec(defaults, environ)).toList();
    }
}
