package io.chainlink.auth;

/** A caller known to the service asked for something its role does not allow: 403. */
public class ForbiddenException extends RuntimeException {

    public ForbiddenException(String message) {
        super(message);
    }
}
