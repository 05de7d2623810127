package io.chainlink.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.chainlink.it.EngineTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A whole job through the TypeScript client OpenAPI Generator makes from the API document
 * (typescript-fetch, written by the pom into target/typescript-client/client). The program that
 * drives it, src/test/typescript/whole-job.ts, is compiled against it with TypeScript's strict
 * checks and run with the machine's Node.js; its packages are pinned in package-lock.json.
 */
class GeneratedTypeScriptClientTest extends EngineTest {

    private static final Path PROGRAM = Path.of("src/test/typescript");
    private static final Path PROJECT = Path.of("target/typescript-client");

    @Test
    void wholeJobRunsThroughTheGeneratedTypeScriptClient() throws IOException, InterruptedException {
        for (String file : List.of("package.json", "package-lock.json", "tsconfig.json", "whole-job.ts")) {
            Files.copy(PROGRAM.resolve(file), PROJECT.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        run("install", Duration.ofMinutes(5), "npm", "ci", "--prefer-offline", "--no-audit", "--no-fund", "--no-update-notifier");
        run("compile", Duration.ofMinutes(2), "node", "node_modules/typescript/bin/tsc", "-p", ".");

        String output = run("drive", Duration.ofMinutes(3), "node", "dist/whole-job.js", "http://127.0.0.1:" + port, IMAGE);

        assertThat(output).contains(": SUCCEEDED, stage 0 said: ", "ended CANCELLED", "refused: Invalid job submission",
                ": roster SUCCEEDED,SUCCEEDED in the order asked", ": files kept ", "copy.txt said: graded by TypeScript",
                ": rerun of ");
    }

    /** Runs a command in the project; its output, kept in {@code <step>.out}, is the failure's message. */
    private static String run(String step, Duration limit, String... command) throws IOException, InterruptedException {
        Path output = PROJECT.resolve(step + ".out");
        Process process;
        try {
            process = new ProcessBuilder(command).directory(PROJECT.toFile())
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        } catch (IOException e) {
            return fail("This test needs Node.js 18 or later and npm on the PATH (.ci/run installs them): " + e.getMessage(), e);
        }
        if (!process.waitFor(limit.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            fail(String.join(" ", command) + " did not end within " + limit + ":\n" + Files.readString(output));
        }
        String text = Files.readString(output);
        assertThat(process.exitValue()).as(String.join(" ", command) + " failed:\n" + text).isZero();
        return text;
    }
}
