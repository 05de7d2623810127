package io.chainlink.engine;

/** The engine took the request but did not answer within its deadline (seen: runc hanging in start). */
public class EngineTimeoutException extends EngineException {

    public EngineTimeoutException(String message) {
        super(message);
    }
}
