package io.chainlink.callback;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CallbackSignatureTest {

    @Test
    void isTheHmacSha256OfTheBodyInLowerCaseHex() {
        // RFC 4231, test case 2
        assertThat(CallbackSignature.ofBody("Jefe", "what do ya want for nothing?".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }

    @Test
    void theTimestampedOneCoversTimestampDotBody() {
        byte[] body = "{\"id\":\"x\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(CallbackSignature.ofTimestampedBody("0123456789abcdef", "1700000000", body))
                .isEqualTo(CallbackSignature.ofBody("0123456789abcdef", "1700000000.{\"id\":\"x\"}".getBytes(StandardCharsets.UTF_8)))
                .isNotEqualTo(CallbackSignature.ofTimestampedBody("0123456789abcdef", "1700000001", body));
    }

    @Test
    void dependsOnTheSecretAndEveryByte() {
        byte[] body = "{\"status\":\"SUCCEEDED\"}".getBytes(StandardCharsets.UTF_8);
        byte[] changed = "{\"status\":\"SUCCEEDED\" }".getBytes(StandardCharsets.UTF_8);
        String signature = CallbackSignature.ofBody("0123456789abcdef", body);
        assertThat(signature).matches("sha256=[0-9a-f]{64}");
        assertThat(CallbackSignature.ofBody("0123456789abcdeF", body)).isNotEqualTo(signature);
        assertThat(CallbackSignature.ofBody("0123456789abcdef", changed)).isNotEqualTo(signature);
    }
}
