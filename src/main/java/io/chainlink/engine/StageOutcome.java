package io.chainlink.engine;

import java.time.Duration;

/**
 * How a stage's container ended.
 *
 * @param state the container's State exactly as the engine's inspect returned it (JSON)
 * @param collecting from the engine's word that it stopped to the outcome: the rest of its output, its state
 */
public record StageOutcome(int exitCode, boolean killed, String state, Duration collecting) {

    public StageOutcome(int exitCode, boolean killed, String state) {
        this(exitCode, killed, state, Duration.ZERO);
    }

    public boolean succeeded() {
        return !killed && exitCode == 0;
    }
}
