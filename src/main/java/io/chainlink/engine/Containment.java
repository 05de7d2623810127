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
 * @param cpuShares       the container's CPU weight while every core is busy, against the other
 *                        containers, the service's own in a compose deployment among them; the
 *                        engine's default is 1024. Lower, an API kept busy takes the cores from
 *                        the stages: with 256, status reads flat out ran at about three times the
 *                        rate, and four busy stages beside them all but stopped (bench/README.md). At a
 *                        paced 200 reads a second both weights gave the same latency.
 */
public record Containment(
        @DefaultValue("512") long pidsLimit,
        @DefaultValue("true") boolean noNewPrivileges,
        @DefaultValue("1024") int cpuShares) {

    /** The engine's bounds on a CPU weight (cgroup v1's cpu.shares, which it maps to v2's weight). */
    static final int MIN_CPU_SHARES = 2;
    static final int MAX_CPU_SHARES = 262_144;

    public Containment {
        if (pidsLimit < 1) {
            throw new IllegalArgumentException("chainlink.containment.pids-limit must be positive; got " + pidsLimit);
        }
        if (cpuShares < MIN_CPU_SHARES || cpuShares > MAX_CPU_SHARES) {
            throw new IllegalArgumentException("chainlink.containment.cpu-shares must be %d to %d; got %d"
                    .formatted(MIN_CPU_SHARES, MAX_CPU_SHARES, cpuShares));
        }
    }
}
