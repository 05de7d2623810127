package io.chainlink.job;

/** A submission that breaks a rule only the service knows (a configured cap); names the field. */
public class InvalidSubmissionException extends RuntimeException {

    private final String field;

    public InvalidSubmissionException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
