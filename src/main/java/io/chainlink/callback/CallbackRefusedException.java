package io.chainlink.callback;

/** A callback URL that chainlink.callbacks.allowed-urls does not allow: 403, since the request is well formed. */
public class CallbackRefusedException extends RuntimeException {

    private final String field;

    CallbackRefusedException(String field, String message) {
        super(message);
        this.field = field;
    }

    /** The field as the user wrote it: {@code callback.url}, {@code jobs[3].callback.url}. */
    public String field() {
        return field;
    }
}
