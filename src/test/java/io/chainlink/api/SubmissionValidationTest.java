package io.chainlink.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

/**
 * Every rule a submission can break answers 400 as a problem naming the field as the user wrote
 * it, and stores nothing. The class has its own context, hence its own database.
 */
@SpringBootTest
@AutoConfigureMockMvc
@DirtiesContext
class SubmissionValidationTest {

    private static final String JOBS = "/api/v1/jobs";
    private static final String SECRET = "a-callback-secret-for-tests";

    @Autowired
    private MockMvcTester mvc;

    @Autowired
    private JdbcClient jdbc;

    static Stream<Arguments> brokenRules() {
        return Stream.of(
                rule("a blank image", "{\"stages\": [{\"image\": \"  \"}]}", "stages[0].image"),
                rule("an empty image", "{\"stages\": [{\"image\": \"\"}]}", "stages[0].image"),
                rule("a missing image", "{\"stages\": [{\"hostname\": \"grader\"}]}", "stages[0].image"),
                rule("memory below the 6m floor", stage("\"memory\": \"5m\""), "stages[0].memory"),
                rule("memory in bytes below the floor", stage("\"memory\": 1000"), "stages[0].memory"),
                rule("memory that is not a size", stage("\"memory\": \"lots\""), "stages[0].memory"),
                rule("a timeout of zero", stage("\"timeout\": 0"), "stages[0].timeout"),
                rule("a negative timeout", stage("\"timeout\": -1"), "stages[0].timeout"),
                rule("a timeout over a week", stage("\"timeout\": 604801"), "stages[0].timeout"),
                rule("a hostname starting with '-'", stage("\"hostname\": \"-bad-\""), "stages[0].hostname"),
                rule("a hostname with '_'", stage("\"hostname\": \"a_b\""), "stages[0].hostname"),
                rule("an empty env name", stage("\"env\": {\"\": \"x\"}"), "stages[0].env"),
                rule("an env name with '='", stage("\"env\": {\"A=B\": \"x\"}"), "stages[0].env"),
                rule("an environ name with '='", "{\"stages\": [{\"image\": \"alpine\"}], \"environ\": {\"A=B\": \"x\"}}", "environ"),
                rule("an empty stage list", "{\"stages\": []}", "stages"),
                rule("no stage list", "{}", "stages"),
                rule("a misspelt field", stage("\"timout\": 5"), "stages[0].timout"),
                rule("a bad field in the second stage", "{\"stages\": [{\"image\": \"alpine\"}, {\"image\": \"alpine\", \"memory\": \"lots\"}]}", "stages[1].memory"),
                rule("a missing image in the second stage", "{\"stages\": [{\"image\": \"alpine\"}, {\"timeout\": 5}]}", "stages[1].image"),
                rule("a cpuset that is not a CPU list", stage("\"cpuset_cpus\": \"zero\""), "stages[0].cpuset_cpus"),
                rule("a cpuset range to a CPU number of 5 digits", stage("\"cpuset_cpus\": \"0-99999\""), "stages[0].cpuset_cpus"),
                rule("a cpuset list of more than 1024 characters", stage("\"cpuset_cpus\": \"0" + ",1".repeat(512) + "\""), "stages[0].cpuset_cpus"),
                rule("a user with a space", stage("\"user\": \"bad user\""), "stages[0].user"),
                rule("a capability in lower case", stage("\"capabilities\": [\"net_admin\"]"), "stages[0].capabilities[0]"),
                rule("a capability Linux does not know", stage("\"capabilities\": [\"NET_ADMIN\", \"CAP_NOPE\"]"), "stages[0].capabilities[1]"),
                rule("a capability that is null", stage("\"capabilities\": [null]"), "stages[0].capabilities[0]"),
                rule("more than 64 capabilities", stage("\"capabilities\": [" + "\"KILL\", ".repeat(64) + "\"KILL\"]"), "stages[0].capabilities"),
                rule("capabilities that are one string", stage("\"capabilities\": \"NET_ADMIN\""), "stages[0].capabilities"),
                rule("a capability that is a number", stage("\"capabilities\": [12]"), "stages[0].capabilities[0]"),
                rule("cpus of zero", stage("\"cpus\": 0"), "stages[0].cpus"),
                rule("negative cpus", stage("\"cpus\": -1"), "stages[0].cpus"),
                rule("cpus below a hundredth", stage("\"cpus\": 0.009"), "stages[0].cpus"),
                rule("cpus over 1024", stage("\"cpus\": 1025"), "stages[0].cpus"),
                rule("cpus that are a string", stage("\"cpus\": \"0.5\""), "stages[0].cpus"),
                rule("an unknown pull policy", stage("\"pull\": \"sometimes\""), "stages[0].pull"),
                rule("an entrypoint with an unbalanced quote", stage("\"entrypoint\": \"sh -c 'oops\""), "stages[0].entrypoint"),
                rule("an entrypoint list holding a number", stage("\"entrypoint\": [\"sh\", 1]"), "stages[0].entrypoint"),
                rule("an empty entrypoint list", stage("\"entrypoint\": []"), "stages[0].entrypoint"),
                // JSON types are read as written, never converted
                rule("an image that is a number", "{\"stages\": [{\"image\": 5}]}", "stages[0].image"),
                rule("an image that is a boolean", "{\"stages\": [{\"image\": true}]}", "stages[0].image"),
                rule("a timeout that is a string", stage("\"timeout\": \"5\""), "stages[0].timeout"),
                rule("a timeout that is an empty string", stage("\"timeout\": \"\""), "stages[0].timeout"),
                rule("a timeout that is a boolean", stage("\"timeout\": true"), "stages[0].timeout"),
                rule("a timeout that is a blank string", stage("\"timeout\": \" \""), "stages[0].timeout"),
                rule("a timeout that is a NUL", stage("\"timeout\": \"\\u0000\""), "stages[0].timeout"),
                rule("networking that is a blank string", stage("\"networking\": \" \""), "stages[0].networking"),
                rule("a pull policy that is a blank string", stage("\"pull\": \" \""), "stages[0].pull"),
                rule("an env that is a blank string", stage("\"env\": \" \""), "stages[0].env"),
                rule("a stage that is a blank string", "{\"stages\": [\" \"]}", "stages[0]"),
                rule("a timeout that is a list", stage("\"timeout\": [5]"), "stages[0].timeout"),
                rule("networking that is a string", stage("\"networking\": \"true\""), "stages[0].networking"),
                rule("networking that is a number", stage("\"networking\": 1"), "stages[0].networking"),
                rule("privileged that is a string", stage("\"privileged\": \"false\""), "stages[0].privileged"),
                rule("logs that is a number", stage("\"logs\": 0"), "stages[0].logs"),
                rule("a pull policy that is a number", stage("\"pull\": 0"), "stages[0].pull"),
                rule("an env value that is a number", stage("\"env\": {\"A\": 1}"), "stages[0].env.A"),
                rule("an env value that is an object", stage("\"env\": {\"A\": {}}"), "stages[0].env.A"),
                rule("an env that is a list", stage("\"env\": [\"A=1\"]"), "stages[0].env"),
                rule("an environ value that is a boolean", "{\"stages\": [{\"image\": \"alpine\"}], \"environ\": {\"A\": true}}", "environ.A"),
                rule("a hostname that is a number", stage("\"hostname\": 7"), "stages[0].hostname"),
                rule("a user that is a number", stage("\"user\": 1000"), "stages[0].user"),
                rule("a cpuset that is a number", stage("\"cpuset_cpus\": 0"), "stages[0].cpuset_cpus"),
                rule("an entrypoint that is a number", stage("\"entrypoint\": 5"), "stages[0].entrypoint"),
                rule("memory that is a boolean", stage("\"memory\": true"), "stages[0].memory"),
                rule("memory that is a fraction of a byte count", stage("\"memory\": 67108864.5"), "stages[0].memory"),
                rule("a stage that is a string", "{\"stages\": [\"alpine\"]}", "stages[0]"),
                rule("stages that are one object", "{\"stages\": {\"image\": \"alpine\"}}", "stages"),
                rule("a field given twice", "{\"stages\": [{\"image\": \"alpine\", \"image\": \"busybox\"}]}", "stages[0]"),
                // bounds where the engine is fragile
                rule("an uppercase repository", "{\"stages\": [{\"image\": \"Alpine\"}]}", "stages[0].image"),
                rule("an image with a space", "{\"stages\": [{\"image\": \"alpine latest\"}]}", "stages[0].image"),
                rule("an image with an empty tag", "{\"stages\": [{\"image\": \"alpine:\"}]}", "stages[0].image"),
                rule("an image with a short digest", "{\"stages\": [{\"image\": \"alpine@sha256:abc\"}]}", "stages[0].image"),
                rule("an image name of 256 characters", "{\"stages\": [{\"image\": \"" + "a".repeat(256) + "\"}]}", "stages[0].image"),
                rule("an image with NUL", "{\"stages\": [{\"image\": \"al\\u0000pine\"}]}", "stages[0].image"),
                rule("an entrypoint word over MAX_ARG_STRLEN", stage("\"entrypoint\": [\"" + "x".repeat(131_072) + "\"]"), "stages[0].entrypoint"),
                rule("a program over PATH_MAX (runc hangs on 64 KiB)", stage("\"entrypoint\": [\"" + "x".repeat(100_000) + "\"]"), "stages[0].entrypoint"),
                rule("a program over PATH_MAX, in an entrypoint string", stage("\"entrypoint\": \"" + "x".repeat(4096) + " -c true\""), "stages[0].entrypoint"),
                rule("a command line over its share of ARG_MAX", stage("\"entrypoint\": [\"sh\", \"" + "x".repeat(100_000)
                        + "\", \"" + "x".repeat(100_000) + "\", \"" + "x".repeat(100_000) + "\"]"), "stages[0].entrypoint"),
                rule("an entrypoint holding half a surrogate pair", stage("\"entrypoint\": [\"sh\", \"\\ud800\"]"), "stages[0].entrypoint"),
                rule("an env variable over MAX_ARG_STRLEN", stage("\"env\": {\"A\": \"" + "x".repeat(131_070) + "\"}"), "stages[0].env"),
                rule("an env over its share of ARG_MAX", stage("\"env\": " + manyVariables(300, 1000)), "stages[0].env"),
                rule("an environ over its share of ARG_MAX", "{\"stages\": [{\"image\": \"alpine\"}], \"environ\": "
                        + manyVariables(300, 1000) + "}", "environ"),
                rule("an env value with NUL", stage("\"env\": {\"A\": \"\\u0000\"}"), "stages[0].env"),
                // a callback: checked before the allow-list is asked
                rule("a callback URL that is not http", callback("\"url\": \"ftp://127.0.0.1/x\", \"secret\": \"" + SECRET + "\""), "callback.url"),
                rule("a relative callback URL", callback("\"url\": \"/hooks\", \"secret\": \"" + SECRET + "\""), "callback.url"),
                rule("a callback URL with user info", callback("\"url\": \"http://a:b@127.0.0.1/\", \"secret\": \"" + SECRET + "\""), "callback.url"),
                rule("a callback URL whose port goes on as a host", callback("\"url\": \"http://127.0.0.1:8080.evil.com/\", \"secret\": \""
                        + SECRET + "\""), "callback.url"),
                rule("a callback URL of 2049 characters", callback("\"url\": \"http://127.0.0.1/" + "x".repeat(2032) + "\", \"secret\": \""
                        + SECRET + "\""), "callback.url"),
                rule("a callback without a URL", callback("\"secret\": \"" + SECRET + "\""), "callback.url"),
                rule("a callback URL that is a number", callback("\"url\": 80, \"secret\": \"" + SECRET + "\""), "callback.url"),
                rule("a callback without a secret", callback("\"url\": \"http://127.0.0.1/\""), "callback.secret"),
                rule("an empty callback secret", callback("\"url\": \"http://127.0.0.1/\", \"secret\": \"\""), "callback.secret"),
                rule("a callback secret of 15 characters", callback("\"url\": \"http://127.0.0.1/\", \"secret\": \"" + "s".repeat(15) + "\""),
                        "callback.secret"),
                rule("a callback secret of 257 characters", callback("\"url\": \"http://127.0.0.1/\", \"secret\": \"" + "s".repeat(257) + "\""),
                        "callback.secret"),
                rule("a callback secret that is a number", callback("\"url\": \"http://127.0.0.1/\", \"secret\": 1234567890123456789"),
                        "callback.secret"),
                rule("a misspelt callback field", callback("\"url\": \"http://127.0.0.1/\", \"secret\": \"" + SECRET + "\", \"secrett\": 1"),
                        "callback.secrett"),
                rule("a callback that is a string", "{\"stages\": [{\"image\": \"alpine\"}], \"callback\": \"http://127.0.0.1/\"}", "callback"));
    }

