package io.chainlink.it;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Who may do what, over HTTP: every call needs a client's bearer token; a job belongs to its
 * client's tenant, and other tenants do not learn it exists; a read-only client cannot submit or
 * cancel; quotas hold per tenant. No worker runs here: these rules are all decided before a job runs.
 */
@TestPropertySource(properties = {
        "server.address=127.0.0.1",
        "chainlink.workers=0",
        "chainlink.clients[0].name=cs101", "chainlink.clients[0].token=" + ClientsTest.CS101, "chainlink.clients[0].role=submit",
        "chainlink.clients[1].name=cs101", "chainlink.clients[1].token=" + ClientsTest.CS101_TA, "chainlink.clients[1].role=read",
        "chainlink.clients[2].name=cs102", "chainlink.clients[2].token=" + ClientsTest.CS102, "chainlink.clients[2].role=submit",
        "chainlink.clients[2].max-queued=2", "chainlink.clients[2].policy.networking=false",
        "chainlink.clients[3].name=ops", "chainlink.clients[3].token=" + ClientsTest.ADMIN, "chainlink.clients[3].role=admin"})
class ClientsTest extends EngineTest {

    static final String CS101 = "cs101-submit-token-0001";
    static final String CS101_TA = "cs101-read-token-00002";
    static final String CS102 = "cs102-submit-token-0003";
    static final String ADMIN = "ops-admin-token-000004";
    private static final String CHAIN = """
            {"stages": [{"image": "IMAGE", "entrypoint": ["true"], "networking": false}]}""";

    private String submitAs(String client) {
        token = client;
        return submit(CHAIN);
    }

    @Test
    void withoutAValidTokenEveryCallIs401WithABearerChallenge() {
        for (String attempt : new String[] {null, "not-a-client-token-at-all", CS101 + "x", ""}) {
            token = attempt;
            for (Response response : new Response[] {get("/api/v1/jobs"), get("/api/v1/jobs/1"), post("/api/v1/jobs", chain(CHAIN)),
                    post("/api/v1/jobs/1/cancel", ""), get("/%61pi/v1/jobs"), get("/api;x/v1/jobs"), get("/api/v1/./jobs")}) {
                assertThat(response.status()).as("token %s", attempt).isEqualTo(401);
                assertThat(response.headers().get("www-authenticate")).containsExactly("Bearer");
                assertThat(response.headers().get("content-type").get(0)).startsWith("application/problem+json");
                assertThat(response.text()).doesNotContain(CS101);
            }
        }
    }

    @Test
    void metricsNeedAClientsTokenAsTheApiDoes() {
        for (String path : new String[] {"/actuator/prometheus", "/actuator/metrics", "/actuator/metrics/chainlink.queue.depth"}) {
            token = null;
            Response anonymous = get(path);
            assertThat(anonymous.status()).as(path).isEqualTo(401);
            assertThat(anonymous.text()).as(path).doesNotContain("chainlink_");
            token = CS101_TA;
            assertThat(get(path).status()).as(path).isEqualTo(200);
        }
        token = null;
        assertThat(get("/actuator/health").status()).as("probes send no token").isEqualTo(200);
        assertThat(get("/actuator/info").status()).isEqualTo(200);
    }

    @Test
    void aJobBelongsToItsTenantAndAnotherTenantGets404() {
        String id = submitAs(CS101);
        assertThat(job(id).get("tenant").asString()).isEqualTo("cs101");

        token = CS102;
        assertThat(get("/api/v1/jobs/" + id).status()).isEqualTo(404);
        assertThat(get("/api/v1/jobs/" + id + "?wait=1").status()).isEqualTo(404);
        assertThat(get("/api/v1/jobs/" + id + "/results").status()).isEqualTo(404);
        assertThat(get("/api/v1/jobs/" + id + "/stages/0/logs/stdout").status()).isEqualTo(404);
        assertThat(post("/api/v1/jobs/" + id + "/cancel", "").status()).isEqualTo(404);
        assertThat(ids(get("/api/v1/jobs?limit=500").body())).doesNotContain(id);

        token = CS101_TA;
        assertThat(job(id).get("status").asString()).as("still queued: nothing was cancelled").isEqualTo("QUEUED");
    }

