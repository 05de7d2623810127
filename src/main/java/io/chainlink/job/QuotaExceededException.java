package io.chainlink.job;

/** A tenant has as many jobs queued as its quota allows: 429, and the other tenants are unaffected. */
public class QuotaExceededException extends RuntimeException {

    public QuotaExceededException(String tenant, int quota) {
        super("client " + tenant + " has " + quota + " jobs queued, its quota; submit again once some have started");
    }
}
