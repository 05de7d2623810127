package io.chainlink.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The repository's docker-compose.yml as a project of its own, run as an operator runs it (with
 * docker-compose, else docker compose) in the environment given, with the test's own files
 * layered over it. {@link #close()} takes it down with its volumes.
 */
final class ComposeProject implements AutoCloseable {

    private static final Path COMPOSE_FILE = Path.of("docker-compose.yml").toAbsolutePath();

    private final List<String> command;
    private final String name;
    private final List<Path> overrides;
    private final Map<String, String> environment;

    /** What a compose command printed, stdout and stderr together, and how it exited. */
    record Result(int exitCode, String output) {
    }

    ComposeProject(Map<String, String> environment, Path... overrides) {
        this(compose(), "chainlinkit" + UUID.randomUUID().toString().replace("-", "").substring(0, 12),
                List.of(overrides), Map.copyOf(environment));
    }

    private ComposeProject(List<String> command, String name, List<Path> overrides, Map<String, String> environment) {
        this.command = command;
        this.name = name;
        this.overrides = overrides;
        this.environment = environment;
    }

    /** The same project in an environment without {@code variable}, even if the test's own has it. */
    ComposeProject without(String variable) {
        Map<String, String> fewer = new HashMap<>(environment);
        fewer.put(variable, null);
        return new ComposeProject(command, name, overrides, fewer);
    }

    /** Runs a compose command that must succeed; returns what it printed. */
    String run(String... arguments) {
        Result result = attempt(arguments);
        assertThat(result.exitCode()).as("%s %s:%n%s", String.join(" ", command), String.join(" ", arguments), result.output())
                .isZero();
        return result.output().strip();
    }

    Result attempt(String... arguments) {
        List<String> line = new ArrayList<>(command);
        line.addAll(List.of("--file", COMPOSE_FILE.toString()));
        overrides.forEach(file -> line.addAll(List.of("--file", file.toString())));
        line.addAll(List.of("--project-name", name));
        line.addAll(List.of(arguments));
        ProcessBuilder process = new ProcessBuilder(line).redirectErrorStream(true);
        environment.forEach((variable, value) -> {
            if (value == null) {
                process.environment().remove(variable);
            } else {
                process.environment().put(variable, value);
            }
        });
        try {
            Process running = process.start();
            String output = new String(running.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!running.waitFor(5, TimeUnit.MINUTES)) {
                running.destroyForcibly();
                fail("%s did not end within 5 minutes:%n%s", line, output);
            }
            return new Result(running.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        run("down", "--volumes", "--remove-orphans");
    }

    private static List<String> compose() {
        for (List<String> candidate : List.of(List.of("docker-compose"), List.of("docker", "compose"))) {
            try {
                List<String> version = new ArrayList<>(candidate);
                version.add("version");
                Process process = new ProcessBuilder(version).redirectErrorStream(true).start();
                process.getInputStream().readAllBytes();
                if (process.waitFor() == 0) {
                    return candidate;
                }
            } catch (IOException notInstalled) {
                // the next candidate
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return fail("These tests need docker-compose (Debian: apt-get install docker-compose) or the docker compose plugin");
    }
}
