package io.chainlink.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainlink.support.TestProperties;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Schema;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The stage defaults the API document states are the ones this instance is configured with. */
class StageDefaultsDocumentTest {

    @Test
    void eachFieldStatesTheConfiguredDefaultAndNoneIsADocumentDefault() {
        OpenAPI api = new OpenAPI().components(new Components()
                .schemas(ModelConverters.getInstance(true).readAll(StageRequest.class)));

        new OpenApiConfiguration().stageDefaultsFromConfiguration(TestProperties.of(Map.of(
                        "chainlink.defaults.memory", "512m",
                        "chainlink.defaults.timeout", "2.5",
                        "chainlink.defaults.pull", "always",
                        "chainlink.defaults.user", "1000:1000")), JsonMapper.builder().build())
                .customise(api);

        Map<String, Schema> fields = api.getComponents().getSchemas().get("StageRequest").getProperties();
        assertThat(fields.get("memory").getDescription()).isEqualTo(
                "Memory cap; swap equal to it (no swap). When absent: \"512m\" (chainlink.defaults.memory)");
        assertThat(fields.get("timeout").getDescription()).endsWith("When absent: 2.5 (chainlink.defaults.timeout)");
        assertThat(fields.get("pull").getDescription()).endsWith("When absent: \"always\" (chainlink.defaults.pull)");
        assertThat(fields.get("user").getDescription()).endsWith("When absent: \"1000:1000\" (chainlink.defaults.user)");
        assertThat(fields.get("hostname").getDescription()).endsWith("When absent: \"container\" (chainlink.defaults.hostname)");
        assertThat(fields.get("networking").getDescription()).endsWith("When absent: true (chainlink.defaults.networking)");
        assertThat(fields.values()).allSatisfy(field -> assertThat(field.getDefault()).isNull());
    }
}
