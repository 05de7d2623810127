package io.chainlink.worker;

import io.chainlink.config.ChainlinkProperties;
import io.chainlink.database.Database;
import io.chainlink.job.JobEvents;
import io.chainlink.job.Signal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Wakes idle workers on every instance at a submission anywhere, on PostgreSQL ({@code
 * LISTEN/NOTIFY}), so that how soon a job starts does not hang on {@code poll-interval}, which
 * stays the fallback (a notice is not stored: one sent while an instance was not listening is
 * never delivered to it). A job queued here is announced on the pool's connections; one thread
 * listens on a connection of its own, outside the pool (a listening session must stay the same
 * session), and reconnects after the database went away, with a growing pause up to
 * {@link #MOST_PAUSE}; at each (re)connect it wakes the workers once, for what was queued meanwhile.
 */
@Component
class QueueNotices implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(QueueNotices.class);
    static final String CHANNEL = "chainlink_queued";
    private static final Duration MOST_PAUSE = Duration.ofSeconds(10);
    /** How long one wait for notices blocks: also how soon a stop is seen. */
    private static final int WAIT_MILLIS = 1000;

    private final Database database;
    private final JdbcClient jdbc;
    private final Environment environment;
    private final ChainlinkProperties properties;
    private final Signal queued;
    private volatile Thread thread;

    QueueNotices(Database database, JdbcClient jdbc, Environment environment, ChainlinkProperties properties, JobEvents events) {
        this.database = database;
        this.jdbc = jdbc;
        this.environment = environment;
        this.properties = properties;
        this.queued = events.queued();
        if (database.notifies()) {
            events.onQueuedHere(this::announce);
        }
    }

    /** Tells every listening instance; never fails the submission that called it: polling finds the job anyway. */
    private void announce() {
        try {
            jdbc.sql("SELECT pg_notify('" + CHANNEL + "', '')").query(Object.class).list();
        } catch (RuntimeException e) {
            log.debug("could not announce a queued job; the other instances' polls find it: {}", e.getMessage());
        }
    }

    @Override
    public synchronized void start() {
        if (!database.notifies() || properties.jobWorkers() == 0) {
            return; // an instance without workers has no one to wake
        }
        thread = new Thread(this::listen, "chainlink-queue-notices");
        thread.setDaemon(true);
        thread.start();
    }

    private void listen() {
        Duration pause = Duration.ofMillis(500);
        boolean reported = false;
        while (thread == Thread.currentThread()) {
            try (Connection connection = connect(); Statement statement = connection.createStatement()) {
                statement.execute("LISTEN " + CHANNEL);
                if (reported) {
                    log.info("listening for queued jobs again");
                }
                reported = false;
                pause = Duration.ofMillis(500);
                queued.fire(); // what was queued while no one listened
                PGConnection listening = connection.unwrap(PGConnection.class);
                while (thread == Thread.currentThread()) {
                    PGNotification[] notices = listening.getNotifications(WAIT_MILLIS);
                    if (notices != null && notices.length > 0) {
                        queued.fire();
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (!reported) {
                    log.warn("not listening for queued jobs ({}); polling every {} meanwhile, reconnecting",
                            e.getMessage(), properties.pollInterval());
                    reported = true;
                }
            }
            synchronized (this) {
                try {
                    if (thread == Thread.currentThread()) {
                        wait(pause.toMillis()); // stop() wakes it
                    }
                } catch (InterruptedException e) {
                    return;
                }
            }
            pause = pause.multipliedBy(2).compareTo(MOST_PAUSE) > 0 ? MOST_PAUSE : pause.multipliedBy(2);
        }
    }

    /** The operator's database settings, the pool's own; a connect and every read bounded. */
    private Connection connect() throws SQLException {
        Properties settings = new Properties();
        String user = environment.getProperty("spring.datasource.username");
        String password = environment.getProperty("spring.datasource.password");
        if (user != null) {
            settings.setProperty("user", user);
        }
        if (password != null) {
            settings.setProperty("password", password);
        }
        settings.setProperty("connectTimeout", "10");
        settings.setProperty("ApplicationName", "chainlink " + CHANNEL);
        return DriverManager.getConnection(environment.getRequiredProperty("spring.datasource.url"), settings);
    }

    @Override
    public synchronized void stop() {
        thread = null;
        notifyAll();
    }

    @Override
    public boolean isRunning() {
        return thread != null;
    }
}