    @Test
    void aCallbackIsRefused403NamingItsUrlWhileNoUrlIsAllowedAndNothingIsStored() throws Exception {
        MvcTestResult result = submitStoringNothing(callback("\"url\": \"http://127.0.0.1:8080/hooks/\", \"secret\": \"" + SECRET + "\""));

        assertThat(result).hasStatus(HttpStatus.FORBIDDEN).hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(result).bodyJson().extractingPath("$.title").isEqualTo("Refused by policy");
        assertThat(result).bodyJson().extractingPath("$.errors[*].field").asArray().containsExactly("callback.url");
        assertThat(result).bodyJson().extractingPath("$.errors[0].rule").isEqualTo("allowed-urls");
        assertThat(result).bodyJson().extractingPath("$.detail").asString().startsWith("callback.url: ")
                .contains("chainlink.callbacks.allowed-urls");
        assertThat(result.getResponse().getContentAsString()).doesNotContain(SECRET);
        assertSaysNothingOfJava(result);
    }

    @ParameterizedTest(name = "{0} is named {2}")
    @MethodSource("brokenRules")
    void aBrokenRuleAnswers400NamingItsFieldAndStoresNothing(String rule, String body, String field) {
        MvcTestResult result = submitStoringNothing(body);

        assertThat(result).hasStatus(HttpStatus.BAD_REQUEST)
                .hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(result).bodyJson().extractingPath("$.errors[*].field").asArray().contains(field);
        assertThat(result).bodyJson().extractingPath("$.detail").asString().contains(field);
        assertSaysNothingOfJava(result);
    }

