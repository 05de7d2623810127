package io.chainlink.policy;

import static io.chainlink.support.StageBuilder.stage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chainlink.policy.PolicyViolationException.Violation;
import io.chainlink.stage.StageSpec;
import io.chainlink.support.StageBuilder;
import io.chainlink.support.TestProperties;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.CsvSource;

/** The policy's rules, one case a row: the properties an operator sets, a stage, and the answer. */
class StagePolicyTest {

    private static final long MIB = 1024 * 1024;
    private static final String CS101 = "registry.example.edu/cs101/*";

    static Stream<Arguments> refusals() {
        return Stream.of(
                refused("privileged, by default", none(), stage().privileged(true),
                        "stages[0].privileged", "privileged", "not allowed for client cs101"),
                refused("privileged, when the policy says no", Map.of("privileged", "false"), stage().privileged(true),
                        "stages[0].privileged", "privileged", "not allowed for client cs101"),
                refused("a capability, by default", none(), stage().capabilities("NET_ADMIN"),
                        "stages[0].capabilities", "capabilities", "NET_ADMIN not allowed for client cs101; allowed: none"),
                refused("a capability the policy does not list", Map.of("capabilities", "SYS_PTRACE"), stage().capabilities("NET_ADMIN", "SYS_PTRACE"),
                        "stages[0].capabilities", "capabilities", "NET_ADMIN not allowed for client cs101; allowed: SYS_PTRACE"),
                refused("ALL where one is listed", Map.of("capabilities", "NET_ADMIN"), stage().capabilities("ALL"),
                        "stages[0].capabilities", "capabilities", "ALL not allowed"),
                refused("networking, when refused", Map.of("networking", "false"), stage().networking(true),
                        "stages[0].networking", "networking", "not allowed for client cs101; send \"networking\": false"),
                refused("an image of another course", Map.of("images", CS101), stage().image("registry.example.edu/cs102/grader:1"),
                        "stages[0].image", "images", "not among the images allowed for client cs101: " + CS101),
                refused("an image one path part deeper than '*'", Map.of("images", CS101), stage().image("registry.example.edu/cs101/a/b"),
                        "stages[0].image", "images", "not among"),
                refused("an image under a longer path part", Map.of("images", CS101), stage().image("registry.example.edu/cs1010/grader"),
                        "stages[0].image", "images", "not among"),
                refused("an image on a host that starts alike", Map.of("images", CS101), stage().image("registry.example.edu.evil.com/cs101/x"),
                        "stages[0].image", "images", "not among"),
                refused("an image from Docker Hub", Map.of("images", CS101), stage().image("alpine:3.5"),
                        "stages[0].image", "images", "not among"),
                refused("no user, under never-root", Map.of("never-root", "true"), stage().user(null),
                        "stages[0].user", "never-root", "is required for client cs101: a numeric uid other than 0"),
                refused("uid 0, under never-root", Map.of("never-root", "true"), stage().user("0"),
                        "stages[0].user", "never-root", "must be for client cs101: a numeric uid other than 0"),
                refused("uid 000, under never-root", Map.of("never-root", "true"), stage().user("000"),
                        "stages[0].user", "never-root", "numeric uid other than 0"),
                refused("uid 0 with another group, under never-root", Map.of("never-root", "true"), stage().user("0:1000"),
                        "stages[0].user", "never-root", "numeric uid other than 0"),
                refused("group 0, root's, under never-root", Map.of("never-root", "true"), stage().user("1000:0"),
                        "stages[0].user", "never-root", "must be for client cs101: a numeric uid other than 0, such as 1000 or"
                                + " 1000:1000, and a group, if any, other than 0"),
                refused("group 00, under never-root", Map.of("never-root", "true"), stage().user("1000:00"),
                        "stages[0].user", "never-root", "and a group, if any, other than 0"),
                refused("a group by name, under never-root (the image may make it 0)", Map.of("never-root", "true"),
                        stage().user("1000:root"), "stages[0].user", "never-root", "and a group, if any, other than 0"),
                refused("root by name, under never-root", Map.of("never-root", "true"), stage().user("root"),
                        "stages[0].user", "never-root", "numeric uid other than 0"),
                refused("any name, under never-root (the image may make it root)", Map.of("never-root", "true"), stage().user("grader"),
                        "stages[0].user", "never-root", "numeric uid other than 0"),
                refused("memory over the ceiling", Map.of("max-memory", "1g"), stage().memoryBytes(1025 * MIB),
                        "stages[0].memory", "max-memory", "at most 1g for client cs101; got 1025m"),
                refused("memory over the ceiling by a byte", Map.of("max-memory", "64m"), stage().memoryBytes(64 * MIB + 1),
                        "stages[0].memory", "max-memory", "at most 64m for client cs101; got 67108865"),
                refused("a timeout over the ceiling", Map.of("max-timeout", "60"), stage().timeoutMillis(60_500),
                        "stages[0].timeout", "max-timeout", "at most 60 seconds for client cs101; got 60.5"),
                refused("cpus over the ceiling", Map.of("max-cpus", "1"), stage().cpus(1.5),
                        "stages[0].cpus", "max-cpus", "at most 1 for client cs101; got 1.5"),
                refused("no cpus under a ceiling (every CPU)", Map.of("max-cpus", "0.5"), stage().cpus(null),
                        "stages[0].cpus", "max-cpus", "at most 0.5 for client cs101; a stage that names none has every CPU"),
                refused("an environment over the ceiling", Map.of("max-env", "16B"), stage().env(Map.of("A", "1234567")),
                        "stages[0].env", "max-env", "is 18 bytes as execve counts them; at most 16 for client cs101"));
    }

