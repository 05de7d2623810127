package io.chainlink.engine;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/** {@code /actuator/health}'s {@code engine}: asks the engine each time; DOWN while it cannot be reached. */
@Component("engine")
class EngineHealth implements HealthIndicator {

    private final EngineAvailability availability;
    private final EngineConnection engine;

    EngineHealth(EngineAvailability availability, EngineConnection engine) {
        this.availability = availability;
        this.engine = engine;
    }

    @Override
    public Health health() {
        try {
            EngineConnection.Version version = availability.check();
            return Health.up()
                    .withDetail("host", engine.host())
                    .withDetail("version", version.version())
                    .withDetail("apiVersion", version.apiVersion())
                    .build();
        } catch (EngineException e) {
            return Health.down().withDetail("host", engine.host()).withDetail("error", e.getMessage()).build();
        }
    }
}
