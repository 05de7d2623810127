package io.chainlink.support;

import io.chainlink.job.Durability;
import io.chainlink.job.JobLifecycle;
import io.chainlink.job.JobRepository;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import tools.jackson.databind.json.JsonMapper;

/**
 * The service's real schema and SQL on a fresh in-memory H2, without Spring: for tests of the
 * lifecycle and the runner that take milliseconds.
 */
public final class TestDatabase {

    public final DataSource dataSource;
    public final JdbcClient jdbc;
    public final JobRepository repository;
    public final JobLifecycle lifecycle;
    public final Durability durability;

    public TestDatabase() {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        Flyway.configure().dataSource(h2).load().migrate();
        JsonMapper json = JsonMapper.builder().build();
        this.dataSource = h2;
        this.jdbc = JdbcClient.create(h2);
        this.repository = new JobRepository(jdbc, json);
        this.durability = new Durability(jdbc, h2); // in memory: nothing to write to a file
        this.lifecycle = new JobLifecycle(jdbc, json, new DataSourceTransactionManager(h2), durability);
    }
}
