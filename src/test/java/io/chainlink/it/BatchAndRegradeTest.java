package io.chainlink.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Batches (all or nothing, in order, counted whole), rosters (one's own jobs only), the image each
 * stage ran, and reruns pinned to it, over HTTP against the real engine.
 */
@TestPropertySource(properties = {
        "server.address=127.0.0.1",
        "chainlink.batch.max-jobs=5",
        "chainlink.clients[0].name=cs101", "chainlink.clients[0].token=" + BatchAndRegradeTest.CS101, "chainlink.clients[0].role=submit",
        "chainlink.clients[0].policy.images=chainlink-test/*,*",
        "chainlink.clients[1].name=cs102", "chainlink.clients[1].token=" + BatchAndRegradeTest.CS102, "chainlink.clients[1].role=submit",
        "chainlink.clients[1].max-queued=2",
        "chainlink.clients[2].name=cs103", "chainlink.clients[2].token=" + BatchAndRegradeTest.CS103, "chainlink.clients[2].role=submit",
        "chainlink.clients[2].max-running=1"})
class BatchAndRegradeTest extends EngineTest {

    static final String CS101 = "cs101-batch-token-00001";
    static final String CS102 = "cs102-batch-token-00002";
    static final String CS103 = "cs103-batch-token-00003";

    @Autowired
    private JdbcClient jdbc;

    private static String echo(String word) {
        return "{\"stages\": [{\"image\": \"IMAGE\", \"entrypoint\": [\"echo\", \"" + word + "\"], \"networking\": false}]}";
    }

    private long storedJobs() {
        return jdbc.sql("SELECT COUNT(*) FROM jobs").query(Long.class).single();
    }

    @Test
    void aBatchOfThreeRunsAllThreeAndAnswersInOrder() {
        token = CS101;
        Response response = post("/api/v1/jobs/batch", chain("{\"jobs\": [" + echo("zero") + ", " + echo("one") + ", " + echo("two") + "]}"));
        assertThat(response.status()).as(response.text()).isEqualTo(202);
        JsonNode jobs = response.body().get("jobs");
        assertThat(jobs.size()).isEqualTo(3);
        String[] words = {"zero", "one", "two"};
        for (int i = 0; i < 3; i++) {
            String id = jobs.get(i).get("id").asString();
            assertThat(jobs.get(i).get("status").asString()).isEqualTo("QUEUED");
            assertThat(awaitEnd(id).get("status").asString()).isEqualTo("SUCCEEDED");
            assertThat(results(id).get(0).get("logs").get("stdout").asString()).endsWith(" " + words[i] + "\n");
        }
    }

    @Test
    void aBadFourthJobIs400NamingItAndNothingIsStored() {
        token = CS101;
        long before = storedJobs();
        String good = echo("fine");
        Response bad = post("/api/v1/jobs/batch", chain("{\"jobs\": [" + good + ", " + good + ", " + good
                + ", {\"stages\": [{\"image\": \"Not An Image\"}]}]}"));
        assertThat(bad.status()).as(bad.text()).isEqualTo(400);
        assertThat(bad.body().get("errors").get(0).get("field").asString()).isEqualTo("jobs[3].stages[0].image");

        Response refused = post("/api/v1/jobs/batch", chain("{\"jobs\": [" + good + ", " + good + ", " + good
                + ", {\"stages\": [{\"image\": \"IMAGE\", \"privileged\": true}]}]}"));
        assertThat(refused.status()).as(refused.text()).isEqualTo(403);
        assertThat(refused.body().get("errors").get(0).get("field").asString()).isEqualTo("jobs[3].stages[0].privileged");

        List<String> six = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            six.add(good);
        }
        Response tooMany = post("/api/v1/jobs/batch", chain("{\"jobs\": [" + String.join(", ", six) + "]}"));
        assertThat(tooMany.status()).as(tooMany.text()).isEqualTo(400);
        assertThat(tooMany.body().get("errors").get(0).get("field").asString()).isEqualTo("jobs");
        assertThat(storedJobs()).isEqualTo(before);
    }

    @Test
    void theQuotaCountsTheWholeBatch() {
        token = CS102;
        long before = storedJobs();
        String good = echo("q");
        Response response = post("/api/v1/jobs/batch", chain("{\"jobs\": [" + good + ", " + good + ", " + good + "]}"));
        assertThat(response.status()).as(response.text()).isEqualTo(429);
        assertThat(response.headers().get("retry-after")).isNotEmpty();
        assertThat(storedJobs()).isEqualTo(before);
    }

    @Test
    void aRosterReturnsOnesOwnJobsWholeInTheOrderAskedAndHidesAnotherTenants() {
        token = CS101;
        String first = submit(echo("a"));
        String second = submit(echo("b"));
        token = CS103;
        String others = submit(echo("c"));

        token = CS101;
        Response roster = get("/api/v1/jobs?ids=" + second + "," + others + "," + first + "," + UUID.randomUUID());
        assertThat(roster.status()).as(roster.text()).isEqualTo(200);
        JsonNode jobs = roster.body().get("jobs");
        assertThat(jobs.size()).isEqualTo(2);
        assertThat(jobs.get(0).get("id").asString()).isEqualTo(second);
        assertThat(jobs.get(1).get("id").asString()).isEqualTo(first);
        assertThat(jobs.get(0).get("stages").size()).as("whole views, with their stages").isEqualTo(1);

        Response malformed = get("/api/v1/jobs?ids=" + first + ",nope");
        assertThat(malformed.status()).as(malformed.text()).isEqualTo(400);
        assertThat(malformed.body().get("errors").get(0).get("field").asString()).isEqualTo("ids");
    }

    @Test
    void eachStageRecordsTheImageItRanAsTheEngineNamesIt() {
        token = CS101;
        String id = submit(echo("digest"));
        JsonNode job = awaitEnd(id);
        var inspected = docker().inspectImageCmd(IMAGE).exec();
        String expected = inspected.getRepoDigests() == null || inspected.getRepoDigests().isEmpty()
                ? inspected.getId() : inspected.getRepoDigests().get(0);
        assertThat(job.get("stages").get(0).get("imageDigest").asString()).isEqualTo(expected);
        assertThat(results(id).get(0).propertyNames()).as("chainlink's result keys, and no other")
                .containsExactlyInAnyOrder("data", "killed", "success", "logs");
    }

    @Test
    void aRerunRunsThePinnedImageEvenAfterItsTagMoved() {
        String tag = "chainlink-test/regrade:" + UUID.randomUUID().toString().substring(0, 8);
        String firstImage = commitWithMarker("first");
        String secondImage = commitWithMarker("second");
        try {
            docker().tagImageCmd(firstImage, tag.substring(0, tag.indexOf(':')), tag.substring(tag.indexOf(':') + 1)).exec();
            String chain = "{\"stages\": [{\"image\": \"" + tag + "\", \"entrypoint\": [\"sh\", \"-c\", \"echo $MARKER\"],"
                    + " \"networking\": false, \"pull\": \"never\"}]}";
            token = CS101;
            String original = submit(chain);
            assertThat(awaitEnd(original).get("status").asString()).isEqualTo("SUCCEEDED");
            assertThat(results(original).get(0).get("logs").get("stdout").asString()).endsWith(" first\n");
            assertThat(job(original).get("stages").get(0).get("imageDigest").asString()).isEqualTo(firstImage);

            // The tag now names another image: a new submission runs that one, the rerun still the first.
            docker().tagImageCmd(secondImage, tag.substring(0, tag.indexOf(':')), tag.substring(tag.indexOf(':') + 1)).withForce().exec();
            String fresh = submit(chain);
            awaitEnd(fresh);
            assertThat(results(fresh).get(0).get("logs").get("stdout").asString()).endsWith(" second\n");

            Response rerun = post("/api/v1/jobs/" + original + "/rerun", "");
            assertThat(rerun.status()).as(rerun.text()).isEqualTo(202);
            String again = rerun.body().get("id").asString();
            assertThat(rerun.body().get("rerunOf").asString()).isEqualTo(original);
            JsonNode ended = awaitEnd(again);
            assertThat(ended.get("status").asString()).as(ended.toString()).isEqualTo("SUCCEEDED");
            assertThat(ended.get("rerunOf").asString()).isEqualTo(original);
            assertThat(ended.get("stages").get(0).get("imageDigest").asString()).isEqualTo(firstImage);
            assertThat(results(again).get(0).get("logs").get("stdout").asString()).endsWith(" first\n");

            token = CS102;
            assertThat(post("/api/v1/jobs/" + original + "/rerun", "").status()).as("another tenant's job").isEqualTo(404);
        } finally {
            for (String image : new String[] {tag, firstImage, secondImage}) {
                try {
                    docker().removeImageCmd(image).withForce(true).exec();
                } catch (com.github.dockerjava.api.exception.NotFoundException e) {
                    // gone with its tag already
                }
            }
        }
    }

    @Test
    void aBatchsJobsCarryTheirOwnFilesAndARerunGetsThemAgain() {
        token = CS101;
        String cat = "{\"stages\": [{\"image\": \"IMAGE\", \"entrypoint\": [\"cat\", \"/job/in.txt\"], \"networking\": false}],"
                + " \"files\": [{\"path\": \"in.txt\", \"content\": \"%s\"}]}";
        String a = java.util.Base64.getEncoder().encodeToString("for a\n".getBytes());
        String b = java.util.Base64.getEncoder().encodeToString("for b\n".getBytes());
        long before = storedJobs();
        Response bad = post("/api/v1/jobs/batch", chain("{\"jobs\": [" + cat.formatted(a) + ", "
                + cat.formatted(b).replace("in.txt\", \"content", "../in.txt\", \"content") + "]}"));
        assertThat(bad.status()).as(bad.text()).isEqualTo(400);
        assertThat(bad.body().get("errors").get(0).get("field").asString()).isEqualTo("jobs[1].files[0].path");
        assertThat(storedJobs()).isEqualTo(before);

        Response response = post("/api/v1/jobs/batch", chain("{\"jobs\": [" + cat.formatted(a) + ", " + cat.formatted(b) + "]}"));
        assertThat(response.status()).as(response.text()).isEqualTo(202);
        String first = response.body().get("jobs").get(0).get("id").asString();
        String second = response.body().get("jobs").get(1).get("id").asString();
        assertThat(awaitEnd(first).get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(awaitEnd(second).get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(results(first).get(0).get("logs").get("stdout").asString()).endsWith(" for a\n");
        assertThat(results(second).get(0).get("logs").get("stdout").asString()).endsWith(" for b\n");

        Response rerun = post("/api/v1/jobs/" + second + "/rerun", "");
        assertThat(rerun.status()).as(rerun.text()).isEqualTo(202);
        String again = rerun.body().get("id").asString();
        assertThat(awaitEnd(again).get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(results(again).get(0).get("logs").get("stdout").asString()).endsWith(" for b\n");
    }

    @Test
    void aRerunOfAJobThatHasNotRunIs409() {
        token = CS103; // one job of its at a time: the second waits while the first sleeps
        String sleeper = submit("{\"stages\": [{\"image\": \"IMAGE\", \"entrypoint\": [\"sleep\", \"30\"], \"networking\": false}]}");
        String waiting = submit(echo("later"));
        awaitStage(sleeper, 0, "RUNNING");
        Response rerun = post("/api/v1/jobs/" + waiting + "/rerun", "");
        assertThat(rerun.status()).as(rerun.text()).isEqualTo(409);
        assertThat(rerun.body().get("jobStatus").asString()).isEqualTo("QUEUED");
        cancel(waiting);
        cancel(sleeper);
    }

    /** A new image of the test image's layers whose environment says which it is. */
    private String commitWithMarker(String marker) {
        String container = docker().createContainerCmd(IMAGE).withCmd("true").exec().getId();
        try {
            return docker().commitCmd(container).withEnv("MARKER=" + marker).exec();
        } finally {
            docker().removeContainerCmd(container).withForce(true).exec();
        }
    }
}