    static Stream<Arguments> refusedByTheDefaultPolicy() {
        return Stream.of(
                rule("a privileged stage", stage("\"privileged\": true"), "stages[0].privileged"),
                rule("a privileged second stage", "{\"stages\": [{\"image\": \"alpine\"}, {\"image\": \"alpine\", \"privileged\": true}]}",
                        "stages[1].privileged"),
                rule("a capability", stage("\"capabilities\": [\"CAP_NET_ADMIN\"]"), "stages[0].capabilities"),
                rule("more stages than chainlink.policy.max-stages", stages(33), "stages"));
    }

    @ParameterizedTest(name = "{0} is refused 403 naming {2}")
    @MethodSource("refusedByTheDefaultPolicy")
    void whatThePolicyRefusesAnswers403NamingItsFieldAndStoresNothing(String rule, String body, String field) {
        MvcTestResult result = submitStoringNothing(body);

        assertThat(result).hasStatus(HttpStatus.FORBIDDEN)
                .hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(result).bodyJson().extractingPath("$.title").isEqualTo("Refused by policy");
        assertThat(result).bodyJson().extractingPath("$.errors[*].field").asArray().containsExactly(field);
        assertThat(result).bodyJson().extractingPath("$.errors[0].rule").asString().isNotBlank();
        assertThat(result).bodyJson().extractingPath("$.detail").asString().startsWith(field + ": ").contains("client local");
        assertSaysNothingOfJava(result);
    }

