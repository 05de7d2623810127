package io.chainlink.api;

class LogsNotKeptException extends RuntimeException {

    LogsNotKeptException(String job, int stage) {
        super("stage " + stage + " of job " + job + " ran with logs: false, so its logs were not kept");
    }
}
