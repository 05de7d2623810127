package io.chainlink.engine;

/** The engine could not do what a job needed: the job ends as ERROR with this message. */
public class EngineException extends RuntimeException {

    public EngineException(String message) {
        super(message);
    }

    public EngineException(String message, Throwable cause) {
        super(message, cause);
    }
}
