package io.chainlink.job;

import java.util.OptionalLong;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * How many jobs wait, for the queue bound, without counting them on a submission's path: a count
 * walks the QUEUED index, so it takes longest exactly when submissions come fastest (300 ms with
 * half a million queued), and every submission waiting on it would stall for as long.
 *
 * <p>The first estimate counts in the caller; after that, a stale count is redone on
 * {@code recounter} while submissions go on with the last count plus what was submitted since it
 * began. Claims, here or by another instance, show at the next count, so the estimate errs high,
 * the safe side for a bound. A recount waits at least {@link #MIN_INTERVAL_NANOS} and ten times
 * as long as the last count took, so counting a long queue never takes more than a tenth of a core.
 */
final class QueueGauge {

    static final long MIN_INTERVAL_NANOS = 1_000_000_000L;

    /** A finished count: the jobs it saw, the submissions made before it began, when the next is due. */
    private record Count(long queued, long submittedBefore, long nextAt) {
    }

    private final LongSupplier count;
    private final Executor recounter;
    private final LongSupplier nanoTime;
    private final AtomicLong submitted = new AtomicLong();
    private final AtomicBoolean recounting = new AtomicBoolean();
    private volatile Count last;

    QueueGauge(LongSupplier count, Executor recounter, LongSupplier nanoTime) {
        this.count = count;
        this.recounter = recounter;
        this.nanoTime = nanoTime;
    }

    long estimate() {
        Count known = last;
        if (known == null) {
            known = firstCount();
        } else {
            recountIfDue(known);
        }
        return estimate(known);
    }

    /**
     * The estimate for a metrics scrape, which never waits for a count: empty until the first count,
     * which this starts off the caller's path. A stale count is redone as for {@link #estimate()},
     * so scrapes, however frequent, count no more often than submissions do.
     */
    OptionalLong latest() {
        Count known = last;
        recountIfDue(known);
        return known == null ? OptionalLong.empty() : OptionalLong.of(estimate(known));
    }

    private long estimate(Count known) {
        return known.queued() + submitted.get() - known.submittedBefore();
    }

    private void recountIfDue(Count known) {
        if ((known == null || nanoTime.getAsLong() - known.nextAt() >= 0) && recounting.compareAndSet(false, true)) {
            try {
                recounter.execute(this::recount);
            } catch (RuntimeException e) {
                recounting.set(false); // refused (shutting down): the last count stands
            }
        }
    }

    void added() {
        submitted.incrementAndGet();
    }

    private synchronized Count firstCount() {
        if (last == null) {
            last = take();
        }
        return last;
    }

    private void recount() {
        try {
            last = take();
        } finally {
            recounting.set(false);
        }
    }

    private Count take() {
        long before = submitted.get();
        long start = nanoTime.getAsLong();
        long queued = count.getAsLong();
        long end = nanoTime.getAsLong();
        return new Count(queued, before, end + Math.max(MIN_INTERVAL_NANOS, 10 * (end - start)));
    }
}
