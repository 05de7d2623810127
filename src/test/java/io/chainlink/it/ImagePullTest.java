package io.chainlink.it;

import static org.assertj.core.api.Assertions.assertThat;

import static org.assertj.core.api.Assertions.catchThrowable;

import io.chainlink.engine.EngineException;
import io.chainlink.engine.ImagePuller;
import io.chainlink.stage.PullPolicy;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** Images are made present before the first stage; a pull that cannot succeed ends the job as ERROR. */
class ImagePullTest extends EngineTest {

    @Autowired
    private ImagePuller puller;

    @Test
    void imageMissingFromItsRegistryEndsTheJobAsErrorNamingItAndRunsNoStage() {
        try (LocalRegistry registry = LocalRegistry.open()) {
            String missing = registry.host + "/chainlink/absent:1";
            JsonNode job = submitAndWait("""
                    {"stages": [{"image": "%s", "entrypoint": ["true"]}, {"image": "IMAGE", "entrypoint": ["true"]}]}"""
                    .formatted(missing));

            assertThat(job.get("status").asString()).isEqualTo("ERROR");
            assertThat(job.get("error").asString()).contains(missing).contains("could not be pulled");
            assertThat(job.get("stages").findValuesAsString("status")).containsOnly("SKIPPED");
            assertThat(results(job.get("id").asString())).isEmpty();
        }
    }

    @Test
    void pullAlwaysNeverFallsBackToAnOlderLocalCopy() {
        String stale = "127.0.0.1:9/chainlink/stale:1"; // nothing listens on port 9
        docker().tagImageCmd(IMAGE, "127.0.0.1:9/chainlink/stale", "1").exec();
        try {
            JsonNode job = submitAndWait("""
                    {"stages": [{"image": "%s", "entrypoint": ["true"], "pull": "always"}]}""".formatted(stale));

            assertThat(job.get("status").asString()).isEqualTo("ERROR");
            assertThat(job.get("error").asString()).contains(stale).contains("could not be pulled");
            assertThat(results(job.get("id").asString())).as("the local copy did not run").isEmpty();
        } finally {
            docker().removeImageCmd(stale).exec();
        }
    }

    @Test
    void imageWithPullPolicyNeverThatIsNotPresentEndsAsError() {
        JsonNode job = submitAndWait("""
                {"stages": [{"image": "chainlink-test/absent:never", "pull": "never"}]}""");
        assertThat(job.get("status").asString()).isEqualTo("ERROR");
        assertThat(job.get("error").asString()).contains("chainlink-test/absent:never").contains("not present");
    }

    @Test
    void imageIsPulledFromALocalRegistryAndRun() throws InterruptedException {
        try (LocalRegistry registry = LocalRegistry.open()) {
            String image = registry.push(docker(), IMAGE, "chainlink/pulled", "1", null);
            JsonNode job = submitAndWait("""
                    {"stages": [{"image": "%s", "entrypoint": ["echo", "pulled and ran"]}]}""".formatted(image));

            assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
            assertThat(results(job.get("id").asString()).get(0).get("logs").get("stdout").asString()).endsWith(" pulled and ran\n");
            docker().removeImageCmd(image).exec();
        }
    }

    @Test
    void aShutdownEndsAPullThatHangsWithoutWaitingForThePullTimeout() throws Exception {
        try (BlackHoleRegistry registry = new BlackHoleRegistry()) {
            String image = registry.image("chainlink/hangs:1");
            AtomicBoolean stopping = new AtomicBoolean();

            CompletableFuture<Throwable> prepared = CompletableFuture.supplyAsync(
                    () -> catchThrowable(() -> puller.prepare(Map.of(image, PullPolicy.ALWAYS), "local", stopping::get)));
            Awaitility.await("the engine reaches the registry").atMost(Duration.ofSeconds(30)).until(registry::reached);
            assertThat(prepared).as("the pull hangs").isNotDone();
            stopping.set(true);

            // A generous bound, not a timing assertion: the pull timeout is 10 minutes.
            Throwable stopped = prepared.get(30, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(stopped).isInstanceOf(EngineException.class).hasMessageContaining("stopped while pulling " + image);
        }
    }
}
