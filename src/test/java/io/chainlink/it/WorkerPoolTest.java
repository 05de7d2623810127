package io.chainlink.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

@TestPropertySource(properties = "chainlink.workers=2")
class WorkerPoolTest extends EngineTest {

    @Test
    void neverMoreJobsRunAtOnceThanThereAreWorkersAndAllFinish() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ids.add(submit("""
                    {"stages": [{"image": "IMAGE", "entrypoint": ["sleep", "1"]}]}"""));
        }
        AtomicInteger mostRunning = new AtomicInteger();
        Awaitility.await("all 4 jobs end").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    // One read, one moment: job by job, a job could end and the next start between two reads.
                    mostRunning.accumulateAndGet(get("/api/v1/jobs?status=RUNNING").body().get("jobs").size(), Math::max);
                    return ids.stream().map(id -> job(id).get("status").asString()).allMatch(TERMINAL::contains);
                });

        assertThat(mostRunning.get()).isBetween(1, 2);
        ids.forEach(id -> assertThat(job(id).get("status").asString()).isEqualTo("SUCCEEDED"));
    }
}
