package io.chainlink.job;

import io.chainlink.support.TestDatabase;

/**
 * {@link JobLifecycleTest} on PostgreSQL, where a claim locks the job it takes and passes over
 * those a peer holds (SKIP LOCKED): the same moves, and two instances racing never run one twice.
 */
class JobLifecycleOnPostgresTest extends JobLifecycleTest {

    @Override
    TestDatabase newDatabase() {
        return TestDatabase.postgres();
    }
}