    @Test
    void aPrivilegedStageIsRefusedSayingSoInTheApisWords() {
        assertThat(submit(stage("\"privileged\": true"))).bodyJson().extractingPath("$.detail")
                .isEqualTo("stages[0].privileged: not allowed for client local");
    }

    @Test
    void aBrokenStageAnswers400BeforeThePolicyIsAsked() {
        // A malformed submission is the user's mistake whatever the policy: 400, not 403.
        assertThat(submit(stage("\"privileged\": true, \"memory\": \"lots\""))).hasStatus(HttpStatus.BAD_REQUEST);
    }

    @Test
    void aBodyThatIsNotJsonAnswers400AsAProblem() {
        long jobs = count("jobs");

        MvcTestResult result = submit("{nope");

        assertThat(result).hasStatus(HttpStatus.BAD_REQUEST)
                .hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(result).bodyJson().extractingPath("$.status").isEqualTo(400);
        assertSaysNothingOfJava(result);
        assertThat(count("jobs")).isEqualTo(jobs);
    }

    static Stream<Arguments> unreadableBodies() {
        return Stream.of(
                Arguments.of("truncated", "{\"stages\": [{\"image\": \"alpine\"}]", "cut short"),
                Arguments.of("trailing garbage", "{\"stages\": [{\"image\": \"alpine\"}]} x", "not well-formed JSON"),
                Arguments.of("NaN", stage("\"timeout\": NaN"), "not well-formed JSON"),
                Arguments.of("a raw NUL in a string", "{\"stages\": [{\"image\": \"al\u0000pine\"}]}", "not well-formed JSON"),
                Arguments.of("nested 100 deep", stage("\"entrypoint\": " + "[".repeat(100) + "]".repeat(100)), "nested at most"),
                Arguments.of("a number of 2000 digits", stage("\"timeout\": " + "9".repeat(2000)), "numbers of at most"),
                Arguments.of("a list", "[]", "expected a JSON object"),
                Arguments.of("a string", "\"alpine\"", "expected a JSON object"),
                Arguments.of("null", "null", "expected a JSON object"),
                Arguments.of("empty", "", "expected a JSON object"));
    }

