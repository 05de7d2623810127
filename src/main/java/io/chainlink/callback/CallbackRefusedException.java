package io.chainlink.callback;

/** A callback URL that chainlink.callbacks.allowed-urls does not allow: 403, since the request is well formed. */
public class CallbackRefusedException extends RuntimeException {

    CallbackRefusedException(String message) {
        super(message);
    }

    /** The field as the user wrote it. */
    public String field() {
        return "callback.url";
    }
}
