package io.chainlink.api;

import io.chainlink.config.ChainlinkProperties;
import io.chainlink.stage.StageDefaults;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.servers.Server;
import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The OpenAPI document ({@code /v3/api-docs}) as clients generated from it need it: the service's
 * name and its build's version, an RFC 9457 problem for every error answer, and the stage defaults
 * this instance applies, written from its configuration into the fields' descriptions. They are
 * never written as {@code default:}: a generated client sends a documented default explicitly, and
 * would override an operator's own.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    private static final String RESPONSES = "#/components/responses/";
    static final String BAD_REQUEST = RESPONSES + "BadRequest";
    static final String NOT_FOUND = RESPONSES + "NotFound";
    static final String CONFLICT = RESPONSES + "Conflict";
    static final String CONTENT_TOO_LARGE = RESPONSES + "ContentTooLarge";
    static final String NOT_A_FILE = RESPONSES + "NotARegularFile";
    static final String UNSUPPORTED_MEDIA_TYPE = RESPONSES + "UnsupportedMediaType";
    static final String QUEUE_FULL = RESPONSES + "QueueFull";
    static final String QUOTA_EXCEEDED = RESPONSES + "QuotaExceeded";
    private static final String UNAUTHORIZED = RESPONSES + "Unauthorized";
    private static final String FORBIDDEN = RESPONSES + "Forbidden";

    @Bean
    OpenAPI chainlinkApi(ObjectProvider<BuildProperties> build, ChainlinkProperties properties) {
        BuildProperties info = build.getIfAvailable();
        Components components = new Components();
        answer(components, BAD_REQUEST, "The request is not valid: errors names each field or parameter that is wrong, and why");
        answer(components, UNAUTHORIZED, "No valid credentials were given");
        answer(components, FORBIDDEN, "The credentials given do not allow this");
        answer(components, NOT_FOUND, "No such job (or stage, or stored log)");
        answer(components, CONFLICT, "The job has already ended");
        answer(components, CONTENT_TOO_LARGE, "The body is larger than this service reads: "
                + properties.maxRequestSize().toBytes() + " bytes (chainlink.max-request-size), a multipart one "
                + properties.files().maxUpload().toBytes() + " bytes (chainlink.files.max-upload)");
        answer(components, NOT_A_FILE, "The path names a directory or a link of /job, not a regular file: entryType says which,"
                + " linkTarget where a link points (links are never followed)");
        answer(components, UNSUPPORTED_MEDIA_TYPE, "The body is not application/json");
        answer(components, QUOTA_EXCEEDED, "The client's tenant has as many jobs queued as its quota allows: submit again later")
                .addHeaderObject("Retry-After", new Header()
                        .description("Seconds to wait before submitting again").schema(new IntegerSchema()));
        answer(components, QUEUE_FULL, "The queue is full (chainlink.max-queued): submit again later")
                .addHeaderObject("Retry-After", new Header().description("Seconds to wait before trying again")
                        .schema(new IntegerSchema()));
        ModelConverters.getInstance(true).readAll(Problem.class).forEach(components::addSchemas);
        return new OpenAPI()
                .info(new Info().title("Chainlink")
                        .description("Queues and runs chains of Docker containers: a job is a list of stages run in"
                                + " order, all sharing /job. Errors are RFC 9457 problems (application/problem+json).")
                        // One source: the build's (spring-boot-maven-plugin's build-info); absent only
                        // when run from classes no Maven build has made.
                        .version(info == null ? "unknown" : info.getVersion()))
                // Relative: the document describes the service that serves it, wherever it is reached.
                .servers(List.of(new Server().url("/")))
                .components(components);
    }

    /**
     * Every operation may be refused for its parameters or body (400), and once authentication is
     * on, for the lack (401) or the reach (403) of its credentials. Answers sorted by status.
     */
    @Bean
    OpenApiCustomizer problemsOfEveryOperation() {
        return api -> api.getPaths().values().forEach(path -> path.readOperations().forEach(operation -> {
            Map<String, ApiResponse> byStatus = new TreeMap<>(operation.getResponses());
            byStatus.put("400", new ApiResponse().$ref(BAD_REQUEST));
            byStatus.put("401", new ApiResponse().$ref(UNAUTHORIZED));
            byStatus.put("403", new ApiResponse().$ref(FORBIDDEN));
            ApiResponses responses = new ApiResponses();
            byStatus.forEach(responses::addApiResponse);
            operation.setResponses(responses);
        }));
    }

    /**
     * A field that holds an object or null, as OpenAPI 3.1 says it: one of the object's schema or
     * null. Swagger writes {@code type: null} beside the {@code $ref}, which nothing satisfies, and
     * which generators read as a field that is always null.
     */
    @Bean
    OpenApiCustomizer nullableReferences() {
        return api -> api.getComponents().getSchemas().values().forEach(schema -> {
            Map<String, Schema> fields = schema.getProperties();
            if (fields == null) {
                return;
            }
            fields.replaceAll((name, field) -> field.get$ref() == null || field.getTypes() == null || !field.getTypes().contains("null")
                    ? field
                    : new Schema<>().description(field.getDescription())
                            .anyOf(List.of(new Schema<>().$ref(field.get$ref()), new Schema<>().types(Set.of("null")))));
        });
    }

    /**
     * Each stage field's default, as this instance is configured ({@code chainlink.defaults.*}),
     * appended to the field's description. Every default must have its field.
     */
    @Bean
    OpenApiCustomizer stageDefaultsFromConfiguration(ChainlinkProperties properties, JsonMapper json) {
        StageDefaults defaults = properties.defaults();
        return api -> {
            Map<String, Schema> fields = api.getComponents().getSchemas().get("StageRequest").getProperties();
            for (RecordComponent component : StageDefaults.class.getRecordComponents()) {
                Schema<?> field = fields.get(component.getName());
                if (field == null) {
                    throw new IllegalStateException("StageDefaults." + component.getName() + " is no field of StageRequest");
                }
                String property = "chainlink.defaults." + component.getName().replaceAll("([a-z])([A-Z])", "$1-$2")
                        .toLowerCase(Locale.ROOT);
                Object value = read(component, defaults);
                String absent = value == null ? "unset (" + property + ")" : literal(json, value) + " (" + property + ")";
                field.setDescription((field.getDescription() == null ? "" : field.getDescription() + ". ")
                        + "When absent: " + absent);
            }
        };
    }

    /** An error answer, named by its reference: a problem's schema and a description. */
    private static ApiResponse answer(Components components, String ref, String description) {
        ApiResponse answer = new ApiResponse().description(description).content(new Content().addMediaType(
                org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                new MediaType().schema(new Schema<>().$ref("#/components/schemas/Problem"))));
        components.addResponses(ref.substring(RESPONSES.length()), answer);
        return answer;
    }

    private static Object read(RecordComponent component, StageDefaults defaults) {
        try {
            return component.getAccessor().invoke(defaults);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** As the value is written in a stage's JSON: {@code "2g"}, {@code 30}, {@code "if-not-present"}. */
    private static String literal(JsonMapper json, Object value) {
        JsonNode node = json.valueToTree(value);
        if (node.isFloatingPointNumber() && node.asDouble() == Math.rint(node.asDouble())) {
            return String.valueOf(node.asLong());
        }
        return node.toString();
    }
}
