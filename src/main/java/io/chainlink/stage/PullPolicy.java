package io.chainlink.stage;

import com.fasterxml.jackson.annotation.JsonProperty;

/** When a stage's image is pulled before the job runs. Ordered from weakest to strongest. */
public enum PullPolicy {
    @JsonProperty("never") NEVER,
    @JsonProperty("if-not-present") IF_NOT_PRESENT,
    @JsonProperty("always") ALWAYS;

    /** Two stages naming one image pull it once, under the stronger of their policies. */
    public PullPolicy strongest(PullPolicy other) {
        return compareTo(other) >= 0 ? this : other;
    }
}
