package io.chainlink.worker;

import io.chainlink.config.ChainlinkProperties;
import io.chainlink.engine.EngineConnection;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/health}'s {@code instance}: which of several instances on one database answered,
 * what it does there, and the engine its jobs run on, so that an operator reading one instance's
 * health, or a job's {@code instance}, knows which host to look at.
 */
@Component("instanceHealthIndicator") // shown as "instance": the name without its suffix; "instance" is Instance's
class InstanceHealth implements HealthIndicator {

    private final Instance instance;
    private final ChainlinkProperties properties;
    private final EngineConnection engine;

    InstanceHealth(Instance instance, ChainlinkProperties properties, EngineConnection engine) {
        this.instance = instance;
        this.properties = properties;
        this.engine = engine;
    }

    @Override
    public Health health() {
        return Health.up()
                .withDetail("id", instance.id())
                .withDetail("role", properties.role().name().toLowerCase(java.util.Locale.ROOT))
                .withDetail("workers", properties.jobWorkers())
                .withDetail("engine", engine.host())
                .build();
    }
}
