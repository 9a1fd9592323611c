package io.dsynq.core.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.dsynq.core.testing.Engine;
import io.dsynq.core.testing.TestDatabase;
import io.dsynq.core.testing.TestServers;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * The two checksum queries of a segment comparison run at once. On a server on this machine (as the test servers
 * are) they share its processors: each query gets parallel workers only where half the processors leave room for
 * them, and never more than the server allows.
 */
class PostgresSegmentSettingsIT {

    @Test
    void aLocalServerGivesEachSideHalfTheProcessors() throws Exception {
        try (TestDatabase db = TestServers.create(Engine.POSTGRESQL, null, "dsynq_segset_");
                Connection connection = db.connect()) {
            String allowed = workers(connection, null);
            assertThat(workers(connection, PostgresDialect.segmentSettings(10_000_000, 2)))
                    .isEqualTo("0");
            assertThat(workers(connection, PostgresDialect.segmentSettings(10_000_000, 1)))
                    .isEqualTo("0");
            assertThat(workers(connection, PostgresDialect.segmentSettings(10_000_000, 4)))
                    .isEqualTo(String.valueOf(Math.min(1, Integer.parseInt(allowed))));
            // more processors than the server allows workers: the server's limit stands
            assertThat(workers(connection, PostgresDialect.segmentSettings(10_000_000, 1_000)))
                    .isEqualTo(allowed);
            // the settings last until the end of the transaction
            assertThat(workers(connection, null)).isEqualTo(allowed);
        }
    }

    /** {@code max_parallel_workers_per_gather} in a transaction with {@code settings}, or outside one. */
    private static String workers(Connection connection, java.util.List<String> settings) throws SQLException {
        connection.setAutoCommit(settings == null);
        try (Statement statement = connection.createStatement()) {
            if (settings != null) {
                for (String setting : settings) {
                    statement.execute(setting);
                }
            }
            try (ResultSet row = statement.executeQuery("SHOW max_parallel_workers_per_gather")) {
                row.next();
                return row.getString(1);
            }
        } finally {
            if (settings != null) {
                connection.rollback();
            }
        }
    }
}
