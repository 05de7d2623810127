package io.chainlink.engine;

import com.github.dockerjava.api.model.AuthConfig;
import io.chainlink.config.ChainlinkProperties;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Credentials for pulls, by registry host: first {@code chainlink.registries}, then the
 * {@code auths} that {@code docker login} wrote to the Docker config file
 * ({@code chainlink.docker-config}, else {@code $DOCKER_CONFIG}, else {@code ~/.docker}), read at
 * each pull so a later login counts. They live here only: never logged, stored or returned.
 */
@Component
public class RegistryCredentials {

    private static final Logger log = LoggerFactory.getLogger(RegistryCredentials.class);
    /** How the Docker CLI names Docker Hub in its config file. */
    private static final String DOCKER_HUB_AUTH_KEY = "https://index.docker.io/v1/";

    private final Map<String, ChainlinkProperties.Registry> configured;
    private final Path configFile;
    private final JsonMapper json;

    public RegistryCredentials(ChainlinkProperties properties, JsonMapper json) {
        this.configured = properties.registries().stream()
                .collect(Collectors.toUnmodifiableMap(ChainlinkProperties.Registry::host, Function.identity(), (a, b) -> b));
        this.configFile = dockerConfigDir(properties.dockerConfig()).resolve("config.json");
        this.json = json;
    }

    private static Path dockerConfigDir(String configured) {
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        String env = System.getenv("DOCKER_CONFIG");
        return env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".docker");
    }

    /** Whether {@code host} has configured credentials that serve other tenants, not this one. */
    public boolean withheldFrom(String host, String tenant) {
        ChainlinkProperties.Registry registry = configured.get(host);
        return registry != null && !registry.serves(tenant);
    }

    /**
     * The credentials a job of {@code tenant} pulls from {@code host} with: the configured ones if
     * they serve that tenant (and none at all if they serve others only), else docker login's.
     */
    public Optional<AuthConfig> forRegistry(String host, String tenant) {
        ChainlinkProperties.Registry registry = configured.get(host);
        if (registry != null) {
            return registry.serves(tenant) ? Optional.of(auth(host, registry.username(), registry.password())) : Optional.empty();
        }
        return fromConfigFile(host);
    }

    private Optional<AuthConfig> fromConfigFile(String host) {
        if (!Files.isRegularFile(configFile)) {
            return Optional.empty();
        }
        JsonNode auths;
        try {
            auths = json.readTree(configFile.toFile()).path("auths");
        } catch (RuntimeException e) {
            log.warn("could not read {}: {}", configFile, e.getClass().getSimpleName());
            return Optional.empty();
        }
        for (var entry : auths.properties()) {
            if (!host.equals(hostOf(entry.getKey()))) {
                continue;
            }
            JsonNode value = entry.getValue();
            if (value.hasNonNull("auth")) {
                String decoded = new String(Base64.getDecoder().decode(value.get("auth").asString()), StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                if (colon > 0) {
                    return Optional.of(auth(host, decoded.substring(0, colon), decoded.substring(colon + 1)));
                }
            }
            if (value.hasNonNull("username")) {
                return Optional.of(auth(host, value.get("username").asString(), value.path("password").asString(null)));
            }
        }
        return Optional.empty();
    }

    /** {@code https://ghcr.io/v2/} and {@code ghcr.io} are the same registry; so are Docker Hub's names. */
    static String hostOf(String key) {
        if (key.equals(DOCKER_HUB_AUTH_KEY)) {
            return ImageRef.DOCKER_HUB;
        }
        String host = key.replaceFirst("^[a-z]+://", "");
        int slash = host.indexOf('/');
        return slash < 0 ? host : host.substring(0, slash);
    }

    private static AuthConfig auth(String host, String username, String password) {
        return new AuthConfig()
                .withRegistryAddress(host.equals(ImageRef.DOCKER_HUB) ? DOCKER_HUB_AUTH_KEY : host)
                .withUsername(username)
                .withPassword(password);
    }
}
