package io.chainlink.job;

/**
 * What a submission stores beside its job, in the job's own transaction: the job and it are
 * stored together or not at all, and reach the store's file together before the 202 (a callback
 * registered after the job's commit could be lost with the process while its job runs).
 */
@FunctionalInterface
public interface StoredWithJob {

    /** A submission with nothing beside its job. */
    StoredWithJob NOTHING = job -> {
    };

    /** Stores its rows for the job with this internal id, inside the job's transaction. */
    void store(long job);
}
