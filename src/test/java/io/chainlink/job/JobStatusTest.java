package io.chainlink.job;

import static io.chainlink.job.JobStatus.ERROR;
import static io.chainlink.job.JobStatus.FAILED;
import static io.chainlink.job.JobStatus.QUEUED;
import static io.chainlink.job.JobStatus.RUNNING;
import static io.chainlink.job.JobStatus.SUCCEEDED;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class JobStatusTest {

    @Test
    void aQueuedJobIsClaimedOrEndsInError() {
        assertThat(QUEUED.canMoveTo(RUNNING)).isTrue();
        assertThat(QUEUED.canMoveTo(ERROR)).isTrue();
    }

    @Test
    void aQueuedJobCannotSucceedOrFailWithoutRunning() {
        assertThat(QUEUED.canMoveTo(SUCCEEDED)).isFalse();
        assertThat(QUEUED.canMoveTo(FAILED)).isFalse();
    }

    @Test
    void aRunningJobEndsInAnyTerminalStatus() {
        assertThat(RUNNING.canMoveTo(SUCCEEDED)).isTrue();
        assertThat(RUNNING.canMoveTo(FAILED)).isTrue();
        assertThat(RUNNING.canMoveTo(ERROR)).isTrue();
    }

    @Test
    void aRunningJobCannotGoBackToTheQueue() {
        assertThat(RUNNING.canMoveTo(QUEUED)).isFalse();
    }

    @ParameterizedTest
    @EnumSource(JobStatus.class)
    void noStatusMovesToItself(JobStatus status) {
        assertThat(status.canMoveTo(status)).isFalse();
    }

    @ParameterizedTest
    @EnumSource(value = JobStatus.class, names = {"SUCCEEDED", "FAILED", "ERROR"})
    void aFinishedJobNeverMovesAgain(JobStatus finished) {
        assertThat(Arrays.stream(JobStatus.values()).filter(finished::canMoveTo)).isEmpty();
    }

    @Test
    void exactlyTheseFiveMovesAreAllowed() {
        Set<String> allowed = new java.util.TreeSet<>();
        for (JobStatus from : JobStatus.values()) {
            for (JobStatus to : JobStatus.values()) {
                if (from.canMoveTo(to)) {
                    allowed.add(from + "->" + to);
                }
            }
        }
        assertThat(allowed).containsExactlyInAnyOrder(
                "QUEUED->RUNNING", "QUEUED->ERROR", "RUNNING->SUCCEEDED", "RUNNING->FAILED", "RUNNING->ERROR");
    }

    @Test
    void succeededFailedAndErrorAreTerminal() {
        assertThat(SUCCEEDED.isTerminal()).isTrue();
        assertThat(FAILED.isTerminal()).isTrue();
        assertThat(ERROR.isTerminal()).isTrue();
    }

    @Test
    void queuedAndRunningAreNotTerminal() {
        assertThat(QUEUED.isTerminal()).isFalse();
        assertThat(RUNNING.isTerminal()).isFalse();
    }

    @Test
    void exactlyTheThreeEndsAreTerminal() {
        EnumSet<JobStatus> terminal = EnumSet.noneOf(JobStatus.class);
        Arrays.stream(JobStatus.values()).filter(JobStatus::isTerminal).forEach(terminal::add);

        assertThat(terminal).containsExactlyInAnyOrder(SUCCEEDED, FAILED, ERROR);
    }
}
