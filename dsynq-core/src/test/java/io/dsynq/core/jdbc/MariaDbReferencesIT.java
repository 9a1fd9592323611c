package io.dsynq.core.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.dsynq.core.DsynqListener;
import io.dsynq.core.model.TableName;
import io.dsynq.core.testing.Engine;
import io.dsynq.core.testing.TestDatabase;
import io.dsynq.core.testing.TestServers;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How dsynq learns which tables reference a MariaDB table. */
class MariaDbReferencesIT {

    /**
     * Over loopback (a local server, or a container's mapped port), MariaDB's driver found the tables referencing one
     * by reading SHOW CREATE TABLE of every table of every database on the server, for each table dsynq read: an apply
     * of Chinook (11 tables) on a server where other databases held 1,000 tables ran 12,972 such statements, 8 of its
     * 10 seconds (found by a user's walk with the Chinook database). The references come from the information schema.
     */
    @Test
    void theTablesReferencingATableAreReadWithoutListingEveryDatabaseOfTheServer() throws Exception {
        try (TestDatabase database = TestServers.create(Engine.MARIADB);
                TestDatabase other = TestServers.create(Engine.MARIADB)) {
            database.execute(
                    "CREATE TABLE artist (artist_id INT PRIMARY KEY, name VARCHAR(120))",
                    "CREATE TABLE album (album_id INT PRIMARY KEY, artist_id INT NOT NULL,"
                            + " CONSTRAINT fk_album_artist FOREIGN KEY (artist_id) REFERENCES artist (artist_id))");
            other.execute("CREATE TABLE t1 (id INT PRIMARY KEY)", "CREATE TABLE t2 (id INT PRIMARY KEY)");
            try (Connection connection = new DatabaseConnector(getClass().getClassLoader())
                    .connect("db", new ConnectionSpec(database.url(), database.username(), database.password()))) {
                Table artist = new DatabaseCatalog(connection, Dialect.of(connection), Map.of(), DsynqListener.SILENT)
                        .table(TableName.parse("artist"));

                assertThat(artist.referencedBy()).singleElement().satisfies(reference -> {
                    assertThat(reference.child().name()).isEqualTo("album");
                    assertThat(reference.columns()).containsExactly("artist_id");
                });
                assertThat(sessionCount(connection, "Com_show_databases")).isZero();
            }
        }
    }

    private static long sessionCount(Connection connection, String variable) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SHOW SESSION STATUS LIKE '" + variable + "'")) {
            assertThat(rows.next()).isTrue();
            return rows.getLong(2);
        }
    }
}