    @ParameterizedTest(name = "{0} is refused naming {2}")
    @MethodSource("refusals")
    void aStageThatBreaksARuleIsRefusedNamingTheFieldAndTheRule(String what, Map<String, String> policy, StageBuilder stage,
                                                                String field, String rule, String message) {
        assertThatThrownBy(() -> policy(policy).check(List.of(stage.build()), "cs101"))
                .isInstanceOfSatisfying(PolicyViolationException.class, e -> {
                    assertThat(e.violations()).singleElement().satisfies(v -> {
                        assertThat(v.field()).isEqualTo(field);
                        assertThat(v.rule()).isEqualTo(rule);
                        assertThat(v.message()).contains(message);
                    });
                    assertThat(e.getMessage()).startsWith(field + ": ");
                });
    }

    static Stream<Arguments> allowed() {
        return Stream.of(
                allowed("a plain stage, by default", none(), stage()),
                allowed("networking, by default", none(), stage().networking(true)),
                allowed("privileged, when allowed", Map.of("privileged", "true"), stage().privileged(true)),
                allowed("a listed capability", Map.of("capabilities", "NET_ADMIN,SYS_PTRACE"), stage().capabilities("SYS_PTRACE")),
                allowed("a capability listed with CAP_", Map.of("capabilities", "CAP_NET_ADMIN"), stage().capabilities("NET_ADMIN")),
                allowed("ALL, where ALL is listed", Map.of("capabilities", "ALL"), stage().capabilities("ALL")),
                allowed("no network, when networking is refused", Map.of("networking", "false"), stage().networking(false)),
                allowed("an image of the course", Map.of("images", CS101), stage().image("registry.example.edu/cs101/grader:2")),
                allowed("an image of the course by digest", Map.of("images", CS101),
                        stage().image("registry.example.edu/cs101/grader@sha256:" + "a".repeat(64))),
                allowed("an image of the course without a tag", Map.of("images", CS101), stage().image("registry.example.edu/cs101/grader")),
                allowed("an image under '**'", Map.of("images", "registry.example.edu/**"), stage().image("registry.example.edu/cs101/a/b:1")),
                allowed("an image of any listed pattern", Map.of("images", CS101 + ",alpine:3.?"), stage().image("alpine:3.5")),
                allowed("a uid, under never-root", Map.of("never-root", "true"), stage().user("1000")),
                allowed("a uid with its own group, under never-root", Map.of("never-root", "true"), stage().user("1000:1000")),
                allowed("nobody's uid, under never-root", Map.of("never-root", "true"), stage().user("65534")),
                allowed("memory at the ceiling", Map.of("max-memory", "64m"), stage().memoryBytes(64 * MIB)),
                allowed("a timeout at the ceiling", Map.of("max-timeout", "0.5"), stage().timeoutMillis(500)),
                allowed("cpus at the ceiling", Map.of("max-cpus", "0.5"), stage().cpus(0.5)),
                allowed("an environment at the ceiling", Map.of("max-env", "18B"), stage().env(Map.of("A", "1234567"))));
    }

    @ParameterizedTest(name = "{0} is allowed")
    @MethodSource("allowed")
    void aStageWithinThePolicyPasses(String what, Map<String, String> policy, StageBuilder stage) {
        assertThatCode(() -> policy(policy).check(List.of(stage.build()), "cs101")).doesNotThrowAnyException();
    }

