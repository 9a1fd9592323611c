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
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Deltas beside schema migrations: the table a delta (or its rollback) writes changed after the delta was written or
 * applied.
 */
class SchemaChangesIT {

    private static final String ID = "1700000001.000000";

    @TempDir
    Path tmp;

    /**
     * A column added NOT NULL without a default after a delta was written, which the delta's inserts (or the reverse
     * of its deletes) do not give, was refused on H2 with the whole statement ("NULL not allowed for column "FLAG";
     * SQL statement: INSERT INTO "PUBLIC"."ITEM" … [23502-252]") and on MariaDB without a line ("file item.i.csv: the
     * database refused the change: (conn=1336) Field 'flag' doesn't have a default value"); each now names the line
     * and the server's words alone, and the database is left as it was.
     */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void aColumnAddedNotNullWithoutDefaultIsNamedByTheLineOfTheRowThatLacksIt(Engine engine) throws Exception {
        try (TestDatabase database = TestServers.create(engine)) {
            database.execute(
                    "CREATE TABLE item (id INT PRIMARY KEY, code VARCHAR(20), qty INT)",
                    "INSERT INTO item VALUES (1, 'a', 1), (2, 'b', 2)");
            delta("item.i.csv", "id,code,qty\n3,c,3\n");
            delta("item.d.csv", "id\n2\n");
            dsynq(database).apply(ApplyRequest.latest());
            database.execute(
                    "ALTER TABLE item ADD COLUMN flag INT",
                    "UPDATE item SET flag = 1",
                    engine == Engine.MARIADB
                            ? "ALTER TABLE item MODIFY flag INT NOT NULL"
                            : "ALTER TABLE item ALTER COLUMN flag SET NOT NULL");
            List<String> before = rows(database);

            String reason =
                    switch (engine) {
                        case H2 -> "NULL not allowed for column \"FLAG\"";
                        case POSTGRESQL -> "ERROR: null value in column \"flag\" of relation \"item\" violates"
                                + " not-null constraint";
                        case MARIADB -> "Field 'flag' doesn't have a default value";
                    };
            // the rollback puts row 2 back without the column
            assertThatThrownBy(() -> dsynq(database).apply(ApplyRequest.offset(-1)))
                    .hasMessageStartingWith("database db, rollback of delta " + ID
                            + ", file item.i.csv, line 2: the database refused the row: " + reason)
                    .message()
                    .doesNotContain("SQL statement", "INSERT", "conn=");
            assertThat(rows(database)).isEqualTo(before);

            // a delta written before the column was added inserts a row without it
            delta("../1700000002.000000/item.i.csv", "id,code,qty\n4,d,4\n5,e,5\n");
            assertThatThrownBy(() -> dsynq(database).apply(ApplyRequest.latest()))
                    .hasMessageStartingWith("database db, delta 1700000002.000000, file item.i.csv, line 2: the"
                            + " database refused the row: " + reason)
                    .message()
                    .doesNotContain("SQL statement", "INSERT", "conn=");
            assertThat(rows(database)).isEqualTo(before);
        }
    }

    /**
     * A unique index added after a delta was applied, whose values the rollback's update gives a row while the row the
     * rollback puts back (its insert, run first) holds them, was refused saying that row was one "which the delta does
     * not change"; it now says which file of the rollback inserts it, and the database is left as it was.
     */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void aUniqueIndexAddedSinceNamesTheRowTheRollbackPutsBack(Engine engine) throws Exception {
        try (TestDatabase database = TestServers.create(engine)) {
            database.execute(
                    "CREATE TABLE item (id INT PRIMARY KEY, code VARCHAR(20), qty INT)",
                    "INSERT INTO item VALUES (1, 'a', 0), (2, 'b', 2), (3, 'c', 0)");
            delta("item.u.csv", "id,qty\n1,7\n");
            delta("item.d.csv", "id\n3\n");
            dsynq(database).apply(ApplyRequest.latest());
            database.execute("CREATE UNIQUE INDEX uq_qty ON item (qty)");
            List<String> before = rows(database);

            assertThatThrownBy(() -> dsynq(database).apply(ApplyRequest.offset(-1)))
                    .hasMessage("database db, rollback of delta " + ID + ", file item.u.csv, line 2: the values qty=0"
                            + " of unique index uq_qty are held by the row with key id=3 of table item, which"
                            + " item.i.csv inserts (a delta inserts before it updates)");
            assertThat(rows(database)).isEqualTo(before);
        }
    }

