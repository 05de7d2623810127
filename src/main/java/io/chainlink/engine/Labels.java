package io.chainlink.engine;

import java.util.Map;

/**
 * The labels on everything the service creates on the engine: the job, by the public id the API
 * names it by (so that {@code docker ps --filter label=chainlink.job=<id>} finds what an API answer
 * or a log line names), the stage ({@code all} on the job's volume) and the store, the database the
 * job lives in. The store label keeps services
 * with separate databases on one engine (a staging and a production instance, test contexts) from
 * sweeping each other's containers: each only judges the jobs it can look up.
 */
public record Labels(String store, String job) {

    public static final String STORE = "chainlink.store";
    public static final String JOB = "chainlink.job";
    public static final String STAGE = "chainlink.stage";

    Map<String, String> forStage(int stage) {
        return Map.of(STORE, store, JOB, job, STAGE, Integer.toString(stage));
    }

    Map<String, String> forVolume() {
        return Map.of(STORE, store, JOB, job, STAGE, "all");
    }
}