    @Test
    void aReadOnlyClientReadsItsTenantsJobsButCannotSubmitOrCancel() {
        String id = submitAs(CS101);

        token = CS101_TA;
        assertThat(job(id).get("tenant").asString()).isEqualTo("cs101");
        Response submit = post("/api/v1/jobs", chain(CHAIN));
        assertThat(submit.status()).isEqualTo(403);
        assertThat(submit.body().get("detail").asString()).contains("cs101").contains("READ");
        assertThat(post("/api/v1/jobs/" + id + "/cancel", "").status()).isEqualTo(403);
        assertThat(job(id).get("status").asString()).isEqualTo("QUEUED");
    }

    @Test
    void listsShowOnlyOnesOwnJobsWhileAnAdminSeesAllAndFiltersByTenant() {
        String mine = submitAs(CS101);
        token = ADMIN;
        String admins = submit(CHAIN);

        token = CS101;
        assertThat(ids(get("/api/v1/jobs?limit=500").body())).contains(mine).doesNotContain(admins);
        assertThat(get("/api/v1/jobs?tenant=cs102").status()).as("only admins name a tenant").isEqualTo(403);

        token = ADMIN;
        assertThat(ids(get("/api/v1/jobs?limit=500").body())).contains(mine, admins);
        assertThat(ids(get("/api/v1/jobs?limit=500&tenant=cs101").body())).contains(mine).doesNotContain(admins);
        assertThat(job(mine).get("tenant").asString()).isEqualTo("cs101");
    }

    @Test
    void aTenantPastItsQueueQuotaGets429AndTheOthersAreUnaffected() {
        token = ADMIN;
        // Earlier tests of this context may have queued cs102 jobs: clear them (nothing runs here).
        get("/api/v1/jobs?limit=500&tenant=cs102&status=QUEUED").body().get("jobs")
                .forEach(job -> post("/api/v1/jobs/" + job.get("id").asString() + "/cancel", ""));
        submitAs(CS102);
        submitAs(CS102);

        Response third = post("/api/v1/jobs", chain(CHAIN));

        assertThat(third.status()).isEqualTo(429);
        assertThat(third.headers()).containsKey("retry-after");
        assertThat(third.body().get("detail").asString()).contains("cs102");
        token = CS101;
        assertThat(post("/api/v1/jobs", chain(CHAIN)).status()).isEqualTo(202);
    }

    @Test
    void aClientsOwnPolicyHoldsForItsTenantOnly() {
        String networked = """
                {"stages": [{"image": "IMAGE", "entrypoint": ["true"], "networking": true}]}""";
        token = CS102;
        Response refused = post("/api/v1/jobs", chain(networked));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.body().get("detail").asString()).contains("stages[0].networking").contains("cs102");

        token = CS101;
        assertThat(post("/api/v1/jobs", chain(networked)).status()).as("the service-wide policy allows it").isEqualTo(202);
    }

    @Test
    void healthAnswersEveryoneButShowsItsDetailsToAdminsOnly() {
        for (String caller : new String[] {null, CS101, CS101_TA}) {
            token = caller;
            Response health = get("/actuator/health");
            assertThat(health.status()).as("health needs no token").isEqualTo(200);
            assertThat(health.body().get("status").asString()).isEqualTo("UP");
            assertThat(health.body().has("components")).as("no details for %s", caller).isFalse();
        }
        token = ADMIN;
        assertThat(get("/actuator/health").body().at("/components/engine/details/version").asString()).isNotBlank();
    }

    @Test
    void theApiDocumentDeclaresTheBearerSchemeForGeneratedClients() {
        token = null;
        JsonNode document = get("/v3/api-docs").body();

        assertThat(document.at("/components/securitySchemes/bearer/type").asString()).isEqualTo("http");
        assertThat(document.at("/components/securitySchemes/bearer/scheme").asString()).isEqualTo("bearer");
        assertThat(document.at("/security/0").has("bearer")).isTrue();
    }

    private static java.util.List<String> ids(JsonNode page) {
        return page.get("jobs").valueStream().map(job -> job.get("id").asString()).toList();
    }
}
