package io.dsynq.core.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.dsynq.core.ApplyRequest;
import io.dsynq.core.Dsynq;
import io.dsynq.core.DsynqListener;
import io.dsynq.core.model.TableName;
import io.dsynq.core.testing.Engine;
import io.dsynq.core.testing.TestDatabase;
import io.dsynq.core.testing.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How dsynq learns which tables reference a MariaDB table. */
class MariaDbReferencesIT {

    @TempDir
    Path tmp;

    /**
     * Over loopback (a local server, or a container's mapped port), MariaDB's driver found the tables referencing one
     * by reading SHOW CREATE TABLE of every table of every database on the server, for each table dsynq read: an apply
     * of Chinook (11 tables) on a server where other databases held 1,000 tables ran 12,972 such statements, 8 of its
     * 10 seconds (found by a user's walk with the Chinook database). The references to a database's tables are read
     * once, from the information schema.
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

    /**
     * On a server that tells table names apart by case ({@code lower_case_table_names=0}, Linux's default), the
     * information schema compares them ignoring case: where the references to a table were asked for by its name, a
     * delta deleting a row of {@code parent} was refused as "still referenced by child id=10 (… ON DELETE CASCADE)",
     * a row of a table that references {@code Parent}. The references of a table are those to it alone.
     */
    @Test
    void theTablesReferencingATableAreThoseReferencingItNotOneNamedAlikeButForCase() throws Exception {
        try (TestDatabase database = TestServers.create(Engine.MARIADB);
                Connection connection = database.connect();
                Statement statement = connection.createStatement();
                ResultSet names = statement.executeQuery("SELECT @@lower_case_table_names")) {
            names.next();
            org.junit.jupiter.api.Assumptions.assumeTrue(names.getInt(1) == 0, "table names told apart by case");
            database.execute(
                    "CREATE TABLE parent (id INT PRIMARY KEY)",
                    "CREATE TABLE Parent (id INT PRIMARY KEY)",
                    "CREATE TABLE child (id INT PRIMARY KEY, parent_id INT NOT NULL,"
                            + " FOREIGN KEY (parent_id) REFERENCES Parent (id) ON DELETE CASCADE)",
                    "INSERT INTO parent VALUES (1)",
                    "INSERT INTO Parent VALUES (1)",
                    "INSERT INTO child VALUES (10, 1)");
            Path deltas = tmp.resolve("deltas");
            Files.createDirectories(deltas.resolve("db/delta/1700000001.000000"));
            Files.writeString(deltas.resolve("db/delta/1700000001.000000/parent.d.csv"), "id\n1\n");
            Dsynq dsynq = database.dsynq(deltas).build();

            dsynq.apply(ApplyRequest.latest());
            assertThat(rows(connection)).isEqualTo("parent 0, Parent 1, child 1");
            dsynq.apply(ApplyRequest.offset(-1));
            assertThat(rows(connection)).isEqualTo("parent 1, Parent 1, child 1");
        }
    }

    private static String rows(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT (SELECT COUNT(*) FROM parent),"
                        + " (SELECT COUNT(*) FROM Parent), (SELECT COUNT(*) FROM child)")) {
            rows.next();
            return "parent " + rows.getInt(1) + ", Parent " + rows.getInt(2) + ", child " + rows.getInt(3);
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
