package io.chainlink.support;

import io.chainlink.database.Database;
import io.chainlink.job.Durability;
import io.chainlink.job.JobLifecycle;
import io.chainlink.job.JobRepository;
import java.util.UUID;
import com.zaxxer.hikari.HikariDataSource;
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
        this(h2());
    }

    private TestDatabase(DataSource dataSource) {
        Flyway.configure().dataSource(dataSource).load().migrate();
        JsonMapper json = JsonMapper.builder().build();
        this.dataSource = dataSource;
        this.jdbc = JdbcClient.create(dataSource);
        this.repository = new JobRepository(jdbc, json);
        Database database = new Database(dataSource);
        this.durability = new Durability(jdbc, database); // in memory, or PostgreSQL: nothing to write to a file
        this.lifecycle = new JobLifecycle(jdbc, json, new DataSourceTransactionManager(dataSource), durability, database);
    }

    /** The same on a new database of the test JVM's PostgreSQL (SharedPostgres), through a small pool. */
    public static TestDatabase postgres() {
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl(SharedPostgres.server().createDatabase());
        pool.setUsername(PostgresServer.USER);
        pool.setPassword(PostgresServer.PASSWORD);
        pool.setMaximumPoolSize(20);
        pool.setMinimumIdle(0); // a test's pool holds no connection after its test
        pool.setIdleTimeout(10_000);
        return new TestDatabase(pool);
    }

    private static DataSource h2() {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        return h2;
    }
}
