package io.chainlink.api;

import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.util.List;

/** Each job is validated as a submission alone, its errors named by its place: {@code jobs[3].stages[0].image}. */
@Schema(description = "Jobs to queue all together or none of them, each a submission as POST /api/v1/jobs takes it")
public record BatchSubmission(
        @ArraySchema(arraySchema = @Schema(requiredMode = Schema.RequiredMode.REQUIRED,
                description = "At most chainlink.batch.max-jobs; answered in this order"))
        @NotEmpty List<@NotNull @Valid JobSubmission> jobs) {
}
