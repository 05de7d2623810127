package io.chainlink.job;

/** A list's {@code after} that names no job the caller sees: the page it continues cannot be found (400, naming the parameter). */
public class UnknownPageStartException extends RuntimeException {

    private final String parameter;

    public UnknownPageStartException(String parameter, String value) {
        super("'" + value + "' is the id of no job of yours: pass the next of the previous page");
        this.parameter = parameter;
    }

    public String parameter() {
        return parameter;
    }
}
