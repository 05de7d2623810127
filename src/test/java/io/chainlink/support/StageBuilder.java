package io.chainlink.support;

import io.chainlink.stage.PullPolicy;
import io.chainlink.stage.StageSpec;
import java.util.List;
import java.util.Map;

/** A StageSpec with plain values (chainlink's defaults), changed one field at a time. */
public final class StageBuilder {

    private static final long MIB = 1024 * 1024;

    private String image = "alpine:3.5";
    private List<String> entrypoint = List.of("true");
    private String hostname = "container";
    private long memoryBytes = 2048 * MIB;
    private boolean networking = true;
    private boolean privileged;
    private long timeoutMillis = 30_000;
    private Map<String, String> env = Map.of();
    private String cpusetCpus;
    private String user;
    private List<String> capabilities = List.of();
    private Double cpus;

    public static StageBuilder stage() {
        return new StageBuilder();
    }

    public StageBuilder image(String value) { image = value; return this; }
    public StageBuilder entrypoint(List<String> value) { entrypoint = value; return this; }
    public StageBuilder hostname(String value) { hostname = value; return this; }
    public StageBuilder memoryBytes(long value) { memoryBytes = value; return this; }
    public StageBuilder networking(boolean value) { networking = value; return this; }
    public StageBuilder privileged(boolean value) { privileged = value; return this; }
    public StageBuilder timeoutMillis(long value) { timeoutMillis = value; return this; }
    public StageBuilder env(Map<String, String> value) { env = value; return this; }
    public StageBuilder cpusetCpus(String value) { cpusetCpus = value; return this; }
    public StageBuilder user(String value) { user = value; return this; }
    public StageBuilder capabilities(String... value) { capabilities = List.of(value); return this; }
    public StageBuilder cpus(Double value) { cpus = value; return this; }

    public StageSpec build() {
        return new StageSpec(image, entrypoint, hostname, memoryBytes, networking, privileged, timeoutMillis, env,
                PullPolicy.IF_NOT_PRESENT, cpusetCpus, true, user, capabilities, cpus);
    }
}
