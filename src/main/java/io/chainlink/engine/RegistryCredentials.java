package io.chainlink.engine;

import com.github.dockerjava.api.model.AuthConfig;
import io.chainlink.config.ChainlinkProperties;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * Credentials for pulls from registries named in {@code chainlink.registries}. (Those that
 * {@code docker login} wrote to the Docker config file, docker-java sends by itself.)
 * They live here only: never logged, never stored with a job, never returned.
 */
@Component
public class RegistryCredentials {

    private final Map<String, ChainlinkProperties.Registry> byHost;

    public RegistryCredentials(ChainlinkProperties properties) {
        this.byHost = properties.registries().stream()
                .collect(Collectors.toUnmodifiableMap(ChainlinkProperties.Registry::host, Function.identity(), (a, b) -> b));
    }

    public Optional<AuthConfig> forRegistry(String host) {
        return Optional.ofNullable(byHost.get(host)).map(registry -> new AuthConfig()
                .withRegistryAddress(registry.host())
                .withUsername(registry.username())
                .withPassword(registry.password()));
    }
}
