package io.chainlink.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.AuthConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/** The service's registry credentials serve only the clients they are given to. */
class RegistryClientsTest extends EngineTest {

    private static final String PASSWORD = "cs101-only-Pa55";
    private static final String CS101 = "cs101-submit-token-0001";
    private static final String CS102 = "cs102-submit-token-0002";
    private static final LocalRegistry REGISTRY = LocalRegistry.withPassword("grader", PASSWORD);

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry properties) {
        properties.add("server.address", () -> "127.0.0.1");
        properties.add("chainlink.clients[0].name", () -> "cs101");
        properties.add("chainlink.clients[0].token", () -> CS101);
        properties.add("chainlink.clients[0].role", () -> "submit");
        properties.add("chainlink.clients[1].name", () -> "cs102");
        properties.add("chainlink.clients[1].token", () -> CS102);
        properties.add("chainlink.clients[1].role", () -> "submit");
        properties.add("chainlink.registries[0].host", () -> REGISTRY.host);
        properties.add("chainlink.registries[0].username", () -> "grader");
        properties.add("chainlink.registries[0].password", () -> PASSWORD);
        properties.add("chainlink.registries[0].clients[0]", () -> "cs101");
    }

    @AfterAll
    static void stop() {
        REGISTRY.close();
    }

    @Test
    void anotherTenantCannotRunTheChosenClientsImageFromTheEnginesLocalCopy() throws Exception {
        String image = REGISTRY.push(docker(), IMAGE, "course/cs101-answers", "1",
                new AuthConfig().withUsername("grader").withPassword(PASSWORD));
        String chain = """
                {"stages": [{"image": "%s", "entrypoint": ["true"]}]}""".formatted(image); // pull: if-not-present
        try {
            token = CS101;
            assertThat(submitAndWait(chain).get("status").asString()).isEqualTo("SUCCEEDED");
            assertThat(docker().inspectImageCmd(image).exec()).as("the copy is on the engine").isNotNull();

            token = CS102;
            JsonNode refused = submitAndWait(chain);
            assertThat(refused.get("status").asString()).isEqualTo("ERROR");
            assertThat(refused.get("error").asString()).contains(image).containsAnyOf("no basic auth credentials", "unauthorized");
        } finally {
            docker().removeImageCmd(image).withForce(true).exec();
        }
    }

    @Test
    void onlyTheChosenClientPullsWithTheServicesCredentials() throws Exception {
        String image = REGISTRY.push(docker(), IMAGE, "course/cs101-grader", "1",
                new AuthConfig().withUsername("grader").withPassword(PASSWORD));
        String chain = """
                {"stages": [{"image": "%s", "entrypoint": ["true"], "pull": "always"}]}""".formatted(image);
        try {
            token = CS102;
            JsonNode refused = submitAndWait(chain);
            assertThat(refused.get("status").asString()).isEqualTo("ERROR");
            assertThat(refused.get("error").asString()).contains(image).containsAnyOf("no basic auth credentials", "unauthorized");

            token = CS101;
            JsonNode pulled = submitAndWait(chain);
            assertThat(pulled.get("status").asString()).as(pulled.toString()).isEqualTo("SUCCEEDED");
        } finally {
            docker().removeImageCmd(image).withForce(true).exec();
        }
    }
}
