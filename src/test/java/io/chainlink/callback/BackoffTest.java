package io.chainlink.callback;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private final Backoff backoff = new Backoff(Duration.ofSeconds(2), Duration.ofMinutes(1));

    @Test
    void doublesAfterEachFailure() {
        assertThat(backoff.after(1)).isEqualTo(Duration.ofSeconds(2));
        assertThat(backoff.after(2)).isEqualTo(Duration.ofSeconds(4));
        assertThat(backoff.after(3)).isEqualTo(Duration.ofSeconds(8));
        assertThat(backoff.after(5)).isEqualTo(Duration.ofSeconds(32));
    }

    @Test
    void stopsAtItsCap() {
        assertThat(backoff.after(6)).isEqualTo(Duration.ofMinutes(1));
        assertThat(backoff.after(1000)).isEqualTo(Duration.ofMinutes(1));
        assertThat(backoff.after(Integer.MAX_VALUE)).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void aFirstDelayOverTheCapIsCapped() {
        assertThat(new Backoff(Duration.ofMinutes(5), Duration.ofMinutes(1)).after(1)).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void zeroAttemptsCountAsTheFirst() {
        assertThat(backoff.after(0)).isEqualTo(Duration.ofSeconds(2));
    }
}
