package io.chainlink.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PublicIdTest {

    private static final Instant AT = Instant.parse("2026-12-02T08:30:00.123Z");
    /** The bits of a version 7 UUID that are neither its time, nor its version, nor its variant. */
    private static final int RANDOM_BITS = 74;

    @Test
    void isAVersion7UuidThatStartsWithItsMillisecond() {
        UUID id = PublicId.next(AT);

        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2);
        assertThat(id.getMostSignificantBits() >>> 16).isEqualTo(AT.toEpochMilli());
        assertThat(id.toString()).startsWith("01a235df-f7bb-7"); // 2026-12-02T08:30:00.123Z, in hex
    }

    @Test
    void aLaterIdSortsAfterAnEarlierOneAsTextAndAsAUuid() {
        UUID earlier = PublicId.next(AT);
        UUID later = PublicId.next(AT.plusMillis(1));

        assertThat(later.toString()).isGreaterThan(earlier.toString());
        assertThat(later).isGreaterThan(earlier);
    }

    @Test
    void idsOfOneMillisecondDifferAndEachOfTheirRandomBitsTakesBothValues() {
        List<UUID> ids = IntStream.range(0, 1000).mapToObj(i -> PublicId.next(AT)).toList();

        assertThat(new HashSet<>(ids)).hasSize(ids.size());
        // A counter, or a source with fewer bits, leaves some of them fixed over a thousand ids.
        Set<Integer> seenSet = new HashSet<>();
        Set<Integer> seenClear = new HashSet<>();
        for (UUID id : ids) {
            for (int bit = 0; bit < RANDOM_BITS; bit++) {
                (randomBit(id, bit) ? seenSet : seenClear).add(bit);
            }
        }
        assertThat(seenSet).hasSize(RANDOM_BITS);
        assertThat(seenClear).hasSize(RANDOM_BITS);
    }

    /** Random bit {@code n}: the 62 below the variant in the low half, then the 12 below the version. */
    private static boolean randomBit(UUID id, int n) {
        return n < 62 ? (id.getLeastSignificantBits() >>> n & 1) == 1 : (id.getMostSignificantBits() >>> (n - 62) & 1) == 1;
    }
}
