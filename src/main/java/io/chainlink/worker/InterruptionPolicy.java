package io.chainlink.worker;

import io.chainlink.config.ChainlinkProperties;
import io.chainlink.config.ChainlinkProperties.Recovery;
import org.springframework.stereotype.Component;

/**
 * What becomes of a job whose run was cut short because its instance stopped ({@code
 * chainlink.recovery}): the one place both a stopping instance and a peer that finds the lease
 * expired ask.
 */
@Component
class InterruptionPolicy {

    static final String STOPPED = "interrupted: the instance running it stopped";

    private final Recovery recovery;
    private final int maxAttempts;

    InterruptionPolicy(ChainlinkProperties properties) {
        this.recovery = properties.recovery();
        this.maxAttempts = properties.maxAttempts();
    }

    /** Whether a job interrupted in its {@code attempt}-th run runs again. */
    boolean runsAgain(int attempt) {
        return recovery == Recovery.REQUEUE && attempt < maxAttempts;
    }

    /** Why a job interrupted in its {@code attempt}-th run, and not run again, ended ERROR. */
    String error(int attempt) {
        return recovery == Recovery.REQUEUE ? STOPPED + " (attempt " + attempt + " of " + maxAttempts + ")" : STOPPED;
    }
}
