package io.chainlink.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CapabilitiesTest {

    /** For the mapping test: each name must reach the engine as the same capability. */
    public static Stream<String> everyKnownName() {
        return Capabilities.KNOWN.stream().sorted();
    }

    @Test
    void aNameIsTheSameWithOrWithoutCapPrefix() {
        assertThat(Capabilities.parse("NET_ADMIN")).isEqualTo("NET_ADMIN");
        assertThat(Capabilities.parse("CAP_NET_ADMIN")).isEqualTo("NET_ADMIN");
        assertThat(Capabilities.parse("ALL")).isEqualTo("ALL");
    }

    @Test
    void namesAreNormalisedOnceEachInTheOrderFirstWritten() {
        assertThat(Capabilities.normalise(List.of("SYS_PTRACE", "CAP_NET_ADMIN", "NET_ADMIN", "CAP_SYS_PTRACE")))
                .containsExactly("SYS_PTRACE", "NET_ADMIN");
        assertThat(Capabilities.normalise(null)).isEmpty();
        assertThat(Capabilities.normalise(List.of())).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "net_admin", "Net_Admin", "NET-ADMIN", "NET ADMIN", "CAP_", "CAP_NOPE", "NOPE", "ALLL",
            "CAP_CAP_NET_ADMIN", "NET_ADMIN\n", "SYS_ADMIN_"})
    void anythingElseIsRefusedWithAMessageInTheApisWords(String name) {
        assertThatIllegalArgumentException().isThrownBy(() -> Capabilities.parse(name))
                .withMessageStartingWith("is not").satisfiesAnyOf(
                        e -> assertThat(e.getMessage()).contains("capability Linux knows"),
                        e -> assertThat(e.getMessage()).contains("capability name"));
    }
}
