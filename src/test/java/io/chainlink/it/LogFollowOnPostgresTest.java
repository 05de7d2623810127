package io.chainlink.it;

import io.chainlink.support.SharedPostgres;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@link LogFollowTest} with its jobs in PostgreSQL. */
class LogFollowOnPostgresTest extends LogFollowTest {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        SharedPostgres.newDatabase(registry);
    }
}
