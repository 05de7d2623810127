package io.chainlink.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What health and the startup log say of a stage's writable layer, by the engine's storage driver. */
class StageDiskTest {

    @ParameterizedTest(name = "{0} over {1}: {2}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "overlay2 | extfs | not capped: overlay2 over extfs cannot size it (overlay2 needs xfs mounted with pquota)",
            "overlay2 | xfs   | not capped: overlay2 over xfs could size it if mounted with pquota; the service does not ask",
            "btrfs    | -     | not capped: btrfs could size it; the service does not ask",
            "zfs      | -     | not capped: zfs could size it; the service does not ask",
            "vfs      | -     | not capped: vfs cannot size it"})
    void theWritableLayerIsNotCappedAndTheReasonNamesTheDriver(String driver, String filesystem, String said) {
        assertThat(StageDisk.writableLayer(new StageDisk.Storage(driver, filesystem))).isEqualTo(said);
    }

    @Test
    void anEngineThatDidNotAnswerIsNotPretendedAbout() {
        assertThat(StageDisk.writableLayer(null)).startsWith("not capped: the engine's storage driver is not known yet");
    }
}
