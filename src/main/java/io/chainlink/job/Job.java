package io.chainlink.job;

import io.chainlink.stage.StageStatus;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;

/** Every field is written, null ones too: each is required in the document, and those that can be null nullable. */
@Schema(description = "A submitted chain and where it stands.")
public record Job(
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, format = "uuid", example = "01a235df-f7bb-7c3e-9c61-0a5d8e7f1b23",
                description = "The job's id: a version 7 UUID (the time of its submission, then 74 random bits), not guessable from another job's") String id,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "cs101",
                description = "The client (e.g. a course) the job belongs to") String tenant,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED) JobStatus status,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "1",
                description = "Runs begun: 0 while first queued; more than 1 when an interrupted run was started again")
        int attempt,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED) Instant createdAt,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = true, description = "null until a worker starts it")
        Instant startedAt,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = true, description = "null until it ends")
        Instant finishedAt,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = true, description = "Why the chain could not run (status ERROR)",
                example = "image 127.0.0.1:5000/team/grader:2 could not be pulled: manifest unknown")
        String error,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = true, example = "grader-3-5f1c2a9e",
                description = "The instance of the service that runs it, or ran it last (chainlink.instance-id);"
                        + " null while it waits for its first run or to run again")
        String instance,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = true,
                description = "One entry per submitted stage, in order; null in the list of jobs")
        List<Stage> stages) {

    public record Stage(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "0") int index,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "alpine:3.5") String image,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) StageStatus status,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = true, example = "0",
                    description = "The container's exit code; null until it has exited")
            Integer exitCode,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "Killed at its timeout") boolean killed,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = true) Instant startedAt,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = true) Instant finishedAt,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = true, example = "52201424",
                    description = "Bytes of stdout read but not kept: the middle, between the head and the tail"
                            + " chainlink.log-limit keeps, timestamps included; null when nothing was cut")
            Long stdoutDropped,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = true, description = "As stdoutDropped, for stderr")
            Long stderrDropped,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED,
                    description = "The engine discarded part of the output before it could be read (its log files"
                            + " rotated past what it keeps): the stage wrote more than the logs and counts show")
            boolean outputLost,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = true,
                    description = "null until the stage has run to its end (and for one cut short)")
            StageTimings timings) {

        /** A stage as submitted, before anything was read of it. */
        public Stage(int index, String image, StageStatus status, Integer exitCode, boolean killed,
                     Instant startedAt, Instant finishedAt) {
            this(index, image, status, exitCode, killed, startedAt, finishedAt, null, null, false, null);
        }
    }

    public Job withStages(List<Stage> stages) {
        return new Job(id, tenant, status, attempt, createdAt, startedAt, finishedAt, error, instance, stages);
    }

    /** The job without its stages, as lists show it. */
    public Job summary() {
        return new Job(id, tenant, status, attempt, createdAt, startedAt, finishedAt, error, instance, null);
    }
}
