package io.chainlink.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StoredLogInputStreamTest {

    private final List<Integer> asked = new ArrayList<>();

    private InputStream of(String... chunks) {
        return new StoredLogInputStream(seq -> {
            asked.add(seq);
            return seq < chunks.length ? chunks[seq].getBytes(StandardCharsets.UTF_8) : null;
        });
    }

    @Test
    void readsTheChunksInOrderAndAsksForEachOnceWhenItIsReached() throws IOException {
        InputStream log = of("first ", "", "second ", "third");

        assertThat(log.read()).isEqualTo('f');
        assertThat(asked).containsExactly(0);
        assertThat(new String(log.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("irst second third");
        assertThat(asked).containsExactly(0, 1, 2, 3, 4);
        assertThat(log.read()).isEqualTo(-1);
        assertThat(asked).as("nothing asked past the end").hasSize(5);
    }

    @Test
    void aStreamWithNoChunksIsEmpty() throws IOException {
        assertThat(of().readAllBytes()).isEmpty();
    }

    @Test
    void readsIntoPartOfABufferNoMoreThanOneChunkAtATime() throws IOException {
        InputStream log = of("abc", "de");
        byte[] into = new byte[8];

        assertThat(log.read(into, 2, 6)).isEqualTo(3);
        assertThat(log.read(into, 5, 3)).isEqualTo(2);
        assertThat(new String(into, 2, 5, StandardCharsets.UTF_8)).isEqualTo("abcde");
        assertThat(log.read(into, 0, 0)).isZero();
        assertThat(log.read(into, 0, 8)).isEqualTo(-1);
    }
}
