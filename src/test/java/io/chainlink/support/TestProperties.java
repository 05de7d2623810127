package io.chainlink.support;

import io.chainlink.config.ChainlinkProperties;
import java.util.Map;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** {@code chainlink.*} as the service binds it, defaults included, for tests without Spring. */
public final class TestProperties {

    private TestProperties() {
    }

    public static ChainlinkProperties of(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties)).bindOrCreate("chainlink", ChainlinkProperties.class);
    }
}
