package io.chainlink.engine;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/health}'s {@code engine}: asks the engine each time; DOWN while it cannot be
 * reached. Its {@code disk} says what caps a stage's disk use there ({@link StageDisk}).
 */
@Component("engine")
class EngineHealth implements HealthIndicator {

    private final EngineAvailability availability;
    private final EngineConnection engine;
    private final StageDisk disk;

    EngineHealth(EngineAvailability availability, EngineConnection engine, StageDisk disk) {
        this.availability = availability;
        this.engine = engine;
        this.disk = disk;
    }

    @Override
    public Health health() {
        try {
            EngineConnection.Version version = availability.check();
            return Health.up()
                    .withDetail("host", engine.host())
                    .withDetail("version", version.version())
                    .withDetail("apiVersion", version.apiVersion())
                    .withDetail("disk", disk.caps())
                    .build();
        } catch (EngineException e) {
            return Health.down().withDetail("host", engine.host()).withDetail("error", e.getMessage()).build();
        }
    }
}
