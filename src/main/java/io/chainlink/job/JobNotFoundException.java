package io.chainlink.job;

public class JobNotFoundException extends RuntimeException {

    public JobNotFoundException(String what) {
        super(what + " not found");
    }
}
