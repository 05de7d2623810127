package io.chainlink.api;

import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * The body of every error answer, for the OpenAPI document only: {@link ProblemAdvice} writes
 * Spring's ProblemDetail, whose members are RFC 9457's, and adds the {@code errors} of a 400.
 */
@Schema(description = "An error, as RFC 9457 problem details; members other than these may be added",
        additionalProperties = Schema.AdditionalPropertiesValue.TRUE)
record Problem(
        @Schema(description = "A URI naming the kind of problem; when absent about:blank, the status says it all")
        String type,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "Invalid job submission") String title,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "The HTTP status", example = "400") int status,
        @Schema(example = "stages[0].memory: 'lots' is not a size: use bytes or a number with a unit b, k, m or g (e.g. 512m, 2g)")
        String detail,
        @Schema(example = "/api/v1/jobs") String instance,
        @ArraySchema(arraySchema = @Schema(description = "400 only: each field of the body, or query parameter, that is"
                + " wrong, by its path as written (stages[0].memory), and why"))
        List<ProblemAdvice.FieldProblem> errors) {
}
