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
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The drift guard on the fast path, on each engine: deltas of one file per table roll back through set-based
 * statements that compare the rows as they change them, and a row someone else changed, deleted or referenced since
 * is still reported row by row, with the database left as it was.
 */
class DriftIT {

    private static final String INSERT = "1700000001.000000";

    @TempDir
    Path tmp;

    /** The moves the fast path handed to the strict one. */
    private final List<String> strictRuns = new java.util.concurrent.CopyOnWriteArrayList<>();

    @ParameterizedTest
    @EnumSource(Engine.class)
    void rowsChangedOrGoneSinceAnInsertAreConflicts(Engine engine) throws Exception {
        try (TestDatabase database = TestServers.create(engine)) {
            database.execute("CREATE TABLE item (id INT PRIMARY KEY, code INT, name VARCHAR(20))");
            delta(INSERT, "item.i.csv", "id,code,name\n1,10,One\n2,20,Two\n3,30,Three\n4,,\n");

            dsynq(database).apply(ApplyRequest.latest());
            dsynq(database).apply(ApplyRequest.offset(-1));
            assertThat(rows(database)).isEmpty();
            assertThat(strictRuns).as("a clean rollback stays on the fast path").isEmpty();

            dsynq(database).apply(ApplyRequest.latest());
            database.execute("UPDATE item SET name = 'Trois' WHERE id = 3");
            assertThatThrownBy(() -> dsynq(database).apply(ApplyRequest.offset(-1)))
                    .isInstanceOf(DriftException.class)
                    .hasMessageStartingWith("database db, rollback of delta " + INSERT + ": 1 row was changed by"
                            + " someone else since the delta was applied")
                    .hasMessageContaining("item id=3: name expected 'Three', found 'Trois'");
            assertThat(strictRuns).as("the fast path found the drift first").hasSize(1);

            database.execute("UPDATE item SET code = 40 WHERE id = 4", "DELETE FROM item WHERE id = 2");
            List<String> drifted = rows(database);
            assertThatThrownBy(() -> dsynq(database).apply(ApplyRequest.offset(-1)))
                    .isInstanceOf(DriftException.class)
                    .hasMessageStartingWith("database db, rollback of delta " + INSERT + ": 3 rows were changed by"
                            + " someone else since the delta was applied")
                    .hasMessageContaining("item id=2: the row is gone (someone deleted it)")
                    .hasMessageContaining("item id=3: name expected 'Three', found 'Trois'")
                    .hasMessageContaining("item id=4: code expected NULL, found '40'");
            assertThat(rows(database)).isEqualTo(drifted);

            dsynq(database).apply(ApplyRequest.offset(-1).force(true));
            assertThat(rows(database)).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void rowsChangedOrGoneSinceAnUpdateAreConflicts(Engine engine) throws Exception {
        try (TestDatabase database = TestServers.create(engine)) {
            database.execute(
                    "CREATE TABLE item (id INT PRIMARY KEY, code INT, name VARCHAR(20))",
                    "INSERT INTO item VALUES (1, 10, 'One'), (2, 20, 'Two'), (3, 30, 'Three')");
            List<String> before = rows(database);
            delta(INSERT, "item.u.csv", "id,code\n1,11\n2,22\n3,33\n");

            dsynq(database).apply(ApplyRequest.latest());
            dsynq(database).apply(ApplyRequest.offset(-1));
            assertThat(rows(database)).isEqualTo(before);

            dsynq(database).apply(ApplyRequest.latest());
            database.execute("UPDATE item SET code = 99 WHERE id = 1", "DELETE FROM item WHERE id = 3");
            List<String> drifted = rows(database);

            assertThatThrownBy(() -> dsynq(database).apply(ApplyRequest.offset(-1)))
                    .isInstanceOf(DriftException.class)
                    .hasMessageContaining("2 rows were changed by someone else")
                    .hasMessageContaining("item id=1: code expected '11', found '99'")
                    .hasMessageContaining("item id=3: the row is gone (someone deleted it)");
            assertThat(rows(database)).isEqualTo(drifted);
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void insertedRowsOthersReferenceSinceAreNamed(Engine engine) throws Exception {
        try (TestDatabase database = TestServers.create(engine)) {
            database.execute(
                    "CREATE TABLE parent (id INT PRIMARY KEY)",
                    "CREATE TABLE cascading (id INT PRIMARY KEY, parent_id INT,"
                            + " CONSTRAINT fk_cascading FOREIGN KEY (parent_id) REFERENCES parent (id) ON DELETE CASCADE)",
                    "CREATE TABLE plain (id INT PRIMARY KEY, parent_id INT,"
                            + " CONSTRAINT fk_plain FOREIGN KEY (parent_id) REFERENCES parent (id))");
            delta(INSERT, "parent.i.csv", "id\n1\n2\n");
            dsynq(database).apply(ApplyRequest.latest());
            database.execute("INSERT INTO cascading VALUES (10, 2)");

            assertThatThrownBy(() -> dsynq(database).apply(ApplyRequest.offset(-1)))
                    .isInstanceOf(DsynqException.class)
                    .hasMessageStartingWith("database db, rollback of delta " + INSERT
                            + ", file parent.d.csv, line 3: row id=2 is still referenced by cascading id=10");
            assertThat(rows(database, "SELECT id FROM parent ORDER BY id")).containsExactly("1", "2");

            database.execute("DELETE FROM cascading", "INSERT INTO plain VALUES (20, 1)");
            assertThatThrownBy(() -> dsynq(database).apply(ApplyRequest.offset(-1)))
                    .isInstanceOf(DsynqException.class)
                    .hasMessageStartingWith("database db, rollback of delta " + INSERT
                            + ", file parent.d.csv, line 2: row id=1 is still referenced by plain id=20")
                    .hasMessageEndingWith("; someone else's rows reference it since the delta was applied: delete or"
                            + " change them, then roll back");
            assertThat(rows(database, "SELECT id FROM parent ORDER BY id")).containsExactly("1", "2");

            database.execute("DELETE FROM plain");
            dsynq(database).apply(ApplyRequest.offset(-1));
            assertThat(rows(database, "SELECT id FROM parent")).isEmpty();
        }
    }

    /**
     * Someone deletes a row the rollback would set back, after the rollback looked for rows gone and before it locked
     * the rows to compare them: the row is still reported as gone, not as a line of the reverse delta with no row to
     * update.
     */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void aRowDeletedWhileTheRollbackLocksTheRowsIsAConflict(Engine engine) throws Exception {
        try (TestDatabase database = TestServers.create(engine)) {
            database.execute(
                    "CREATE TABLE item (id INT PRIMARY KEY, code INT, name VARCHAR(20))",
                    "INSERT INTO item VALUES (1, 10, 'One'), (2, 20, 'Two'), (3, 30, 'Three')");
            // two files of one table: rolled back on the strict path, which compares the rows locked
            delta(INSERT, "item.u.csv", "id,code\n1,11\n");
            delta(INSERT, "item.d.csv", "id\n2\n");
            dsynq(database).apply(ApplyRequest.latest());
            AtomicBoolean deleted = new AtomicBoolean();
            Dsynq rollingBack =
                    once(database, message -> message.startsWith("SELECT s.") && message.contains("FOR UPDATE"), () -> {
                        database.execute("DELETE FROM item WHERE id = 1");
                        deleted.set(true);
                    });

            assertThatThrownBy(() -> rollingBack.apply(ApplyRequest.offset(-1)))
                    .isInstanceOf(DriftException.class)
                    .hasMessageStartingWith("database db, rollback of delta " + INSERT + ": 1 row was changed by"
                            + " someone else since the delta was applied")
                    .hasMessageContaining("item id=1: the row is gone (someone deleted it)");
            assertThat(deleted).isTrue();
            assertThat(rows(database)).containsExactly("3|30|Three");
        }
    }

    /**
     * A table whose key is all its columns has no values to compare: its rows were looked for but not locked, so a row
     * deleted after they were found stopped the rollback on a line of the reverse delta (H2: 'file link.d.csv, line 2:
     * no row with key (a=2, b=2) in table link to delete'). They are locked now: the delete waits for the rollback.
     */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void theRowsOfAKeyOnlyTableAreLockedByTheDriftCheck(Engine engine) throws Exception {
        try (TestDatabase database = TestServers.create(engine)) {
            database.execute(
                    "CREATE TABLE link (a INT NOT NULL, b INT NOT NULL, PRIMARY KEY (a, b))",
                    "INSERT INTO link VALUES (1, 1), (3, 3)");
            delta(INSERT, "link.i.csv", "a,b\n2,2\n");
            delta(INSERT, "link.d.csv", "a,b\n1,1\n");
            dsynq(database).apply(ApplyRequest.latest());
            // the statement after the one that looks for the rows gone
            AtomicBoolean checked = new AtomicBoolean();
            AtomicBoolean tried = new AtomicBoolean();
            AtomicBoolean blocked = new AtomicBoolean();
            Dsynq rollingBack = once(
                    database,
                    message -> checked.getAndSet(
                            checked.get() || message.startsWith("SELECT s.") && message.contains("NOT EXISTS")),
                    () -> {
                        tried.set(true);
                        try (Connection other = database.connect();
                                Statement statement = other.createStatement()) {
                            statement.setQueryTimeout(2);
                            statement.execute("DELETE FROM link WHERE a = 2");
                        } catch (SQLException e) { // the rollback holds the row
                            blocked.set(true);
                        }
                    });

            rollingBack.apply(ApplyRequest.offset(-1));
            assertThat(tried).isTrue();
            assertThat(blocked).isTrue();
            assertThat(rows(database, "SELECT a, b FROM link ORDER BY a")).containsExactly("1|1", "3|3");
        }
    }

    /** What another session does while a rollback runs. */
    @FunctionalInterface
    private interface Meanwhile {
        void run() throws SQLException;
    }

    /** A dsynq that does {@code meanwhile} once, before the first statement it logs that {@code at} takes. */
    private Dsynq once(TestDatabase database, java.util.function.Predicate<String> at, Meanwhile meanwhile) {
        AtomicBoolean done = new AtomicBoolean();
        return database.dsynq(tmp.resolve("deltas"))
                .listener(new io.dsynq.core.DsynqListener() {
                    @Override
                    public void debug(String message) {
                        if (at.test(message) && done.compareAndSet(false, true)) {
                            try {
                                meanwhile.run();
                            } catch (SQLException e) {
                                throw new IllegalStateException(e);
                            }
                        }
                    }
                })
                .build();
    }

    private void delta(String id, String file, String content) throws Exception {
        Path folder = Files.createDirectories(tmp.resolve("deltas/db/delta/" + id));
        Files.writeString(folder.resolve(file), content);
    }

    private Dsynq dsynq(TestDatabase database) {
        return database.dsynq(tmp.resolve("deltas"))
                .listener(new io.dsynq.core.DsynqListener() {
                    @Override
                    public void debug(String message) {
                        if (message.startsWith("the fast path stopped")) {
                            strictRuns.add(message);
                        }
                    }
                })
                .build();
    }

    private static List<String> rows(TestDatabase database) throws Exception {
        return rows(database, "SELECT id, code, name FROM item ORDER BY id");
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
