package io.chainlink.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/** V6, a Java migration: jobs stored before public ids existed get one each, random, and new jobs cannot go without. */
class PublicIdsMigrationTest {

    @Test
    void jobsStoredBeforeGetARandomUuidEachAndTheColumnIsRequiredAndUnique() {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        Flyway.configure().dataSource(h2).target("5").load().migrate();
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
}
