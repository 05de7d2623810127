package io.chainlink.callback;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** A callback as submitted: where to POST the ended job, and the key to sign it with. */
@Schema(description = "Where to POST the job once it has ended, signed with the secret")
public record CallbackRequest(
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, maxLength = CallbackRequest.MAX_URL,
                example = "https://hooks.example.org/chainlink",
                description = "An http or https URL that chainlink.callbacks.allowed-urls allows")
        @NotNull @Size(max = MAX_URL) @HttpUrl String url,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, minLength = CallbackRequest.MIN_SECRET, maxLength = CallbackRequest.MAX_SECRET,
                accessMode = Schema.AccessMode.WRITE_ONLY,
                description = "The HMAC-SHA256 key of the Chainlink-Signature header; never shown again")
        @NotNull @Size(min = MIN_SECRET, max = MAX_SECRET) String secret) {

    public static final int MAX_URL = 2048;
    public static final int MIN_SECRET = 16;
    public static final int MAX_SECRET = 256;

    @Override
    public String toString() { // never print a secret
        return "CallbackRequest[url=" + url + "]";
    }
}
