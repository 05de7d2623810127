package io.chainlink.engine;

import java.util.Map;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/info}'s {@code engine}: the Docker version the service runs containers on,
 * asked each time, or why it could not be asked. Beside the service's own version ({@code build},
 * from the build's build-info).
 */
@Component
class EngineInfo implements InfoContributor {

    private final EngineAvailability availability;

    EngineInfo(EngineAvailability availability) {
        this.availability = availability;
    }

    @Override
    public void contribute(Info.Builder info) {
        try {
            EngineConnection.Version version = availability.check();
            info.withDetail("engine", Map.of("version", version.version(), "apiVersion", version.apiVersion()));
        } catch (EngineException e) {
            info.withDetail("engine", Map.of("error", String.valueOf(e.getMessage())));
        }
    }
}
