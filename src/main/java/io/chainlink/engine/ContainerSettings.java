package io.chainlink.engine;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.LogConfig;
import com.github.dockerjava.api.model.Mount;
import com.github.dockerjava.api.model.MountType;
import com.github.dockerjava.api.model.VolumeOptions;
import io.chainlink.stage.StageSpec;
import java.util.List;
import java.util.Map;

/**
 * How a stage becomes a container: the create request chainlink would send for it, labelled so
 * that {@link LeftoverSweeper} finds it after a crash. Nothing here reaches the engine.
 */
public final class ContainerSettings {

    /**
     * Bounds the engine's own log files; what we keep is bounded separately, as it streams. Two
     * files, so that a log whose first file is still there is there whole ({@link LogReader}).
     */
    static final LogConfig LOG_CONFIG =
            new LogConfig(LogConfig.LoggingType.JSON_FILE, Map.of("max-size", "64m", "max-file", "2"));
    private static final long CPU_PERIOD_MICROS = 100_000; // chainlink's 100 ms

    private ContainerSettings() {
    }

    /** The container a stage asks for, as chainlink configures it, contained as the operator says. */
    public static CreateContainerCmd createCommand(DockerClient client, Labels labels, int stage, StageSpec spec, String volume,
                                                   Containment containment) {
        HostConfig host = HostConfig.newHostConfig()
                .withMemory(spec.memoryBytes())
                .withMemorySwap(spec.memoryBytes()) // swap equal to memory: no swap at all
                .withPrivileged(spec.privileged())
                .withIpcMode("private")
                .withCpuPeriod(CPU_PERIOD_MICROS)
                .withCpuShares(containment.cpuShares())
                .withCpusetCpus(spec.cpusetCpus())
                .withPidsLimit(containment.pidsLimit())
                .withLogConfig(LOG_CONFIG)
                .withMounts(List.of(new Mount()
                        .withType(MountType.VOLUME)
                        .withSource(volume)
                        .withTarget("/job")
                        // what the image has at /job is hidden, not copied into the job's volume;
                        // the labels go on the volume when this create makes it (the job's first)
                        .withVolumeOptions(new VolumeOptions().withNoCopy(true).withLabels(labels.forVolume()))));
        if (containment.noNewPrivileges()) {
            host.withSecurityOpts(List.of("no-new-privileges"));
        }
        if (!spec.capabilities().isEmpty()) {
            host.withCapAdd(spec.capabilities().stream().map(Capability::valueOf).toArray(Capability[]::new));
        }
        if (spec.cpus() != null) {
            host.withCpuQuota(Math.round(spec.cpus() * CPU_PERIOD_MICROS));
        }
        CreateContainerCmd command = client.createContainerCmd(spec.runs()) // a pinned image id, else the image as named
                .withLabels(labels.forStage(stage))
                .withHostName(spec.hostname())
                .withEnv(spec.env().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList())
                .withTty(false)
                // Without networking, the container gets a network namespace of its own holding only
                // lo, as chainlink's network_disabled does. Not network mode "none": for that the
                // engine also builds a network sandbox (and runs a hook process) that nothing uses,
                // which nearly doubled the engine's time and CPU for each such stage (bench/README.md).
                .withNetworkDisabled(!spec.networking())
                .withHostConfig(host);
        if (spec.entrypoint() != null) {
            command.withEntrypoint(spec.entrypoint()); // the engine then ignores the image's CMD too
        }
        if (spec.user() != null) {
            command.withUser(spec.user());
        }
        return command;
    }
}
