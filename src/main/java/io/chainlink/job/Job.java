package io.chainlink.job;

import io.chainlink.stage.StageStatus;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;

@Schema(description = "A submitted chain and where it stands.")
public record Job(
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "42") long id,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED) JobStatus status,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "1",
                description = "Runs begun: 0 while first queued; more than 1 when an interrupted run was started again")
        int attempt,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED) Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        @Schema(description = "Why the chain could not run (status ERROR)",
                example = "image 127.0.0.1:5000/team/grader:2 could not be pulled: manifest unknown")
        String error,
        @Schema(description = "One entry per submitted stage, in order") List<Stage> stages) {

    public record Stage(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "0") int index,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "alpine:3.5") String image,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) StageStatus status,
            @Schema(example = "0") Integer exitCode,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) boolean killed,
            Instant startedAt,
            Instant finishedAt) {
    }

    public Job withStages(List<Stage> stages) {
        return new Job(id, status, attempt, createdAt, startedAt, finishedAt, error, stages);
    }

    /** The job without its stages, as lists show it. */
    public Job summary() {
        return new Job(id, status, attempt, createdAt, startedAt, finishedAt, error, null);
    }
}
