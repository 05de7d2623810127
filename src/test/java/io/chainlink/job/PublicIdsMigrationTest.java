package io.chainlink.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * V6, a Java migration: jobs stored before public ids existed get one each, random, and new jobs
 * cannot go without. V8: ids stored as text become UUIDs, each the same id.
 */
class PublicIdsMigrationTest {

    @Test
    void jobsStoredBeforeGetARandomUuidEachAndTheColumnIsRequiredAndUnique() {
        JdbcDataSource h2 = databaseAt("5");
        JdbcClient jdbc = JdbcClient.create(h2);
        for (int i = 0; i < 3; i++) {
            jdbc.sql("INSERT INTO jobs (status, created_at) VALUES ('SUCCEEDED', CURRENT_TIMESTAMP)").update();
        }

        Flyway.configure().dataSource(h2).load().migrate();

        List<String> ids = jdbc.sql("SELECT public_id FROM jobs ORDER BY id").query(String.class).list();
        assertThat(ids).hasSize(3).doesNotHaveDuplicates()
                .allSatisfy(id -> assertThat(UUID.fromString(id).version()).isEqualTo(4));
        assertThatThrownBy(() -> jdbc.sql("INSERT INTO jobs (status, created_at) VALUES ('QUEUED', CURRENT_TIMESTAMP)").update())
                .as("a job without a public id").isNotNull();
        assertThatThrownBy(() -> jdbc.sql("INSERT INTO jobs (public_id, status, created_at) VALUES (:id, 'QUEUED', CURRENT_TIMESTAMP)")
                .param("id", ids.get(0)).update()).as("a public id taken").isNotNull();
    }

    @Test
    void idsStoredAsTextStayTheSameIdsStoredAsUuidsStillRequiredAndUnique() {
        JdbcDataSource h2 = databaseAt("7");
        JdbcClient jdbc = JdbcClient.create(h2);
        List<String> stored = List.of(UUID.randomUUID().toString(), UUID.randomUUID().toString());
        for (String id : stored) {
            jdbc.sql("INSERT INTO jobs (public_id, status, created_at) VALUES (:id, 'SUCCEEDED', CURRENT_TIMESTAMP)")
                    .param("id", id).update();
        }

        Flyway.configure().dataSource(h2).load().migrate();

        assertThat(jdbc.sql("SELECT DATA_TYPE FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_NAME = 'JOBS' AND COLUMN_NAME = 'PUBLIC_ID'")
                .query(String.class).single()).isEqualTo("UUID");
        assertThat(jdbc.sql("SELECT public_id FROM jobs ORDER BY id").query(String.class).list()).isEqualTo(stored);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM jobs WHERE public_id = :id").param("id", UUID.fromString(stored.get(1)))
                .query(Long.class).single()).isEqualTo(1);
        assertThatThrownBy(() -> jdbc.sql("INSERT INTO jobs (status, created_at) VALUES ('QUEUED', CURRENT_TIMESTAMP)").update())
                .as("a job without a public id").isNotNull();
        assertThatThrownBy(() -> jdbc.sql("INSERT INTO jobs (public_id, status, created_at) VALUES (:id, 'QUEUED', CURRENT_TIMESTAMP)")
                .param("id", UUID.fromString(stored.get(0))).update()).as("a public id taken").isNotNull();
    }

    /** A database of its own, migrated up to {@code version}. */
    private static JdbcDataSource databaseAt(String version) {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        Flyway.configure().dataSource(h2).target(version).load().migrate();
        return h2;
    }
}
