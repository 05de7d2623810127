package io.chainlink.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MemoryLimitTest {

    private static final long KIB = 1024;
    private static final long MIB = 1024 * KIB;
    private static final long GIB = 1024 * MIB;

    @Test
    void aTextLongerThanAnySizeIsRefusedBeforeItsDigitsAreRead() {
        assertThatIllegalArgumentException().isThrownBy(() -> MemoryLimit.parse("9".repeat(1_000_000)))
                .withMessageContaining("at most 32 characters");
        assertThat(MemoryLimit.parse("0000000000000000000000000000064m").bytes()).isEqualTo(64 * MIB);
    }

    @Test
    void aNumberWithAUnitIsThatManyUnitsOfBytes() {
        assertThat(MemoryLimit.parse("512m").bytes()).isEqualTo(512 * MIB);
        assertThat(MemoryLimit.parse("8192k").bytes()).isEqualTo(8192 * KIB);
        assertThat(MemoryLimit.parse("2g").bytes()).isEqualTo(2 * GIB);
    }

    @Test
    void aTrailingBAfterTheUnitChangesNothing() {
        assertThat(MemoryLimit.parse("2gb")).isEqualTo(MemoryLimit.parse("2g"));
        assertThat(MemoryLimit.parse("64mb")).isEqualTo(MemoryLimit.parse("64m"));
    }

    @Test
    void aFractionOfAUnitIsAllowed() {
        assertThat(MemoryLimit.parse("1.5g").bytes()).isEqualTo(GIB + GIB / 2);
    }

    @ParameterizedTest(name = "\"{0}\" is 64 MiB")
    @ValueSource(strings = {"64M", "64m", "64mb", "64MB", "64Mb", "0.0625g", "0.0625G", "65536k", "67108864", "67108864b"})
    void oneSizeWrittenManyWays(String text) {
        assertThat(MemoryLimit.parse(text).bytes()).isEqualTo(64 * MIB);
    }

    @Test
    void unitsMayBeUpperOrLowerCase() {
        assertThat(MemoryLimit.parse("8192K")).isEqualTo(MemoryLimit.parse("8192k"));
        assertThat(MemoryLimit.parse("512M")).isEqualTo(MemoryLimit.parse("512m"));
        assertThat(MemoryLimit.parse("2G")).isEqualTo(MemoryLimit.parse("2g"));
        assertThat(MemoryLimit.parse("2GB")).isEqualTo(MemoryLimit.parse("2g"));
    }

    @Test
    void jsonTakesAStringOrAWholeNumberOfBytes() {
        assertThat(MemoryLimit.fromJson("64m").bytes()).isEqualTo(64 * MIB);
        assertThat(MemoryLimit.fromJson(67108864).bytes()).isEqualTo(64 * MIB);
        assertThat(MemoryLimit.fromJson(3L * GIB).bytes()).isEqualTo(3 * GIB);
    }

    @Test
    void jsonRefusesAnythingElse() {
        assertThatIllegalArgumentException().isThrownBy(() -> MemoryLimit.fromJson(true))
                .withMessageContaining("a whole number of bytes");
        assertThatIllegalArgumentException().isThrownBy(() -> MemoryLimit.fromJson(67108864.5))
                .withMessageContaining("a whole number of bytes");
    }

    @Test
    void sixMebibytesIsTheFloorAndIsAccepted() {
        assertThat(MemoryLimit.parse("6m").bytes()).isEqualTo(MemoryLimit.ENGINE_FLOOR).isEqualTo(6 * MIB);
        assertThat(MemoryLimit.fromJson((int) (6 * MIB)).bytes()).isEqualTo(6 * MIB);
    }

    @Test
    void lessThanTheFloorIsRefusedSayingWhatTheFloorIs() {
        assertThatIllegalArgumentException().isThrownBy(() -> MemoryLimit.parse("5m"))
                .withMessageContaining("at least 6m")
                .withMessageContaining(Long.toString(5 * MIB));
        assertThatIllegalArgumentException().isThrownBy(() -> MemoryLimit.fromJson(1000))
                .withMessageContaining("at least 6m")
                .withMessageContaining("got 1000 bytes");
        assertThatIllegalArgumentException().isThrownBy(() -> MemoryLimit.fromJson((int) (6 * MIB - 1)))
                .withMessageContaining("at least 6m");
    }

    @ParameterizedTest(name = "\"{0}\" is not a size")
    @ValueSource(strings = {"", " ", "abc", "12x", "1.2.3", "-5m", "m", "5 mm", "0x10", "1e9"})
    void textThatIsNotASizeIsRefusedNamingTheTextAndTheFormat(String text) {
        assertThatIllegalArgumentException().isThrownBy(() -> MemoryLimit.parse(text))
                .withMessage("'" + text + "' is not a size: use bytes or a number with a unit b, k, m or g (e.g. 512m, 2g)");
    }

    @Test
    void aSizeBeyondWhatALongHoldsIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> MemoryLimit.parse("99999999999g"))
                .withMessageContaining("too large");
    }

    @Test
    void aSizeIsWrittenInTheLargestUnitThatWritesItWhole() {
        assertThat(MemoryLimit.text(2L << 30)).isEqualTo("2g");
        assertThat(MemoryLimit.text(1536L << 20)).isEqualTo("1536m");
        assertThat(MemoryLimit.text(6L << 20)).isEqualTo("6m");
        assertThat(MemoryLimit.text((6L << 20) + 1024)).isEqualTo("6145k");
        assertThat(MemoryLimit.text((6L << 20) + 1)).isEqualTo("6291457");
        assertThat(MemoryLimit.parse(MemoryLimit.text(1536L << 20)).bytes()).isEqualTo(1536L << 20);
    }
}
