package io.chainlink.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainlink.stage.StageStatus;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiPredicate;
import org.junit.jupiter.api.Test;

/** The two tables of allowed moves, stated whole: a move added or lost shows here. */
class JobStatusTest {

    @Test
    void exactlyTheseJobMovesAreAllowed() {
        assertThat(moves(JobStatus.values(), JobStatus::canMoveTo)).containsExactlyInAnyOrder(
                "QUEUED->RUNNING", "QUEUED->CANCELLED", "QUEUED->ERROR",
                "RUNNING->SUCCEEDED", "RUNNING->FAILED", "RUNNING->ERROR", "RUNNING->CANCELLED", "RUNNING->QUEUED");
    }

    @Test
    void exactlyTheEndsAreTerminal() {
        assertThat(Arrays.stream(JobStatus.values()).filter(JobStatus::isTerminal))
                .containsExactlyInAnyOrder(JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.ERROR, JobStatus.CANCELLED);
    }

    @Test
    void exactlyTheseStageMovesAreAllowed() {
        assertThat(moves(StageStatus.values(), StageStatus::canMoveTo)).containsExactlyInAnyOrder(
                "PENDING->RUNNING", "PENDING->SKIPPED", "PENDING->ERROR",
                "RUNNING->SUCCEEDED", "RUNNING->FAILED", "RUNNING->CANCELLED", "RUNNING->ERROR");
    }

    @Test
    void aStageThatRanIsNeverSkipped() {
        assertThat(StageStatus.RUNNING.canMoveTo(StageStatus.SKIPPED)).isFalse();
    }

    @Test
    void aFinalStageNeverMovesAgain() {
        assertThat(Arrays.stream(StageStatus.values()).filter(StageStatus::isFinal))
                .containsExactlyInAnyOrder(StageStatus.SUCCEEDED, StageStatus.FAILED, StageStatus.CANCELLED,
                        StageStatus.ERROR, StageStatus.SKIPPED);
    }

    private static <S extends Enum<S>> Set<String> moves(S[] values, BiPredicate<S, S> allowed) {
        Set<String> moves = new TreeSet<>();
        for (S from : values) {
            for (S to : values) {
                if (allowed.test(from, to)) {
                    moves.add(from + "->" + to);
                }
            }
        }
        return moves;
    }
}
