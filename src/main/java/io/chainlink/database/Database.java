package io.chainlink.database;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Which database holds the jobs, and the few things the service's SQL must know of it: the one
 * home of what differs between H2 and PostgreSQL (as db-scheduler keeps one JdbcCustomization per
 * vendor), so that no other class asks which database it runs on. Told by the JDBC URL the
 * operator set, nothing else.
 */
@Component
public class Database {

    public enum Vendor { H2, POSTGRESQL }

    private final Vendor vendor;
    private final boolean file;

    @Autowired
    public Database(DataSource dataSource) {
        this(url(dataSource));
    }

    /** For tests, and for what knows the URL without a connection. */
    public Database(String url) {
        this.vendor = url != null && url.startsWith("jdbc:postgresql:") ? Vendor.POSTGRESQL : Vendor.H2;
        this.file = url != null && url.startsWith("jdbc:h2:file:");
    }

    private static String url(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            return connection.getMetaData().getURL();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot tell which database stores the jobs", e);
        }
    }

    public Vendor vendor() {
        return vendor;
    }

    /**
     * Whether a commit reaches the disk only with a later background store: H2 in a file, which
     * keeps no redo log (job/Durability writes what a client was told at once). On PostgreSQL a
     * commit is durable when it returns.
     */
    public boolean storesCommitsLater() {
        return vendor == Vendor.H2 && file;
    }

    /**
     * Whether a claim locks the queued job it reads and passes over those a peer holds ({@code
     * FOR UPDATE SKIP LOCKED}), so that instances never wait on one another. H2 runs in one process,
     * whose workers race on the conditional UPDATE alone: its SKIP LOCKED is newer than the H2s
     * this service has stored jobs with, and buys nothing there.
     */
    public boolean skipsLocked() {
        return vendor == Vendor.POSTGRESQL;
    }

    /** Whether instances on this database can wake one another ({@code LISTEN/NOTIFY}); else they poll. */
    public boolean notifies() {
        return vendor == Vendor.POSTGRESQL;
    }
}
