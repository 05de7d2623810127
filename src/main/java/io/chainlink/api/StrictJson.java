package io.chainlink.api;

import org.springframework.boot.jackson.autoconfigure.JsonFactoryBuilderCustomizer;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.cfg.EnumFeature;
import tools.jackson.databind.type.LogicalType;

/**
 * JSON is read as written: a value of the wrong JSON type is refused, never converted. By default
 * Jackson reads {@code "image": 5} as the image "5", {@code "timeout": "5"} as 5 seconds,
 * {@code "networking": "true"} or {@code 1} as true and {@code "pull": 0} as the first policy; a
 * submission that says something else than it means should fail where it is written.
 *
 * <p>What stays accepted is what chainlink's stage dictionaries legitimately hold: a whole number
 * where a number is expected ({@code "timeout": 30}), and the fields whose parsers take more than
 * one JSON type on purpose ({@code memory}: bytes or "2g"; {@code entrypoint}: a list or one
 * string). The same mapper reads the stored stages and the engine's answers, which hold the
 * right types, so the rules cost them nothing.
 */
@Configuration(proxyBeanMethods = false)
class StrictJson {

    /**
     * A submission nests 5 deep at most (body, stages, a stage, env or entrypoint, a value);
     * Jackson's default of 500 lets one body drive deep recursion on a request thread, whose stack
     * is small (-Xss512k). Docker's answers, read by the same mapper, nest less than 10 deep.
     */
    private static final int MAX_NESTING_DEPTH = 32;

    @Bean
    JsonMapperBuilderCustomizer strictTypes() {
        return builder -> builder
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS) // strings to numbers or booleans, numbers to booleans
                .withCoercionConfig(LogicalType.Textual, strings -> strings // numbers and booleans to strings
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                // Jackson reads a blank string (" ", or a lone NUL) as null, so "timeout": " " took the default.
                .withCoercionConfigDefaults(all -> all.setAcceptBlankAsEmpty(false))
                .enable(EnumFeature.FAIL_ON_NUMBERS_FOR_ENUMS) // "pull": 0 is not the first policy
                // A typo such as "timout" must not pass silently, nor one field given twice.
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
    }

    /** Set here rather than under {@code spring.jackson.factory.constraints}, which this replaces. */
    @Bean
    JsonFactoryBuilderCustomizer shallowDocuments() {
        return factory -> factory.streamReadConstraints(StreamReadConstraints.defaults().rebuild()
                .maxNestingDepth(MAX_NESTING_DEPTH)
                .build());
    }
}
