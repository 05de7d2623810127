package io.chainlink.it;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * The HTTP client the engine tests use, for a service a test starts itself: a context of its own
 * (several on one database, one after another) or a process of its own.
 */
final class ServiceApi extends EngineTest {

    ServiceApi(int port) {
        this.port = port;
    }

    static ServiceApi of(ConfigurableApplicationContext context) {
        return new ServiceApi(context.getEnvironment().getRequiredProperty("local.server.port", Integer.class));
    }
}
