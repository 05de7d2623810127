package io.chainlink.follow;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogLinesTest {

    private final LogLines lines = new LogLines();

    private List<String> feed(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return lines.feed(bytes, 0, bytes.length);
    }

    @Test
    void completeLinesComeWithoutTheirNewlines() {
        assertThat(feed("one\ntwo\n")).containsExactly("one", "two");
        assertThat(lines.finish()).isEmpty();
    }

    @Test
    void aLineCutAcrossPiecesComesOnceItsNewlineDoes() {
        assertThat(feed("hal")).isEmpty();
        assertThat(feed("f a line\nand")).containsExactly("half a line");
        assertThat(lines.finish()).as("the last line, unfinished, at the end").containsExactly("and");
    }

    @Test
    void aMultiByteCharacterCutBetweenPiecesIsWhole() {
        byte[] bytes = "né\n".getBytes(StandardCharsets.UTF_8); // é is two bytes
        assertThat(lines.feed(bytes, 0, 2)).isEmpty();
        assertThat(lines.feed(bytes, 2, bytes.length - 2)).containsExactly("né");
    }

    @Test
    void emptyLinesAreEvents() {
        assertThat(feed("\n\nx\n")).containsExactly("", "", "x");
    }

    @Test
    void aCrlfEndingLosesItsCrAndACrWithinALineBecomesANewline() {
        assertThat(feed("dos\r\nprogress 1\rprogress 2\n")).containsExactly("dos", "progress 1\nprogress 2");
    }

    @Test
    void aLineLongerThanTheBoundComesInPartsCutBetweenCharacters() {
        // One ASCII byte, then three-byte characters: the bound falls inside one of them.
        String line = "x" + "€".repeat(LogLines.MAX_LINE / 3 + 10);
        List<String> parts = new ArrayList<>(feed(line + "\n"));

        assertThat(parts).hasSize(2);
        assertThat(parts.get(0).getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(LogLines.MAX_LINE);
        assertThat(parts.get(0)).doesNotContain("\uFFFD");
        assertThat(parts.get(1)).doesNotContain("\uFFFD");
        assertThat(String.join("", parts)).isEqualTo(line);
    }

    @Test
    void sseFramesPutEachLineInADataFieldAndNameTheEndEvent() {
        assertThat(SseFrames.data("hello")).isEqualTo("data: hello\n\n");
        assertThat(SseFrames.data("a\nb")).as("a newline within: a second data line").isEqualTo("data: a\ndata: b\n\n");
        assertThat(SseFrames.data("")).isEqualTo("data: \n\n");
        assertThat(SseFrames.event("end", "SUCCEEDED")).isEqualTo("event: end\ndata: SUCCEEDED\n\n");
    }
}
