package io.chainlink.callback;

import java.time.Duration;

/** The wait before the next delivery of a callback: the first delay, doubled after each failure, capped. */
record Backoff(Duration first, Duration max) {

    /** After {@code attempts} failed deliveries (1 or more). */
    Duration after(int attempts) {
        // Past 30 doublings any first delay is far beyond every sensible cap; stop before overflow.
        int doublings = Math.min(Math.max(attempts - 1, 0), 30);
        Duration delay = first;
        for (int i = 0; i < doublings && delay.compareTo(max) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(max) > 0 ? max : delay;
    }
}
