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
        long id = submit("""
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
        JsonNode result = results(job.get("id").asLong()).get(0);
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

        assertThat(results(job.get("id").asLong()).get(0).get("killed").asBoolean()).isTrue();
        // A safety bound, not a benchmark: a 20 s sleep killed at 2 s returns long before 20 s.
        assertThat(took).isLessThan(Duration.ofSeconds(15));
    }

    /**
     * {@code ip link set lo down} needs privilege. Where the engine runs privileged containers,
     * it fails without and succeeds with; where the runtime refuses them (our CI machines: "unable
     * to apply caps"), the privileged job ends ERROR carrying the engine's message.
     */
    @Test
    void privilegedStageGetsPrivilegeOrTheEnginesRefusal() {
        JsonNode unprivileged = submitAndWait("""
                {"stages": [{"image": "IMAGE", "entrypoint": ["ip", "link", "set", "lo", "down"]}]}""");
        assertThat(unprivileged.get("status").asString()).isEqualTo("FAILED");
        assertThat(results(unprivileged.get("id").asLong()).get(0).get("data").get("ExitCode").asInt()).isNotZero();

        JsonNode privileged = submitAndWait("""
                {"stages": [{"image": "IMAGE", "entrypoint": ["ip", "link", "set", "lo", "down"], "privileged": true}]}""");
        String status = privileged.get("status").asString();
        if (status.equals("ERROR")) {
            System.out.println("privileged: the engine refused the container: " + privileged.get("error").asString());
            assertThat(privileged.get("error").asString()).contains("stage 0").contains("start");
            assertThat(results(privileged.get("id").asLong())).isEmpty();
        } else {
            System.out.println("privileged: the engine ran the privileged container");
            assertThat(status).isEqualTo("SUCCEEDED");
        }
    }
}
