package io.chainlink.engine;

import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What every stage's container gets, whatever the stage asks: bounds on what the code inside can
 * do to the engine's host and to the stages beside it. Operators may change them under
 * {@code chainlink.containment.*}; a stage cannot. Memory without swap and a private IPC
 * namespace are always given ({@link ContainerSettings}).
 *
 * @param pidsLimit       most processes and threads one container has at once: a fork bomb
 *                        fills its own container, not the host's process table
 * @param noNewPrivileges a stage's processes gain nothing by running a setuid binary or one with
 *                        file capabilities (the kernel's no_new_privs), so a stage that runs as
 *                        a user stays that user
 */
public record Containment(
        @DefaultValue("512") long pidsLimit,
        @DefaultValue("true") boolean noNewPrivileges) {

    public Containment {
        if (pidsLimit < 1) {
            throw new IllegalArgumentException("chainlink.containment.pids-limit must be positive; got " + pidsLimit);
        }
    }
}
