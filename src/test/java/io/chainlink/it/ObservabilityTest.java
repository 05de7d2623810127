package io.chainlink.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.Version;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * What an operator watches, over HTTP: health with the database and the engine, info with both
 * versions, and Prometheus metrics of the jobs run. (JSON logs: JsonLogsTest.)
 */
@TestPropertySource(properties = "chainlink.log-limit=1KB")
class ObservabilityTest extends EngineTest {

    @Test
    void healthShowsTheDatabaseAndTheEngineWithItsVersions() {
        Response health = get("/actuator/health");

        assertThat(health.status()).as(health.text()).isEqualTo(200);
        assertThat(health.body().at("/status").asString()).isEqualTo("UP");
        assertThat(health.body().at("/components/db/status").asString()).isEqualTo("UP");
        assertThat(health.body().at("/components/engine/status").asString()).isEqualTo("UP");
        assertTheEnginesVersions(health.body().at("/components/engine/details"));
    }

    @Test
    void infoShowsTheServicesVersionFromTheBuildAndTheEngines() {
        Response info = get("/actuator/info");

        assertThat(info.status()).as(info.text()).isEqualTo(200);
        assertThat(info.body().at("/build/artifact").asString()).isEqualTo("chainlink");
        assertThat(info.body().at("/build/version").asString()).matches("\\d+\\.\\d+\\.\\d+.*");
        assertTheEnginesVersions(info.body().at("/engine"));
    }

    @Test
    void onlyHealthInfoAndMetricsAreExposedNothingThatShowsConfigurationOrInternals() {
        Response actuator = get("/actuator");
        List<String> links = new ArrayList<>(actuator.body().get("_links").propertyNames());

        assertThat(links).containsExactlyInAnyOrder("self", "health", "health-path", "info", "metrics",
                "metrics-requiredMetricName", "prometheus");
        for (String hidden : List.of("env", "configprops", "beans", "heapdump", "threaddump", "loggers", "mappings",
                "conditions", "shutdown", "flyway", "scheduledtasks")) {
            assertThat(get("/actuator/" + hidden).status()).as(hidden).isEqualTo(404);
        }
    }

    @Test
    void prometheusCountsJobsByOutcomeTimesStagesAndPullsAndCountsDroppedOutput() {
        String before = scrape();

        String succeeded = submit("""
                {"stages": [{"image": "IMAGE", "entrypoint": ["sh", "-c", "head -c 3000 /dev/zero | tr '\\\\0' x"]},
                            {"image": "IMAGE", "entrypoint": ["true"]}]}""");
        String failed = submit("""
                {"stages": [{"image": "IMAGE", "entrypoint": ["false"]}]}""");
        String unpulled = submit("""
                {"stages": [{"image": "127.0.0.1:9/chainlink/nowhere:1", "entrypoint": ["true"]}]}""");
        awaitEnd(succeeded);
        awaitEnd(failed);
        awaitEnd(unpulled);
        String after = scrape();

        assertThat(delta(before, after, "chainlink_jobs_submitted_total")).isEqualTo(3);
        assertThat(delta(before, after, "chainlink_jobs_finished_total{status=\"SUCCEEDED\"}")).isEqualTo(1);
        assertThat(delta(before, after, "chainlink_jobs_finished_total{status=\"FAILED\"}")).isEqualTo(1);
        assertThat(delta(before, after, "chainlink_jobs_finished_total{status=\"ERROR\"}")).isEqualTo(1);
        assertThat(delta(before, after, "chainlink_stage_duration_seconds_count{status=\"SUCCEEDED\"}")).isEqualTo(2);
        assertThat(delta(before, after, "chainlink_stage_duration_seconds_count{status=\"FAILED\"}")).isEqualTo(1);
        assertThat(delta(before, after, "chainlink_stage_duration_seconds_bucket{status=\"SUCCEEDED\",le=\"+Inf\"}")).isEqualTo(2);
        assertThat(delta(before, after, "chainlink_stage_phase_seconds_count{phase=\"run\"}")).isEqualTo(3);
        assertThat(delta(before, after, "chainlink_stage_phase_seconds_count{phase=\"create\"}")).isEqualTo(3);
        assertThat(delta(before, after, "chainlink_stage_phase_seconds_sum{phase=\"start\"}")).isPositive();
        assertThat(delta(before, after, "chainlink_pull_duration_seconds_count{outcome=\"failed\"}")).isEqualTo(1);
        assertThat(after).contains("chainlink_pull_duration_seconds_bucket{outcome=\"pulled\",le=\"0.5\"}");
        // 3,000 bytes in one entry with its timestamp, 1 KiB kept.
        assertThat(delta(before, after, "chainlink_log_dropped_bytes_total")).isBetween(3000.0 - 1024, 3100.0 - 1024);
        // The queue's estimate is recounted in the background, at most once a second: a later scrape shows it.
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .until(() -> value(scrape(), "chainlink_queue_depth"), depth -> depth == 0);
        assertThat(value(after, "chainlink_jobs_running")).isZero();
        assertThat(value(after, "chainlink_workers_busy")).isZero();
        assertThat(value(after, "chainlink_workers_size")).isEqualTo(2);
        // Every request is timed, without a second meter of the requests in flight (application.properties).
        assertThat(after).contains("http_server_requests_seconds_count{").doesNotContain("http_server_requests_active");
    }

    /** {@code version} and {@code apiVersion} are what the engine itself says. */
    private void assertTheEnginesVersions(JsonNode shown) {
        Version engine = docker().versionCmd().exec();
        assertThat(shown.get("version").asString()).isEqualTo(engine.getVersion());
        assertThat(shown.get("apiVersion").asString()).isEqualTo(engine.getApiVersion());
    }

    private String scrape() {
        Response response = get("/actuator/prometheus");
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response.text();
    }

    private static double delta(String before, String after, String series) {
        return value(after, series) - value(before, series);
    }

    /** A series' value in a scrape, as Prometheus reads it: the number after "name{labels} ". */
    private static double value(String scrape, String series) {
        Matcher sample = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(scrape);
        assertThat(sample.find()).as(series + " in\n" + scrape).isTrue();
        return Double.parseDouble(sample.group(1));
    }
}
