package io.chainlink.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * What a stage's logs keep, against the real engine: each stream's head and tail within
 * chainlink.log-limit (1 MiB here) and an exact count of the bytes between. Bytes are counted as
 * stored: each entry the engine sends, a line or a 16 KiB part of one, with its timestamp and a space.
 */
class StageLogsTest extends EngineTest {

    private static final int LIMIT = 1024 * 1024;
    /** The engine's timestamp and the space after it, before each entry. */
    private static final int PREFIX = "2026-11-25T03:41:55.123456789Z ".length();
    private static final String TIMESTAMP = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z";

    @Test
    void aStreamPastTheLimitKeepsItsHeadAndTailWithTheExactCountBetweenThemAndInTheView() {
        // 2,000 lines of 1,000 bytes, then the verdict: about 2 MB stored, the limit keeps 1 MiB.
        long id = submit(stage("yes $(printf '%0999d' 0) | head -n 2000; echo stdout-last"));
        JsonNode stage = awaitEnd(id).get("stages").get(0);

        assertThat(stage.get("status").asString()).isEqualTo("SUCCEEDED");
        long dropped = 2000L * (PREFIX + 1000) + PREFIX + "stdout-last\n".length() - LIMIT;
        String marker = "\n[chainlink] output cut: " + dropped + " bytes dropped between the first 524288 and the last 524288 bytes\n";
        String stdout = log(id, "stdout");
        assertThat(stdout).hasSize(LIMIT + marker.length());
        assertThat(stdout.indexOf(marker)).isEqualTo(LIMIT / 2);
        assertThat(stdout.substring(0, PREFIX + 1000)).matches(TIMESTAMP + " 0{999}\n");
        assertThat(last(stdout, PREFIX + 1000 + PREFIX + 12)).matches(TIMESTAMP + " 0{999}\n" + TIMESTAMP + " stdout-last\n");
        assertThat(stage.get("stdoutDropped").asLong()).isEqualTo(dropped);
        assertThat(stage.get("stderrDropped").isNull()).isTrue();
        assertThat(stage.get("outputLost").asBoolean()).isFalse();
        assertThat(results(id).get(0).get("logs").get("stdout").asString()).isEqualTo(stdout);
    }

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

    private static String last(String text, int length) {
        return text.substring(text.length() - length);
    }

    private String log(long id, String stream) {
        Response response = get("/api/v1/jobs/" + id + "/stages/0/logs/" + stream);
        assertThat(response.status()).isEqualTo(200);
        return response.text();
    }
}
