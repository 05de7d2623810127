package io.chainlink.it;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

@TestPropertySource(properties = "chainlink.defaults.user=1000")
class DefaultUserTest extends EngineTest {

    @Test
    void operatorsDefaultUserRunsStagesThatNameNoneAndAStagesOwnUserWins() {
        String id = submit("""
                {"stages": [{"image": "IMAGE", "entrypoint": ["sh", "-c", "id -u; touch /job/mine"]},
                            {"image": "IMAGE", "user": "0", "entrypoint": ["id", "-u"]}]}""");
        JsonNode job = awaitEnd(id);
        assertThat(job.get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(results(id).get(0).get("logs").get("stdout").asString()).endsWith(" 1000\n");
        assertThat(results(id).get(1).get("logs").get("stdout").asString()).endsWith(" 0\n");
    }
}
