package io.chainlink.it;

import io.chainlink.support.SharedPostgres;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@link CancelTest} with its jobs in PostgreSQL. */
class CancelOnPostgresTest extends CancelTest {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        SharedPostgres.newDatabase(registry);
    }
}
