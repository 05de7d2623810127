package io.chainlink.auth;

import io.chainlink.config.ChainlinkProperties;
import java.net.InetAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.server.ConfigurableWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * A service with no clients lets everyone in as its admin, so it is for one user on one machine:
 * it then listens on the loopback address only, and says so. To listen elsewhere without clients an
 * operator must say {@code chainlink.auth=none}; anything else refuses to start.
 */
@Component
class OpenUseOnLoopback implements WebServerFactoryCustomizer<ConfigurableWebServerFactory>, Ordered {

    private static final Logger log = LoggerFactory.getLogger(OpenUseOnLoopback.class);

    private final ChainlinkProperties properties;
    private final Environment environment;

    OpenUseOnLoopback(ChainlinkProperties properties, Environment environment) {
        this.properties = properties;
        this.environment = environment;
    }

    @Override
    public void customize(ConfigurableWebServerFactory server) {
        if (!properties.clients().isEmpty()) {
            return;
        }
        String address = environment.getProperty("server.address");
        if (properties.auth() == ChainlinkProperties.Auth.NONE) {
            log.warn("chainlink.auth=none: anyone who can reach {} may run containers on the engine as its admin",
                    address == null ? "this port" : address);
            return;
        }
        if (address == null) {
            server.setAddress(InetAddress.getLoopbackAddress());
            log.warn("no clients configured (chainlink.clients): listening on {} only, open to its local user as admin",
                    InetAddress.getLoopbackAddress().getHostAddress());
        } else if (!isLoopback(address)) {
            throw new IllegalStateException("server.address=" + address + " without clients would let anyone who can reach it"
                    + " run containers: configure chainlink.clients, or set chainlink.auth=none to allow it");
        }
    }

    private static boolean isLoopback(String address) {
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    /** After Spring Boot's own customizer, which applies server.address when set. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
