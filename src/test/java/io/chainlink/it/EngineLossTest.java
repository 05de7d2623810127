package io.chainlink.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainlink.ChainlinkApplication;
import io.chainlink.engine.Labels;
import io.chainlink.job.StoreId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * The engine dies under the service and comes back: a Docker engine of the test's own, killed and
 * started again (the machine's engine is never touched). The stage running then ends ERROR and
 * says why; jobs submitted meanwhile wait in the queue while health says the engine is DOWN; once
 * it answers again they all run, by themselves. Whether it is killed (a crash) or stopped (SIGTERM,
 * as systemd stops it for an upgrade), nothing is lost.
 */
class EngineLossTest {

    private static final String QUICK = """
            {"stages": [{"image": "IMAGE", "entrypoint": ["echo", "ran"], "networking": false}]}""";

    /** How the engine goes away. */
    private interface Loss {
        void of(SecondEngine engine) throws InterruptedException;
    }

    @Test
    void aRunningStageEndsErrorAndJobsSubmittedMeanwhileRunOnceTheEngineIsBack() throws Exception {
        loseTheEngineMidStage(SecondEngine::kill, "stage 0: the Docker engine at %s could not be reached: the connection broke");
    }

    @Test
    void theEngineStoppingGracefullyMidStageLosesNothing() throws Exception {
        loseTheEngineMidStage(SecondEngine::stop, "stage 0: the Docker engine at %s");
    }

    /**
     * The engine goes away while a stage runs, and comes back: the stage ends ERROR saying so (its
     * error starts with {@code error}, formatted with the engine's host), jobs submitted meanwhile
     * run once it is back, and nothing of the service's is left on it.
     */
    private static void loseTheEngineMidStage(Loss loss, String error) throws Exception {
        try (SecondEngine engine = SecondEngine.start(EngineTest.IMAGE);
             ConfigurableApplicationContext service = start(engine)) {
            ServiceApi api = ServiceApi.of(service);
            assertThat(api.submitAndWait(QUICK).get("status").asString()).isEqualTo("SUCCEEDED");

            String lost = api.submit("""
                    {"stages": [{"image": "IMAGE", "entrypoint": ["sleep", "60"], "networking": false},
                                {"image": "IMAGE", "entrypoint": ["true"], "networking": false}]}""");
            Awaitility.await("job " + lost + "'s first stage runs").atMost(Duration.ofSeconds(30))
                    .until(() -> api.job(lost).at("/stages/0/status").asString().equals("RUNNING"));
            loss.of(engine);

            JsonNode ended = api.awaitEnd(lost);
            assertThat(ended.get("status").asString()).isEqualTo("ERROR");
            assertThat(ended.get("error").asString()).startsWith(error.formatted(engine.host()));
            assertThat(ended.at("/stages/0/status").asString()).isEqualTo("ERROR");
            assertThat(ended.at("/stages/1/status").asString()).isEqualTo("SKIPPED");

            List<String> waiting = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                waiting.add(api.submit(QUICK));
            }
            EngineTest.Response down = api.get("/actuator/health");
            assertThat(down.status()).isEqualTo(503);
            assertThat(down.body().at("/components/engine/status").asString()).isEqualTo("DOWN");
            assertThat(down.body().at("/components/engine/details/error").asString()).contains(engine.host());
            Awaitility.await("the jobs wait in the queue").during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                    .until(() -> waiting.stream().map(api::job)
                            .allMatch(job -> job.get("status").asString().equals("QUEUED") && job.get("attempt").asInt() == 0));

            engine.start();
            EngineTest.Response up = Awaitility.await("health says the engine is back").atMost(Duration.ofSeconds(30))
                    .until(() -> api.get("/actuator/health"), response -> response.status() == 200);
            assertThat(up.body().at("/components/engine/status").asString()).isEqualTo("UP");
            assertThat(up.body().at("/components/engine/details/version").asString()).isNotBlank();
            assertThat(up.body().at("/components/engine/details/apiVersion").asString()).isNotBlank();
            for (String id : waiting) {
                JsonNode job = api.awaitEnd(id);
                assertThat(job.get("status").asString()).as("job " + id).isEqualTo("SUCCEEDED");
                assertThat(job.get("attempt").asInt()).as("job " + id).isEqualTo(1);
            }
            // What the lost job left, its container (which the restarted engine took back) and volume, is swept.
            String store = service.getBean(StoreId.class).value();
            Awaitility.await("nothing of the service's is left on the engine").atMost(Duration.ofSeconds(30))
                    .until(() -> engine.client().listContainersCmd().withShowAll(true)
                            .withLabelFilter(Map.of(Labels.STORE, store)).exec().isEmpty()
                            && engine.client().listVolumesCmd().withFilter("label", List.of(Labels.STORE + "=" + store))
                            .exec().getVolumes().isEmpty());
        }
    }

    /** Recovery rounds every second, and a sweep each, so that what the outage left goes soon after it. */
    private static ConfigurableApplicationContext start(SecondEngine engine) {
        return new SpringApplicationBuilder(ChainlinkApplication.class).run("--server.port=0",
                "--chainlink.docker-host=" + engine.host(), "--chainlink.lease=3s", "--chainlink.sweep-interval=1s",
                "--chainlink.stop-grace=1s");
    }
}
