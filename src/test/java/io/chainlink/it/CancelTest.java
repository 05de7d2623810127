package io.chainlink.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /api/v1/jobs/{id}/cancel}: a queued job ends CANCELLED at once and never runs; a
 * running one has its container killed, ends CANCELLED with its later stages SKIPPED, and keeps
 * the results of what ran. One worker, so that a job can be held in the queue behind another.
 */
@TestPropertySource(properties = "chainlink.workers=1")
class CancelTest extends EngineTest {

    /** Far longer than any wait below: a job that ends before it did so because it was cancelled. */
    private static final String SLEEPS = """
            {"image": "IMAGE", "entrypoint": ["sleep", "60"]}""";

    @Test
    void queuedJobIsCancelledAtOnceAndNeverRuns() {
        String blocker = submit("{\"stages\": [" + SLEEPS + "]}");
        awaitStage(blocker, 0, "RUNNING");
        String queued = submit("""
                {"stages": [{"image": "IMAGE", "entrypoint": ["echo", "must not run"]}, {"image": "IMAGE"}]}""");
        assertThat(job(queued).get("status").asString()).isEqualTo("QUEUED");

        Response cancel = cancel(queued);

        assertThat(cancel.status()).as(cancel.text()).isEqualTo(200);
        assertThat(cancel.body().get("status").asString()).isEqualTo("CANCELLED");
        assertThat(cancel.body().get("stages").findValuesAsString("status")).containsExactly("SKIPPED", "SKIPPED");
        // The worker, once free, passes it by for the job queued after it.
        String after = submit("""
                {"stages": [{"image": "IMAGE", "entrypoint": ["echo", "runs"]}]}""");
        assertThat(cancel(blocker).status()).isIn(200, 202);
        assertThat(awaitEnd(after).get("status").asString()).isEqualTo("SUCCEEDED");
        JsonNode cancelled = job(queued);
        assertThat(cancelled.get("status").asString()).isEqualTo("CANCELLED");
        assertThat(cancelled.get("attempt").asInt()).as("never claimed").isZero();
        assertThat(cancelled.get("startedAt").isNull()).isTrue();
        assertThat(cancelled.get("error").isNull()).isTrue();
        assertThat(results(queued)).isEmpty();
    }

    @Test
    void runningJobIsKilledAtOnceItsLaterStagesSkippedAndNothingLeftOnTheEngine() {
        String id = submit("{\"stages\": [" + SLEEPS + ", " + SLEEPS + ", " + SLEEPS + "]}");
        awaitStage(id, 0, "RUNNING");
        long asked = System.nanoTime();

        Response cancel = cancel(id);
        JsonNode job = awaitCancelled(id, cancel);
        Duration took = Duration.ofNanos(System.nanoTime() - asked);

        // A safety bound, not a benchmark: the cancel waits at most 3 s, the kill takes well under a second.
        assertThat(took).isLessThan(Duration.ofSeconds(10));
        assertThat(job.get("error").isNull()).isTrue();
        assertThat(job.get("stages").findValuesAsString("status")).containsExactly("CANCELLED", "SKIPPED", "SKIPPED");
        JsonNode stage = job.get("stages").get(0);
        assertThat(stage.get("exitCode").asInt()).as("SIGKILL").isEqualTo(137);
        // "killed" keeps chainlink's meaning, killed at its timeout; the CANCELLED status says why it stopped.
        assertThat(stage.get("killed").asBoolean()).isFalse();
        JsonNode results = results(id);
        assertThat(results).hasSize(1);
        assertThat(results.get(0).get("killed").asBoolean()).isEqualTo(stage.get("killed").asBoolean());
        assertThat(results.get(0).get("success").asBoolean()).isFalse();
        assertThat(results.get(0).get("data").get("ExitCode").asInt()).isEqualTo(137);
        Awaitility.await("the job's containers and volume are removed").atMost(Duration.ofSeconds(30))
                .until(() -> leftoversOf(id), List::isEmpty);
    }

