package io.chainlink.it;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/** A policy that grants what the default refuses: one capability, and privileged mode. */
@TestPropertySource(properties = {"chainlink.policy.capabilities=NET_ADMIN", "chainlink.policy.privileged=true"})
class GrantedPrivilegeTest extends EngineTest {

    /**
     * chainlink's example of a stage that changes its own network (networking false: only
     * {@code lo}) needs one capability, not privileged mode. The engine already brings {@code lo}
     * up, and busybox's {@code ip} changes nothing that is already so: down, then up, proves it.
     */
    @Test
    void loopbackGoesDownAndUpWithNetAdminInsteadOfPrivilege() {
        String chain = """
                {"stages": [{"image": "IMAGE", "networking": false, %s
                  "entrypoint": ["sh", "-c", "ip link set lo down && ip link set lo up && ip -o link show lo && ping -c 1 127.0.0.1"]}]}""";

        JsonNode withCapability = submitAndWait(chain.formatted("\"capabilities\": [\"NET_ADMIN\"],"));
        assertThat(withCapability.get("status").asString()).as(withCapability.toString()).isEqualTo("SUCCEEDED");
        String stdout = results(withCapability.get("id").asString()).get(0).get("logs").get("stdout").asString();
        assertThat(stdout).contains("lo: <LOOPBACK,UP,LOWER_UP>").contains("1 packets received");

        JsonNode without = submitAndWait(chain.formatted(""));
        assertThat(without.get("status").asString()).isEqualTo("FAILED");
        assertThat(results(without.get("id").asString()).get(0).get("logs").get("stderr").asString()).contains("not permitted");
    }

    @Test
    void aCapabilityThePolicyDoesNotListIsStillRefused() {
        Response refused = post("/api/v1/jobs", chain("""
                {"stages": [{"image": "IMAGE", "capabilities": ["NET_ADMIN", "SYS_ADMIN"], "entrypoint": ["true"]}]}"""));

        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.body().get("detail").asString())
                .isEqualTo("stages[0].capabilities: SYS_ADMIN not allowed for client local; allowed: NET_ADMIN");
    }

    /**
     * Where the engine runs privileged containers, the stage may take {@code lo} down; where the
     * runtime refuses them (our CI machines: "unable to apply caps"), the job ends ERROR carrying
     * the engine's message.
     */
    @Test
    void privilegedStageGetsPrivilegeOrTheEnginesRefusal() {
        JsonNode privileged = submitAndWait("""
                {"stages": [{"image": "IMAGE", "entrypoint": ["ip", "link", "set", "lo", "down"], "privileged": true}]}""");
        String status = privileged.get("status").asString();
        if (status.equals("ERROR")) {
            System.out.println("privileged: the engine refused the container: " + privileged.get("error").asString());
            assertThat(privileged.get("error").asString()).contains("stage 0").contains("start");
            assertThat(results(privileged.get("id").asString())).isEmpty();
        } else {
            System.out.println("privileged: the engine ran the privileged container");
            assertThat(status).isEqualTo("SUCCEEDED");
        }
    }
}
