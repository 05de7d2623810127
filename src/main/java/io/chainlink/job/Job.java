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
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = true, format = "uuid",
                description = "The job this one reruns (POST /api/v1/jobs/{id}/rerun), each stage pinned to the image it ran; null otherwise")
        String rerunOf,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = true,
                description = "One entry per submitted stage, in order; null in the list of jobs (not in a roster, ids=)")
        List<Stage> stages,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = true,
                description = "/job as kept when the chain ended (GET .../files); null until then, when no stage ran,"
                        + " or when it could not be copied; null in the list of jobs")
        Files files,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = true,
                description = "The delivery of the job's callback; null when it has none, and in the list of jobs")
        Callback callback) {

    /** A job as the list shows it, or before /job was kept and without its callback. */
    public Job(String id, String tenant, JobStatus status, int attempt, Instant createdAt, Instant startedAt,
               Instant finishedAt, String error, String instance, String rerunOf, List<Stage> stages) {
        this(id, tenant, status, attempt, createdAt, startedAt, finishedAt, error, instance, rerunOf, stages, null, null);
    }

    @Schema(description = "The kept /job: a tar of at most chainlink.files.max-bytes")
    public record Files(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "10240", description = "The tar's length") long bytes,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED,
                    description = "Entries that did not fit under chainlink.files.max-bytes were left out") boolean truncated) {
    }

    /** Where a job's callback stands; its URL and secret are never shown. */
    @Schema(description = "Where the delivery of a job's callback stands")
    public record Callback(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) State state,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "1",
                    description = "Deliveries begun, the one under way included") int attempts,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = true, example = "200",
                    description = "The HTTP status of the last answer; null before any, or when the last attempt got none")
            Integer lastStatus) {

        /** A callback just submitted: sent once its job has ended. */
        public static Callback notYetSent() {
            return new Callback(State.PENDING, 0, null);
        }

        public enum State {
            /** Waiting for the job to end, or for its next delivery. */
            PENDING,
            /** Answered 2xx. */
            DELIVERED,
            /** No 2xx answer in chainlink.callbacks.max-attempts deliveries. */
            FAILED
        }
    }

    public record Stage(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "0") int index,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "alpine:3.5", description = "The image as asked") String image,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = true,
                    example = "alpine@sha256:7df6db5aa61ae9480f52f0b3a06a140ab98d427f86d8d5de0bedab9b8df6b1c0",
                    description = "What actually ran: the image's repo digest in the stage's repository (name@sha256:...) when the"
                            + " engine knows one, else the image id (sha256:...) of an image built on the engine; null until its"
                            + " container has started")
            String imageDigest,
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
            this(index, image, null, status, exitCode, killed, startedAt, finishedAt, null, null, false, null);
        }
    }

    public Job withStages(List<Stage> stages) {
        return new Job(id, tenant, status, attempt, createdAt, startedAt, finishedAt, error, instance, rerunOf, stages, files, callback);
    }

    public Job withFiles(Files files) {
        return new Job(id, tenant, status, attempt, createdAt, startedAt, finishedAt, error, instance, rerunOf, stages, files, callback);
    }

    public Job withCallback(Callback callback) {
        return new Job(id, tenant, status, attempt, createdAt, startedAt, finishedAt, error, instance, rerunOf, stages, files, callback);
    }

    /** The job without its stages, as lists show it. */
    public Job summary() {
        return new Job(id, tenant, status, attempt, createdAt, startedAt, finishedAt, error, instance, rerunOf, null);
    }
}
