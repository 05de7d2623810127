package io.chainlink.stage;

public enum StageStatus {
    PENDING, RUNNING, SUCCEEDED, FAILED, SKIPPED
}
