package io.chainlink.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The cases of chainlink's own test suite, through the HTTP API. */
class ChainlinkCasesTest extends EngineTest {

    @Test
    void stageSeesEnvironWithItsOwnEnvOverItAndNextStageRuns() {
        String id = submit("""
                {"environ": {"TEST": "testing", "OVERRIDE": "base"},
                 "stages": [
                   {"image": "IMAGE", "entrypoint": ["env"], "env": {"OVERRIDE": "stage", "EXTRA": "1"}},
                   {"image": "IMAGE", "entrypoint": ["sleep", "2"]}]}""");
        JsonNode job = awaitEnd(id);
        assertThat(job.get("status").asString()).isEqualTo("SUCCEEDED");

        JsonNode results = results(id);
        assertThat(results).hasSize(2);
        String env = results.get(0).get("logs").get("stdout").asString();
        assertThat(env).contains(" TEST=testing\n", " OVERRIDE=stage\n", " EXTRA=1\n").doesNotContain("OVERRIDE=base");
        assertThat(results.get(1).get("data").get("ExitCode").asInt()).isZero();
        assertThat(results.get(1).get("killed").asBoolean()).isFalse();
        assertThat(results.get(1).get("success").asBoolean()).isTrue();
    }

    @Test
    void stagePastItsTimeoutIsKilledAndTheChainFails() {
        JsonNode job = submitAndWait("""
                {"stages": [{"image": "IMAGE", "entrypoint": ["sleep", "3"], "timeout": 2}]}""");
        assertThat(job.get("status").asString()).isEqualTo("FAILED");
        JsonNode result = results(job.get("id").asString()).get(0);
        assertThat(result.get("killed").asBoolean()).isTrue();
        assertThat(result.get("success").asBoolean()).isFalse();
        assertThat(job.get("stages").get(0).get("killed").asBoolean()).isTrue();
    }

    @Test
    void longSleepIsKilledAtItsTimeoutNotAtItsEnd() {
        Instant start = Instant.now();
        JsonNode job = submitAndWait("""
                {"stages": [{"image": "IMAGE", "entrypoint": ["sleep", "20"], "timeout": 2}]}""");
        Duration took = Duration.between(start, Instant.now());

        assertThat(results(job.get("id").asString()).get(0).get("killed").asBoolean()).isTrue();
        // A safety bound, not a benchmark: a 20 s sleep killed at 2 s returns long before 20 s.
        assertThat(took).isLessThan(Duration.ofSeconds(15));
    }

    /**
     * {@code ip link set lo down} needs privilege, which the default policy refuses before
     * anything is stored; a policy that grants it: {@link GrantedPrivilegeTest}.
     */
    @Test
    void privilegedStageIsRefusedByTheDefaultPolicyAndAnUnprivilegedOneCannotChangeItsNetwork() {
        JsonNode unprivileged = submitAndWait("""
                {"stages": [{"image": "IMAGE", "entrypoint": ["ip", "link", "set", "lo", "down"]}]}""");
        assertThat(unprivileged.get("status").asString()).isEqualTo("FAILED");
        assertThat(results(unprivileged.get("id").asString()).get(0).get("data").get("ExitCode").asInt()).isNotZero();

        Response privileged = post("/api/v1/jobs", chain("""
                {"stages": [{"image": "IMAGE", "entrypoint": ["ip", "link", "set", "lo", "down"], "privileged": true}]}"""));
        assertThat(privileged.status()).isEqualTo(403);
        assertThat(privileged.body().get("errors").get(0).get("field").asString()).isEqualTo("stages[0].privileged");
    }
}
