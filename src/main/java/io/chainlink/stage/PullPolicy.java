package io.chainlink.stage;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;

/** When a stage's image is pulled before the job runs. Ordered from weakest to strongest. */
@Schema(enumAsRef = true, description = "When a stage's image is pulled, before the job's first stage runs")
public enum PullPolicy {
    @JsonProperty("never") NEVER,
    @JsonProperty("if-not-present") IF_NOT_PRESENT,
    @JsonProperty("always") ALWAYS;

    /** Two stages naming one image pull it once, under the stronger of their policies. */
    public PullPolicy strongest(PullPolicy other) {
        return compareTo(other) >= 0 ? this : other;
    }
}
