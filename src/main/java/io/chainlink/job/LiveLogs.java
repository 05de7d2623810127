package io.chainlink.job;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The stage streams being written in this process, for those who follow them: a writer keeps
 * output in memory until it has a whole chunk, so a stage that prints a line and goes quiet would
 * show nothing until it ends. Every {@link #TICK_MILLIS} this stores what each open stream holds
 * unstored in its head (at most once a second a stream: {@link StageLogWriter#PARTIAL_NANOS}), and
 * {@link #changed()} fires whenever a stream stored output or a stage ended, so that followers in
 * this process look at once rather than at their next poll.
 */
@Component
public class LiveLogs implements AutoCloseable {

    static final long TICK_MILLIS = 250;
    private static final Logger log = LoggerFactory.getLogger(LiveLogs.class);

    private final Set<StageLogWriter> open = ConcurrentHashMap.newKeySet();
    private final Signal changed = new Signal();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "chainlink-log-partials");
        thread.setDaemon(true);
        return thread;
    });

    public LiveLogs() {
        ticker.scheduleWithFixedDelay(this::storePartials, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Fires when a stream stored output or a stage ended. */
    public Signal changed() {
        return changed;
    }

    void opened(StageLogWriter writer) {
        open.add(writer);
    }

    void closed(StageLogWriter writer) {
        open.remove(writer);
        changed.fire();
    }

    private void storePartials() {
        for (StageLogWriter writer : open) {
            try {
                writer.storePartial();
            } catch (RuntimeException e) {
                // The writer's own next store reports a broken database to the stage; a follower
                // just sees the output later. The tick must survive it, or no partial is stored again.
                log.warn("could not store a stage's latest output for its followers: {}", e.toString());
            }
        }
    }

    @Override
    public void close() {
        ticker.shutdownNow();
    }
}
