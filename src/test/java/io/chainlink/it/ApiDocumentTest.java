package io.chainlink.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.info.BuildProperties;
import tools.jackson.databind.JsonNode;

/**
 * The OpenAPI document says what generated clients need (io.chainlink.clients proves it with two
 * of them); bodies are bounded.
 */
class ApiDocumentTest extends EngineTest {

    private static final String PROBLEM = "#/components/schemas/Problem";

    @Autowired
    private BuildProperties build;

    @Test
    void documentNamesTheServiceItsBuildsVersionAndOneTagOfStableOperations() {
        JsonNode docs = document();

        assertThat(docs.at("/info/title").asString()).isEqualTo("Chainlink");
        assertThat(docs.at("/info/version").asString()).isEqualTo(build.getVersion());
        Map<String, JsonNode> operations = operations(docs);
        assertThat(operations).containsOnlyKeys("submitJob", "getJob", "getResults", "getStageLog", "listJobs", "cancelJob");
        operations.values().forEach(operation -> assertThat(operation.get("tags").toString()).isEqualTo("[\"jobs\"]"));
        assertThat(get("/swagger-ui.html").status()).isEqualTo(200);
    }

    @Test
    void everyErrorAnswerIsAProblemAndEachOperationListsItsOwn() {
        JsonNode docs = document();
        Map<String, JsonNode> operations = operations(docs);

        operations.forEach((id, operation) -> {
            assertThat(operation.get("responses").propertyNames()).as(id).contains("400", "401", "403");
            operation.get("responses").properties().stream().filter(answer -> answer.getKey().compareTo("400") >= 0)
                    .forEach(answer -> assertThat(resolved(docs, answer.getValue())
                            .at("/content/application~1problem+json/schema/$ref").asString())
                            .as(id + " " + answer.getKey()).isEqualTo(PROBLEM));
        });
        assertThat(operations.get("submitJob").get("responses").propertyNames()).contains("202", "413", "415", "503");
        assertThat(operations.get("cancelJob").get("responses").propertyNames()).contains("200", "202", "404", "409");
        List.of("getJob", "getResults", "getStageLog").forEach(id ->
                assertThat(operations.get(id).get("responses").propertyNames()).as(id).contains("404"));

        JsonNode problem = docs.at("/components/schemas/Problem");
        assertThat(problem.get("required").toString()).contains("status", "title");
        assertThat(problem.at("/properties/errors/items/$ref").asString()).isEqualTo("#/components/schemas/FieldProblem");
        assertThat(docs.at("/components/schemas/FieldProblem/required").toString()).contains("field", "message");
    }

    @Test
    void stageFieldsShowTheFormsTheServiceReadsAndNoDefaultOfTheirOwn() {
        JsonNode schemas = document().get("components").get("schemas");
        JsonNode stage = schemas.get("StageRequest");

        assertThat(stage.get("required").toString()).isEqualTo("[\"image\"]");
        assertThat(schemas.get("JobSubmission").get("required").toString()).contains("stages");
        assertThat(stage.at("/properties/entrypoint/$ref").asString()).isEqualTo("#/components/schemas/Entrypoint");
        assertThat(schemas.get("Entrypoint").get("oneOf").toString())
                .isEqualTo("[{\"type\":\"array\",\"items\":{\"type\":\"string\"}},{\"type\":\"string\"}]");
        assertThat(schemas.get("Entrypoint").has("properties")).isFalse();
        assertThat(stage.at("/properties/memory/$ref").asString()).isEqualTo("#/components/schemas/MemoryLimit");
        assertThat(schemas.get("MemoryLimit").get("oneOf").findValuesAsString("type")).containsExactly("string", "integer");
        assertThat(schemas.get("PullPolicy").get("enum").toString()).isEqualTo("[\"never\",\"if-not-present\",\"always\"]");

        // A generated client sends a documented default explicitly, overriding the operator's.
        assertThat(stage.findValues("default")).isEmpty();
        assertThat(stage.at("/properties/memory/description").asString()).endsWith("When absent: \"2g\" (chainlink.defaults.memory)");
        assertThat(stage.at("/properties/timeout/description").asString()).endsWith("When absent: 30 (chainlink.defaults.timeout)");
    }

