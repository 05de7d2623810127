package io.chainlink.job;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import io.swagger.v3.oas.annotations.media.Schema;

/** One element of chainlink's {@code run()} result: a stage that ran. */
@Schema(description = "One stage that ran, in chainlink's result shape")
public record StageResult(
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, type = "object",
                description = "The container's State as the engine's inspect returned it (Status, Running, OOMKilled, Dead, Pid, ExitCode, Error, StartedAt, FinishedAt, ...)")
        @JsonRawValue String data,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "Killed at its timeout")
        boolean killed,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "Not killed and exited 0")
        boolean success,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED) Logs logs) {

    @Schema(description = "Each line prefixed with the engine's RFC 3339 timestamp; null where the stage's logs were not kept")
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Logs(
            @Schema(example = "2026-11-25T03:41:55.123456789Z hello\n") String stdout,
            @Schema(example = "") String stderr) {
    }
}
