package io.chainlink.regrade;

import io.chainlink.job.Job;

/** A rerun of a job none of whose stages has run: there is no image to pin it to yet (409, with the job's status). */
public class NotRunYetException extends RuntimeException {

    private final transient Job job;

    public NotRunYetException(Job job) {
        super("job " + job.id() + " is " + job.status() + " and none of its stages has run: there is no image to pin a rerun to yet");
        this.job = job;
    }

    public Job job() {
        return job;
    }
}
