package io.chainlink.job;

/** A cancel of a job that has already ended: 409, with the job as it ended. */
public class JobAlreadyEndedException extends RuntimeException {

    private final transient Job job;

    public JobAlreadyEndedException(Job job) {
        super("job " + job.id() + " has already ended " + job.status() + "; there is nothing to cancel");
        this.job = job;
    }

    public Job job() {
        return job;
    }
}
