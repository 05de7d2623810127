package io.chainlink.policy;

import io.chainlink.policy.PolicyViolationException.Violation;
import io.chainlink.stage.Capabilities;
import io.chainlink.stage.MemoryLimit;
import io.chainlink.stage.ProcessStrings;
import io.chainlink.stage.StageSpec;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * What a client's stages may ask of the engine, checked at submission, before anything is
 * stored. Bound from {@code chainlink.policy.*} as the service-wide policy; by default it refuses
 * only what would give a stage the engine's host (privileged mode, added capabilities).
 *
 * <p>A policy refuses, it never changes a stage: what a stage gets when it names nothing is
 * {@code chainlink.defaults.*}, and it is the resolved stage that is checked. So a policy without
 * networking refuses a stage that leaves networking to a default of {@code true}, and says to send
 * {@code "networking": false}; an operator who wants such stages to pass sets the default too.
 *
 * @param privileged   whether a stage may run privileged (root on the engine's host)
 * @param capabilities capabilities a stage may add, e.g. {@code NET_ADMIN} ({@code CAP_} optional);
 *                     {@code ALL} allows a stage to ask for every one
 * @param networking   whether a stage may have a network; {@code false} allows only {@code "networking": false}
 * @param images       globs of the images a stage may run ({@link ImagePattern}); none: any image
 * @param neverRoot    a stage must name a numeric uid other than 0 as its {@code user} (or get one from
 *                     {@code chainlink.defaults.user}): a name may be root in the image, and a stage
 *                     that names none runs as its image's user, often root
 * @param maxMemory    highest {@code memory}, as a size such as {@code 4g}; none: no ceiling
 * @param maxTimeout   highest {@code timeout} in seconds; none: the API's own week
 * @param maxCpus      highest {@code cpus}; a stage that names none has every CPU, which passes only
 *                     without a ceiling; none: no ceiling
 * @param maxStages    most stages in one job
 * @param maxEnv       largest environment a stage's process gets (the job's environ and the stage's
 *                     env together), counted as execve counts it; none: the API's own bound
 */
