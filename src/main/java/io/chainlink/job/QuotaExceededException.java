package io.chainlink.job;

/** A tenant has as many jobs queued as its quota allows: 429, and the other tenants are unaffected. */
public class QuotaExceededException extends RuntimeException {

    public QuotaExceededException(String tenant, int quota) {
        super("client " + tenant + " has " + quota + " jobs queued, its quota; submit again once some have started");
    }

    /** A batch that would take the tenant past its quota: the batch counts whole. */
    public QuotaExceededException(String tenant, int quota, long queued, int adding) {
        super("client " + tenant + " may have " + quota + " jobs queued, its quota; it has " + queued + ", and the batch holds "
                + adding + "; submit again once some have started, or fewer at once");
    }
}
