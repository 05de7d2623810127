package io.chainlink.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.HostConfig;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** chainlink's stage dictionaries, every option, run unchanged and read as chainlink reads them. */
class ChainlinkParityTest extends EngineTest {

    private JsonNode succeeded(String chain) {
        JsonNode job = submitAndWait(chain);
        assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
        return results(job.get("id").asString());
    }

    private static String stdout(JsonNode result) {
        return result.get("logs").get("stdout").asString();
    }

    @Test
    void chainlinksReadmeExampleStageIsRefusedForItsPrivilegeAndRunsWithoutIt() {
        // The example's keys and values, with only the image and the CPU list fitted to this machine.
        String example = """
                {"stages": [{
                  "entrypoint": ["sh", "-c", "echo $TEST"],
                  "hostname": "container",
                  "image": "IMAGE",
                  "memory": "2g",
                  "cpuset_cpus": "0",
                  "networking": true,
                  "privileged": %s,
                  "timeout": 30,
                  "logs": true,
                  "env": {"TEST": "testing"}
                }]}""";

        Response refused = post("/api/v1/jobs", chain(example.formatted("true")));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.body().get("detail").asString()).isEqualTo("stages[0].privileged: not allowed for client local");

        JsonNode job = submitAndWait(example.formatted("false"));
        assertThat(job.get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(stdout(results(job.get("id").asString()).get(0))).endsWith(" testing\n");
    }

    @Test
    void cpusetLimitsTheCpusTheStageMayUse() {
        assertThat(stdout(succeeded("""
                {"stages": [{"image": "IMAGE", "cpuset_cpus": "0", "entrypoint": ["grep", "Cpus_allowed_list", "/proc/self/status"]}]}""").get(0)))
                .matches("\\S+ Cpus_allowed_list:\\s+0\n");
    }

    @Test
    void cpusTheEngineDoesNotHaveEndTheJobAsErrorWithTheEnginesMessage() {
        JsonNode job = submitAndWait("""
                {"stages": [{"image": "IMAGE", "cpuset_cpus": "0-63", "entrypoint": ["true"]},
                            {"image": "IMAGE", "entrypoint": ["true"]}]}""");
        assertThat(job.get("status").asString()).isEqualTo("ERROR");
        assertThat(job.get("error").asString()).contains("Requested CPUs are not available");
        assertThat(job.get("stages").get(1).get("status").asString()).isEqualTo("SKIPPED");
    }

    @Test
    void stageWithoutLogsKeepsNoneAndItsLogEndpointsSaySo() {
        String id = submit("""
                {"stages": [{"image": "IMAGE", "logs": false, "entrypoint": ["sh", "-c", "echo secret; echo secret >&2"]}]}""");
        awaitEnd(id);

        JsonNode logs = results(id).get(0).get("logs");
        assertThat(logs.get("stdout").isNull()).isTrue();
        assertThat(logs.get("stderr").isNull()).isTrue();
        for (String stream : List.of("stdout", "stderr")) {
            Response response = get("/api/v1/jobs/" + id + "/stages/0/logs/" + stream);
            assertThat(response.status()).isEqualTo(404);
            assertThat(response.body().get("detail").asString()).contains("not kept");
        }
    }

    @Test
    void everyResultCarriesSuccess() {
        String id = submit("""
                {"stages": [{"image": "IMAGE", "entrypoint": ["true"]}, {"image": "IMAGE", "entrypoint": ["false"]}]}""");
        awaitEnd(id);
        JsonNode results = results(id);
        assertThat(results.get(0).get("success").asBoolean()).isTrue();
        assertThat(results.get(1).get("success").asBoolean()).isFalse();
    }

    @Test
    void memoryIsReadAsTheDockerSdkReadsIt() {
        String limit = "cat /sys/fs/cgroup/memory.max 2>/dev/null || cat /sys/fs/cgroup/memory/memory.limit_in_bytes";
        JsonNode results = succeeded("""
                {"stages": [
                  {"image": "IMAGE", "memory": "64M", "entrypoint": ["sh", "-c", "%1$s"]},
                  {"image": "IMAGE", "memory": "64mb", "entrypoint": ["sh", "-c", "%1$s"]},
                  {"image": "IMAGE", "memory": "0.0625g", "entrypoint": ["sh", "-c", "%1$s"]},
                  {"image": "IMAGE", "memory": 67108864, "entrypoint": ["sh", "-c", "%1$s"]}]}""".formatted(limit));
        for (JsonNode result : results) {
            assertThat(stdout(result)).endsWith(" 67108864\n");
        }
    }

    @Test
    void entrypointStringIsSplitAsAShellSplitsWords() {
        assertThat(stdout(succeeded("""
                {"stages": [{"image": "IMAGE", "entrypoint": "sh -c 'printf \\"%s\\\\n\\" \\"$@\\"' x 'one  two' \\"th\\\\\\"ree\\""}]}""").get(0)))
                .matches("\\S+ one  two\n\\S+ th\"ree\n");
    }

    @Test
    void fractionalTimeoutKillsOnTime() {
        JsonNode job = submitAndWait("""
                {"stages": [{"image": "IMAGE", "entrypoint": ["sleep", "30"], "timeout": 1.5}]}""");
        assertThat(job.get("status").asString()).isEqualTo("FAILED");
        assertThat(results(job.get("id").asString()).get(0).get("killed").asBoolean()).isTrue();
    }

    @Test
    void containerGetsAPrivateIpcNamespaceAndAHundredMillisecondCpuPeriod() {
        String id = submit("""
                {"stages": [{"image": "IMAGE", "entrypoint": ["sleep", "30"], "timeout": 30}]}""");
        // Once it runs: the engine lists a container it is still creating, which it cannot yet inspect.
        awaitStage(id, 0, "RUNNING");
        String container = containersOf(id).get(0);
        HostConfig host = docker().inspectContainerCmd(container).exec().getHostConfig();
        docker().killContainerCmd(container).exec();

        assertThat(host.getIpcMode()).isEqualTo("private");
        assertThat(host.getCpuPeriod()).isEqualTo(100_000L);
        awaitEnd(id);
    }

    @Test
    void stagesRunAsTheirUsersAndShareAJobDirectoryEveryUserCanWrite() {
        JsonNode results = succeeded("""
                {"stages": [
                  {"image": "IMAGE", "user": "1000:1000", "entrypoint": ["sh", "-c", "id -u; echo one > /job/out"]},
                  {"image": "IMAGE", "user": "2000", "entrypoint": ["sh", "-c", "id -u; cat /job/out; echo two > /job/two"]},
                  {"image": "IMAGE", "entrypoint": ["sh", "-c", "id -u; ls -ln /job"]}]}""");
        assertThat(stdout(results.get(0))).contains(" 1000\n");
        assertThat(stdout(results.get(1))).contains(" 2000\n", " one\n");
        String listing = stdout(results.get(2));
        assertThat(listing).contains(" 0\n");
        assertThat(listing).containsPattern(" 1000 +1000 .* out\n").containsPattern(" 2000 +0 .* two\n");
    }

    @Test
    void userTheImageDoesNotKnowEndsTheJobAsErrorWithTheEnginesMessage() {
        JsonNode job = submitAndWait("""
                {"stages": [{"image": "IMAGE", "user": "nosuchuser", "entrypoint": ["true"]}]}""");
        assertThat(job.get("status").asString()).isEqualTo("ERROR");
        assertThat(job.get("error").asString()).contains("nosuchuser");
    }
}
