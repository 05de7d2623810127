package io.chainlink.job;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;

/**
 * A row's columns read one after another, from a given position, in the order its statement
 * names them. By position rather than by name: H2 builds a map of all its columns' names for each
 * result set that is read by name, and upper-cases every name asked for; on the status read every
 * client polls, that was a tenth of what a request allocated.
 */
final class Columns {

    private final ResultSet rs;
    private int next;

    Columns(ResultSet rs, int first) {
        this.rs = rs;
        this.next = first;
    }

    String string() throws SQLException {
        return rs.getString(next++);
    }

    int integer() throws SQLException {
        return rs.getInt(next++);
    }

    boolean bool() throws SQLException {
        return rs.getBoolean(next++);
    }

    Integer nullableInteger() throws SQLException {
        return rs.getObject(next++, Integer.class);
    }

    /** Of an INT column too: PostgreSQL's driver converts no int4 to a Long by getObject, as H2 does. */
    Long nullableLong() throws SQLException {
        long value = rs.getLong(next++);
        return rs.wasNull() ? null : value;
    }

    Instant instant() throws SQLException {
        OffsetDateTime time = rs.getObject(next++, OffsetDateTime.class);
        return time == null ? null : time.toInstant();
    }
}
