package io.chainlink.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class QueueGaugeTest {

    private static final long MS = 1_000_000L;

    private final AtomicLong now = new AtomicLong();
    private final AtomicLong queued = new AtomicLong(5);
    private final AtomicLong counts = new AtomicLong();
    /** Counting takes {@code countTook} of the fake clock. */
    private long countTook = 0;
    private final Queue<Runnable> recounts = new ArrayDeque<>();
    private final QueueGauge gauge = new QueueGauge(() -> {
        counts.incrementAndGet();
        now.addAndGet(countTook);
        return queued.get();
    }, recounts::add, now::get);

    @Test
    void theFirstEstimateCountsInTheCaller() {
        assertThat(gauge.estimate()).isEqualTo(5);
        assertThat(counts).hasValue(1);
        assertThat(recounts).isEmpty();
    }

    @Test
    void submissionsAddToTheLastCountUntilARecountIsDue() {
        gauge.estimate();
        gauge.added();
        gauge.added();
        now.addAndGet(999 * MS);

        assertThat(gauge.estimate()).isEqualTo(7);
        assertThat(counts).hasValue(1);
        assertThat(recounts).isEmpty();
    }

    @Test
    void aStaleCountIsRedoneOffTheCallersPathOnceAtATime() {
        gauge.estimate();
        gauge.added();
        now.addAndGet(1000 * MS);
        queued.set(2); // workers claimed four

        assertThat(gauge.estimate()).as("still the old count").isEqualTo(6);
        assertThat(gauge.estimate()).isEqualTo(6);
        assertThat(counts).as("nothing counted in the caller").hasValue(1);
        assertThat(recounts).as("one recount at a time").hasSize(1);

        recounts.poll().run();
        assertThat(gauge.estimate()).isEqualTo(2);
        gauge.added();
        assertThat(gauge.estimate()).isEqualTo(3);
        assertThat(recounts).isEmpty();
    }

    @Test
    void aSlowCountIsRedoneAtMostEveryTenTimesItsDuration() {
        countTook = 300 * MS;
        gauge.estimate();

        now.addAndGet(2999 * MS);
        gauge.estimate();
        assertThat(recounts).isEmpty();

        now.addAndGet(MS);
        gauge.estimate();
        assertThat(recounts).hasSize(1);
    }

    @Test
    void aRecountThatFailsKeepsTheLastCountAndLetsTheNextOneTry() {
        AtomicLong calls = new AtomicLong();
        QueueGauge gauge = new QueueGauge(() -> {
            if (calls.incrementAndGet() == 2) {
                throw new IllegalStateException("database gone");
            }
            return queued.get();
        }, recounts::add, now::get);
        gauge.estimate();
        now.addAndGet(1000 * MS);
        gauge.estimate();
        queued.set(1);

        Runnable failing = recounts.poll();
        assertThat(catchThrowable(failing::run)).hasMessage("database gone");
        assertThat(gauge.estimate()).as("the last count stands").isEqualTo(5);
        assertThat(recounts).as("the next estimate tries again").hasSize(1);
        recounts.poll().run();
        assertThat(gauge.estimate()).isEqualTo(1);
    }

    @Test
    void aScrapeNeverCountsInTheCallerAndStartsTheFirstCount() {
        assertThat(gauge.latest()).isEmpty();
        assertThat(gauge.latest()).isEmpty();
        assertThat(counts).as("nothing counted in the caller").hasValue(0);
        assertThat(recounts).as("one count at a time").hasSize(1);

        recounts.poll().run();
        gauge.added();
        assertThat(gauge.latest()).hasValue(6);
    }

    @Test
    void scrapesCountNoMoreOftenThanSubmissions() {
        gauge.estimate();
        queued.set(2);
        now.addAndGet(999 * MS);
        assertThat(gauge.latest()).hasValue(5);
        assertThat(recounts).isEmpty();

        now.addAndGet(MS);
        assertThat(gauge.latest()).as("still the old count").hasValue(5);
        assertThat(recounts).hasSize(1);
        recounts.poll().run();
        assertThat(gauge.latest()).hasValue(2);
        assertThat(counts).hasValue(2);
    }
}
