package io.chainlink.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.chainlink.generated.ApiClient;
import io.chainlink.generated.ApiException;
import io.chainlink.generated.ApiResponse;
import io.chainlink.generated.api.JobsApi;
import io.chainlink.generated.model.Entrypoint;
import io.chainlink.generated.model.FieldProblem;
import io.chainlink.generated.model.Job;
import io.chainlink.generated.model.JobStatus;
import io.chainlink.generated.model.JobSubmission;
import io.chainlink.generated.model.MemoryLimit;
import io.chainlink.generated.model.Problem;
import io.chainlink.generated.model.Stage;
import io.chainlink.generated.model.StageRequest;
import io.chainlink.generated.model.StageResult;
import io.chainlink.generated.model.StageStatus;
import io.chainlink.it.EngineTest;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A whole job through the Java client OpenAPI Generator makes from the API document with its
 * library jersey3, as a user would write it: no hand-written requests or types.
 */
class GeneratedJavaClientTest extends EngineTest {

    private static final Set<JobStatus> ENDED =
            Set.of(JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.ERROR, JobStatus.CANCELLED);

    private ApiClient client;
    private JobsApi jobs;

    @BeforeEach
    void client() {
        client = new ApiClient().setBasePath("http://127.0.0.1:" + port);
        jobs = new JobsApi(client);
    }

