package io.chainlink.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * A course's policy, as an operator would write it: no network, its own images, never root, and
 * ceilings; with defaults that fit it, so that a stage naming nothing passes. Each rule answers
 * 403 naming the field, and nothing is stored.
 */
@TestPropertySource(properties = {
        "chainlink.policy.networking=false",
        "chainlink.policy.never-root=true",
        "chainlink.policy.max-memory=64m",
        "chainlink.policy.max-timeout=10",
        "chainlink.policy.max-cpus=1",
        "chainlink.policy.max-stages=3",
        "chainlink.policy.max-env=1KB",
        "chainlink.defaults.networking=false",
        "chainlink.defaults.memory=64m",
        "chainlink.defaults.timeout=10",
        "chainlink.defaults.cpus=1",
        "chainlink.defaults.user=1000"})
class CoursePolicyTest extends EngineTest {

    @DynamicPropertySource
    static void onlyTheTestImage(DynamicPropertyRegistry registry) {
        registry.add("chainlink.policy.images", () -> IMAGE);
    }

    @Test
    void aStageThatNamesNothingRunsOnTheDefaultsThePolicyAllows() {
        JsonNode job = submitAndWait("""
                {"stages": [{"image": "IMAGE", "entrypoint": ["sh", "-c",
                  "id -u; ip -o link | wc -l; cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us 2>/dev/null || cut -d' ' -f1 /sys/fs/cgroup/cpu.max"]}]}""");

        assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
        String stdout = results(job.get("id").asString()).get(0).get("logs").get("stdout").asString();
        assertThat(stdout.lines().map(line -> line.substring(line.indexOf(' ') + 1)))
                .containsExactly("1000", "1", "100000"); // uid 1000, only lo, one CPU's quota per 100 ms
    }

    @Test
    void aStageAskingForLessThanTheCeilingsGetsIt() {
        JsonNode job = submitAndWait("""
                {"stages": [{"image": "IMAGE", "cpus": 0.5, "user": "2000:2000", "memory": "32m", "timeout": 5, "entrypoint": ["sh", "-c",
                  "cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us 2>/dev/null || cut -d' ' -f1 /sys/fs/cgroup/cpu.max"]}]}""");

        assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
        assertThat(results(job.get("id").asString()).get(0).get("logs").get("stdout").asString()).endsWith(" 50000\n");
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of("networking", "\"networking\": true", "stages[0].networking"),
                Arguments.of("another image", "\"image\": \"alpine:3.5\"", "stages[0].image"),
                Arguments.of("root by uid", "\"user\": \"0\"", "stages[0].user"),
                Arguments.of("root by name", "\"user\": \"root\"", "stages[0].user"),
                Arguments.of("memory over 64m", "\"memory\": \"65m\"", "stages[0].memory"),
                Arguments.of("a timeout over 10 s", "\"timeout\": 10.5", "stages[0].timeout"),
                Arguments.of("two CPUs", "\"cpus\": 2", "stages[0].cpus"),
                Arguments.of("an environment over 1 KB", "\"env\": {\"BIG\": \"" + "x".repeat(1100) + "\"}", "stages[0].env"),
                Arguments.of("privilege", "\"privileged\": true", "stages[0].privileged"),
                Arguments.of("a capability", "\"capabilities\": [\"NET_ADMIN\"]", "stages[0].capabilities"));
    }

    @ParameterizedTest(name = "{0} is refused naming {2}")
    @MethodSource("refusals")
    void eachRuleOfTheCourseAnswers403NamingItsFieldAndStoresNothing(String what, String field, String named) {
        int jobs = jobCount();
        // The image first, so that a stage's own "image" replaces it (a repeated field would be refused).
        String stage = field.startsWith("\"image\"") ? "{" + field + "}" : "{\"image\": \"IMAGE\", " + field + "}";

        Response refused = post("/api/v1/jobs", chain("{\"stages\": [" + stage + "]}"));

        assertThat(refused.status()).as(refused.text()).isEqualTo(403);
        assertThat(refused.body().get("errors")).singleElement()
                .satisfies(error -> assertThat(error.get("field").asString()).isEqualTo(named));
        assertThat(refused.body().get("detail").asString()).startsWith(named + ": ").contains("for client local");
        assertThat(jobCount()).as("jobs stored").isEqualTo(jobs);
    }

    @Test
    void moreStagesThanTheCourseAllowsAreRefused() {
        Response refused = post("/api/v1/jobs", chain("""
                {"stages": [{"image": "IMAGE"}, {"image": "IMAGE"}, {"image": "IMAGE"}, {"image": "IMAGE"}]}"""));

        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.body().get("detail").asString()).isEqualTo("stages: at most 3 stages per job for client local; got 4");
    }

    private int jobCount() {
        return get("/api/v1/jobs?limit=500").body().get("jobs").size();
    }
}