    /**
     * A rollback of a delta whose table lost a column, or was renamed, since it was applied said only "file
     * item.i.csv, line 1: unknown column 'qty' in table item; its columns are id, code, amount" or "file item.d.csv:
     * unknown table item in the PostgreSQL database", which read as a fault of the delta's own files; it now says the
     * schema changed since the apply and what to do, and the database is left as it was.
     */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void aColumnOrTableGoneSinceTheApplyIsNamedAsASchemaChange(Engine engine) throws Exception {
        try (TestDatabase database = TestServers.create(engine)) {
            database.execute(
                    "CREATE TABLE item (id INT PRIMARY KEY, code VARCHAR(20), qty INT)",
                    "INSERT INTO item VALUES (1, 'a', 1), (2, 'b', 2)");
            delta("item.i.csv", "id,code,qty\n3,c,3\n");
            delta("item.d.csv", "id\n2\n");
            dsynq(database).apply(ApplyRequest.latest());
            String undo = " for the delta to roll back (undo that change, roll the delta back, then make the change"
                    + " again)";

            database.execute("ALTER TABLE item RENAME COLUMN qty TO amount");
            List<String> before = rows(database);
            assertThatThrownBy(() -> dsynq(database).apply(ApplyRequest.offset(-1)))
                    .hasMessage("database db, rollback of delta " + ID + ", file item.i.csv, line 1: unknown column"
                            + " 'qty' in table item; its columns are id, code, amount; the delta was applied when the"
                            + " table had it: a column dropped or renamed since must be back" + undo);
            assertThat(rows(database)).isEqualTo(before);

            database.execute("ALTER TABLE item RENAME TO goods");
            assertThatThrownBy(() -> dsynq(database).apply(ApplyRequest.offset(-1)))
                    .hasMessageStartingWith("database db, rollback of delta " + ID + ", file item.")
                    .hasMessageEndingWith(": unknown table item in the "
                            + switch (engine) {
                                case H2 -> "H2";
                                case POSTGRESQL -> "PostgreSQL";
                                case MARIADB -> "MariaDB";
                            }
                            + " database; the delta was applied to it: a table renamed or dropped since must be back"
                            + undo);

            // back as it was, the delta rolls back
            database.execute("ALTER TABLE goods RENAME TO item", "ALTER TABLE item RENAME COLUMN amount TO qty");
            dsynq(database).apply(ApplyRequest.offset(-1));
            assertThat(rows(database)).containsExactly("1|a|1", "2|b|2");
        }
    }

    /**
     * A column added since the apply to a table identified by all its values ({@code table:*}) made its rollback fail
     * for every row: "file tag.d.csv, line 1: the header lacks key column note; delete files list the whole key (word,
     * n, note)". The reverse's columns now identify the rows, as they do in a table without key: it rolls back, the new
     * column's values aside, and where those columns match more than one row it is refused, the database left as it
     * was.
     */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void aColumnAddedToATableIdentifiedByAllItsValuesLeavesItsRollbackToTheColumnsItHad(Engine engine)
            throws Exception {
        try (TestDatabase database = TestServers.create(engine)) {
            database.execute(
                    "CREATE TABLE tag (word VARCHAR(20), n INT)",
                    "INSERT INTO tag VALUES ('a', 1), ('a', 1), ('b', 2)");
            delta("tag.i.csv", "word,n\nc,3\n");
            delta("tag.d.csv", "word,n\nb,2\n");
            Dsynq dsynq =
                    database.dsynq(tmp.resolve("deltas")).keys(List.of("tag:*")).build();
            dsynq.apply(ApplyRequest.latest());
            database.execute("ALTER TABLE tag ADD COLUMN note VARCHAR(10)");

            dsynq.apply(ApplyRequest.offset(-1));
            assertThat(tags(database)).containsExactly("a|1|null", "a|1|null", "b|2|null");

            // copies the reverse's columns cannot tell apart: which one the delta inserted, the rollback cannot say
            database.execute("ALTER TABLE tag DROP COLUMN note");
            delta("../1700000002.000000/tag.i.csv", "word,n\na,1\n");
            dsynq.apply(ApplyRequest.latest());
            database.execute("ALTER TABLE tag ADD COLUMN note VARCHAR(10)", "UPDATE tag SET note = 'kept' WHERE n = 1");
            List<String> before = tags(database);
            assertThatThrownBy(() -> dsynq.apply(ApplyRequest.offset(-1)))
                    .hasMessage(
                            "database db, rollback of delta 1700000002.000000, file tag.d.csv, line 2: the key (word, n)"
                                    + " of table tag matches 3 rows here; a key must identify one row");
            assertThat(tags(database)).isEqualTo(before);
        }
    }

    private void delta(String file, String content) throws Exception {
        Path path = tmp.resolve("deltas/db/delta/" + ID).resolve(file).normalize();
        Files.createDirectories(path.getParent());
        Files.writeString(path, content);
    }

    private Dsynq dsynq(TestDatabase database) {
        return database.dsynq(tmp.resolve("deltas")).build();
    }

    /** The table's rows and the history's entries. */
    private static List<String> rows(TestDatabase database) throws Exception {
        return rows(database, "SELECT * FROM item ORDER BY id", "SELECT delta_id FROM dsynq_history ORDER BY delta_id");
    }

    private static List<String> tags(TestDatabase database) throws Exception {
        return rows(database, "SELECT word, n, note FROM tag ORDER BY word, n, note");
    }

    /** The rows of each query, their values joined by |. */
    private static List<String> rows(TestDatabase database, String... queries) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection connection = database.connect();
                Statement statement = connection.createStatement()) {
            for (String sql : queries) {
                try (ResultSet result = statement.executeQuery(sql)) {
                    int columns = result.getMetaData().getColumnCount();
                    while (result.next()) {
                        StringBuilder row = new StringBuilder();
                        for (int c = 1; c <= columns; c++) {
                            row.append(c > 1 ? "|" : "").append(result.getString(c));
                        }
                        rows.add(row.toString());
                    }
                }
            }
        }
        return rows;
    }
}
