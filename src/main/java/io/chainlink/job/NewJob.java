package io.chainlink.job;

import io.chainlink.stage.StageSpec;
import java.util.List;

/**
 * A job to queue: its stages, resolved and checked, and the public id of the job it reruns (null
 * for a job submitted as itself).
 */
public record NewJob(List<StageSpec> stages, String rerunOf) {

    public NewJob {
        stages = List.copyOf(stages);
    }

    public NewJob(List<StageSpec> stages) {
        this(stages, null);
    }
}
