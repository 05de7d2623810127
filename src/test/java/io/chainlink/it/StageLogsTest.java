package io.chainlink.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * What a stage's logs keep, against the real engine: each stream's head and tail within
 * chainlink.log-limit (1 MiB here) and an exact count of the bytes between, whatever the engine's
 * log file (json-file, 64 MB, 2 files) does meanwhile. Bytes are counted as stored: each entry the
 * engine sends, a line or a 16 KiB part of one, with its timestamp and a space.
 */
class StageLogsTest extends EngineTest {

    private static final int LIMIT = 1024 * 1024;
    /** The engine's timestamp and the space after it, before each entry. */
    private static final int PREFIX = "2026-11-25T03:41:55.123456789Z ".length();
    private static final String TIMESTAMP = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z";
    /** A line of 999 control bytes and a newline: each control byte takes six in the engine's JSON. */
    private static final String CONTROL_LINE = "yes \"$(head -c 999 /dev/zero | tr '\\0' '\\1')\"";

    @Test
    void aStreamPastTheLimitKeepsItsHeadAndTailWithTheExactCountBetweenThemAndInTheView() {
        // 2,000 lines of 1,000 bytes, then the verdict: about 2 MB stored, the limit keeps 1 MiB.
        String id = submit(stage("yes $(printf '%0999d' 0) | head -n 2000; echo stdout-last"));
        JsonNode stage = awaitEnd(id).get("stages").get(0);

        assertThat(stage.get("status").asString()).isEqualTo("SUCCEEDED");
        String stdout = assertCutFlood(id, stage, "0".repeat(999), 2000);
        assertThat(stage.get("stderrDropped").isNull()).isTrue();
        assertThat(stage.get("outputLost").asBoolean()).isFalse();
        assertThat(results(id).get(0).get("logs").get("stdout").asString()).isEqualTo(stdout);
    }

    @Test
    void aThirtyMegabyteFloodKeepsEachStreamsLastLineAndCountsWhatWasDroppedExactly() {
        // 750,000 lines of 40 bytes: about 82 MB of the engine's JSON, so its 64 MB file rotates
        // under the follow; then one line on each stream, as a grader prints its verdict.
        String id = submit(stage("yes 012345678901234567890123456789012345678 | head -n 750000;"
                + " echo stdout-last; echo stderr-last >&2"));
        JsonNode stage = awaitEnd(id).get("stages").get(0);

        assertThat(stage.get("status").asString()).isEqualTo("SUCCEEDED");
        assertCutFlood(id, stage, "012345678901234567890123456789012345678", 750_000);
        assertThat(log(id, "stderr")).matches(TIMESTAMP + " stderr-last\n");
        assertThat(stage.get("stderrDropped").isNull()).isTrue();
        assertThat(stage.get("outputLost").asBoolean()).isFalse();
    }

    @Test
    void outputWrittenAfterTheEnginesLogFileRotatedArrivesEveryLineOnce() {
        // 12,000 lines of control bytes are 72 MB of JSON: the 64 MB file rotates, and the
        // numbered lines after them go to the new one.
        String id = submit(stage(CONTROL_LINE + " | head -n 12000;"
                + " i=0; while [ $i -lt 100 ]; do echo after-$i; echo after-$i >&2; i=$((i+1)); done;"
                + " echo stdout-last; echo stderr-last >&2"));
        JsonNode stage = awaitEnd(id).get("stages").get(0);

        assertThat(stage.get("status").asString()).isEqualTo("SUCCEEDED");
        StringBuilder after = new StringBuilder();
        long afterBytes = 0;
        for (int i = 0; i < 100; i++) {
            after.append(TIMESTAMP).append(" after-").append(i).append('\n');
            afterBytes += PREFIX + ("after-" + i + "\n").length();
        }
        assertThat(log(id, "stderr")).matches(after + TIMESTAMP + " stderr-last\n");
        String stdout = log(id, "stdout");
        assertThat(last(stdout, (int) afterBytes + PREFIX + 12 + 2)).matches("\u0001\n" + after + TIMESTAMP + " stdout-last\n");
        long stdoutBytes = 12_000L * (PREFIX + 1000) + afterBytes + PREFIX + "stdout-last\n".length();
        assertThat(stage.get("stdoutDropped").asLong()).isEqualTo(stdoutBytes - LIMIT);
        assertThat(stage.get("stderrDropped").isNull()).isTrue();
        assertThat(stage.get("outputLost").asBoolean()).isFalse();
    }

