package io.chainlink.it;

import io.chainlink.support.SharedPostgres;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@link ChainExecutionTest} with its jobs in PostgreSQL. */
class ChainExecutionOnPostgresTest extends ChainExecutionTest {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        SharedPostgres.newDatabase(registry);
    }
}
