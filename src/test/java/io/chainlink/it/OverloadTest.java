package io.chainlink.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Many more submissions at once than the queue holds: each is accepted or refused with a 503 that
 * says when to come back, every accepted job runs, and the store holds exactly the accepted jobs.
 *
 * <p>The bound is checked against an estimate (QueueGauge): the last once-a-second count of
 * queued jobs plus what was submitted since that count began. Jobs claimed since then still
 * count, so the estimate errs high; it errs low only by the submissions that passed the check
 * at the same moment and are not stored yet, at most one per client connected. So the queue
 * never holds more than {@code max-queued + clients - 1}, and a refusal means the estimate had
 * reached the bound.
 */
@TestPropertySource(properties = {"chainlink.workers=2", "chainlink.max-queued=" + OverloadTest.MAX_QUEUED})
@DirtiesContext
class OverloadTest extends EngineTest {

    static final int MAX_QUEUED = 50;
    private static final int SUBMISSIONS = 500;
    private static final int CLIENTS = 32;
    private static final Pattern WAITING = Pattern.compile("(\\d+) jobs are already waiting");

    @Test
    void floodIsAcceptedUpToTheQueueBoundOrRefusedWithRetryAfterAndEveryAcceptedJobRuns() throws Exception {
        String trivial = chain("""
                {"stages": [{"image": "IMAGE", "entrypoint": ["true"]}]}""");
        AtomicBoolean flooding = new AtomicBoolean(true);
        AtomicInteger mostQueued = new AtomicInteger();
        CompletableFuture<Void> watcher = CompletableFuture.runAsync(() -> {
            while (flooding.get()) {
                mostQueued.accumulateAndGet(get("/api/v1/jobs?status=QUEUED&limit=500").body().get("jobs").size(), Math::max);
            }
        });
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        List<CompletableFuture<Response>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < SUBMISSIONS; i++) {
                answers.add(CompletableFuture.supplyAsync(() -> post("/api/v1/jobs", trivial), clients));
            }
            CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        } finally {
            clients.shutdownNow();
            flooding.set(false);
        }
        watcher.get(10, TimeUnit.SECONDS);

        Set<String> accepted = new TreeSet<>();
        int refused = 0;
        for (CompletableFuture<Response> answer : answers) {
            Response response = answer.join();
            assertThat(response.status()).as(response.text()).isIn(202, 503);
            if (response.status() == 202) {
                accepted.add(response.body().get("id").asString());
            } else {
                refused++;
                assertThat(response.headers().get("retry-after")).containsExactly("1");
                assertThat(response.headers().get("content-type").get(0)).startsWith("application/problem+json");
                Matcher waiting = WAITING.matcher(response.body().get("detail").asString());
                assertThat(waiting.find()).as(response.text()).isTrue();
                assertThat(Long.parseLong(waiting.group(1))).as("refused only at the bound").isGreaterThanOrEqualTo(MAX_QUEUED);
            }
        }
        assertThat(accepted).as("accepted").hasSizeGreaterThanOrEqualTo(MAX_QUEUED);
        assertThat(refused).as("refused").isPositive();
        assertThat(accepted.size() + refused).isEqualTo(SUBMISSIONS);
        assertThat(mostQueued.get()).as("most jobs seen waiting at once").isLessThanOrEqualTo(MAX_QUEUED + CLIENTS - 1);

        List<JsonNode> stored = Awaitility.await("every accepted job ends").atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(500))
                .until(this::allJobs, jobs -> jobs.stream().allMatch(job -> TERMINAL.contains(job.get("status").asString())));
        assertThat(stored.stream().map(job -> job.get("id").asString())).as("the store holds exactly the accepted jobs")
                .containsExactlyInAnyOrderElementsOf(accepted);
        assertThat(stored).allSatisfy(job -> assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("SUCCEEDED"));
        for (String id : accepted) {
            JsonNode results = results(id);
            assertThat(results).as("job %s's results", id).hasSize(1);
            assertThat(results.get(0).get("success").asBoolean()).isTrue();
        }
    }

    /** Every job in the store, page by page, newest first. */
    private List<JsonNode> allJobs() {
        List<JsonNode> jobs = new ArrayList<>();
        String after = "";
        while (true) {
            JsonNode page = get("/api/v1/jobs?limit=100" + after).body();
            page.get("jobs").forEach(jobs::add);
            if (page.get("next").isNull()) {
                return jobs;
            }
            after = "&after=" + page.get("next").asString();
        }
    }
}
