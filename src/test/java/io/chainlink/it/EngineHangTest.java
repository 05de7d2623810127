package io.chainlink.it;

import static io.chainlink.support.StageBuilder.stage;
import static org.assertj.core.api.Assertions.assertThat;

import io.chainlink.auth.Caller;
import io.chainlink.job.JobEvents;
import io.chainlink.job.SubmissionWriter;
import io.chainlink.stage.StageSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * An engine that never answers cannot hold a worker. On Docker 20.10 (runc 1.1), a container
 * whose entrypoint is one word of 100,000 characters hangs in its start: runc's create never
 * returns, the start call never answers, and every later call on that container (inspect, kill,
 * remove) waits behind it until that runc process dies. Other containers are unaffected.
 *
 * <p>The API refuses such a program at the door (ProcessStrings), so this test stores the job
 * directly, as the API would store any job, to have a call on the real engine that never answers.
 *
 * <p>To leave nothing hung for the tests after it, this test kills that runc process itself:
 * it must run as root on the engine's machine (as the tests here do), where it can see and
 * signal the engine's processes.
 */
@TestPropertySource(properties = {"chainlink.workers=1", "chainlink.engine-timeout=5s", "chainlink.sweep-interval=1s"})
@DirtiesContext
class EngineHangTest extends EngineTest {

    @Autowired
    private SubmissionWriter submissions;
    @Autowired
    private JobEvents events;

    @Test
    void stageWhoseStartHangsEndsTheJobAsErrorAndTheOneWorkerRunsTheNextJob() {
        List<StageSpec> stages = List.of(
                stage().image(IMAGE).entrypoint(List.of("a".repeat(100_000))).timeoutMillis(2000).build(),
                stage().image(IMAGE).entrypoint(List.of("true")).build());
        String hung = submissions.store(Caller.LOCAL.tenant(), stages, Instant.now()).external();
        events.queued().fire();
        List<String> containers = new ArrayList<>();
        List<ProcessHandle> runtimes = new ArrayList<>();
        try {
            // Generous: the start call's deadline is 5 s (chainlink.engine-timeout); the stage's own
            // timeout and grace never begin, as the stage never started.
            JsonNode job = Awaitility.await("job " + hung + " ends").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> job(hung), view -> TERMINAL.contains(view.get("status").asString()));

            assertThat(job.get("status").asString()).isEqualTo("ERROR");
            assertThat(job.get("error").asString()).contains("stage 0").contains("did not answer");
            assertThat(job.get("stages").findValuesAsString("status")).as("whether it ran is unknown")
                    .containsExactly("ERROR", "SKIPPED");
            assertThat(results(hung)).as("no stage has a State").isEmpty();
            // The same one worker, while that container still hangs.
            JsonNode next = submitAndWait("""
                    {"stages": [{"image": "IMAGE", "entrypoint": ["echo", "after the hang"]}]}""");
            assertThat(next.get("status").asString()).isEqualTo("SUCCEEDED");
            assertThat(results(next.get("id").asString()).get(0).get("logs").get("stdout").asString()).endsWith(" after the hang\n");
        } finally {
            // Whatever was asserted: the container cannot go while its runc hangs, so it is still listed.
            containers.addAll(containersOf(hung));
            containers.forEach(id -> runtimes.addAll(runtimesOf(id)));
            runtimes.forEach(ProcessHandle::destroyForcibly);
            Awaitility.await("the hung runc processes die").atMost(Duration.ofSeconds(10))
                    .until(() -> runtimes.stream().noneMatch(ProcessHandle::isAlive));
        }
        assertThat(containers).as("the hung stage's container").hasSize(1);
        assertThat(runtimes).as("runc stuck creating it").isNotEmpty();

        // Once runc is gone, the service's own removal or its sweep clears what the job left.
        Awaitility.await("job " + hung + "'s container and volume are removed").atMost(Duration.ofSeconds(60))
                .until(() -> leftoversOf(hung), List::isEmpty);
        Awaitility.await("no process of the container is left").atMost(Duration.ofSeconds(30))
                .until(() -> containers.stream().allMatch(id -> processesNaming(id).isEmpty()));
    }

    /** The runc processes (containerd-shim starts one per container operation) working on this container. */
    private static List<ProcessHandle> runtimesOf(String container) {
        return processesNaming(container).stream()
                .filter(process -> commandLine(process).get(0).endsWith("runc"))
                .toList();
    }

    /** Processes with the container's full id among their arguments: its runc and its containerd-shim. */
    private static List<ProcessHandle> processesNaming(String container) {
        return ProcessHandle.allProcesses().filter(process -> commandLine(process).contains(container)).toList();
    }

    /** Read from /proc: ProcessHandle.Info may leave out the arguments of another user's process. */
    private static List<String> commandLine(ProcessHandle process) {
        try {
            String line = Files.readString(Path.of("/proc", Long.toString(process.pid()), "cmdline"), StandardCharsets.ISO_8859_1);
            return line.isEmpty() ? List.of("") : List.of(line.split("\0"));
        } catch (IOException | RuntimeException gone) {
            return List.of("");
        }
    }
}