    @ParameterizedTest(name = "a body that is {0} answers 400 saying why")
    @MethodSource("unreadableBodies")
    void anUnreadableBodyAnswers400SayingWhyInTheApisWords(String what, String body, String why) {
        long jobs = count("jobs");

        MvcTestResult result = submit(body);

        assertThat(result).hasStatus(HttpStatus.BAD_REQUEST)
                .hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(result).bodyJson().extractingPath("$.detail").asString().contains(why);
        assertSaysNothingOfJava(result);
        assertThat(count("jobs")).isEqualTo(jobs);
    }

    @Test
    void bytesThatAreNotUtf8Answer400() {
        byte[] body = "{\"stages\": [{\"image\": \"al\u00ffpine\"}]}".getBytes(StandardCharsets.ISO_8859_1);

        MvcTestResult result = mvc.post().uri(JOBS).contentType(MediaType.APPLICATION_JSON).content(body).exchange();

        assertThat(result).hasStatus(HttpStatus.BAD_REQUEST)
                .hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(result).bodyJson().extractingPath("$.detail").asString().contains("UTF-8");
    }

    @Test
    void aBodyThatIsNotJsonByItsContentTypeAnswers415AsAProblem() {
        MvcTestResult result = mvc.post().uri(JOBS).contentType(MediaType.TEXT_PLAIN).content("{\"stages\": []}").exchange();

        assertThat(result).hasStatus(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
                .hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void chainlinksOwnStageWithItsTypesIsAccepted() {
        assertThat(submit(ChainlinkStage.SUBMISSION)).hasStatus(HttpStatus.ACCEPTED);
        assertThat(submit(stage("\"memory\": 67108864, \"timeout\": 0.5, \"entrypoint\": \"sh -c 'echo a b'\"")))
                .hasStatus(HttpStatus.ACCEPTED);
    }

    @Test
    void anEntrypointWordOfAHundredThousandCharactersIsAccepted() {
        // The engine-call deadline tests submit such a word: runc hangs on it, the deadline ends the call.
        assertThat(submit(stage("\"entrypoint\": [\"sh\", \"-c\", \"" + "x".repeat(100_000) + "\"]")))
                .hasStatus(HttpStatus.ACCEPTED);
    }

    @Test
    void aSubmissionWithEveryFieldIsQueuedAt202WithItsLocation() throws Exception {
        long jobs = count("jobs");
        long stages = count("stages");
        // An absent image that may not be pulled: the job ends in ERROR without running a container.
        String body = """
                {"stages": [{
                    "image": "chainlink-test/absent:never",
                    "entrypoint": ["sh", "-c", "echo a b"],
                    "hostname": "grader",
                    "memory": "64m",
                    "networking": false,
                    "privileged": false,
                    "timeout": 1.5,
                    "env": {"TEST": "testing"},
                    "pull": "never",
                    "cpuset_cpus": "0",
                    "logs": true,
                    "user": "1000:1000",
                    "capabilities": [],
                    "cpus": 0.5
                }],
                "environ": {"BASE": "1"}}""";

        MvcTestResult result = submit(body);

        assertThat(result).hasStatus(HttpStatus.ACCEPTED);
        assertThat(result).bodyJson().extractingPath("$.stages[0].image").isEqualTo("chainlink-test/absent:never");
        String id = com.jayway.jsonpath.JsonPath.read(result.getResponse().getContentAsString(), "$.id");
        assertThat(result).headers().hasValue("Location", JOBS + "/" + id);
        assertThat(count("jobs")).isEqualTo(jobs + 1);
        assertThat(count("stages")).isEqualTo(stages + 1);
    }

    @Test
    void anUnknownJobAnswers404AsAProblem() {
        assertThat(mvc.get().uri(JOBS + "/999999")).hasStatus(HttpStatus.NOT_FOUND)
                .hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .bodyJson().extractingPath("$.detail").asString().contains("999999");
    }

    /** Ids are UUIDs: a number, another word, or a UUID no job has, names nothing, the same 404 whatever it is. */
    @ParameterizedTest(name = "{0} answers 404")
    @ValueSource(strings = {"/-1", "/0", "/1", "/123", "/abc", "/not-a-uuid", "/99999999999999999999", "/99999999999999999999/results",
            "/3f2b8c1e-7d4a-4e2b-9c61-0a5d8e7f1b23", "/3F2B8C1E-7D4A-4E2B-9C61-0A5D8E7F1B23", "/3f2b8c1e-7d4a-4e2b-9c61-0a5d8e7f1b23/results",
            "/3f2b8c1e-7d4a-4e2b-9c61-0a5d8e7f1b23/stages/0/logs/stdout", "/3f2b8c1e7d4a4e2b9c610a5d8e7f1b23",
            "/1/stages/-1/logs/stdout", "/1/stages/99999999999/logs/stdout", "/1/stages/0/logs/nope"})
    void anIdThatCannotExistAnswers404AsAProblem(String path) {
        MvcTestResult result = mvc.get().uri(JOBS + path).exchange();

        assertThat(result).hasStatus(HttpStatus.NOT_FOUND)
                .hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        assertSaysNothingOfJava(result);
    }

    static Stream<Arguments> badParameters() {
        return Stream.of(
                Arguments.of("?limit=-1", "limit"),
                Arguments.of("?limit=0", "limit"),
                Arguments.of("?limit=501", "limit"),
                Arguments.of("?limit=abc", "limit"),
                Arguments.of("?limit=99999999999", "limit"),
                Arguments.of("?status=NOPE", "status"),
                Arguments.of("?after=x", "after"),
                Arguments.of("?after=3f2b8c1e-7d4a-4e2b-9c61-0a5d8e7f1b23", "after"),
                Arguments.of("/1?wait=-1", "wait"),
                Arguments.of("/1?wait=61", "wait"),
                Arguments.of("/1?wait=1e9", "wait"),
                Arguments.of("/1/stages/x/logs/stdout", "index"));
    }

    @ParameterizedTest(name = "{0} answers 400 naming {1}")
    @MethodSource("badParameters")
    void aBadParameterAnswers400NamingIt(String query, String parameter) {
        MvcTestResult result = mvc.get().uri(JOBS + query).exchange();

        assertThat(result).hasStatus(HttpStatus.BAD_REQUEST)
                .hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(result).bodyJson().extractingPath("$.errors[*].field").asArray().containsExactly(parameter);
        assertThat(result).bodyJson().extractingPath("$.detail").asString().startsWith(parameter + ": ");
        assertSaysNothingOfJava(result);
    }

    /** Problems speak the API's language: no Java type, package or Jackson message leaks out. */
    private static void assertSaysNothingOfJava(MvcTestResult result) {
        assertThat(result).body().asString()
                .doesNotContain("java.", "tools.jackson", "io.chainlink", "StageRequest", "JobSubmission",
                        "Cannot deserialize", "JsonToken", "StreamRead", "`");
    }

    /** Submits, and checks that no job and no stage was stored by it. */
    private MvcTestResult submitStoringNothing(String body) {
        long jobs = count("jobs");
        long stages = count("stages");

        MvcTestResult result = submit(body);

        assertThat(count("jobs")).as("jobs stored").isEqualTo(jobs);
        assertThat(count("stages")).as("stages stored").isEqualTo(stages);
        return result;
    }

    private MvcTestResult submit(String body) {
        return mvc.post().uri(JOBS).contentType(MediaType.APPLICATION_JSON).content(body).exchange();
    }

    private long count(String table) {
        return jdbc.sql("SELECT COUNT(*) FROM " + table).query(Long.class).single();
    }

    private static Arguments rule(String rule, String body, String field) {
        return Arguments.of(rule, body, field);
    }

    /** One valid stage and a callback of the given fields. */
    private static String callback(String fields) {
        return "{\"stages\": [{\"image\": \"alpine\"}], \"callback\": {" + fields + "}}";
    }

    /** One stage on a valid image with the given fields added. */
    private static String stage(String fields) {
        return "{\"stages\": [{\"image\": \"alpine\", " + fields + "}]}";
    }

    private static String manyVariables(int count, int valueLength) {
        return IntStream.range(0, count).mapToObj(i -> "\"V" + i + "\": \"" + "x".repeat(valueLength) + "\"")
                .collect(Collectors.joining(", ", "{", "}"));
    }

    private static String stages(int count) {
        return IntStream.range(0, count).mapToObj(i -> "{\"image\": \"alpine\"}")
                .collect(Collectors.joining(", ", "{\"stages\": [", "]}"));
    }
}
