package io.chainlink.stage;

import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What a stage gets for each field it leaves out: chainlink's own defaults, set in one place.
 * Operators may change them under {@code chainlink.defaults.*}.
 *
 * @param user unset by default, so a stage runs as its image's user, as chainlink does
 * @param cpus unset by default: no CPU quota, as chainlink has none
 */
public record StageDefaults(
        @DefaultValue("2g") String memory,
        @DefaultValue("30") double timeout,
        @DefaultValue("container") String hostname,
        @DefaultValue("true") boolean networking,
        @DefaultValue("false") boolean privileged,
        @DefaultValue("true") boolean logs,
        @DefaultValue("IF_NOT_PRESENT") PullPolicy pull,
        String user,
        Double cpus) {

    public StageDefaults {
        MemoryLimit.parse(memory); // fail at startup, not on the first job
        if (!(timeout > 0)) {
            throw new IllegalArgumentException("chainlink.defaults.timeout must be positive");
        }
        if (cpus != null && !(cpus >= Double.parseDouble(StageSpec.MIN_CPUS) && cpus <= Double.parseDouble(StageSpec.MAX_CPUS))) {
            throw new IllegalArgumentException("chainlink.defaults.cpus must be " + StageSpec.MIN_CPUS + " to "
                    + StageSpec.MAX_CPUS + "; got " + cpus);
        }
    }

    public long memoryBytes() {
        return MemoryLimit.parse(memory).bytes();
    }
}
