package io.chainlink.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs src/test/console/drive-console.mjs: playwright-core (pinned in its package-lock.json,
 * installed by npm) driving Debian's headless Chromium at /usr/bin/chromium. Without Chromium the
 * test fails, saying how to get it; it never skips. Screenshots land in target/console/.
 */
final class ConsoleBrowser {

    static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
    static final Path SCREENSHOTS = Path.of("target/console");
    private static final Path PROGRAM = Path.of("src/test/console");
    private static final Path PROJECT = Path.of("target/console-browser");

    private ConsoleBrowser() {
    }

    /** Installs the driver's pinned packages (npm ci, from npm's cache after the first time) and drives the console. */
    static String drive(Map<String, String> environment, String... arguments) throws IOException, InterruptedException {
        if (!Files.isExecutable(CHROMIUM)) {
            fail("The console's browser test needs Debian's Chromium at " + CHROMIUM
                    + " (apt-get install chromium; .ci/run installs it)");
        }
        Files.createDirectories(PROJECT);
        for (String file : List.of("package.json", "package-lock.json", "drive-console.mjs")) {
            Files.copy(PROGRAM.resolve(file), PROJECT.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        run("install", Duration.ofMinutes(5), Map.of(),
                "npm", "ci", "--prefer-offline", "--no-audit", "--no-fund", "--no-update-notifier");
        List<String> command = new ArrayList<>(List.of("node", "drive-console.mjs"));
        command.addAll(List.of(arguments));
        return run("drive-" + arguments[0], Duration.ofMinutes(3), environment, command.toArray(String[]::new));
    }

    /** Runs a command in the project; its output, kept in {@code <step>.out}, is the failure's message. */
    private static String run(String step, Duration limit, Map<String, String> environment, String... command)
            throws IOException, InterruptedException {
        Path output = PROJECT.resolve(step + ".out");
        ProcessBuilder builder = new ProcessBuilder(command).directory(PROJECT.toFile())
                .redirectErrorStream(true).redirectOutput(output.toFile());
        // playwright-core downloads nothing by itself; this says so to any package that might.
        builder.environment().put("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        builder.environment().put("CHROMIUM", CHROMIUM.toString());
        builder.environment().putAll(environment);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            return fail("This test needs Node.js 20 or later and npm on the PATH (.ci/run installs them): " + e.getMessage(), e);
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
