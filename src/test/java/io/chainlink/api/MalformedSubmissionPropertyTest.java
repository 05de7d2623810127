package io.chainlink.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.Container;
import io.chainlink.engine.EngineConnection;
import io.chainlink.engine.Labels;
import io.chainlink.job.StoreId;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestContextManager;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.util.RawValue;

/**
 * Thousands of broken submissions, sent over HTTP to the running service: whatever is wrong with
 * a body (its bytes, its JSON, a type, a bound, its content type), the answer is a 4xx problem in
 * the API's words, and nothing is stored or run. Every generated submission is broken by
 * construction (a valid one would be stored and fail the property), and the chainlink stage they
 * start from is accepted in {@link SubmissionValidationTest}.
 *
 * <p>jqwik runs beside JUnit Jupiter, so the Spring test context is set up here by hand, from this
 * class's own annotations. A fixed seed keeps CI runs identical.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "chainlink.workers=0")
@DirtiesContext
class MalformedSubmissionPropertyTest {

    private static final TestContextManager SPRING = new TestContextManager(MalformedSubmissionPropertyTest.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final Set<String> FIELDS = Set.of("image", "entrypoint", "hostname", "memory", "networking",
            "privileged", "timeout", "env", "pull", "cpuset_cpus", "logs", "user", "capabilities", "cpus");
    /** Replaced in the encoded body by bytes no JSON encoder writes: raw control characters, broken UTF-8. */
    private static final String MARK = "MARKMARK";
    /** Past chainlink.max-request-size (1 MB by default): answered 413 before the body is read. */
    private static final int OVER_THE_BODY_BOUND = 1_100_000;

    @LocalServerPort
    private int port;

    @Autowired
    private JdbcClient jdbc;

    @Autowired
    private EngineConnection engine;

    @Autowired
    private StoreId store;

    record Submission(String description, byte[] body, String contentType) {

        @Override
        public String toString() { // what jqwik reports for a failing try: never a megabyte
            String text = new String(body, StandardCharsets.UTF_8);
            return description + " as " + contentType + ": "
                    + (text.length() > 300 ? text.substring(0, 300) + "... (" + body.length + " bytes)" : text);
        }
    }

    @BeforeProperty
    void startTheService() throws Exception {
        SPRING.prepareTestInstance(this);
    }

    @AfterContainer
    static void stopTheService() throws Exception {
        SPRING.afterTestClass();
    }

    @Property(tries = 4000, seed = "20261125")
    void aBrokenSubmissionAnswersA4xxProblemAndStoresNothing(@ForAll("brokenSubmissions") Submission submission) {
        HttpResponse<String> response = send(submission);

        assertThat(response.statusCode()).as("status").isBetween(400, 499);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.path("status").asInt()).isEqualTo(response.statusCode());
        assertThat(problem.path("detail").asString()).isNotBlank()
                .doesNotContain("java.", "tools.jackson", "io.chainlink", "Cannot deserialize", "JsonToken", "`");
        assertThat(count("jobs") + count("stages")).as("jobs and stages stored").isZero();
    }

    @AfterProperty
    void nothingIsListedOrRun() throws Exception {
        HttpResponse<String> jobs = HTTP.send(HttpRequest.newBuilder(uri()).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(JSON.readTree(jobs.body()).path("jobs").isEmpty()).as(jobs.body()).isTrue();
        // Other test contexts run containers on the same engine at the same time: only this store's count.
        List<Container> ours = engine.client().listContainersCmd().withShowAll(true)
                .withLabelFilter(List.of(Labels.JOB, Labels.STORE + "=" + store.value())).exec();
        assertThat(ours).as("containers labelled " + Labels.JOB + " for this store").isEmpty();
    }

    @Provide
    Arbitrary<Submission> brokenSubmissions() {
        return Arbitraries.frequencyOf(
                Tuple.of(8, mutatedStages()),
                Tuple.of(2, brokenTopLevel()),
                Tuple.of(2, truncated()),
                Tuple.of(1, deeplyNested()),
                Tuple.of(2, rawBytesInAString()),
                Tuple.of(1, nonStandardNumbers()),
                Tuple.of(1, tooManyStages()),
                Tuple.of(1, hugeEnvironments()),
                Tuple.of(1, megabyteStrings()),
                Tuple.of(1, wrongContentTypes()));
    }

    // --- broken JSON values, one field at a time, in a valid chainlink stage ---

    private Arbitrary<Submission> mutatedStages() {
        Arbitrary<Map.Entry<String, Object>> breakage = Arbitraries.oneOf(
                brokenValue("image", brokenImages()),
                brokenValue("timeout", brokenTimeouts()),
                brokenValue("memory", brokenMemory()),
                brokenValue("networking", notABoolean()),
                brokenValue("privileged", notABoolean()),
                brokenValue("logs", notABoolean()),
                brokenValue("env", brokenEnvironments()),
                brokenValue("entrypoint", brokenEntrypoints()),
                brokenValue("hostname", brokenHostnames()),
                brokenValue("cpuset_cpus", Arbitraries.oneOf(notAString(), stringsWith("az-,. ", "x"))),
                brokenValue("user", Arbitraries.oneOf(notAString(), stringsWith(" !#$%&*()", "a"),
                        values("", ":", "a:", "-x", "x".repeat(33)))),
                brokenValue("pull", Arbitraries.oneOf(notAString(), values("", "sometimes", "if_not_present", "pull"))),
                brokenValue("cpus", Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(8).map(s -> (Object) s), booleans(),
                        lists(), objects(), Arbitraries.doubles().between(-1e9, 0.009).ofScale(3).map(d -> (Object) d),
                        Arbitraries.doubles().between(1024.5, 1e300).map(d -> (Object) d))),
                brokenValue("capabilities", Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(8).map(s -> (Object) s),
                        booleans(), objects(), Arbitraries.integers().map(n -> (Object) n),
                        values(List.of("x"), List.of(1, 2), List.of("net_admin"), List.of("CAP_NOPE"), List.of(List.of())))),
                Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(12)
                        .filter(name -> !FIELDS.contains(name)).map(name -> Map.entry(name, (Object) "x")));
        return Combinators.combine(breakage.list().ofMinSize(1).ofMaxSize(3), Arbitraries.integers().between(0, 2),
                        Arbitraries.of(true, false))
                .as((broken, position, missingImage) -> {
                    List<Object> stages = new ArrayList<>(Collections.nCopies(position, validStage()));
                    Map<String, Object> stage = validStage();
                    broken.forEach(field -> stage.put(field.getKey(), field.getValue()));
                    if (missingImage && broken.stream().noneMatch(field -> field.getKey().equals("image"))) {
                        stage.remove("image");
                    }
                    stages.add(stage);
                    return json("stage " + position + " with " + broken.stream().map(Map.Entry::getKey).toList()
                            + (missingImage ? " and no image" : ""), submission(stages));
                });
    }

    private static Arbitrary<Map.Entry<String, Object>> brokenValue(String field, Arbitrary<?> values) {
        return values.map(value -> Map.entry(field, (Object) value));
    }

    /** Each holds a character no image reference has, or breaks the grammar's shape or length. */
    private static Arbitrary<Object> brokenImages() {
        return Arbitraries.oneOf(notAString(),
                stringsWith(" !#$%&*()<>?\"\\\u0000\t\n,;=~é", "alpine"),
                values("", " ", "Alpine", "alpine:", "alpine:-1", ":latest", "alpine@", "alpine@sha256:abc",
                        "x//y", "x/", "/x", "a..b", "a___b", "-x.io/y", "a".repeat(256), "alpine:" + "t".repeat(129)));
    }

    private static Arbitrary<Object> brokenTimeouts() {
        return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(8).map(s -> (Object) s), booleans(), lists(), objects(),
                Arbitraries.doubles().between(-1e9, 0).map(d -> (Object) d),
                Arbitraries.doubles().between(604_801, 1e300).map(d -> (Object) d),
                values(new RawValue("1e400"), new RawValue("-0"), new RawValue("-1e400"), new RawValue("1e-400"),
                        new RawValue("99999999999999999999999999")));
    }

    private static Arbitrary<Object> brokenMemory() {
        return Arbitraries.oneOf(booleans(), lists(), objects(),
                Arbitraries.longs().between(Long.MIN_VALUE, 6L * 1024 * 1024 - 1).map(n -> (Object) n),
                Arbitraries.doubles().between(6.5e6, 1e12).filter(d -> d != Math.rint(d)).map(d -> (Object) d),
                Arbitraries.strings().withCharRange('h', 'z').ofMinLength(1).ofMaxLength(6).map(s -> (Object) s),
                values("", "5m", "1k", "6291455", "-1g", "2 g g", "1e9", "0x10", new RawValue("99999999999999999999")));
    }

    private static Arbitrary<Object> brokenEnvironments() {
        Arbitrary<Object> badEntry = Arbitraries.oneOf(
                values(Map.of("", "x"), Map.of("A=B", "x"), Map.of("A\u0000", "x"), Map.of("A", "x\u0000y"),
                        Map.of("A", new RawValue("\"\\ud800\"")), Map.of("A", "x".repeat(131_072))),
                Arbitraries.oneOf(Arbitraries.integers().map(n -> (Object) n), booleans(), lists(), objects(),
                        Arbitraries.just((Object) new RawValue("null"))).map(value -> (Object) Map.of("A", value)));
        return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(8).map(s -> (Object) s),
                Arbitraries.integers().map(n -> (Object) n), booleans(), lists(), badEntry);
    }

    private static Arbitrary<Object> brokenEntrypoints() {
        return Arbitraries.oneOf(Arbitraries.integers().map(n -> (Object) n), booleans(), objects(),
                values(List.of(), List.of("sh", 1), List.of("sh", true), List.of(List.of("sh")), List.of(Map.of()),
                        List.of("a\u0000b"), List.of("x".repeat(131_072)), Collections.nCopies(30_000, ""),
                        "sh -c 'x", "\"", "a\\", "", "   ", "sh \u0000", new RawValue("[\"sh\", null]")));
    }

    private static Arbitrary<Object> brokenHostnames() {
        return Arbitraries.oneOf(notAString(), stringsWith("_. !@é\u0000", "h"),
                values("", "-a", "a-", "x".repeat(64)));
    }

    // --- broken bodies ---

    private Arbitrary<Submission> brokenTopLevel() {
        return Arbitraries.oneOf(
                Arbitraries.oneOf(notAString(), Arbitraries.strings().ofMaxLength(5).map(s -> (Object) s),
                                values(List.of(), new RawValue("null"), new RawValue("[null]"), List.of("alpine"), List.of(5)))
                        .map(stages -> json("stages of " + stages, Map.of("stages", stages))),
                brokenEnvironments().map(environ -> json("environ of " + environ,
                        Map.of("stages", List.of(validStage()), "environ", environ))),
                Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(10)
                        .filter(name -> !name.equals("stages") && !name.equals("environ"))
                        .map(name -> json("unknown field " + name, Map.of("stages", List.of(validStage()), name, 1))),
                Arbitraries.of("", " ", "null", "true", "5", "\"x\"", "[]", "{}", "[{\"stages\": []}]", "{\"stages\": []} x",
                                "{\"stages\": [{\"image\": \"alpine\"}]}}", "{\"stages\": [{\"image\": \"alpine\", \"image\": \"alpine\"}]}",
                                "{'stages': []}", "{stages: []}", "{\"stages\": [{\"image\": \"alpine\",}]}", "\uFEFF{\"stages\": 1}")
                        .map(text -> json("the body " + text, new RawValue(text))));
    }

    /** A compact JSON object cut anywhere before its end is never JSON. */
    private Arbitrary<Submission> truncated() {
        byte[] whole = encode(submission(List.of(validStage())));
        return Arbitraries.integers().between(0, whole.length - 1)
                .map(length -> new Submission("cut at " + length, Arrays.copyOf(whole, length), "application/json"));
    }

    private Arbitrary<Submission> deeplyNested() {
        return Arbitraries.integers().between(2, 3000).flatMap(depth -> Arbitraries.of(
                json("entrypoint nested " + depth, submission(List.of(withField("entrypoint",
                        new RawValue("[".repeat(depth) + "\"sh\"" + "]".repeat(depth)))))),
                json("env nested " + depth, submission(List.of(withField("env",
                        new RawValue("{\"A\": ".repeat(depth) + "\"x\"" + "}".repeat(depth)))))),
                json("a body nested " + depth, new RawValue("[".repeat(depth) + "]".repeat(depth)))));
    }

    /** A raw control character, or bytes that are not UTF-8, inside a string: neither is JSON. */
    private Arbitrary<Submission> rawBytesInAString() {
        Arbitrary<byte[]> bad = Arbitraries.oneOf(
                Arbitraries.integers().between(0, 0x1F).map(c -> new byte[] {(byte) (int) c}),
                Arbitraries.of(new byte[] {(byte) 0xFF}, new byte[] {(byte) 0xFE}, new byte[] {(byte) 0x80},
                        new byte[] {(byte) 0xC3}, new byte[] {(byte) 0xE2, (byte) 0x82}, new byte[] {(byte) 0xF0, (byte) 0x9F},
                        new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, new byte[] {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}));
        return Combinators.combine(Arbitraries.of("image", "hostname", "user", "memory", "pull"), bad)
                .as((field, bytes) -> {
                    byte[] body = encode(submission(List.of(withField(field, "a" + MARK + "b"))));
                    return new Submission(field + " holding " + HexFormat.of().formatHex(bytes),
                            replaceMark(body, bytes), "application/json");
                });
    }

    private Arbitrary<Submission> nonStandardNumbers() {
        return Combinators.combine(Arbitraries.of("timeout", "memory"),
                        Arbitraries.of("NaN", "-NaN", "Infinity", "-Infinity", "+1", "01", ".5", "1.", "0x10", "1e", "--1"))
                .as((field, token) -> json(field + " " + token, submission(List.of(withField(field, new RawValue(token))))));
    }

    private Arbitrary<Submission> tooManyStages() {
        return Arbitraries.integers().between(33, 400).map(count -> json(count + " stages",
                submission(Collections.nCopies(count, validStage()))));
    }

    /** Past the environment's share of ARG_MAX, however the bytes are spread. */
    private Arbitrary<Submission> hugeEnvironments() {
        return Combinators.combine(Arbitraries.integers().between(9_000, 20_000), Arbitraries.integers().between(20, 30),
                        Arbitraries.of("env", "environ"))
                .as((count, length, where) -> {
                    Map<String, Object> env = new LinkedHashMap<>();
                    for (int i = 0; i < count; i++) {
                        env.put("V" + i, "x".repeat(length));
                    }
                    Map<String, Object> body = where.equals("env") ? submission(List.of(withField("env", env)))
                            : new LinkedHashMap<>(Map.of("stages", List.of(validStage()), "environ", env));
                    return json(count + " variables of " + length + " bytes in " + where, body);
                });
    }

    private Arbitrary<Submission> megabyteStrings() {
        return Combinators.combine(Arbitraries.of("image", "hostname", "memory", "user", "cpuset_cpus", "pull", "timeout"),
                        Arbitraries.integers().between(500_000, OVER_THE_BODY_BOUND))
                .as((field, length) -> json(field + " of " + length + " characters",
                        submission(List.of(withField(field, "9".repeat(length))))));
    }

    /** The valid submission itself, sent as something other than JSON. */
    private Arbitrary<Submission> wrongContentTypes() {
        byte[] valid = ChainlinkStage.SUBMISSION.getBytes(StandardCharsets.UTF_8);
        return Arbitraries.of("text/plain", "application/xml", "application/x-www-form-urlencoded",
                        "multipart/form-data; boundary=x", "application/octet-stream", "text/json", "application/problem+json",
                        "application/json-patch+json", "application/jsonx", "json", "*/*", "application/*", "nonsense/;;",
                        "application/json; charset=nope")
                .map(type -> new Submission("the chainlink stage", valid, type));
    }

    // --- building blocks ---

    private static Arbitrary<Object> notAString() {
        return Arbitraries.oneOf(Arbitraries.integers().map(n -> (Object) n), Arbitraries.doubles().map(d -> (Object) d),
                booleans(), lists(), objects());
    }

    private static Arbitrary<Object> notABoolean() {
        return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(6).map(s -> (Object) s),
                values("true", "false", "1", "0"), Arbitraries.integers().between(-1, 2).map(n -> (Object) n),
                lists(), objects());
    }

    private static Arbitrary<Object> booleans() {
        return values(true, false);
    }

    private static Arbitrary<Object> values(Object... values) {
        return Arbitraries.of(values);
    }

    private static Arbitrary<Object> lists() {
        return values(List.of(), List.of("x"), List.of(1, 2));
    }

    private static Arbitrary<Object> objects() {
        return values(Map.of(), Map.of("a", "b"));
    }

    /** Strings of {@code base} with at least one of {@code forbidden} somewhere in them. */
    private static Arbitrary<Object> stringsWith(String forbidden, String base) {
        return Combinators.combine(Arbitraries.integers().between(0, base.length()),
                        Arbitraries.of(forbidden.chars().mapToObj(c -> String.valueOf((char) c)).toList()))
                .as((at, bad) -> base.substring(0, at) + bad + base.substring(at));
    }

    private static Map<String, Object> validStage() {
        Map<String, Object> submission = JSON.readValue(ChainlinkStage.SUBMISSION, LinkedHashMap.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> stage = new LinkedHashMap<>(((List<Map<String, Object>>) submission.get("stages")).get(0));
        return stage;
    }

    private static Map<String, Object> withField(String field, Object value) {
        Map<String, Object> stage = validStage();
        stage.put(field, value);
        return stage;
    }

    private static Map<String, Object> submission(List<?> stages) {
        Map<String, Object> submission = new LinkedHashMap<>();
        submission.put("stages", stages);
        return submission;
    }

    private static Submission json(String description, Object body) {
        return new Submission(description, encode(body), "application/json");
    }

    private static byte[] encode(Object body) {
        return JSON.writeValueAsBytes(body);
    }

    private static byte[] replaceMark(byte[] body, byte[] replacement) {
        String text = new String(body, StandardCharsets.ISO_8859_1);
        int at = text.indexOf(MARK);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(body, 0, at);
        out.writeBytes(replacement);
        out.write(body, at + MARK.length(), body.length - at - MARK.length());
        return out.toByteArray();
    }

    private HttpResponse<String> send(Submission submission) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(submission.body()));
            if (!submission.contentType().isEmpty()) {
                request.header("Content-Type", submission.contentType());
            }
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private URI uri() {
        return URI.create("http://127.0.0.1:" + port + "/api/v1/jobs");
    }

    private long count(String table) {
        return jdbc.sql("SELECT COUNT(*) FROM " + table).query(Long.class).single();
    }
}
