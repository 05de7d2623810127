package io.chainlink.job;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonRawValue;
import io.swagger.v3.oas.annotations.media.Schema;

/** One element of chainlink's {@code run()} result: a stage that ran. */
@Schema(description = "One stage that ran, in chainlink's result shape")
public record StageResult(
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, implementation = ContainerState.class)
        @JsonRawValue String data,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "Killed at its timeout")
        boolean killed,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "Not killed and exited 0")
        boolean success,
        // Exactly chainlink's keys: a frontend's code that reads run()'s list reads this one
        // unchanged. What ran (imageDigest) is on the job view's stages.
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED) Logs logs) {

    @Schema(description = "Each line prefixed with the engine's RFC 3339 timestamp")
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Logs(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = true,
                    description = "null when the stage ran with logs: false", example = "2026-11-25T03:41:55.123456789Z hello\n")
            String stdout,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = true,
                    description = "null when the stage ran with logs: false", example = "")
            String stderr) {
    }

    /**
     * What {@code data} holds, for the document only: the engine's own JSON is passed on as it
     * came, so an engine may add keys; these are the ones Docker's Engine API documents for it.
     */
    @Schema(description = "The container's State as the engine's inspect returned it, its keys as the engine names them",
            additionalProperties = Schema.AdditionalPropertiesValue.TRUE)
    record ContainerState(
            @JsonProperty("Status") @Schema(example = "exited") String status,
            @JsonProperty("Running") Boolean running,
            @JsonProperty("Paused") Boolean paused,
            @JsonProperty("Restarting") Boolean restarting,
            @JsonProperty("OOMKilled") @Schema(description = "Killed for using more than its memory") Boolean oomKilled,
            @JsonProperty("Dead") Boolean dead,
            @JsonProperty("Pid") Integer pid,
            @JsonProperty("ExitCode") @Schema(example = "0") Integer exitCode,
            @JsonProperty("Error") @Schema(description = "The engine's error starting the container, if any") String error,
            @JsonProperty("StartedAt") @Schema(description = "RFC 3339, nanoseconds", example = "2026-11-25T03:41:55.123456789Z")
            String startedAt,
            @JsonProperty("FinishedAt") @Schema(description = "RFC 3339, nanoseconds", example = "2026-11-25T03:41:55.623456789Z")
            String finishedAt) {
    }
}