public record StagePolicy(
        @DefaultValue("false") boolean privileged,
        @DefaultValue List<String> capabilities,
        @DefaultValue("true") boolean networking,
        @DefaultValue List<String> images,
        @DefaultValue("false") boolean neverRoot,
        String maxMemory,
        Double maxTimeout,
        Double maxCpus,
        @DefaultValue("32") int maxStages,
        DataSize maxEnv) {

    /** The most stages the service takes in one job, whatever a policy says. */
    static final int STAGES_BOUND = 1000;

    public StagePolicy {
        try {
            capabilities = Capabilities.normalise(capabilities);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("chainlink.policy.capabilities: each " + e.getMessage());
        }
        images = List.copyOf(images == null ? List.of() : images);
        images.forEach(ImagePattern::of); // fail at startup, not on the first job
        if (maxMemory != null) {
            MemoryLimit.parse(maxMemory);
        }
        if (maxTimeout != null && !(maxTimeout > 0)) {
            throw new IllegalArgumentException("chainlink.policy.max-timeout must be positive; got " + maxTimeout);
        }
        if (maxCpus != null && !(maxCpus >= Double.parseDouble(StageSpec.MIN_CPUS))) {
            throw new IllegalArgumentException("chainlink.policy.max-cpus must be at least " + StageSpec.MIN_CPUS + "; got " + maxCpus);
        }
        if (maxStages < 1 || maxStages > STAGES_BOUND) {
            throw new IllegalArgumentException("chainlink.policy.max-stages must be 1 to " + STAGES_BOUND + "; got " + maxStages);
        }
        if (maxEnv != null && maxEnv.toBytes() < 0) {
            throw new IllegalArgumentException("chainlink.policy.max-env must not be negative; got " + maxEnv);
        }
    }

    /**
     * Refuses a job whose stages break any rule, naming every break; a job of too many stages is
     * refused for that alone.
     *
     * @param client who submits, named in each refusal
     * @throws PolicyViolationException naming each field as the user wrote it
     */
    public void check(List<StageSpec> stages, String client) {
        String forClient = " for client " + client;
        if (stages.size() > maxStages) { // alone: its stages are not read, nor listed stage by stage
            throw new PolicyViolationException(List.of(new Violation("stages", "max-stages",
                    "at most " + maxStages + " stages per job" + forClient + "; got " + stages.size())));
        }
        List<Violation> violations = new ArrayList<>();
        List<ImagePattern> patterns = images.stream().map(ImagePattern::of).toList();
        for (int i = 0; i < stages.size(); i++) {
            StageSpec stage = stages.get(i);
            String at = "stages[" + i + "].";
            if (stage.privileged() && !privileged) {
                violations.add(new Violation(at + "privileged", "privileged", "not allowed" + forClient));
            }
            List<String> refused = stage.capabilities().stream().filter(c -> !capabilities.contains(c)).toList();
            if (!refused.isEmpty()) {
                violations.add(new Violation(at + "capabilities", "capabilities", String.join(", ", refused)
                        + " not allowed" + forClient + "; allowed: "
                        + (capabilities.isEmpty() ? "none" : String.join(", ", capabilities))));
            }
            if (stage.networking() && !networking) {
                violations.add(new Violation(at + "networking", "networking",
                        "not allowed" + forClient + "; send \"networking\": false"));
            }
            if (!patterns.isEmpty() && patterns.stream().noneMatch(p -> p.matches(stage.image()))) {
                violations.add(new Violation(at + "image", "images",
                        "not among the images allowed" + forClient + ": " + String.join(", ", images)));
            }
            if (neverRoot && !isNumericNonRoot(stage.user())) {
                violations.add(new Violation(at + "user", "never-root", (stage.user() == null ? "is required" : "must be")
                        + forClient + ": a numeric uid other than 0, such as 1000 or 1000:1000, and a group, if any, other than 0"));
            }
            if (maxMemory != null && stage.memoryBytes() > MemoryLimit.parse(maxMemory).bytes()) {
                violations.add(new Violation(at + "memory", "max-memory",
                        "at most " + maxMemory + forClient + "; got " + MemoryLimit.text(stage.memoryBytes())));
            }
            if (maxTimeout != null && stage.timeoutMillis() > Math.round(maxTimeout * 1000)) {
                violations.add(new Violation(at + "timeout", "max-timeout", "at most " + number(maxTimeout)
                        + " seconds" + forClient + "; got " + number(stage.timeoutMillis() / 1000.0)));
            }
            if (maxCpus != null && (stage.cpus() == null || stage.cpus() > maxCpus)) {
                violations.add(new Violation(at + "cpus", "max-cpus", "at most " + number(maxCpus) + forClient
                        + (stage.cpus() == null ? "; a stage that names none has every CPU" : "; got " + number(stage.cpus()))));
            }
            long env = ProcessStrings.environmentBytes(stage.env());
            if (maxEnv != null && env > maxEnv.toBytes()) {
                violations.add(new Violation(at + "env", "max-env", "the stage's environment (environ and env together) is "
                        + env + " bytes as execve counts them; at most " + maxEnv.toBytes() + forClient));
            }
        }
        if (!violations.isEmpty()) {
            throw new PolicyViolationException(violations);
        }
    }

    /**
     * Refuses a batch if any of its jobs breaks a rule, naming every break of every job by its
     * place in the batch ({@code jobs[3].stages[0].privileged}).
     *
     * @throws PolicyViolationException naming each field as the user wrote it
     */
    public void checkBatch(List<List<StageSpec>> jobs, String client) {
        List<Violation> violations = new ArrayList<>();
        for (int i = 0; i < jobs.size(); i++) {
            try {
                check(jobs.get(i), client);
            } catch (PolicyViolationException e) {
                String at = "jobs[" + i + "].";
                e.violations().forEach(v -> violations.add(new Violation(at + v.field(), v.rule(), v.message())));
            }
        }
        if (!violations.isEmpty()) {
            throw new PolicyViolationException(violations);
        }
    }

    /**
     * {@code 1000} or {@code 1000:1000}: a name could be uid 0 in the image, which the service cannot
     * see; and group 0 owns much of an image's files (root's group), so {@code 1000:0} is root's
     * reach by another door, and a group name could be it.
     */
    private static boolean isNumericNonRoot(String user) {
        if (user == null) {
            return false;
        }
        String[] uidAndGroup = user.split(":", 2);
        return Arrays.stream(uidAndGroup).allMatch(id -> id.matches("\\d{1,10}") && Long.parseLong(id) != 0);
    }

    private static String number(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }
}
