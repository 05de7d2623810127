package io.chainlink.job;

import io.chainlink.stage.StageSpec;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * A job to queue: its stages, resolved and checked; the public id of the job it reruns (null for a
 * job submitted as itself); and what else is stored with it in the transaction that stores it,
 * given its internal id (its files), so that no worker claims it before that is there.
 */
public record NewJob(List<StageSpec> stages, String rerunOf, LongConsumer alongside) {

    public NewJob {
        stages = List.copyOf(stages);
    }

    public NewJob(List<StageSpec> stages) {
        this(stages, null, job -> { });
    }

    public NewJob(List<StageSpec> stages, LongConsumer alongside) {
        this(stages, null, alongside);
    }
}
