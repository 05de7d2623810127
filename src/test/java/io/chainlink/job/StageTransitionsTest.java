package io.chainlink.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chainlink.job.JobRepository.StageEnd;
import io.chainlink.stage.PullPolicy;
import io.chainlink.stage.StageSpec;
import io.chainlink.stage.StageStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;

/** A stage's status moves only forward, in the real database: a late end never overwrites a SKIPPED stage. */
@SpringBootTest(properties = "chainlink.workers=0")
@DirtiesContext
class StageTransitionsTest {

    private static final Instant NOW = Instant.parse("2026-11-25T08:00:00Z");
    private static final String STATE = "{\"Status\": \"exited\", \"ExitCode\": 0}";

    @Autowired
    private JobRepository repository;

    private long job() {
        StageSpec stage = new StageSpec("chainlink-test/absent:never", List.of("true"), "container", 64L << 20,
                false, false, 30_000, Map.of(), PullPolicy.NEVER, null, true, null);
        return repository.insert(List.of(stage, stage), NOW);
    }

    private StageStatus status(long job, int idx) {
        return repository.find(job).orElseThrow().stages().get(idx).status();
    }

    @Test
    void aPendingStageStartsOnceAndARunningStageEndsOnce() {
        long job = job();

        assertThat(repository.stageEnded(job, 0, end())).as("a pending stage cannot end").isFalse();
        assertThat(repository.stageStarted(job, 0, NOW)).isTrue();
        assertThat(repository.stageStarted(job, 0, NOW)).as("nor start twice").isFalse();
        assertThat(repository.stageEnded(job, 0, end())).isTrue();
        assertThat(repository.stageEnded(job, 0, end())).as("nor end twice").isFalse();

        assertThat(status(job, 0)).isEqualTo(StageStatus.SUCCEEDED);
        assertThat(repository.endedStages(job)).extracting(JobRepository.EndedStage::idx).containsExactly(0);
    }

    @Test
    void aStageSkippedWhileItRanKeepsSkippedAndNoResult() {
        long job = job();
        repository.stageStarted(job, 0, NOW);

        repository.skipStagesFrom(job, 0); // the job was ended under the stage, as a stop does

        assertThat(repository.stageEnded(job, 0, end())).isFalse();
        assertThat(repository.stageStarted(job, 1, NOW)).as("a skipped stage never starts").isFalse();
        assertThat(status(job, 0)).isEqualTo(StageStatus.SKIPPED);
        assertThat(status(job, 1)).isEqualTo(StageStatus.SKIPPED);
        assertThat(repository.endedStages(job)).isEmpty();
    }

    @Test
    void aStageThatRanEndsOnlySucceededOrFailed() {
        assertThatThrownBy(() -> new StageEnd(StageStatus.SKIPPED, 0, false, STATE, NOW))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StageEnd(StageStatus.RUNNING, 0, false, STATE, NOW))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static StageEnd end() {
        return new StageEnd(StageStatus.SUCCEEDED, 0, false, STATE, NOW);
    }
}
