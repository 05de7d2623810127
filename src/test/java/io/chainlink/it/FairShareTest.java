package io.chainlink.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/** One course's deadline flood does not starve another course's single job: workers share out across tenants. */
@DirtiesContext // its flood would otherwise keep running behind the next tests
@TestPropertySource(properties = {
        "server.address=127.0.0.1",
        "chainlink.workers=2",
        "chainlink.clients[0].name=flood", "chainlink.clients[0].token=" + FairShareTest.FLOOD, "chainlink.clients[0].role=submit",
        "chainlink.clients[1].name=single", "chainlink.clients[1].token=" + FairShareTest.SINGLE, "chainlink.clients[1].role=submit",
        "chainlink.clients[2].name=ops", "chainlink.clients[2].token=" + FairShareTest.ADMIN, "chainlink.clients[2].role=admin"})
class FairShareTest extends EngineTest {

    static final String FLOOD = "flood-submit-token-0001";
    static final String SINGLE = "single-submit-token-002";
    static final String ADMIN = "ops-admin-token-0000003";
    private static final int WORKERS = 2;

    @Test
    void aSecondTenantsJobStartsWithinTheNextWorkersClaims() {
        token = FLOOD;
        for (int i = 0; i < 100; i++) {
            submit("""
                    {"stages": [{"image": "IMAGE", "entrypoint": ["sleep", "1"], "networking": false}]}""");
        }
        token = ADMIN;
        Awaitility.await().atMost(java.time.Duration.ofMinutes(1))
                .until(() -> get("/api/v1/jobs?tenant=flood&status=RUNNING").body().get("jobs").size() == WORKERS);

        token = SINGLE;
        JsonNode single = submitAndWait("""
                {"stages": [{"image": "IMAGE", "entrypoint": ["true"], "networking": false}]}""");
        assertThat(single.get("status").asString()).isEqualTo("SUCCEEDED");
        Instant started = Instant.parse(single.get("startedAt").asString());

        token = ADMIN;
        long floodStartedBefore = get("/api/v1/jobs?tenant=flood&limit=500").body().get("jobs").valueStream()
                .filter(job -> job.hasNonNull("startedAt") && Instant.parse(job.get("startedAt").asString()).isBefore(started))
                .count();
        // The two running when it came, and at most one claim per worker that raced its submission.
        assertThat(floodStartedBefore).isLessThanOrEqualTo(2L * WORKERS).isLessThan(100);
    }
}
