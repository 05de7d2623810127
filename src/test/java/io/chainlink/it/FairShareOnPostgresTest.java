package io.chainlink.it;

import io.chainlink.support.SharedPostgres;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@link FairShareTest} with its jobs in PostgreSQL. */
class FairShareOnPostgresTest extends FairShareTest {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        SharedPostgres.newDatabase(registry);
    }
}
