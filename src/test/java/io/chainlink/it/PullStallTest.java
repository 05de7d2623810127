package io.chainlink.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainlink.config.ChainlinkProperties;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/** A pull that makes no progress is abandoned after chainlink.pull-stall, long before the pull timeout. */
@TestPropertySource(properties = "chainlink.pull-stall=2s")
class PullStallTest extends EngineTest {

    @Autowired
    private ChainlinkProperties properties;

    @Test
    void aPullThatGoesQuietEndsTheJobAsErrorSayingSo() throws Exception {
        try (BlackHoleRegistry registry = new BlackHoleRegistry()) {
            String image = registry.image("chainlink/quiet:1");

            JsonNode job = submitAndWait("""
                    {"stages": [{"image": "%s", "entrypoint": ["true"]}]}""".formatted(image));

            assertThat(registry.reached()).as("the engine did try the registry").isTrue();
            assertThat(job.get("status").asString()).isEqualTo("ERROR");
            assertThat(job.get("error").asString()).contains(image).contains("no progress for 2 s");
            assertThat(properties.pullTimeout()).as("far from the pull timeout").hasMinutes(10);
        }
    }
}
