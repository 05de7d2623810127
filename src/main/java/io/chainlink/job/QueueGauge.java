package io.chainlink.job;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * How many jobs wait, for the queue bound, without counting them on every submission (a count
 * walks the QUEUED index, and the queue is longest exactly when submissions come fastest).
 * The count is taken at most once a second; submissions since add to it. Claims, here or by
 * another instance, show at the next count, so the estimate errs high for at most a second.
 */
final class QueueGauge {

    private static final Duration RECOUNT = Duration.ofSeconds(1);

    private final LongSupplier count;
    private final Clock clock;
    private final AtomicLong estimate = new AtomicLong();
    private volatile Instant countedAt = Instant.MIN;

    QueueGauge(LongSupplier count, Clock clock) {
        this.count = count;
        this.clock = clock;
    }

    long estimate() {
        Instant now = clock.instant();
        if (now.isAfter(countedAt.plus(RECOUNT))) {
            synchronized (this) {
                if (now.isAfter(countedAt.plus(RECOUNT))) {
                    estimate.set(count.getAsLong());
                    countedAt = now;
                }
            }
        }
        return estimate.get();
    }

    void added() {
        estimate.incrementAndGet();
    }
}
