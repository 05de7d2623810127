package io.chainlink.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a stage's logs keep, against the real engine. */
class StageLogsTest extends EngineTest {

    /** The engine's timestamp and the space after it, before each entry. */
    private static final int PREFIX = "2026-11-25T03:41:55.123456789Z ".length();

    @Test
    void aLineLongerThanTheEnginesEntriesArrivesWholeInPartsThatShareItsTimestamp() {
        // The engine splits a line into entries of 16 KiB: 100,001 bytes are seven.
        long id = submit(stage("head -c 100000 /dev/zero | tr '\\0' a; echo"));
        assertThat(awaitEnd(id).get("status").asString()).isEqualTo("SUCCEEDED");

        String stdout = log(id, "stdout");
        assertThat(stdout).hasSize(7 * PREFIX + 100_001);
        String timestamp = stdout.substring(0, PREFIX);
        assertThat(stdout.replace(timestamp, "")).isEqualTo("a".repeat(100_000) + "\n");
        assertThat(results(id).get(0).get("logs").get("stdout").asString()).isEqualTo(stdout);
    }

    private static String stage(String command) {
        return JSON.writeValueAsString(Map.of("stages", List.of(Map.of("image", IMAGE, "entrypoint", List.of("sh", "-c", command)))));
    }

    private String log(long id, String stream) {
        Response response = get("/api/v1/jobs/" + id + "/stages/0/logs/" + stream);
        assertThat(response.status()).isEqualTo(200);
        return response.text();
    }
}