    @Test
    void cancelledJobKeepsTheResultsOfTheStagesThatRan() {
        String id = submit("""
                {"stages": [
                  {"image": "IMAGE", "entrypoint": ["echo", "first stage's output"]},
                  %s]}""".formatted(SLEEPS));
        awaitStage(id, 1, "RUNNING");

        JsonNode job = awaitCancelled(id, cancel(id));

        assertThat(job.get("stages").findValuesAsString("status")).containsExactly("SUCCEEDED", "CANCELLED");
        JsonNode results = results(id);
        assertThat(results).hasSize(2);
        assertThat(results.get(0).get("success").asBoolean()).isTrue();
        assertThat(results.get(0).get("logs").get("stdout").asString()).endsWith(" first stage's output\n");
        assertThat(results.get(1).get("success").asBoolean()).isFalse();
        assertThat(results.get(1).get("data").get("ExitCode").asInt()).isEqualTo(137);
    }

    @Test
    void cancelDuringThePullAbandonsItAndNoStageRuns() throws Exception {
        try (BlackHoleRegistry registry = new BlackHoleRegistry()) {
            String id = submit("""
                    {"stages": [{"image": "%s", "entrypoint": ["true"]}, {"image": "IMAGE"}]}"""
                    .formatted(registry.image("chainlink/hangs:1")));
            Awaitility.await("the engine reaches the registry").atMost(Duration.ofSeconds(30)).until(registry::reached);
            assertThat(job(id).get("status").asString()).as("pulling").isEqualTo("RUNNING");

            JsonNode job = awaitCancelled(id, cancel(id));

            assertThat(job.get("stages").findValuesAsString("status")).containsExactly("SKIPPED", "SKIPPED");
            assertThat(job.get("error").isNull()).isTrue();
            assertThat(results(id)).isEmpty();
        }
        // The one worker is free again: the pull no longer holds it.
        assertThat(submitAndWait("""
                {"stages": [{"image": "IMAGE", "entrypoint": ["true"]}]}""").get("status").asString()).isEqualTo("SUCCEEDED");
    }

    @Test
    void cancelOfAnEndedJobIsAConflictNamingItsStatus() {
        String id = submit("""
                {"stages": [{"image": "IMAGE", "entrypoint": ["true"]}]}""");
        assertThat(awaitEnd(id).get("status").asString()).isEqualTo("SUCCEEDED");

        Response cancel = cancel(id);

        assertThat(cancel.status()).isEqualTo(409);
        assertThat(cancel.headers().get("content-type").get(0)).startsWith("application/problem+json");
        assertThat(cancel.body().get("status").asInt()).isEqualTo(409);
        assertThat(cancel.body().get("jobStatus").asString()).isEqualTo("SUCCEEDED");
        assertThat(cancel.body().get("detail").asString()).contains("SUCCEEDED");
        assertThat(job(id).get("status").asString()).isEqualTo("SUCCEEDED");
    }

    @Test
    void cancelOfAnUnknownJobIsNotFound() {
        Response cancel = cancel(UUID.randomUUID().toString());

        assertThat(cancel.status()).isEqualTo(404);
        assertThat(cancel.headers().get("content-type").get(0)).startsWith("application/problem+json");
    }

    /**
     * The cancel's answer: 200 with the job CANCELLED, or 202 while it is still stopping, and then
     * CANCELLED shortly after. Returns the job as it ended.
     */
    private JsonNode awaitCancelled(String id, Response cancel) {
        assertThat(cancel.status()).as(cancel.text()).isIn(200, 202);
        if (cancel.status() == 200) {
            assertThat(cancel.body().get("status").asString()).isEqualTo("CANCELLED");
            return cancel.body();
        }
        return Awaitility.await("job " + id + " ends CANCELLED").atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> job(id), job -> job.get("status").asString().equals("CANCELLED"));
    }
}
