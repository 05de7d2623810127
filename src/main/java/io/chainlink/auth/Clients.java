package io.chainlink.auth;

import io.chainlink.config.ChainlinkProperties;
import io.chainlink.config.ChainlinkProperties.Client;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * The configured clients, and who a bearer token belongs to. Tokens are compared as SHA-256
 * digests with a constant-time comparison, against every client whatever matches, so that neither
 * a token's length nor how much of it is right shows in the time an answer takes. Tokens are
 * never logged and never returned.
 */
@Component
public class Clients {

    private record Known(byte[] digest, Caller caller) {
    }

    private final List<Known> known;
    private final boolean open;

    public Clients(ChainlinkProperties properties) {
        this.known = properties.clients().stream().map(c -> new Known(digest(c.token()), new Caller(c.name(), c.role()))).toList();
        Set<String> tokens = new HashSet<>();
        for (Client client : properties.clients()) {
            if (!tokens.add(client.token())) {
                throw new IllegalArgumentException("chainlink.clients: two clients share a token (client " + client.name() + ")");
            }
        }
        this.open = known.isEmpty() || properties.auth() == ChainlinkProperties.Auth.NONE;
    }

    /** Whether every request is let in as the local admin: no clients configured, or chainlink.auth=none. */
    public boolean open() {
        return open;
    }

    /** The caller a token belongs to, if any. */
    public Optional<Caller> byToken(String token) {
        byte[] presented = digest(token);
        Caller found = null;
        for (Known client : known) {
            if (MessageDigest.isEqual(client.digest(), presented)) {
                found = client.caller();
            }
        }
        return Optional.ofNullable(found);
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
