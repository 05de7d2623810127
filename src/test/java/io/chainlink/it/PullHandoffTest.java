package io.chainlink.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/** Pulls never hold every worker: with one worker, a job whose image is present runs while another job pulls. */
@TestPropertySource(properties = "chainlink.workers=1")
class PullHandoffTest extends EngineTest {

    @Test
    void aJobWithItsImagePresentRunsWhileAnotherPullsAndACancelAbandonsThePull() throws Exception {
        try (BlackHoleRegistry registry = new BlackHoleRegistry()) {
            String pulling = submit("""
                    {"stages": [{"image": "%s", "entrypoint": ["true"]}]}""".formatted(registry.image("chainlink/slow:1")));
            Awaitility.await("the engine reaches the registry").atMost(Duration.ofSeconds(30)).until(registry::reached);

            JsonNode present = submitAndWait("""
                    {"stages": [{"image": "IMAGE", "entrypoint": ["echo", "ran"], "networking": false}]}""");

            assertThat(present.get("status").asString()).isEqualTo("SUCCEEDED");
            assertThat(job(pulling).get("status").asString()).as("still pulling").isEqualTo("RUNNING");

            Response cancelled = post("/api/v1/jobs/" + pulling + "/cancel", "");
            assertThat(cancelled.status()).isIn(200, 202);
            JsonNode ended = awaitEnd(pulling);
            assertThat(ended.get("status").asString()).isEqualTo("CANCELLED");
            assertThat(ended.get("stages").get(0).get("status").asString()).isEqualTo("SKIPPED");
        }
    }
}
