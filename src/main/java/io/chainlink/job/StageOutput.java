package io.chainlink.job;

/**
 * A stage's output stream that can also be told what its bytes cannot say: that the engine
 * discarded part of the stage's output before it could be read. The engine tells each stream it
 * is given to run a stage with that implements this, before the stream is closed.
 */
public interface StageOutput {

    /** What this stream received is not all that the stage wrote (on this stream or the other). */
    void engineDiscardedOutput();
}
