package io.chainlink.it;

import io.chainlink.support.SharedPostgres;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@link StageLogsTest} with its jobs in PostgreSQL. */
class StageLogsOnPostgresTest extends StageLogsTest {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        SharedPostgres.newDatabase(registry);
    }
}
