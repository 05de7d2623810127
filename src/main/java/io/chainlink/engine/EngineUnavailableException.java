package io.chainlink.engine;

/**
 * The engine could not be reached at all (refused, gone, its socket missing). Unlike a refusal,
 * this says nothing about the job: workers stop claiming until the engine answers again.
 */
public class EngineUnavailableException extends EngineException {

    public EngineUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