    @Test
    void answersAreTypedAsTheServiceWritesThem() {
        JsonNode docs = document();
        JsonNode schemas = docs.get("components").get("schemas");

        assertThat(schemas.at("/Job/properties/status/$ref").asString()).isEqualTo("#/components/schemas/JobStatus");
        assertThat(operations(docs).get("listJobs").get("parameters").valueStream()
                .filter(parameter -> parameter.get("name").asString().equals("status"))
                .map(parameter -> parameter.at("/schema/$ref").asString()))
                .containsExactly("#/components/schemas/JobStatus");
        assertThat(schemas.at("/JobStatus/enum").toString())
                .isEqualTo("[\"QUEUED\",\"RUNNING\",\"SUCCEEDED\",\"FAILED\",\"ERROR\",\"CANCELLED\"]");
        assertThat(schemas.at("/Stage/properties/status/$ref").asString()).isEqualTo("#/components/schemas/StageStatus");
        assertThat(schemas.at("/StageStatus/enum").toString())
                .isEqualTo("[\"PENDING\",\"RUNNING\",\"SUCCEEDED\",\"FAILED\",\"CANCELLED\",\"ERROR\",\"SKIPPED\"]");
        assertThat(schemas.at("/Job/properties/finishedAt/type").toString()).isEqualTo("[\"string\",\"null\"]");
        assertThat(schemas.at("/Job/required").toString()).contains("finishedAt", "stages");

        assertThat(schemas.at("/StageResult/properties/data/$ref").asString()).isEqualTo("#/components/schemas/ContainerState");
        assertThat(schemas.at("/ContainerState/type").asString()).isEqualTo("object");
        assertThat(schemas.at("/Logs/properties/stdout/type").toString()).isEqualTo("[\"string\",\"null\"]");
        assertThat(schemas.at("/Logs/required").toString()).contains("stdout", "stderr");
        assertThat(operations(docs).get("getStageLog").at("/responses/200/content").propertyNames())
                .containsExactly("text/plain", "text/event-stream");
    }

    private JsonNode document() {
        Response docs = get("/v3/api-docs");
        assertThat(docs.status()).isEqualTo(200);
        return docs.body();
    }

    /** {@code {"$ref": "#/components/responses/NotFound"}} as what it refers to. */
    private static JsonNode resolved(JsonNode docs, JsonNode node) {
        return node.has("$ref") ? docs.at(node.get("$ref").asString().substring(1)) : node;
    }

    private static Map<String, JsonNode> operations(JsonNode docs) {
        Map<String, JsonNode> operations = new TreeMap<>();
        docs.get("paths").forEach(path -> path.forEach(operation -> operations.put(operation.get("operationId").asString(), operation)));
        return operations;
    }

    /** Generated clients ask for the JSON type their errors have; the log is text all the same. */
    @Test
    void stageLogIsTextWhateverTypeTheClientAccepts() throws Exception {
        String id = submit("""
                {"stages": [{"image": "IMAGE", "entrypoint": ["echo", "hi"]}]}""");
        awaitEnd(id);

        for (String accept : List.of("application/problem+json", "application/json", "text/plain", "*/*")) {
            var response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/api/v1/jobs/" + id + "/stages/0/logs/stdout"))
                    .header("Accept", accept).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(accept).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).as(accept).hasValue("text/plain;charset=UTF-8");
            assertThat(response.body()).as(accept).endsWith(" hi\n");
        }
    }

    @Test
    void bodyOverTheSizeLimitIsRefusedAndNothingIsStored() {
        String huge = "{\"stages\": [{\"image\": \"" + "x".repeat(2 * 1024 * 1024) + "\"}]}";
        Response response = post("/api/v1/jobs", huge);
        assertThat(response.status()).isEqualTo(413);
        assertThat(response.headers().get("content-type").get(0)).startsWith("application/problem+json");
        assertThat(get("/api/v1/jobs?limit=500").body().get("jobs").findValuesAsString("status")).doesNotContain("QUEUED");
    }

    @Test
    void chunkedBodyOverTheSizeLimitIsRefusedToo() throws Exception {
        // No Content-Length: the body streams in chunks, and reading stops at the bound.
        byte[] huge = ("{\"stages\": [{\"image\": \"" + "x".repeat(2 * 1024 * 1024) + "\"}]}").getBytes();
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/api/v1/jobs"))
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(huge)))
                .build();
        var response = java.net.http.HttpClient.newHttpClient().send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(413);
    }

    @Test
    void nulInAnEnvironmentValueIsABadRequestNotAServerError() {
        Response response = post("/api/v1/jobs", chain("""
                {"stages": [{"image": "IMAGE", "env": {"A": "x\\u0000y"}}]}"""));
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body().get("errors").get(0).get("field").asString()).isEqualTo("stages[0].env");
    }
}
