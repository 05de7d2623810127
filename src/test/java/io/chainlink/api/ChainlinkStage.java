package io.chainlink.api;

/**
 * A stage as chainlink's own stage dictionaries write it, every field set, on an image that is
 * never pulled: the valid submission the validation tests accept and the property tests break.
 */
final class ChainlinkStage {

    static final String SUBMISSION = """
            {"stages": [{
              "entrypoint": ["sh", "-c", "echo $TEST"],
              "hostname": "container",
              "image": "chainlink-test/absent:never",
              "memory": "2g",
              "cpuset_cpus": "0",
              "networking": true,
              "privileged": false,
              "timeout": 30,
              "logs": true,
              "pull": "never",
              "user": "1000:1000",
              "env": {"TEST": "testing"}
            }],
            "environ": {"BASE": "1"}}""";

    private ChainlinkStage() {
    }
}
