package io.chainlink.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/** A job's id is a UUID whose time is followed by random bits, in paths and bodies alike: none can be guessed from another. */
class PublicIdsTest extends EngineTest {

    private static final String CHAIN = """
            {"stages": [{"image": "IMAGE", "entrypoint": ["true"], "networking": false}]}""";

    @Test
    void aJobsIdIsAVersion7UuidAndNamesItInItsLocationAndPaths() {
        Response submitted = post("/api/v1/jobs", chain(CHAIN));
        assertThat(submitted.status()).isEqualTo(202);
        String id = submitted.body().get("id").asString();

        UUID uuid = UUID.fromString(id);
        assertThat(uuid.toString()).as("written in the canonical, lower-case form").isEqualTo(id);
        assertThat(uuid.version()).isEqualTo(7);
        assertThat(uuid.variant()).isEqualTo(2);
        assertThat(submitted.headers().get("location")).containsExactly("/api/v1/jobs/" + id);
        assertThat(awaitEnd(id).get("id").asString()).isEqualTo(id);
        assertThat(results(id)).hasSize(1);
        assertThat(get("/api/v1/jobs/" + id + "/stages/0/logs/stdout").status()).isEqualTo(200);
    }

    @Test
    void theEngineFindsARunningJobsContainerAndVolumeByTheIdTheApiAnswered() throws Exception {
        String id = submit("""
                {"stages": [{"image": "IMAGE", "entrypoint": ["sleep", "60"], "networking": false}]}""");
        Awaitility.await().atMost(Duration.ofMinutes(1)).until(() -> job(id).get("stages").get(0).get("status").asString().equals("RUNNING"));

        // As an operator would, with the id from an API answer or a log line.
        List<String> containers = docker("ps", "--quiet", "--filter", "label=chainlink.job=" + id);
        List<String> volumes = docker("volume", "ls", "--quiet", "--filter", "label=chainlink.job=" + id);
        var labels = containers.isEmpty() ? Map.<String, String>of() : docker().inspectContainerCmd(containers.get(0)).exec().getConfig().getLabels();
        post("/api/v1/jobs/" + id + "/cancel", "");
        awaitEnd(id);

        assertThat(containers).hasSize(1);
        assertThat(volumes).hasSize(1);
        assertThat(labels).containsEntry("chainlink.job", id).containsEntry("chainlink.stage", "0").containsKey("chainlink.store");
    }

    private static List<String> docker(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("docker"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(out).isZero();
        return out.lines().filter(line -> !line.isBlank()).toList();
    }

    @Test
    void twoSubmissionsGetIdsWhoseRandomPartsAreUnrelated() {
        String first = submit(CHAIN);
        String second = submit(CHAIN);

        assertThat(second).isNotEqualTo(first);
        // Not a counter in disguise: consecutive counts differ in a few low bits, the 62 random bits of the low half in about half.
        long differing = Long.bitCount(randomBits(first) ^ randomBits(second));
        assertThat(differing).as("%s then %s", first, second).isGreaterThanOrEqualTo(10);
        awaitEnd(first);
        awaitEnd(second);
    }

    @ParameterizedTest(name = "/api/v1/jobs/{0} answers a 404 problem")
    @ValueSource(strings = {"123", "1", "0", "not-a-uuid", "3f2b8c1e-7d4a-4e2b-9c61-0a5d8e7f1b23", "random"})
    void anIdNoJobHasAnswers404(String id) {
        String path = "/api/v1/jobs/" + (id.equals("random") ? UUID.randomUUID().toString() : id);
        for (Response response : List.of(get(path), get(path + "?wait=1"), get(path + "/results"),
                get(path + "/stages/0/logs/stdout"), post(path + "/cancel", ""))) {
            assertThat(response.status()).as(path).isEqualTo(404);
            assertThat(response.headers().get("content-type").get(0)).startsWith("application/problem+json");
            assertThat(response.body().get("status").asInt()).isEqualTo(404);
        }
    }

    @Test
    void pagesFollowOneAnotherNewestFirstByTheLastIdOfTheOneBefore() {
        List<String> submitted = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            submitted.add(submit(CHAIN));
        }

        List<String> listed = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String after = "";
        // Pages of two until all five are listed: they are the newest, and other tests' jobs follow.
        while (!listed.containsAll(submitted)) {
            JsonNode page = get("/api/v1/jobs?limit=2" + after).body();
            assertThat(page.get("jobs")).hasSize(2);
            page.get("jobs").forEach(job -> {
                assertThat(seen.add(job.get("id").asString())).as("each job on one page only").isTrue();
                listed.add(job.get("id").asString());
            });
            assertThat(page.get("next").asString()).isEqualTo(listed.get(listed.size() - 1));
            after = "&after=" + page.get("next").asString();
        }

        List<String> newestFirst = new ArrayList<>(submitted);
        Collections.reverse(newestFirst);
        assertThat(listed.subList(0, 5)).isEqualTo(newestFirst);
        submitted.forEach(this::awaitEnd);
    }

    @Test
    void aPageAfterAnIdNoJobHasAnswers400NamingTheParameter() {
        Response response = get("/api/v1/jobs?after=" + UUID.randomUUID());

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body().at("/errors/0/field").asString()).isEqualTo("after");
    }

    /** The 62 random bits of the id's low half (its other 12 are next to its version). */
    private static long randomBits(String id) {
        return UUID.fromString(id).getLeastSignificantBits() & 0x3fff_ffff_ffff_ffffL;
    }
}
