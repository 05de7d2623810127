package io.chainlink.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.chainlink.it.EngineTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * The drop-in Python chainlink module (clients/python) against this service: its unittest suite,
 * run with the machine's python3 and nothing installed, submits, waits and reads results through
 * real HTTP as a grading script would. A client is configured so that the suite's token tests run
 * (its bearer token in CHAINLINK_TOKEN, as a grading host would set it); none of them may skip.
 */
@TestPropertySource(properties = {
        "server.address=127.0.0.1",
        "chainlink.clients[0].name=grading", "chainlink.clients[0].token=" + PythonClientTest.TOKEN,
        "chainlink.clients[0].role=submit"})
class PythonClientTest extends EngineTest {

    static final String TOKEN = "python-grading-token-0001";
    private static final Path MODULE = Path.of("clients/python");
    private static final Duration LIMIT = Duration.ofMinutes(5);

    @Test
    void theModulesOwnSuitePassesAgainstTheService() throws IOException, InterruptedException {
        Path output = Files.createDirectories(Path.of("target")).resolve("python-client-tests.out");
        ProcessBuilder builder = new ProcessBuilder("python3", "-m", "unittest", "-v")
                .directory(MODULE.toFile()).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().putAll(Map.of(
                "CHAINLINK_URL", "http://127.0.0.1:" + port,
                "CHAINLINK_TOKEN", TOKEN,
                "CHAINLINK_TEST_IMAGE", IMAGE,
                // No __pycache__ left in the source tree.
                "PYTHONDONTWRITEBYTECODE", "1"));
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            fail("This test needs python3 (3.8 or later) on the PATH: " + e.getMessage(), e);
            return;
        }
        if (!process.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            fail("python3 -m unittest did not end within " + LIMIT + ":\n" + Files.readString(output));
        }
        String text = Files.readString(output);

        assertThat(process.exitValue()).as("python3 -m unittest -v in clients/python failed:\n" + text).isZero();
        assertThat(text).as(text).containsPattern("Ran \\d+ tests").doesNotContain("skipped");
    }
}
