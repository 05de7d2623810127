package io.chainlink.it;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** What a stage asks of its container is what the process inside sees. */
class ContainerSettingsTest extends EngineTest {

    private String stdoutOf(String chain) {
        JsonNode job = submitAndWait(chain);
        assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
        return results(job.get("id").asString()).get(0).get("logs").get("stdout").asString();
    }

    @Test
    void withoutNetworkingOnlyLoopbackExists() {
        String links = stdoutOf("""
                {"stages": [{"image": "IMAGE", "entrypoint": ["ip", "-o", "link"], "networking": false}]}""");
        assertThat(links).contains(": lo:").doesNotContain(": eth0");
        assertThat(links.lines()).hasSize(1);
    }

    /** Graders test servers over loopback: without networking, lo must still be up and carry a connection. */
    @Test
    void withoutNetworkingLoopbackCarriesAConnection() {
        String received = stdoutOf("""
                {"stages": [{"image": "IMAGE", "networking": false, "entrypoint": ["sh", "-c",
                  "nc -l -p 5555 > /tmp/received & for try in $(seq 50); do echo over-loopback | nc -w 1 127.0.0.1 5555 && break; sleep 0.1; done; wait; cat /tmp/received"]}]}""");
        assertThat(received).endsWith(" over-loopback\n");
    }

    @Test
    void withNetworkingAnotherInterfaceExists() {
        String links = stdoutOf("""
                {"stages": [{"image": "IMAGE", "entrypoint": ["ip", "-o", "link"]}]}""");
        assertThat(links).contains(": lo:");
        assertThat(links.lines().filter(line -> !line.contains(": lo:"))).isNotEmpty();
    }

    @Test
    void memoryCapIsTheLimitTheContainerSees() {
        // cgroup v2 shows memory.max, v1 memory.limit_in_bytes: read whichever exists.
        String limit = stdoutOf("""
                {"stages": [{"image": "IMAGE", "memory": "64m", "entrypoint": ["sh", "-c",
                  "cat /sys/fs/cgroup/memory.max 2>/dev/null || cat /sys/fs/cgroup/memory/memory.limit_in_bytes"]}]}""");
        assertThat(limit.trim()).endsWith(" 67108864");
    }

    @Test
    void hostnameIsWhatHostnamePrints() {
        assertThat(stdoutOf("""
                {"stages": [{"image": "IMAGE", "hostname": "grader-7", "entrypoint": ["hostname"]}]}""")).endsWith(" grader-7\n");
        assertThat(stdoutOf("""
                {"stages": [{"image": "IMAGE", "entrypoint": ["hostname"]}]}""")).endsWith(" container\n");
    }
}
