package io.chainlink.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * With no engine at its address, jobs wait in the queue rather than all ending ERROR, health says
 * the engine is DOWN, and the service keeps serving. (EngineLossTest stops a real engine mid-run.)
 */
@TestPropertySource(properties = "chainlink.docker-host=tcp://127.0.0.1:9")
class EngineUnreachableTest extends EngineTest {

    @Override
    void engineIsThere() {
        // This context's engine is away on purpose.
    }

    @Test
    void jobsWaitInTheQueueAndHealthSaysTheEngineIsDown() {
        String first = submit("""
                {"stages": [{"image": "IMAGE", "entrypoint": ["true"]}]}""");
        String second = submit("""
                {"stages": [{"image": "IMAGE", "entrypoint": ["true"]}]}""");

        Response health = Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> get("/actuator/health"), response -> response.status() == 503);
        assertThat(health.body().at("/components/engine/status").asString()).isEqualTo("DOWN");
        assertThat(health.body().at("/components/engine/details/error").asString()).contains("127.0.0.1:9");
        // Workers have tried the engine and backed off; the jobs are still waiting for it.
        Awaitility.await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> job(first).get("status").asString().equals("QUEUED")
                        && job(second).get("status").asString().equals("QUEUED"));
        assertThat(job(first).get("attempt").asInt()).isZero();
    }

    @Test
    void infoStillShowsTheServicesVersionAndWhyTheEnginesIsMissing() {
        Response info = get("/actuator/info");

        assertThat(info.status()).as(info.text()).isEqualTo(200);
        assertThat(info.body().at("/build/version").asString()).isNotBlank();
        assertThat(info.body().at("/engine/error").asString()).contains("127.0.0.1:9");
        assertThat(info.body().at("/engine/version").isMissingNode()).isTrue();
    }
}
