package io.dsynq.core.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dsynq.core.ApplyRequest;
import io.dsynq.core.Dsynq;
import io.dsynq.core.testing.Engine;
import io.dsynq.core.testing.TestDatabase;
import io.dsynq.core.testing.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A database whose sessions only read is named as such before anything is applied. */
class ReadOnlyIT {

    @TempDir
    Path tmp;

    /**
     * A PostgreSQL database with {@code default_transaction_read_only = on} failed the first write, which named a
     * delta's file ("file item.d.csv: the database refused the change: cannot execute CREATE TABLE AS in a read-only
     * transaction") as if the file were at fault.
     */
    @Test
    void aReadOnlyPostgreSqlDatabaseIsNamedAsSuch() throws Exception {
        try (TestDatabase database = TestServers.create(Engine.POSTGRESQL)) {
            database.execute(
                    "CREATE TABLE item (id INT PRIMARY KEY, name VARCHAR(10))",
                    "INSERT INTO item VALUES (1, 'one')",
                    "ALTER DATABASE " + database.name() + " SET default_transaction_read_only = on");
            Path delta = Files.createDirectories(tmp.resolve("db/delta/1700000001.000000"));
            Files.writeString(delta.resolve("item.d.csv"), "id\n1\n");
            Dsynq dsynq = database.dsynq(tmp).build();

            assertThatThrownBy(() -> dsynq.apply(ApplyRequest.latest()))
                    .hasMessage("database db: cannot apply or roll back deltas, its transactions are read-only"
                            + " (default_transaction_read_only is on for this database, user or connection)");
            assertItemKept(database);
        }
    }

    /** PostgreSQL's driver with {@code readOnly=true} makes each transaction read-only: the first write failed. */
    @Test
    void aReadOnlyPostgreSqlConnectionIsNamedAsSuch() throws Exception {
        try (TestDatabase database = TestServers.create(Engine.POSTGRESQL)) {
            database.execute(
                    "CREATE TABLE item (id INT PRIMARY KEY, name VARCHAR(10))", "INSERT INTO item VALUES (1, 'one')");
            Path delta = Files.createDirectories(tmp.resolve("db/delta/1700000001.000000"));
            Files.writeString(delta.resolve("item.d.csv"), "id\n1\n");
            String url = database.url() + (database.url().contains("?") ? "&" : "?") + "readOnly=true";
            Dsynq dsynq = database.dsynq(tmp).url(url).build();

            assertThatThrownBy(() -> dsynq.apply(ApplyRequest.latest()))
                    .hasMessage("database db: cannot apply or roll back deltas, the connection is read-only (readOnly"
                            + " in its URL or the driver's settings)");
            assertItemKept(database);
        }
    }

    /** A MariaDB session in {@code tx_read_only} failed at the first write, naming a delta's file. */
    @Test
    void aReadOnlyMariaDbSessionIsNamedAsSuch() throws Exception {
        try (TestDatabase database = TestServers.create(Engine.MARIADB)) {
            database.execute(
                    "CREATE TABLE item (id INT PRIMARY KEY, name VARCHAR(10))", "INSERT INTO item VALUES (1, 'one')");
            Path delta = Files.createDirectories(tmp.resolve("db/delta/1700000001.000000"));
            Files.writeString(delta.resolve("item.d.csv"), "id\n1\n");
            String url =
                    database.url() + (database.url().contains("?") ? "&" : "?") + "sessionVariables=tx_read_only=1";
            Dsynq dsynq = database.dsynq(tmp).url(url).build();

            assertThatThrownBy(() -> dsynq.apply(ApplyRequest.latest()))
                    .hasMessageStartingWith(
                            "database db: cannot apply or roll back deltas, its transactions are" + " read-only (");
            assertItemKept(database);
        }
    }

    /**
     * An H2 database opened read-only ({@code ACCESS_MODE_DATA=r}, or files it may not write): a dry run failed in H2's
     * words, naming a delta's file ("file item.d.csv: the database refused the change: The database is read only"), as
     * if the file were at fault; PostgreSQL's and MariaDB's read-only sessions failed it the same way.
     */
    @Test
    void aReadOnlyDatabaseIsNamedAsSuchByADryRunToo() throws Exception {
        for (Engine engine : Engine.values()) {
            try (TestDatabase database = TestServers.create(engine, tmp.resolve(engine.name()), "readonly")) {
                database.execute(
                        "CREATE TABLE item (id INT PRIMARY KEY, name VARCHAR(10))",
                        "INSERT INTO item VALUES (1, 'one')");
                Path deltas = tmp.resolve(engine + "-deltas");
                Path delta = Files.createDirectories(deltas.resolve("db/delta/1700000001.000000"));
                Files.writeString(delta.resolve("item.d.csv"), "id\n1\n");
                String url =
                        switch (engine) {
                            case H2 -> database.url().replace(";AUTO_SERVER=TRUE;AUTO_RECONNECT=TRUE", "")
                                    + ";ACCESS_MODE_DATA=r"; // H2 has no auto-server of a read-only file
                            case POSTGRESQL -> database.url() + (database.url().contains("?") ? "&" : "?")
                                    + "readOnly=true";
                            case MARIADB -> database.url() + (database.url().contains("?") ? "&" : "?")
                                    + "sessionVariables=tx_read_only=1";
                        };
                Dsynq dsynq = database.dsynq(deltas).url(url).build();

                assertThatThrownBy(() -> dsynq.apply(ApplyRequest.latest().dryRun(true)))
                        .as(engine.name())
                        .hasMessageStartingWith("database db: cannot try the deltas in a dry run, which applies them in"
                                + " a transaction it then rolls back: ");
                if (engine == Engine.H2) {
                    assertThatThrownBy(() -> dsynq.apply(ApplyRequest.latest()))
                            .hasMessage("database db: cannot apply or roll back deltas, the database is read-only"
                                    + " (ACCESS_MODE_DATA=r in its URL, or files it may not write)");
                }
                assertItemKept(database);
            }
        }
    }

    /** The one row of table item is still there: nothing was applied. */
    private static void assertItemKept(TestDatabase database) throws Exception {
        try (Connection connection = database.connect();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT count(*) FROM item")) {
            rows.next();
            assertThat(rows.getInt(1)).isEqualTo(1);
        }
    }
}
