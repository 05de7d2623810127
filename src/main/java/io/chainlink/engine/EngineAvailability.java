package io.chainlink.engine;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Whether the engine answers, as the workers see it. A job that finds the engine unreachable
 * reports it here; workers then stop claiming jobs and wait, asking the engine with growing pauses,
 * until it answers again, so that queued jobs wait for the engine instead of all ending ERROR.
 */
@Component
public class EngineAvailability {

    private static final Logger log = LoggerFactory.getLogger(EngineAvailability.class);
    static final Duration FIRST_PAUSE = Duration.ofMillis(500);
    static final Duration LONGEST_PAUSE = Duration.ofSeconds(15);

    private final EngineConnection engine;
    private final EngineCalls calls;
    private volatile boolean down;

    public EngineAvailability(EngineConnection engine, EngineCalls calls) {
        this.engine = engine;
        this.calls = calls;
    }

    public void reportDown(String why) {
        if (!down) {
            log.warn("the engine is unreachable; workers take no jobs until it answers: {}", why);
        }
        down = true;
    }

    public boolean isDown() {
        return down;
    }

    /** Asks the engine for its version now; marks it up or down by the answer. */
    public EngineConnection.Version check() {
        try {
            EngineConnection.Version version = calls.call("tell its version", engine::version);
            if (down) {
                log.info("the engine answers again (Docker {}); workers take jobs", version.version());
            }
            down = false;
            return version;
        } catch (EngineException e) {
            reportDown(e.getMessage());
            throw e;
        }
    }

    /** Returns at once if the engine is up; else once it answers again, or {@code stopping} turns true. */
    public void awaitUp(BooleanSupplier stopping) throws InterruptedException {
        long pause = FIRST_PAUSE.toMillis();
        while (down && !stopping.getAsBoolean()) {
            try {
                check();
                return;
            } catch (EngineException e) {
                sleep(pause, stopping);
                pause = Math.min(pause * 2, LONGEST_PAUSE.toMillis());
            }
        }
    }

    /** Sleeps in short steps, so that a shutdown is not held up by a long pause. */
    private static void sleep(long millis, BooleanSupplier stopping) throws InterruptedException {
        for (long left = millis; left > 0 && !stopping.getAsBoolean(); left -= 100) {
            Thread.sleep(Math.min(left, 100));
        }
    }
}
