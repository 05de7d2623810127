package io.chainlink.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.HostConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** What every stage's container gets, whatever it asks, and what that holds when a stage misbehaves. */
class ContainedStagesTest extends EngineTest {

    /** cgroup v1 keeps the pids controller in a folder of its own, v2 in the container's one. */
    private static final String PIDS = "p=/sys/fs/cgroup/pids; [ -d $p ] || p=/sys/fs/cgroup;";

    @Test
    void everyContainerHasAPidsLimitACpuWeightAndNoNewPrivileges() {
        String id = submit("""
                {"stages": [{"image": "IMAGE", "entrypoint": ["sh", "-c", "grep NoNewPrivs /proc/self/status; sleep 30"]}]}""");
        Container container = Awaitility.await().atMost(Duration.ofMinutes(1)).until(() -> docker().listContainersCmd()
                .withLabelFilter(Map.of("chainlink.job", id)).exec(), list -> !list.isEmpty()).get(0);
        HostConfig host = docker().inspectContainerCmd(container.getId()).exec().getHostConfig();
        docker().killContainerCmd(container.getId()).exec();

        assertThat(host.getPidsLimit()).isEqualTo(512L);
        assertThat(host.getCpuShares()).isEqualTo(1024);
        assertThat(host.getSecurityOpts()).contains("no-new-privileges");
        awaitEnd(id);
        assertThat(results(id).get(0).get("logs").get("stdout").asString()).matches("\\S+ NoNewPrivs:\\s+1\n");
    }

    /**
     * Busybox's ash gives up a script whose fork fails ("can't fork"), so the bomb runs in a
     * subshell: it starts sleeping processes until the pids limit stops it. The stage then counts
     * with builtins only ({@code read}, {@code echo}: no fork), and waits on a FIFO no one writes.
     */
    @Test
    void aForkBombStaysInsideItsPidsLimitIsKilledAtItsTimeoutAndTheNextJobRuns() {
        JsonNode bomb = submitAndWait("""
                {"stages": [{"image": "IMAGE", "timeout": 15, "cpus": 0.5, "entrypoint": ["sh", "-c",
                  "%s mkfifo /tmp/hold; (while :; do sleep 1000 & done) 2>/dev/null; read n < $p/pids.current; read m < $p/pids.max; echo $n of $m; read x < /tmp/hold"]}]}"""
                .formatted(PIDS));

        assertThat(bomb.get("status").asString()).isEqualTo("FAILED");
        JsonNode result = results(bomb.get("id").asString()).get(0);
        assertThat(result.get("killed").asBoolean()).isTrue();
        // 15 s: on a busy 2-core machine the bomb at half a core took more than 5 s to reach the limit.
        String stdout = result.get("logs").get("stdout").asString();
        assertThat(stdout).as("the count printed before the timeout").isNotBlank();
        String[] count = stdout.trim().split(" ");
        assertThat(count[3]).isEqualTo("512");
        assertThat(Integer.parseInt(count[1])).isBetween(500, 512); // the bomb reached the limit, and stopped there

        JsonNode next = submitAndWait("""
                {"stages": [{"image": "IMAGE", "entrypoint": ["echo", "unaffected"]}]}""");
        assertThat(next.get("status").asString()).isEqualTo("SUCCEEDED");
        Response health = get("/actuator/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.body().get("status").asString()).isEqualTo("UP");
    }

    /**
     * {@code tail} keeps what it reads until a newline that never comes: 100 MB under a 16 MB cap.
     * Three jobs, because the engine's own flag loses a race now and then ({@code OomEvents}).
     */
    @Test
    void aStageThatAllocatesPastItsMemoryIsOomKilledAndTheJobFails() {
        List<String> ids = LongStream.range(0, 3).mapToObj(i -> submit("""
                {"stages": [{"image": "IMAGE", "memory": "16m", "entrypoint": ["sh", "-c", "head -c 100m /dev/zero | tail > /dev/null"]},
                            {"image": "IMAGE", "entrypoint": ["true"]}]}""")).toList();

        for (String id : ids) {
            JsonNode job = awaitEnd(id);
            assertThat(job.get("status").asString()).isEqualTo("FAILED");
            assertThat(job.get("stages").get(1).get("status").asString()).isEqualTo("SKIPPED");
            JsonNode result = results(id).get(0);
            assertThat(result.get("data").get("OOMKilled").asBoolean()).as(result.toString()).isTrue();
            assertThat(result.get("data").get("ExitCode").asInt()).isEqualTo(137);
            assertThat(result.get("killed").asBoolean()).isFalse();
            assertThat(result.get("success").asBoolean()).isFalse();
        }
    }

    /** Nothing caps a stage's disk use on an engine reached through its API alone; health says so, and why. */
    @Test
    void healthSaysWhatCapsAStagesDiskHereAndWhyNot() {
        Response health = get("/actuator/health");
        String driver = docker().infoCmd().exec().getDriver();

        JsonNode disk = health.body().at("/components/engine/details/disk");
        assertThat(disk.get("job").asString()).startsWith("not capped: ").contains("local driver");
        assertThat(disk.get("writableLayer").asString()).startsWith("not capped: " + driver);
    }
}
