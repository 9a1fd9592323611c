package io.dsynq.core.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.dsynq.core.ApplyRequest;
import io.dsynq.core.Dsynq;
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
}
