package io.chainlink.metrics;

import io.chainlink.job.JobStatus;
import io.chainlink.job.StageTimings;
import io.chainlink.stage.StageStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.ToLongFunction;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/**
 * Every meter the service publishes ({@code /actuator/prometheus}), in one place: the runner, the
 * pool, the puller and the submission path report here, and never touch Micrometer themselves.
 *
 * <p>Counters and timers count what this instance did; summed over instances they are the
 * fleet's. {@code chainlink.queue.depth} and {@code chainlink.jobs.running} describe the shared
 * store, so every instance reports the same value (take the max, not the sum).
 */
@Component
public class ChainlinkMetrics {

    /** Stages run from a blink to the longest timeouts operators set. */
    private static final Duration[] STAGE_BUCKETS = seconds(0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600);
    /** The parts of a stage around its run take milliseconds; its run and a pull, up to its timeout. */
    private static final Duration[] PHASE_BUCKETS = seconds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 3600);
    /** A pull from a near registry takes about a second; one from afar, minutes; pull-timeout is 10m. */
    private static final Duration[] PULL_BUCKETS = seconds(0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600);

    private final MeterRegistry registry;
    private final Counter submitted;
    private final Counter logDropped;
    private final Map<JobStatus, Counter> finished = new EnumMap<>(JobStatus.class);
    private final Map<StageStatus, Timer> stages = new EnumMap<>(StageStatus.class);
    /** Where stages' time went, by part of StageTimings. */
    private final List<Phase> phases;
    private final Timer pulled;
    private final Timer pullFailed;

    public ChainlinkMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.submitted = Counter.builder("chainlink.jobs.submitted")
                .description("Jobs accepted (202) by this instance")
                .register(registry);
        this.logDropped = Counter.builder("chainlink.log.dropped").baseUnit("bytes")
                .description("Stage output read but not kept: past chainlink.log-limit, between a stream's head and tail")
                .register(registry);
        // Every outcome from the start, so that a rate over one that has not happened yet is 0, not absent.
        for (JobStatus status : JobStatus.values()) {
            if (status.isTerminal()) {
                finished.put(status, Counter.builder("chainlink.jobs.finished").tag("status", status.name())
                        .description("Jobs this instance ended, by how they ended")
                        .register(registry));
            }
        }
        for (StageStatus status : StageStatus.values()) {
            if (StageStatus.RUNNING.canMoveTo(status)) {
                stages.put(status, Timer.builder("chainlink.stage.duration").tag("status", status.name())
                        .description("Stages from their container's start to their end, by how they ended")
                        .serviceLevelObjectives(STAGE_BUCKETS)
                        .register(registry));
            }
        }
        this.phases = List.of(phase("image", StageTimings::image), phase("create", StageTimings::create),
                phase("start", StageTimings::start), phase("run", StageTimings::run), phase("collect", StageTimings::collect));
        this.pulled = pullTimer("pulled");
        this.pullFailed = pullTimer("failed");
    }

    /** One part of a stage's time, and where StageTimings holds it. */
    private record Phase(Timer timer, ToLongFunction<StageTimings> millis) {
    }

    private Phase phase(String name, ToLongFunction<StageTimings> millis) {
        return new Phase(Timer.builder("chainlink.stage.phase").tag("phase", name)
                .description("Where stages' time went (the job view's timings): making the image present, create, start,"
                        + " run (start to exit), collect (output, state, storing)")
                .serviceLevelObjectives(PHASE_BUCKETS)
                .register(registry), millis);
    }

    private Timer pullTimer(String outcome) {
        return Timer.builder("chainlink.pull.duration").tag("outcome", outcome)
                .description("Image pulls, from the request to the engine's last word")
                .serviceLevelObjectives(PULL_BUCKETS)
                .register(registry);
    }

    public void jobSubmitted() {
        submitted.increment();
    }

    /** A job this instance moved to a terminal status. */
    public void jobFinished(JobStatus status) {
        Counter counter = finished.get(status);
        if (counter == null) {
            throw new IllegalArgumentException(status + " is not an end");
        }
        counter.increment();
    }

    /** A stage that ran, from its start to its end, as its view shows them, and where its time went. */
    public void stageEnded(StageStatus status, Duration took, StageTimings timings) {
        Timer timer = stages.get(status);
        if (timer == null) {
            throw new IllegalArgumentException(status + " is not how a running stage ends");
        }
        timer.record(took);
        phases.forEach(phase -> phase.timer().record(Duration.ofMillis(phase.millis().applyAsLong(timings))));
    }

    public void pullEnded(Duration took, boolean succeeded) {
        (succeeded ? pulled : pullFailed).record(took);
    }

    public void logDropped(long bytes) {
        if (bytes > 0) {
            logDropped.increment(bytes);
        }
    }

    /** The store's queued jobs, read when scraped; empty (NaN) until known. The supplier must not count on the caller's thread. */
    public void watchQueue(Supplier<OptionalLong> depth) {
        Gauge.builder("chainlink.queue.depth", () -> {
                    OptionalLong known = depth.get();
                    return known.isPresent() ? known.getAsLong() : Double.NaN;
                })
                .description("Jobs waiting in the store (an estimate that errs high by the claims since its last count)")
                .register(registry);
    }

    /** The store's running jobs, read when scraped. */
    public void watchRunning(Supplier<Number> running) {
        Gauge.builder("chainlink.jobs.running", running)
                .description("Jobs running in the store, on any instance")
                .register(registry);
    }

    /** This instance's workers that run a job now, read when scraped. */
    public void watchWorkers(Supplier<Number> busy, int size) {
        Gauge.builder("chainlink.workers.busy", busy)
                .description("Workers of this instance running a job")
                .register(registry);
        Gauge.builder("chainlink.workers.size", () -> size)
                .description("Workers of this instance (chainlink.workers)")
                .register(registry);
    }

    private static Duration[] seconds(double... values) {
        Duration[] durations = new Duration[values.length];
        for (int i = 0; i < values.length; i++) {
            durations[i] = Duration.ofMillis(Math.round(values[i] * 1000));
        }
        return durations;
    }
}