    @Test
    void aLineLongerThanTheEnginesEntriesArrivesWholeInPartsThatShareItsTimestamp() {
        // The engine splits a line into entries of 16 KiB: 100,001 bytes are seven.
        String id = submit(stage("head -c 100000 /dev/zero | tr '\\0' a; echo"));
        assertThat(awaitEnd(id).get("status").asString()).isEqualTo("SUCCEEDED");

        String stdout = log(id, "stdout");
        assertThat(stdout).hasSize(7 * PREFIX + 100_001);
        String timestamp = stdout.substring(0, PREFIX);
        assertThat(stdout.replace(timestamp, "")).isEqualTo("a".repeat(100_000) + "\n");
        assertThat(results(id).get(0).get("logs").get("stdout").asString()).isEqualTo(stdout);
    }

    @Test
    void outputTheEngineDiscardedBeforeItCouldBeReadIsSaidInTheLogsAndTheView() {
        // 25,000 lines of control bytes are 150 MB of JSON: more than the engine's two files of
        // 64 MB, so it deletes the first before the stage ends. The last lines still arrive.
        String id = submit(stage(CONTROL_LINE + " | head -n 25000; echo stdout-last; echo stderr-last >&2"));
        JsonNode stage = awaitEnd(id).get("stages").get(0);

        assertThat(stage.get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(stage.get("outputLost").asBoolean()).isTrue();
        assertThat(stage.get("stdoutDropped").asLong()).isPositive();
        assertThat(log(id, "stdout")).contains("; the engine discarded more of the stage's output before it could be read\n")
                .endsWith(" stdout-last\n");
        assertThat(log(id, "stderr")).matches(TIMESTAMP + " stderr-last\n"
                + "\\[chainlink\\] the engine discarded part of the stage's output before it could be read\n");
    }

    /**
     * Checks a stage's stdout of {@code count} times {@code line}, then "stdout-last", as kept past
     * the limit: its first line, the marker with the exact count at the middle, its last two lines,
     * and the count in the stage's view. Returns the stored stdout.
     */
    private String assertCutFlood(String id, JsonNode stage, String line, int count) {
        long dropped = count * (PREFIX + line.length() + 1L) + PREFIX + "stdout-last\n".length() - LIMIT;
        String marker = "\n[chainlink] output cut: " + dropped + " bytes dropped between the first 524288 and the last 524288 bytes\n";
        String stdout = log(id, "stdout");
        assertThat(stdout).hasSize(LIMIT + marker.length());
        assertThat(stdout.indexOf(marker)).isEqualTo(LIMIT / 2);
        String entry = TIMESTAMP + " " + Pattern.quote(line) + "\n";
        assertThat(stdout.substring(0, PREFIX + line.length() + 1)).matches(entry);
        assertThat(last(stdout, PREFIX + line.length() + 1 + PREFIX + 12)).matches(entry + TIMESTAMP + " stdout-last\n");
        assertThat(stage.get("stdoutDropped").asLong()).isEqualTo(dropped);
        return stdout;
    }

    private static String stage(String command) {
        return JSON.writeValueAsString(Map.of("stages", List.of(Map.of("image", IMAGE, "entrypoint", List.of("sh", "-c", command)))));
    }

    private static String last(String text, int length) {
        return text.substring(text.length() - length);
    }

    private String log(String id, String stream) {
        Response response = get("/api/v1/jobs/" + id + "/stages/0/logs/" + stream);
        assertThat(response.status()).isEqualTo(200);
        return response.text();
    }
}
