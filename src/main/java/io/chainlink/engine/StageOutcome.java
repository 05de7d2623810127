package io.chainlink.engine;

/**
 * How a stage's container ended.
 *
 * @param state the container's State exactly as the engine's inspect returned it (JSON)
 */
public record StageOutcome(int exitCode, boolean killed, String state) {

    public boolean succeeded() {
        return !killed && exitCode == 0;
    }
}
