package io.chainlink.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainlink.it.EngineTest;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The web console in a real browser against the real service: a tenant signs in with its token,
 * finds its jobs, reads one's output, watches another's arrive and cancels it with the button; an
 * admin sees every tenant and the fleet. The API is then asked what became of the job.
 */
@TestPropertySource(properties = {
        "server.address=127.0.0.1", "chainlink.log-limit=4MB",
        "chainlink.clients[0].name=ops", "chainlink.clients[0].token=" + ConsoleBrowserTest.ADMIN, "chainlink.clients[0].role=admin",
        "chainlink.clients[1].name=cs101", "chainlink.clients[1].token=" + ConsoleBrowserTest.CS101, "chainlink.clients[1].role=submit"})
class ConsoleBrowserTest extends EngineTest {

    static final String ADMIN = "console-admin-token-0001";
    static final String CS101 = "console-cs101-token-0002";
    private static final String LINE = "console-line-4711";

    @Test
    void aTenantFollowsAndCancelsItsJobsInTheConsoleAndAnAdminSeesEveryTenant() throws IOException, InterruptedException {
        token = CS101;
        String quick = submit("""
                {"stages": [{"image": "IMAGE", "networking": false,
                  "entrypoint": ["sh", "-c", "echo %s; echo '<b>not markup</b>'; echo to stderr >&2"]}]}""".formatted(LINE));
        awaitEnd(quick);
        String running = submit("""
                {"stages": [{"image": "IMAGE", "networking": false, "timeout": 120, "entrypoint": ["sh", "-c",
                  "echo long job started; i=0; while [ $i -lt 60 ]; do i=$((i+1)); echo tick $i; head -c 16000 /dev/zero | tr '\\\\0' .; echo; sleep 1; done"]}]}""");
        // A running stage's output becomes readable 64 KiB at a time, and only its head, the first
        // half of chainlink.log-limit (StageLogWriter): each tick comes with a 16 kB line (one engine
        // entry; it splits longer ones), so a new piece reaches the console every few seconds while
        // it runs, and the head holds them all.
        awaitStage(running, 0, "RUNNING");

        String said = ConsoleBrowser.drive(Map.of("CONSOLE_SUBMIT_TOKEN", CS101, "CONSOLE_ADMIN_TOKEN", ADMIN,
                        "CONSOLE_SUBMIT_TENANT", "cs101"),
                "tokens", "http://127.0.0.1:" + port, ConsoleBrowser.SCREENSHOTS.toAbsolutePath().toString(), quick, running, LINE);

        assertThat(said).contains("ok: a wrong token shows the API's 401 problem", "console checks passed");
        JsonNode job = awaitEnd(running);
        assertThat(job.get("status").asString()).isEqualTo("CANCELLED");
        assertThat(job.get("stages").get(0).get("status").asString()).isEqualTo("CANCELLED");
    }

    @Test
    void theConsoleLoadsWithoutATokenUnderItsPolicyWhileTheApiStillNeedsOne() {
        token = null;
        Response page = get("/");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.text()).contains("<script src=\"console.js\" defer></script>");
        assertThat(page.headers().get("content-security-policy")).containsExactly(ConsoleHeaders.POLICY);
        assertThat(page.headers().get("x-content-type-options")).containsExactly("nosniff");
        Response script = get("/console/console.js");
        assertThat(script.status()).isEqualTo(200);
        assertThat(script.headers().get("content-type").get(0)).contains("javascript");
        assertThat(script.text()).doesNotContain("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(");

        assertThat(get("/api/v1/jobs").status()).isEqualTo(401);
    }
}