    @Test
    void thirtyTwoStagesPassByDefaultAndThirtyThreeAreRefused() {
        StagePolicy policy = policy(none());

        assertThatCode(() -> policy.check(stages(32), "default")).doesNotThrowAnyException();
        assertThatThrownBy(() -> policy.check(stages(33), "default"))
                .hasMessage("stages: at most 32 stages per job for client default; got 33");
    }

    @Test
    void everyBreakIsNamedInTheOrderOfTheStages() {
        StagePolicy policy = policy(Map.of("networking", "false"));
        List<StageSpec> stages = List.of(stage().networking(false).build(), stage().privileged(true).networking(true).build(),
                stage().networking(false).capabilities("KILL").build());

        assertThatThrownBy(() -> policy.check(stages, "cs101"))
                .isInstanceOfSatisfying(PolicyViolationException.class, e -> assertThat(e.violations())
                        .extracting(Violation::field)
                        .containsExactly("stages[1].privileged", "stages[1].networking", "stages[2].capabilities"));
    }

    @Test
    void tooManyStagesAreRefusedForThatAloneWithoutReadingThem() {
        List<StageSpec> privileged = Collections.nCopies(3, stage().privileged(true).build());

        assertThatThrownBy(() -> policy(Map.of("max-stages", "2")).check(privileged, "cs101"))
                .isInstanceOfSatisfying(PolicyViolationException.class, e -> assertThat(e.violations())
                        .extracting(Violation::field).containsExactly("stages"));
    }

    @Test
    void theDefaultPolicyRefusesOnlyWhatGivesAStageTheEnginesHost() {
        StagePolicy policy = policy(none());

        assertThat(policy.privileged()).isFalse();
        assertThat(policy.capabilities()).isEmpty();
        assertThat(policy.networking()).isTrue();
        assertThat(policy.images()).isEmpty();
        assertThat(policy.neverRoot()).isFalse();
        assertThat(policy.maxMemory()).isNull();
        assertThat(policy.maxTimeout()).isNull();
        assertThat(policy.maxCpus()).isNull();
        assertThat(policy.maxStages()).isEqualTo(32);
        assertThat(policy.maxEnv()).isNull();
    }

    @ParameterizedTest(name = "chainlink.policy.{0} stops the start")
    @CsvSource(delimiter = '|', value = {
            "capabilities=net_admin | chainlink.policy.capabilities: each is not a capability name",
            "capabilities=NOPE      | chainlink.policy.capabilities: each is not a capability Linux knows",
            "images=a b             | an image pattern must be a glob",
            "max-memory=lots        | is not a size",
            "max-memory=1m          | must be at least 6m",
            "max-timeout=0          | chainlink.policy.max-timeout must be positive",
            "max-cpus=0             | chainlink.policy.max-cpus must be at least 0.01",
            "max-stages=0           | chainlink.policy.max-stages must be 1 to 1000",
            "max-stages=1001        | chainlink.policy.max-stages must be 1 to 1000",
            "max-env=-1B            | chainlink.policy.max-env must not be negative"})
    void aPolicyThatCannotBeReadStopsTheStartSayingWhy(String setting, String why) {
        String[] nameAndValue = setting.split("=", 2);
        assertThatThrownBy(() -> policy(Map.of(nameAndValue[0], nameAndValue[1]))).hasStackTraceContaining(why);
    }

    @Test
    void theOldMaxStagesPropertyStopsTheStartSayingWhereItWent() {
        assertThatThrownBy(() -> TestProperties.of(Map.of("chainlink.max-stages", "10")))
                .hasStackTraceContaining("chainlink.max-stages is now chainlink.policy.max-stages");
    }

    private static StagePolicy policy(Map<String, String> settings) {
        Map<String, String> properties = new java.util.HashMap<>();
        settings.forEach((name, value) -> properties.put("chainlink.policy." + name, value));
        return TestProperties.of(properties).policy();
    }

    private static Map<String, String> none() {
        return Map.of();
    }

    private static List<StageSpec> stages(int count) {
        return Collections.nCopies(count, stage().build());
    }

    private static Arguments refused(String what, Map<String, String> policy, StageBuilder stage, String field, String rule,
                                     String message) {
        return Arguments.of(what, policy, stage, field, rule, message);
    }

    private static Arguments allowed(String what, Map<String, String> policy, StageBuilder stage) {
        return Arguments.of(what, policy, stage);
    }
}
