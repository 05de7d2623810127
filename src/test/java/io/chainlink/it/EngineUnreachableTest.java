package io.chainlink.it;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/** With no engine at its address, a job ends ERROR saying so, and the service keeps serving. */
@TestPropertySource(properties = "chainlink.docker-host=tcp://127.0.0.1:9")
class EngineUnreachableTest extends EngineTest {

    @Override
    void engineIsThere() {
        // This context's engine is away on purpose.
    }

    @Test
    void jobEndsAsErrorAndTheServiceKeepsTakingJobs() {
        for (int attempt = 0; attempt < 2; attempt++) {
            JsonNode job = submitAndWait("""
                    {"stages": [{"image": "IMAGE", "entrypoint": ["true"]}]}""");
            assertThat(job.get("status").asString()).isEqualTo("ERROR");
            assertThat(job.get("error").asString()).contains("tcp://127.0.0.1:9").contains("unreachable");
            assertThat(results(job.get("id").asLong())).isEmpty();
        }
        assertThat(get("/actuator/health").status()).isEqualTo(200);
    }
}