    @Test
    void aSubmissionThatWaitsAnswersWithTheEndedJob() throws ApiException {
        Job ended = jobs.submitJob(new JobSubmission().stages(List.of(
                new StageRequest().image(IMAGE).entrypoint(new Entrypoint(List.of("echo", "waited"))))), 30);

        assertThat(ended.getStatus()).as(ended.getError()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(ended.getStages()).extracting(Stage::getExitCode).containsExactly(0);
    }

    @Test
    void wholeJobRunsWithTypedResultsAndLogs() throws ApiException {
        Job submitted = jobs.submitJob(new JobSubmission()
                .environ(Map.of("GREETING", "hello"))
                .stages(List.of(
                        new StageRequest().image(IMAGE)
                                .entrypoint(new Entrypoint(List.of("sh", "-c", "echo $GREETING from Java; echo 42 > /job/answer")))
                                .memory(new MemoryLimit("64m"))
                                .timeout(30.0),
                        new StageRequest().image(IMAGE)
                                .entrypoint(new Entrypoint("sh -c 'test \"$(cat /job/answer)\" = 42'"))
                                .memory(new MemoryLimit(67108864L))
                                .logs(false))), null);
        assertThat(submitted.getStatus()).isEqualTo(JobStatus.QUEUED);

        Job ended = endOf(submitted.getId());
        assertThat(ended.getStatus()).as(ended.getError()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(ended.getStages()).extracting(Stage::getStatus).containsExactly(StageStatus.SUCCEEDED, StageStatus.SUCCEEDED);
        assertThat(ended.getStages()).extracting(Stage::getExitCode).containsExactly(0, 0);
        assertThat(ended.getStages()).allSatisfy(stage -> assertThat(stage.getTimings().getCreate()).isPositive());

        List<StageResult> results = jobs.getResults(submitted.getId());
        StageResult first = results.get(0);
        assertThat(first.getData().getExitCode()).isZero();
        assertThat(first.getData().getStatus()).isEqualTo("exited");
        assertThat(first.getData().getOoMKilled()).isFalse();
        assertThat(first.getKilled()).isFalse();
        assertThat(first.getSuccess()).isTrue();
        assertThat(first.getLogs().getStdout()).matches("\\S+ hello from Java\n");
        assertThat(first.getLogs().getStderr()).isEmpty();
        assertThat(results.get(1).getSuccess()).isTrue();
        assertThat(results.get(1).getLogs().getStdout()).as("a stage with logs: false keeps none").isNull();

        assertThat(jobs.getStageLog(submitted.getId(), 0, "stdout", null)).matches("\\S+ hello from Java\n");

        Job listed = jobs.listJobs(null, JobStatus.SUCCEEDED, 500, null).getJobs().stream()
                .filter(job -> job.getId().equals(submitted.getId())).findFirst().orElseThrow();
        assertThat(listed.getStages()).as("lists leave the stages out").isNull();
    }

    @Test
    void followingAStageLogReadsItToTheStagesEnd() throws ApiException {
        UUID id = jobs.submitJob(new JobSubmission().stages(List.of(
                new StageRequest().image(IMAGE).entrypoint(new Entrypoint("sh -c 'sleep 1; echo followed'")))), null).getId();

        // Answered once the stage has ended: the whole log as it was written, in one string.
        assertThat(jobs.getStageLog(id, 0, "stdout", true)).matches("\\S+ followed\n");
        assertThat(jobs.getJob(id, 0).getStages().get(0).getStatus()).isEqualTo(StageStatus.SUCCEEDED);
    }

    @Test
    void stageKilledAtItsTimeoutReadsAsKilled() throws ApiException {
        UUID id = jobs.submitJob(new JobSubmission().stages(List.of(
                new StageRequest().image(IMAGE).entrypoint(new Entrypoint("sleep 30")).timeout(0.5))), null).getId();

        assertThat(endOf(id).getStatus()).isEqualTo(JobStatus.FAILED);
        StageResult result = jobs.getResults(id).get(0);
        assertThat(result.getKilled()).isTrue();
        assertThat(result.getSuccess()).isFalse();
    }

    @Test
    void runningJobIsCancelled() throws ApiException {
        UUID id = jobs.submitJob(new JobSubmission().stages(List.of(
                new StageRequest().image(IMAGE).entrypoint(new Entrypoint(List.of("sleep", "30"))),
                new StageRequest().image(IMAGE).entrypoint(new Entrypoint("true")))), null).getId();
        await(id, "its first stage runs", job -> job.getStages().get(0).getStatus() == StageStatus.RUNNING);

        ApiResponse<Job> answer = jobs.cancelJobWithHttpInfo(id);
        assertThat(answer.getStatusCode()).isIn(200, 202);
        Job cancelled = endOf(id);
        assertThat(cancelled.getStatus()).isEqualTo(JobStatus.CANCELLED);
        assertThat(cancelled.getStages()).extracting(Stage::getStatus).containsExactly(StageStatus.CANCELLED, StageStatus.SKIPPED);
    }

    @Test
    void badSubmissionIsATypedProblemNamingItsField() throws IOException {
        ApiException refused = catchThrowableOfType(ApiException.class, () -> jobs.submitJob(new JobSubmission()
                .stages(List.of(new StageRequest().image(IMAGE).memory(new MemoryLimit("lots")))), null));

        assertThat(refused.getCode()).isEqualTo(400);
        Problem problem = problem(refused);
        assertThat(problem.getStatus()).isEqualTo(400);
        assertThat(problem.getTitle()).isEqualTo("Invalid job submission");
        assertThat(problem.getErrors()).extracting(FieldProblem::getField).containsExactly("stages[0].memory");
        assertThat(problem.getErrors().get(0).getMessage()).contains("'lots' is not a size");
    }

    @Test
    void unknownJobIsATypedProblem() throws IOException {
        UUID unknown = UUID.randomUUID();
        ApiException missing = catchThrowableOfType(ApiException.class, () -> jobs.getJob(unknown, null));

        assertThat(missing.getCode()).isEqualTo(404);
        assertThat(problem(missing).getDetail()).contains(unknown.toString());
    }

    /** An error answer read as the document types it, with the client's own JSON mapper. */
    private Problem problem(ApiException error) throws IOException {
        return client.getJSON().getMapper().readValue(error.getResponseBody(), Problem.class);
    }

    /** The service holds each ask until the job has ended, for 10 s at most. */
    private Job endOf(UUID id) {
        return Awaitility.await("job " + id + " ends").atMost(Duration.ofMinutes(2))
                .until(() -> jobs.getJob(id, 10), job -> ENDED.contains(job.getStatus()));
    }

    private Job await(UUID id, String what, Predicate<Job> holds) {
        return Awaitility.await("job " + id + ": " + what).atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(100))
                .until(() -> jobs.getJob(id, null), holds::test);
    }
}
