package io.chainlink.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.Version;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** What an operator watches, over HTTP: health with the database and the engine, info with both versions. */
class ObservabilityTest extends EngineTest {

    @Test
    void healthShowsTheDatabaseAndTheEngineWithItsVersions() {
        Response health = get("/actuator/health");

        assertThat(health.status()).as(health.text()).isEqualTo(200);
        assertThat(health.body().at("/status").asString()).isEqualTo("UP");
        assertThat(health.body().at("/components/db/status").asString()).isEqualTo("UP");
        assertThat(health.body().at("/components/engine/status").asString()).isEqualTo("UP");
        assertTheEnginesVersions(health.body().at("/components/engine/details"));
    }

    @Test
    void infoShowsTheServicesVersionFromTheBuildAndTheEngines() {
        Response info = get("/actuator/info");

        assertThat(info.status()).as(info.text()).isEqualTo(200);
        assertThat(info.body().at("/build/artifact").asString()).isEqualTo("chainlink");
        assertThat(info.body().at("/build/version").asString()).matches("\\d+\\.\\d+\\.\\d+.*");
        assertTheEnginesVersions(info.body().at("/engine"));
    }

    /** {@code version} and {@code apiVersion} are what the engine itself says. */
    private void assertTheEnginesVersions(JsonNode shown) {
        Version engine = docker().versionCmd().exec();
        assertThat(shown.get("version").asString()).isEqualTo(engine.getVersion());
        assertThat(shown.get("apiVersion").asString()).isEqualTo(engine.getApiVersion());
    }
}
