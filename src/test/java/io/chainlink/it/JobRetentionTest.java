package io.chainlink.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

/**
 * With chainlink.retention at 3 s (swept every second), an ended job disappears with everything
 * stored for it, and jobs that wait or run longer than that stay until they have ended.
 */
@TestPropertySource(properties = {"chainlink.retention=3s", "chainlink.workers=1"})
@DirtiesContext
class JobRetentionTest extends EngineTest {

    private static final Duration RETENTION = Duration.ofSeconds(3);

    @Autowired
    private JdbcClient jdbc;

    @Test
    void endedJobsGoWithEverythingStoredForThemAndQueuedOrRunningOnesStay() {
        String ended = submit("""
                {"stages": [{"image": "IMAGE", "entrypoint": ["echo", "kept a while"]}]}""");
        awaitEnd(ended);
        assertThat(rows(ended)).as("a job, its stage, its details and its log").isEqualTo(4);
        String running = submit("""
                {"stages": [{"image": "IMAGE", "entrypoint": ["sleep", "60"], "timeout": 120}]}""");
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> status(running).equals("RUNNING"));
        String queued = submit("""
                {"stages": [{"image": "IMAGE", "entrypoint": ["true"]}]}""");
        String cancelled = submit("""
                {"stages": [{"image": "IMAGE", "entrypoint": ["true"]}]}""");
        List.of(queued, cancelled).forEach(this::rows); // their internal ids, known while the jobs are
        assertThat(post("/api/v1/jobs/" + cancelled + "/cancel", "").status()).isEqualTo(200);

        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> get("/api/v1/jobs/" + ended).status() == 404 && get("/api/v1/jobs/" + cancelled).status() == 404);
        for (String gone : List.of(ended, cancelled)) {
            assertThat(get("/api/v1/jobs/" + gone + "/results").status()).isEqualTo(404);
            assertThat(get("/api/v1/jobs/" + gone + "/stages/0/logs/stdout").status()).isEqualTo(404);
            assertThat(rows(gone)).as("rows left of job " + gone).isZero();
        }
        // Both were submitted longer than the retention ago, and stay while it passes again.
        Awaitility.await().during(RETENTION.plusSeconds(1)).atMost(RETENTION.plusSeconds(10))
                .until(() -> status(running).equals("RUNNING") && status(queued).equals("QUEUED"));
        assertThat(rows(running)).isEqualTo(3);

        assertThat(post("/api/v1/jobs/" + running + "/cancel", "").status()).isIn(200, 202);
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> get("/api/v1/jobs/" + running).status() == 404 && get("/api/v1/jobs/" + queued).status() == 404);
        assertThat(rows(running) + rows(queued)).isZero();
    }

    private String status(String id) {
        return job(id).get("status").asString();
    }

    /** Every row stored for a job, in every table; by its internal id, the key of every table, which outlives the job's row. */
    private final Map<String, Long> internal = new HashMap<>();

    private long rows(String id) {
        long job = internal.computeIfAbsent(id, this::internalId);
        return jdbc.sql("""
                        SELECT (SELECT COUNT(*) FROM jobs WHERE id = :job) + (SELECT COUNT(*) FROM stages WHERE job_id = :job)
                             + (SELECT COUNT(*) FROM stage_details WHERE job_id = :job) + (SELECT COUNT(*) FROM stage_logs WHERE job_id = :job)""")
                .param("job", job).query(Long.class).single();
    }
}
