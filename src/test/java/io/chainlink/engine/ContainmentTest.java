package io.chainlink.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chainlink.support.TestProperties;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ContainmentTest {

    @ParameterizedTest(name = "chainlink.containment.{0} stops the start")
    @CsvSource(delimiter = '|', value = {
            "pids-limit=0        | chainlink.containment.pids-limit must be positive; got 0",
            "cpu-shares=1        | chainlink.containment.cpu-shares must be 2 to 262144; got 1",
            "cpu-shares=262145   | chainlink.containment.cpu-shares must be 2 to 262144; got 262145"})
    void aContainmentTheEngineCannotGiveStopsTheStartSayingWhy(String setting, String why) {
        String[] nameAndValue = setting.split("=", 2);
        assertThatThrownBy(() -> TestProperties.of(Map.of("chainlink.containment." + nameAndValue[0], nameAndValue[1])))
                .hasStackTraceContaining(why);
    }

    @ParameterizedTest(name = "cpu-shares={0} is taken")
    @CsvSource({"2", "1024", "262144"})
    void everyWeightTheEngineTakesIsTaken(int shares) {
        assertThat(TestProperties.of(Map.of("chainlink.containment.cpu-shares", Integer.toString(shares))).containment().cpuShares())
                .isEqualTo(shares);
    }
}
