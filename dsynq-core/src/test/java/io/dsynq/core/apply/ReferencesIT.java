package io.dsynq.core.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dsynq.core.ApplyRequest;
import io.dsynq.core.Dsynq;
import io.dsynq.core.DsynqException;
import io.dsynq.core.testing.Engine;
import io.dsynq.core.testing.TestDatabase;
import io.dsynq.core.testing.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What keeps rollbacks exact around the schema: identity columns get their old values back, and a delete that
 * would cascade into rows the delta does not list is refused, on each engine.
 */
class ReferencesIT {

    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(Engine.class)
    void rolledBackDeletesPutRowsBackWithTheirIdentityValues(Engine engine) throws Exception {
        try (TestDatabase database = TestServers.create(engine)) {
            database.execute(
                    engine == Engine.MARIADB
                            ? "CREATE TABLE tag (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(20) NOT NULL)"
                            : "CREATE TABLE tag (id INT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
                                    + " name VARCHAR(20) NOT NULL)",
                    "INSERT INTO tag (name) VALUES ('red')",
                    "INSERT INTO tag (name) VALUES ('green')");
            delta("1700000001.000000", "tag.d.csv", "id\n1\n");
            delta("1700000001.000000", "tag.i.csv", "id,name\n7,blue\n");

            dsynq(database).apply(ApplyRequest.latest());
            assertThat(rows(database, "SELECT id, name FROM tag ORDER BY id")).containsExactly("2|green", "7|blue");

            dsynq(database).apply(ApplyRequest.to("0"));
            assertThat(rows(database, "SELECT id, name FROM tag ORDER BY id")).containsExactly("1|red", "2|green");
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void deletingARowOthersStillReferenceIsRefusedWithTheRowsNamed(Engine engine) throws Exception {
        try (TestDatabase database = TestServers.create(engine)) {
            database.execute(
                    "CREATE TABLE parent (id INT PRIMARY KEY)",
                    "CREATE TABLE cascading (id INT PRIMARY KEY, parent_id INT,"
                            + " CONSTRAINT fk_cascading FOREIGN KEY (parent_id) REFERENCES parent (id) ON DELETE CASCADE)",
                    "CREATE TABLE plain (id INT PRIMARY KEY, parent_id INT,"
                            + " CONSTRAINT fk_plain FOREIGN KEY (parent_id) REFERENCES parent (id))",
                    "INSERT INTO parent VALUES (1), (2)",
                    "INSERT INTO cascading VALUES (10, 1)",
                    "INSERT INTO plain VALUES (20, 2)");
            List<String> before = contents(database);

            delta("1700000001.000000", "parent.d.csv", "id\n1\n");
            assertThatThrownBy(() -> dsynq(database).apply(ApplyRequest.latest()))
                    .isInstanceOf(DsynqException.class)
                    .hasMessage("database db, delta 1700000001.000000, file parent.d.csv, line 2: row id=1 is still"
                            + " referenced by cascading id=10 (" + name(engine, "fk_cascading")
                            + ", ON DELETE CASCADE);"
                            + " deleting it would change rows the delta does not list, which its reverse could not"
                            + " restore; delete or update those rows in this delta too (cascading.d.csv or"
                            + " cascading.u.csv)");
            assertThat(contents(database)).isEqualTo(before);

            delta("1700000001.000000", "parent.d.csv", "id\n2\n");
            assertThatThrownBy(() -> dsynq(database).apply(ApplyRequest.latest()))
                    .hasMessageContaining(
                            "line 2: row id=2 is still referenced by plain id=20 (" + name(engine, "fk_plain"));
            assertThat(contents(database)).isEqualTo(before);

            delta("1700000001.000000", "parent.d.csv", "id\n1\n2\n");
            delta("1700000001.000000", "cascading.d.csv", "id\n10\n");
            delta("1700000001.000000", "plain.u.csv", "id,parent_id\n20,\n");
            dsynq(database).apply(ApplyRequest.latest());
            assertThat(contents(database)).containsExactly("parent:", "cascading:", "plain:20|null");
            dsynq(database).apply(ApplyRequest.to("0"));
            assertThat(contents(database)).isEqualTo(before);
        }
    }

    /** Constraint names as the engine reports them. */
    private static String name(Engine engine, String name) {
        return engine == Engine.H2 ? name.toUpperCase(java.util.Locale.ROOT) : name;
    }

    private void delta(String id, String file, String content) throws Exception {
        Path folder = Files.createDirectories(tmp.resolve("deltas/db/delta/" + id));
        Files.writeString(folder.resolve(file), content);
    }

    private Dsynq dsynq(TestDatabase database) {
        return Dsynq.configure()
                .database("db")
                .url(database.url())
                .username(database.username())
                .password(database.password())
                .deltaDirectory(tmp.resolve("deltas"))
                .build();
    }

    private static List<String> contents(TestDatabase database) throws Exception {
        return List.of(
                "parent:" + String.join(",", rows(database, "SELECT id FROM parent ORDER BY id")),
                "cascading:" + String.join(",", rows(database, "SELECT id, parent_id FROM cascading ORDER BY id")),
                "plain:" + String.join(",", rows(database, "SELECT id, parent_id FROM plain ORDER BY id")));
    }

    private static List<String> rows(TestDatabase database, String sql) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection connection = database.connect();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            int columns = result.getMetaData().getColumnCount();
            while (result.next()) {
                StringBuilder row = new StringBuilder();
                for (int c = 1; c <= columns; c++) {
                    row.append(c > 1 ? "|" : "").append(result.getString(c));
                }
                rows.add(row.toString());
            }
        }
        return rows;
    }
}
