package io.chainlink.job;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Duration;

/** Where a stage's time went, in milliseconds: what a grader asks when a chain is slow. */
@Schema(description = "Where the stage's time went, in milliseconds. The parts can overlap: a stage's container is"
        + " created while the stage before it runs.")
public record StageTimings(
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "2",
                description = "Making its image present: the check, and the pull if there was one. Counted on the first"
                        + " stage that uses the image, 0 on later ones; a job's images are made present before its first stage, pulls in parallel")
        long image,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "25",
                description = "Creating its container (and, for the first stage, the job's /job volume with it)")
        long create,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "60", description = "Starting its container")
        long start,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "120",
                description = "From its start to its exit (or to its kill at its timeout)")
        long run,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "4",
                description = "Collecting what it left: the rest of its output, its inspected state, storing them")
        long collect) {

    public static StageTimings of(Duration image, Duration create, Duration start, Duration run, Duration collect) {
        return new StageTimings(image.toMillis(), create.toMillis(), start.toMillis(), run.toMillis(), collect.toMillis());
    }
}
