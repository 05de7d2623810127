package io.chainlink.callback;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signatures a callback carries: HMAC-SHA256 keyed with the callback's secret, as
 * {@code sha256=<lower-case hex>}. {@link #ofBody} covers the body's exact bytes (issue 27's
 * {@code Chainlink-Signature}); {@link #ofTimestampedBody} covers {@code timestamp + "." + body},
 * so that a receiver can refuse a replayed delivery by its age.
 */
final class CallbackSignature {

    private CallbackSignature() {
    }

    static String ofBody(String secret, byte[] body) {
        return sign(secret, new byte[0], body);
    }

    static String ofTimestampedBody(String secret, String timestamp, byte[] body) {
        return sign(secret, (timestamp + ".").getBytes(StandardCharsets.UTF_8), body);
    }

    private static String sign(String secret, byte[] prefix, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update(prefix);
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) { // every JVM has HmacSHA256
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
