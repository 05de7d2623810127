package db.migration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * A job's public id: a random UUID, unguessable, where the API used to show the row's number. The
 * number stays the key inside (joins, order, the engine's labels, logs). Java rather than SQL
 * because H2 and PostgreSQL share no function that makes a random UUID for each existing row.
 */
public class V6__public_ids extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        Connection connection = context.getConnection();
        try (Statement statement = connection.createStatement()) {
            statement.execute("ALTER TABLE jobs ADD COLUMN public_id VARCHAR(36)");
        }
        List<Long> ids = new ArrayList<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT id FROM jobs")) {
            while (rows.next()) {
                ids.add(rows.getLong(1));
            }
        }
        try (PreparedStatement update = connection.prepareStatement("UPDATE jobs SET public_id = ? WHERE id = ?")) {
            for (long id : ids) {
                update.setString(1, UUID.randomUUID().toString());
                update.setLong(2, id);
                update.addBatch();
            }
            if (!ids.isEmpty()) {
                update.executeBatch();
            }
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("ALTER TABLE jobs ALTER COLUMN public_id SET NOT NULL");
            statement.execute("CREATE UNIQUE INDEX jobs_public_id ON jobs (public_id)");
        }
    }
}
