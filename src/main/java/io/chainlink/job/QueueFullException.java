package io.chainlink.job;

public class QueueFullException extends RuntimeException {

    public QueueFullException(long queued) {
        super(queued + " jobs are already waiting; try again later");
    }
}
