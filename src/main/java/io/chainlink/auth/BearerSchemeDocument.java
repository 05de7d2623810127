package io.chainlink.auth;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.stereotype.Component;

/** {@code /v3/api-docs} declares the bearer scheme every API call needs, so that generated clients send the token. */
@Component
class BearerSchemeDocument implements OpenApiCustomizer {

    static final String SCHEME = "bearer";

    @Override
    public void customise(io.swagger.v3.oas.models.OpenAPI document) {
        if (document.getComponents() == null) {
            document.setComponents(new Components());
        }
        document.getComponents().addSecuritySchemes(SCHEME, new SecurityScheme()
                .type(SecurityScheme.Type.HTTP).scheme("bearer")
                .description("A client's token (chainlink.clients[n].token); a service with no clients needs none"));
        document.addSecurityItem(new SecurityRequirement().addList(SCHEME));
    }
}
