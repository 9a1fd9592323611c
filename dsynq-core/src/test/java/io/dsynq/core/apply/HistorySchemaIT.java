package io.dsynq.core.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dsynq.core.ApplyRequest;
import io.dsynq.core.Dsynq;
import io.dsynq.core.DsynqException;
import io.dsynq.core.DsynqListener;
import io.dsynq.core.testing.Engine;
import io.dsynq.core.testing.TestDatabase;
import io.dsynq.core.testing.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** dsynq keeps its history in the connection's current schema, which its deltas apply to. */
class HistorySchemaIT {

    @TempDir
    Path tmp;

    /**
     * A connection whose current schema changed (search_path, currentSchema) finds no history there and applies every
     * delta again, into that schema's tables, without a word: now it warns, naming the schema that holds the history.
     */
    @Test
    void aHistoryInAnotherSchemaIsWarnedAbout() throws Exception {
        try (TestDatabase database = TestServers.create(Engine.POSTGRESQL)) {
            database.execute(
                    "CREATE SCHEMA shadow",
                    "CREATE TABLE item (id INT PRIMARY KEY)",
                    "CREATE TABLE shadow.item (id INT PRIMARY KEY)");
            Path delta = Files.createDirectories(tmp.resolve("db/delta/1700000001.000000"));
            Files.writeString(delta.resolve("item.i.csv"), "id\n1\n");
            List<String> warnings = new ArrayList<>();
            DsynqListener listener = new DsynqListener() {
                @Override
                public void warn(String message) {
                    warnings.add(message);
                }
            };

            database.dsynq(tmp).listener(listener).build().apply(ApplyRequest.latest());
            assertThat(warnings).isEmpty();

            String shadow = database.url() + (database.url().contains("?") ? "&" : "?") + "currentSchema=shadow";
            Dsynq dsynq = database.dsynq(tmp).url(shadow).listener(listener).build();
            dsynq.apply(ApplyRequest.latest());
            assertThat(warnings)
                    .containsExactly("database db: no history (dsynq_history) in the connection's current schema,"
                            + " which deltas apply to, but in schema public: if the current schema changed"
                            + " (search_path, currentSchema), every delta applies again, into this schema's tables");

            warnings.clear();
            dsynq.apply(ApplyRequest.latest());
            assertThat(warnings).isEmpty();
        }
    }

    /**
     * A PostgreSQL connection whose search_path names no schema that exists, as a typo in currentSchema makes it, has
     * no current schema: a dry run read the delta's tables from any schema and passed, and the apply failed with the
     * server's words alone as it made its history ('database db: ERROR: no schema has been selected to create in
     * Position: 28', over two lines). Apply, dry run and status now refuse such a connection before anything, saying
     * why.
     */
    @Test
    void aSearchPathThatNamesNoSchemaIsRefusedSayingSo() throws Exception {
        try (TestDatabase database = TestServers.create(Engine.POSTGRESQL)) {
            database.execute("CREATE TABLE item (id INT PRIMARY KEY)");
            Path delta = Files.createDirectories(tmp.resolve("db/delta/1700000001.000000"));
            Files.writeString(delta.resolve("item.i.csv"), "id\n1\n");
            String typo = database.url() + (database.url().contains("?") ? "&" : "?") + "currentSchema=publik";
            Dsynq dsynq = database.dsynq(tmp).url(typo).build();
            String refused = "database db: the connection has no current schema, as no schema its search_path names"
                    + " exists (search_path is 'publik'); dsynq keeps its history in the current schema and finds"
                    + " there the tables a delta names without their schema: name a schema that exists"
                    + " (currentSchema=public in the JDBC URL, or ALTER ROLE … SET search_path)";

            assertThatThrownBy(() -> dsynq.apply(ApplyRequest.latest().dryRun(true)))
                    .isInstanceOf(DsynqException.class)
                    .hasMessage(refused);
            assertThatThrownBy(() -> dsynq.apply(ApplyRequest.latest()))
                    .isInstanceOf(DsynqException.class)
                    .hasMessage(refused);
            assertThatThrownBy(dsynq::status).isInstanceOf(DsynqException.class).hasMessage(refused);
            try (Connection connection = database.connect();
                    Statement statement = connection.createStatement();
                    ResultSet tables = statement.executeQuery("SELECT string_agg(table_schema || '.' || table_name,"
                            + " ',') FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog',"
                            + " 'information_schema')")) {
                tables.next();
                assertThat(tables.getString(1)).isEqualTo("public.item");
            }
        }
    }

    /**
     * Looking for a history in other schemas asked for information_schema in lower case, which H2 with
     * DATABASE_TO_UPPER=FALSE does not find: the first apply to such a database failed.
     */
    @Test
    void theFirstApplyToAnH2DatabaseThatKeepsTheCaseOfNames() throws Exception {
        String url = "jdbc:h2:mem:history" + System.nanoTime() + ";DATABASE_TO_UPPER=FALSE";
        try (Connection connection = DriverManager.getConnection(url, "sa", "");
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE item (id INT PRIMARY KEY)");
            Path delta = Files.createDirectories(tmp.resolve("db/delta/1700000001.000000"));
            Files.writeString(delta.resolve("item.i.csv"), "id\n1\n");

            Dsynq.configure()
                    .database("db")
                    .url(url)
                    .username("sa")
                    .password("")
                    .deltaDirectory(tmp)
                    .build()
                    .apply(ApplyRequest.latest());

            try (ResultSet rows = statement.executeQuery("SELECT id FROM item")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getInt(1)).isEqualTo(1);
            }
        }
    }

    /**
     * A history whose entries' table was dropped by hand, its reverse deltas left: the apply made the entries' table
     * again, failed on the reverse deltas' keys ("duplicate key … dsynq_history_reverse"), and then dropped the tables
     * it took for its own, the reverse deltas with them. It now refuses before it makes or drops anything.
     */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void reverseDeltasLeftWithoutTheirEntriesAreNeverDropped(Engine engine) throws Exception {
        try (TestDatabase database = TestServers.create(engine)) {
            database.execute("CREATE TABLE item (id INT PRIMARY KEY)");
            Path delta = Files.createDirectories(tmp.resolve("db/delta/1700000001.000000"));
            Files.writeString(delta.resolve("item.i.csv"), "id\n1\n");
            Dsynq dsynq = database.dsynq(tmp).build();
            dsynq.apply(ApplyRequest.latest());
            database.execute("DROP TABLE dsynq_history");

            assertThatThrownBy(() -> dsynq.apply(ApplyRequest.latest()))
                    .hasMessage("database db: dsynq_history_reverse holds the reverse deltas of 1 applied delta, but"
                            + " dsynq_history, which records them, is missing: restore it from a backup to roll them"
                            + " back, or, to apply every delta afresh, drop dsynq_history_reverse");
            try (Connection connection = database.connect();
                    Statement statement = connection.createStatement();
                    ResultSet rows =
                            statement.executeQuery("SELECT count(DISTINCT delta_id) FROM dsynq_history_reverse")) {
                rows.next();
                assertThat(rows.getInt(1)).as("reverse deltas kept").isEqualTo(1);
            }
            try (Connection connection = database.connect();
                    ResultSet tables = connection
                            .getMetaData()
                            .getTables(connection.getCatalog(), connection.getSchema(), "%", null)) {
                List<String> names = new ArrayList<>();
                while (tables.next()) {
                    names.add(tables.getString("TABLE_NAME").toLowerCase(java.util.Locale.ROOT));
                }
                assertThat(names).as("tables").doesNotContain("dsynq_history");
            }
        }
    }
}
