package io.chainlink.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.chainlink.stage.Capabilities;
import io.chainlink.stage.Entrypoint;
import io.chainlink.stage.MemoryLimit;
import io.chainlink.stage.PullPolicy;
import io.chainlink.stage.StageDefaults;
import io.chainlink.stage.StageSpec;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A stage exactly as chainlink's stage dictionaries write it; absent fields take the defaults. */
@Schema(description = "One stage: a container run to its end", example = """
        {"image": "alpine:3.5", "entrypoint": ["sh", "-c", "echo hi > /job/out"], "hostname": "grader",
         "memory": "512m", "networking": false, "privileged": false, "timeout": 30, "env": {"TEST": "testing"}}""")
public record StageRequest(
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "alpine:3.5",
                description = "An image reference: [host[:port]/]path[:tag][@algorithm:hex], as the engine reads it")
        @NotNull(message = "is required: an image reference such as alpine:3.5") @ImageReference String image,

        @Schema(description = "Replaces the image's entrypoint and CMD; the image's when absent")
        Entrypoint entrypoint,

        @Schema(description = "The container's hostname (an RFC 1123 label)", example = "grader")
        @Pattern(regexp = "(?!-)[A-Za-z0-9-]{1,63}(?<!-)", message = "must be an RFC 1123 label: letters, digits and '-', at most 63, not starting or ending with '-'")
        String hostname,

        @Schema(description = "Memory cap; swap equal to it (no swap)")
        MemoryLimit memory,

        @Schema(description = "false: no network, only a loopback lo of its own (as chainlink's network_disabled)")
        Boolean networking,

        @Schema(description = "Privileged mode")
        Boolean privileged,

        @Schema(description = "Seconds from start after which the container is killed; fractions allowed", example = "30")
        @Positive @DecimalMax(value = "604800", message = "must be at most a week (604800 seconds)")
        Double timeout,

        @Schema(description = "Added over the job's environ (the stage wins)", example = "{\"TEST\": \"testing\"}")
        @Environment Map<String, String> env,

        @Schema(description = "When to pull the image")
        PullPolicy pull,

        // Named as chainlink's JSON names it, so that an error names the field the user wrote.
        // Linux builds for 8192 CPUs at most, and the engine refuses higher numbers (it once ran
        // out of memory expanding "1-9223372036854775807" into a map, moby#37967): a CPU number
        // has 4 digits at most and the list 1024 characters, refused here rather than by the engine.
        @Schema(description = "CPUs the container may use, CPU list syntax (CPU numbers below 10000); all when absent", example = "0-3")
        @Pattern(regexp = "\\d{1,4}(-\\d{1,4})?(,\\d{1,4}(-\\d{1,4})?)*", message = "must be a CPU list such as 0-3, 0,2 or 1, of CPU numbers below 10000")
        @Size(max = 1024, message = "must be at most 1024 characters")
        @JsonProperty("cpuset_cpus") String cpuset_cpus,

        @Schema(description = "false: stdout and stderr are neither read nor stored (results show null, the log endpoint 404)")
        Boolean logs,

        @Schema(description = "Run as this user: uid, uid:gid or a name the image knows; unset: the image's user", example = "1000:1000")
        @Pattern(regexp = "[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,31})?", message = "must be uid, uid:gid, name or name:group")
        String user,

        @Schema(description = "Linux capabilities added to the engine's default set, e.g. NET_ADMIN (CAP_ optional); each only if the policy allows it",
                example = "[\"NET_ADMIN\"]")
        @Size(max = 64, message = "must list at most 64 capabilities")
        List<@NotNull @CapabilityName String> capabilities,

        @Schema(description = "A CPU quota in CPUs: 0.5 is half of one CPU's time, 2 two CPUs' (over a 100 ms period); no quota when absent",
                example = "0.5")
        @DecimalMin(value = StageSpec.MIN_CPUS, message = "must be at least " + StageSpec.MIN_CPUS + " (a millisecond of CPU time per 100 ms)")
        @DecimalMax(value = StageSpec.MAX_CPUS, message = "must be at most " + StageSpec.MAX_CPUS)
        Double cpus) {

    /** The stage with every default resolved and the job's environ under its own env. */
    StageSpec toSpec(StageDefaults defaults, Map<String, String> environ) {
        Map<String, String> merged = new LinkedHashMap<>();
        if (environ != null) {
            merged.putAll(environ);
        }
        if (env != null) {
            merged.putAll(env);
        }
        double seconds = timeout != null ? timeout : defaults.timeout();
        return new StageSpec(
                image,
                entrypoint == null ? null : entrypoint.words(),
                hostname != null ? hostname : defaults.hostname(),
                memory != null ? memory.bytes() : defaults.memoryBytes(),
                networking != null ? networking : defaults.networking(),
                privileged != null ? privileged : defaults.privileged(),
                Math.round(seconds * 1000),
                merged,
                pull != null ? pull : defaults.pull(),
                cpuset_cpus,
                logs != null ? logs : defaults.logs(),
                user != null ? user : defaults.user(),
                Capabilities.normalise(capabilities),
                cpus != null ? cpus : defaults.cpus());
    }
}
