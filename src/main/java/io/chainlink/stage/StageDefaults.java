package io.chainlink.stage;

import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What a stage gets for each field it leaves out: chainlink's own defaults, set in one place.
 * Operators may change them under {@code chainlink.defaults.*}.
 *
 * @param user unset by default, so a stage runs as its image's user, as chainlink does
 */
public record StageDefaults(
        @DefaultValue("2g") String memory,
        @DefaultValue("30") double timeout,
        @DefaultValue("container") String hostname,
        @DefaultValue("true") boolean networking,
        @DefaultValue("false") boolean privileged,
        @DefaultValue("true") boolean logs,
        @DefaultValue("IF_NOT_PRESENT") PullPolicy pull,
        String user) {

    public StageDefaults {
        MemoryLimit.parse(memory); // fail at startup, not on the first job
        if (!(timeout > 0)) {
            throw new IllegalArgumentException("chainlink.defaults.timeout must be positive");
        }
    }

    public long memoryBytes() {
        return MemoryLimit.parse(memory).bytes();
    }
}
