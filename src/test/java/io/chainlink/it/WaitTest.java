package io.chainlink.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainlink.job.JobWaits;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/** Waiting for a job's end, on submit or on its view, holds no request thread: many clients wait at once, others are answered meanwhile. */
@TestPropertySource(properties = "chainlink.max-waiters=400")
class WaitTest extends EngineTest {

    private static final int WAITERS = 300;

    @Autowired
    private JobWaits waits;

    @Test
    void aSubmissionWithWaitAnswers200WithTheEndedJob() {
        Response answer = post("/api/v1/jobs?wait=30", chain("""
                {"stages": [{"image": "IMAGE", "entrypoint": ["echo", "done"]}]}"""));

        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        assertThat(answer.body().get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(answer.body().get("stages").get(0).get("exitCode").asInt()).isZero();
        assertThat(answer.headers().get("location")).containsExactly("/api/v1/jobs/" + answer.body().get("id").asString());
    }

    @Test
    void aSubmissionWhoseJobOutlastsTheWaitAnswers202AsItStands() {
        Response answer = post("/api/v1/jobs?wait=1", chain("""
                {"stages": [{"image": "IMAGE", "entrypoint": ["sleep", "30"]}]}"""));

        assertThat(answer.status()).as(answer.text()).isEqualTo(202);
        assertThat(answer.body().get("status").asString()).isIn("QUEUED", "RUNNING");
        String id = answer.body().get("id").asString();
        assertThat(answer.headers().get("location")).containsExactly("/api/v1/jobs/" + id);
        cancel(id);
        awaitEnd(id);
    }

    @Test
    void aWaitOverSixtySecondsIsRefusedNamingWaitAndStoresNothing() {
        int before = get("/api/v1/jobs").body().get("jobs").size();
        Response answer = post("/api/v1/jobs?wait=61", chain("""
                {"stages": [{"image": "IMAGE", "entrypoint": ["true"]}]}"""));

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.text()).contains("wait");
        assertThat(get("/api/v1/jobs").body().get("jobs").size()).isEqualTo(before);
    }

    @Test
    void threeHundredClientsWaitOnOneJobWhileOthersAreAnswered() throws Exception {
        String id = submit("""
                {"stages": [{"image": "IMAGE", "entrypoint": ["sleep", "10"]}]}""");
        awaitStage(id, 0, "RUNNING");
        HttpClient client = HttpClient.newHttpClient();
        List<CompletableFuture<HttpResponse<String>>> waiting = new ArrayList<>();
        for (int i = 0; i < WAITERS; i++) {
            waiting.add(client.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/jobs/" + id + "?wait=60"))
                    .build(), HttpResponse.BodyHandlers.ofString()));
        }
        Awaitility.await("all the waiters are held").atMost(Duration.ofSeconds(30)).until(() -> waits.size() == WAITERS);

        // More waiters than Tomcat has request threads (200): were each one parked on a thread, these would queue behind them.
        assertThat(job(id).get("status").asString()).isEqualTo("RUNNING");
        JsonNode other = submitAndWait("""
                {"stages": [{"image": "IMAGE", "entrypoint": ["echo", "meanwhile"]}]}""");
        assertThat(other.get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(waiting).as("still waiting while the others were answered").noneMatch(CompletableFuture::isDone);

        CompletableFuture.allOf(waiting.toArray(CompletableFuture[]::new)).get(60, java.util.concurrent.TimeUnit.SECONDS);
        for (CompletableFuture<HttpResponse<String>> answer : waiting) {
            assertThat(answer.get().statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(answer.get().body()).get("status").asString()).isEqualTo("SUCCEEDED");
        }
        assertThat(waits.size()).isZero();
    }

    @Test
    void aWaitOnAJobThatHasEndedAnswersAtOnce() {
        JsonNode ended = submitAndWait("""
                {"stages": [{"image": "IMAGE", "entrypoint": ["true"]}]}""");
        Response answer = get("/api/v1/jobs/" + ended.get("id").asString() + "?wait=60");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(waits.size()).isZero();
    }
}
