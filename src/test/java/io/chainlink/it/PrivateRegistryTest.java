package io.chainlink.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.AuthConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/** Pulls from registries that demand a password, with credentials from configuration or from docker login's file. */
class PrivateRegistryTest extends EngineTest {

    private static final String PASSWORD = "s3cret-Pa55";
    private static final LocalRegistry CONFIGURED = LocalRegistry.withPassword("grader", PASSWORD);
    private static final Path DOCKER_CONFIG = tempDir();

    @DynamicPropertySource
    static void credentials(DynamicPropertyRegistry properties) {
        properties.add("chainlink.registries[0].host", () -> CONFIGURED.host);
        properties.add("chainlink.registries[0].username", () -> "grader");
        properties.add("chainlink.registries[0].password", () -> PASSWORD);
        properties.add("chainlink.docker-config", DOCKER_CONFIG::toString);
    }

    @AfterAll
    static void stop() {
        CONFIGURED.close();
    }

    private String pushTo(LocalRegistry registry, String repository) throws InterruptedException {
        return registry.push(docker(), IMAGE, repository, "1", new AuthConfig().withUsername("grader").withPassword(PASSWORD));
    }

    @Test
    void imageFromAConfiguredPrivateRegistryIsPulledAndRunAndThePasswordIsNeverShown() throws Exception {
        String image = pushTo(CONFIGURED, "course/grader");
        String id = submit("""
                {"stages": [{"image": "%s", "entrypoint": ["echo", "private"]}]}""".formatted(image));
        JsonNode job = awaitEnd(id);

        assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
        for (String path : new String[] {"/api/v1/jobs/" + id, "/api/v1/jobs/" + id + "/results", "/api/v1/jobs"}) {
            assertThat(get(path).text()).doesNotContain(PASSWORD);
        }
        docker().removeImageCmd(image).exec();
    }

    @Test
    void registryWithoutCredentialsRefusesThePullAndTheJobEndsAsErrorWithItsWords() throws Exception {
        try (LocalRegistry other = LocalRegistry.withPassword("grader", PASSWORD)) {
            String image = pushTo(other, "course/grader");
            JsonNode job = submitAndWait("""
                    {"stages": [{"image": "%s", "entrypoint": ["true"]}]}""".formatted(image));

            assertThat(job.get("status").asString()).isEqualTo("ERROR");
            assertThat(job.get("error").asString()).contains(image).containsAnyOf("no basic auth credentials", "unauthorized");
        }
    }

    @Test
    void credentialsThatDockerLoginWroteAreUsed() throws Exception {
        try (LocalRegistry other = LocalRegistry.withPassword("grader", PASSWORD)) {
            String image = pushTo(other, "course/logged-in");
            String auth = Base64.getEncoder().encodeToString(("grader:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
            Files.writeString(DOCKER_CONFIG.resolve("config.json"),
                    "{\"auths\": {\"" + other.host + "\": {\"auth\": \"" + auth + "\"}}}");
            try {
                JsonNode job = submitAndWait("""
                        {"stages": [{"image": "%s", "entrypoint": ["true"]}]}""".formatted(image));
                assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
            } finally {
                Files.delete(DOCKER_CONFIG.resolve("config.json"));
                docker().removeImageCmd(image).exec();
            }
        }
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("chainlink-docker-config");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
