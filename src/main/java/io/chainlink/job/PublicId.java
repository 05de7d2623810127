package io.chainlink.job;

import java.time.Instant;
import java.util.UUID;

/**
 * A new job's public id: a version 7 UUID (RFC 9562), the submission's millisecond first, then 74
 * bits from the same secure random source as {@link UUID#randomUUID()}. None can be guessed from
 * another, and new ids sort after older ones, so each submission adds to the end of the public-id
 * index instead of a random page of it. With random (version 4) ids every group of submissions
 * rewrote as many index pages as it held jobs when it was written to the file: storing them was a
 * third of a submission's CPU, and submits took 21% less CPU per request with these (bench/README.md).
 */
final class PublicId {

    private static final long VERSION_7 = 0x7000L;
    private static final long RANDOM_A = 0x0FFFL;

    private PublicId() {
    }

    static UUID next(Instant now) {
        UUID random = UUID.randomUUID(); // its low half keeps the variant bits a version 7 UUID has too
        long high = now.toEpochMilli() << 16 | VERSION_7 | random.getMostSignificantBits() & RANDOM_A;
        return new UUID(high, random.getLeastSignificantBits());
    }
}
