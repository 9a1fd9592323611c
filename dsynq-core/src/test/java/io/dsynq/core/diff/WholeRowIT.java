package io.dsynq.core.diff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dsynq.core.ApplyRequest;
import io.dsynq.core.Dsynq;
import io.dsynq.core.DsynqException;
import io.dsynq.core.apply.DriftException;
import io.dsynq.core.testing.Engine;
import io.dsynq.core.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Tables without key compared by whole-row identity ({@code -Ddsynq.keys=table:*}), duplicates counted; and the
 * summary-only mode, which counts and writes nothing.
 */
class WholeRowIT {

    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(Engine.class)
    void rowsWithoutKeyMatchByAllTheirValuesDuplicatesCounted(Engine engine) throws Exception {
        try (TestDatabase target = Databases.create(engine);
                TestDatabase source = Databases.create(engine)) {
            for (TestDatabase database : List.of(target, source)) {
                database.execute("CREATE TABLE tag (name VARCHAR(20), n INT)");
            }
            target.execute("INSERT INTO tag VALUES ('a', 1), ('b', 2), ('d', 4), (NULL, NULL)");
            source.execute("INSERT INTO tag VALUES ('a', 1), ('b', 2), ('c', NULL), ('c', 3), (NULL, NULL)");

            Dsynq dsynq = Databases.dsynq(target, tmp, List.of("tag:*"));
            DiffResult summary = dsynq.diff(Databases.against(source).summaryOnly(true));
            assertThat(summary.tables())
                    .extracting(t -> t.inserts() + " " + t.updates() + " " + t.deletes())
                    .containsExactly("2 0 1");
            assertThat(summary.id()).isNull();
            assertThat(tmp.resolve("db")).doesNotExist();

            DiffResult result = dsynq.diff(Databases.against(source));
            assertThat(Files.readString(result.folder().resolve("tag.i.csv"))).isEqualTo("name,n\nc,\nc,3\n");
            assertThat(Files.readString(result.folder().resolve("tag.d.csv"))).isEqualTo("name,n\nd,4\n");
            dsynq.apply(ApplyRequest.latest());
            assertThat(Databases.content(target, "tag")).isEqualTo(Databases.content(source, "tag"));
            dsynq.apply(ApplyRequest.offset(-1));
            assertThat(Databases.content(target, "tag")).hasSize(4);
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void copiesOfIdenticalRowsAreInsertedAndDeletedOneByOneAndRolledBackExactly(Engine engine) throws Exception {
        try (TestDatabase target = Databases.create(engine);
                TestDatabase source = Databases.create(engine)) {
            for (TestDatabase database : List.of(target, source)) {
                database.execute("CREATE TABLE tag (name VARCHAR(20), n INT, price DECIMAL(6,2))");
            }
            target.execute("INSERT INTO tag VALUES ('b', 2, 1.50), ('b', 2, 1.50), ('b', 2, 1.50), ('c', NULL, NULL),"
                    + " ('e', 5, 5.00)");
            source.execute("INSERT INTO tag VALUES ('b', 2, 1.5), ('c', NULL, NULL), ('c', NULL, NULL),"
                    + " ('c', NULL, NULL), ('d', 4, 4.00), ('d', 4, 4.00), ('e', 5, 5.00)");
            List<String> before = Databases.content(target, "tag");

            Dsynq dsynq = Databases.dsynq(target, tmp, List.of("tag:*"));
            DiffResult result = dsynq.diff(Databases.against(source));
            assertThat(result.tables())
                    .extracting(t -> t.inserts() + " " + t.updates() + " " + t.deletes())
                    .containsExactly("4 0 2");
            assertThat(Files.readString(result.folder().resolve("tag.i.csv")))
                    .isEqualTo("name,n,price\nc,,\nc,,\nd,4,4.00\nd,4,4.00\n");
            assertThat(Files.readString(result.folder().resolve("tag.d.csv")))
                    .isEqualTo("name,n,price\nb,2,1.50\nb,2,1.50\n");

            dsynq.apply(ApplyRequest.latest());
            assertThat(Databases.content(target, "tag")).isEqualTo(Databases.content(source, "tag"));
            assertThat(dsynq.diff(Databases.against(source).summaryOnly(true)).tables())
                    .extracting(t -> t.inserts() + t.deletes())
                    .containsExactly(0L);

            dsynq.apply(ApplyRequest.offset(-1));
            assertThat(Databases.content(target, "tag")).isEqualTo(before);
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void deletingMoreCopiesThanTheTableHoldsIsRefusedNamingTheLine(Engine engine) throws Exception {
        try (TestDatabase target = Databases.create(engine)) {
            target.execute("CREATE TABLE tag (name VARCHAR(20), n INT)");
            target.execute("INSERT INTO tag VALUES ('a', 1), ('b', 2), ('b', 2)");
            writeDelta("1700000001.000000", "tag.d.csv", "name,n\nb,2\na,1\nb,2\nb,2\n");
            List<String> before = Databases.content(target, "tag");

            Dsynq dsynq = Databases.dsynq(target, tmp, List.of("tag:*"));
            assertThatThrownBy(() -> dsynq.apply(ApplyRequest.latest()))
                    .isInstanceOf(DsynqException.class)
                    .hasMessageContaining("file tag.d.csv, line 2: the file deletes the row (name='b', n=2) 3 times,"
                            + " and table tag holds it twice");
            assertThat(Databases.content(target, "tag")).isEqualTo(before);
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aRollbackFindsCopiesOthersAddedOrTookAway(Engine engine) throws Exception {
        try (TestDatabase target = Databases.create(engine)) {
            target.execute("CREATE TABLE tag (name VARCHAR(20), n INT)");
            target.execute("INSERT INTO tag VALUES ('a', 1), ('b', 2), ('b', 2), ('c', 3)");
            writeDelta("1700000001.000000", "tag.i.csv", "name,n\na,1\n");
            writeDelta("1700000001.000000", "tag.d.csv", "name,n\nb,2\nc,3\n");
            Dsynq dsynq = Databases.dsynq(target, tmp, List.of("tag:*"));
            dsynq.apply(ApplyRequest.latest());
            assertThat(Databases.content(target, "tag"))
                    .containsExactly("name='a' | n='1'", "name='a' | n='1'", "name='b' | n='2'");

            // someone takes away a copy of a row the delta inserted, and puts back the row it deleted
            target.execute("DELETE FROM tag WHERE name = 'a'");
            target.execute("INSERT INTO tag VALUES ('a', 1), ('c', 3)");
            List<String> changed = Databases.content(target, "tag");
            assertThatThrownBy(() -> dsynq.apply(ApplyRequest.offset(-1)))
                    .isInstanceOf(DriftException.class)
                    .hasMessageContaining("2 rows were changed")
                    .hasMessageContaining(
                            "tag (name='a', n=1): the delta left 2 copies of this row, and there is 1 copy now")
                    .hasMessageContaining(
                            "tag (name='c', n=3): the delta left 0 copies of this row, and there is 1 copy now");
            assertThat(Databases.content(target, "tag")).isEqualTo(changed);

            target.execute("INSERT INTO tag VALUES ('a', 1)");
            target.execute("DELETE FROM tag WHERE name = 'c'");
            dsynq.apply(ApplyRequest.offset(-1));
            assertThat(Databases.content(target, "tag"))
                    .containsExactly("name='a' | n='1'", "name='b' | n='2'", "name='b' | n='2'", "name='c' | n='3'");
        }
    }

    /** MariaDB partitions and sorts text by its first 1,024 bytes ({@code max_sort_length}); copies differ by any byte. */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void longTextsDifferingOnlyAfterTheirFirstKilobyteAreNotCopiesOfOneRow(Engine engine) throws Exception {
        try (TestDatabase target = Databases.create(engine)) {
            String a = "x".repeat(1024) + "a";
            String b = "x".repeat(1024) + "b";
            target.execute("CREATE TABLE note (body VARCHAR(2000))");
            target.execute("INSERT INTO note VALUES ('" + a + "'), ('" + b + "'), ('" + b + "')");
            writeDelta("1700000001.000000", "note.d.csv", "body\n" + a + "\n" + b + "\n");
            List<String> before = Databases.content(target, "note");
            Dsynq dsynq = Databases.dsynq(target, tmp, List.of("note:*"));

            dsynq.apply(ApplyRequest.latest());
            assertThat(Databases.content(target, "note")).containsExactly("body='" + b + "'");
            dsynq.apply(ApplyRequest.offset(-1));
            assertThat(Databases.content(target, "note")).isEqualTo(before);
        }
    }

    /**
     * A table identified by whole rows that references itself: the reference is part of each row's identity, so it is
     * written with the row, not set once the rows are in (as it is where a key identifies the rows). Deleted, on an
     * engine that checks each row as it changes, children first, in waves: the rollback of the first delta was
     * refused on H2 and MariaDB.
     */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void aTableIdentifiedByWholeRowsKeepsItsReferencesToItself(Engine engine) throws Exception {
        try (TestDatabase target = Databases.create(engine)) {
            target.execute("CREATE TABLE node (id INT, parent INT, UNIQUE (id), FOREIGN KEY (parent) REFERENCES"
                    + " node (id))");
            writeDelta("1700000001.000000", "node.i.csv", "id,parent\n1,\n2,1\n3,1\n");
            writeDelta("1700000002.000000", "node.d.csv", "id,parent\n3,1\n");
            Dsynq dsynq = Databases.dsynq(target, tmp, List.of("node:*"));

            dsynq.apply(ApplyRequest.to("1700000001.000000"));
            assertThat(Databases.content(target, "node"))
                    .containsExactly("id='1' | parent=NULL", "id='2' | parent='1'", "id='3' | parent='1'");
            dsynq.apply(ApplyRequest.latest());
            assertThat(Databases.content(target, "node"))
                    .containsExactly("id='1' | parent=NULL", "id='2' | parent='1'");
            dsynq.apply(ApplyRequest.offset(-1));
            assertThat(Databases.content(target, "node"))
                    .containsExactly("id='1' | parent=NULL", "id='2' | parent='1'", "id='3' | parent='1'");
            // the first delta's reverse deletes parent and children: children first
            dsynq.apply(ApplyRequest.to("0"));
            assertThat(Databases.content(target, "node")).isEmpty();
        }
    }

    /**
     * A row referencing itself in a table identified by whole rows, with a child: deleted after the child, and on
     * MariaDB, which refuses to delete a row referencing itself while it checks references, with the checks off for
     * that statement. The rollback deleted it in the wave of rows no other row references, which MariaDB refused, so
     * the delta was refused as one whose rollback would be (found in review).
     */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void aRowOfATableIdentifiedByWholeRowsReferencingItselfIsDeletedToo(Engine engine) throws Exception {
        try (TestDatabase target = Databases.create(engine)) {
            target.execute("CREATE TABLE node (id INT, parent INT, UNIQUE (id), FOREIGN KEY (parent) REFERENCES"
                    + " node (id))");
            writeDelta("1700000001.000000", "node.i.csv", "id,parent\n1,1\n2,1\n3,\n");
            Dsynq dsynq = Databases.dsynq(target, tmp, List.of("node:*"));

            dsynq.apply(ApplyRequest.latest());
            assertThat(Databases.content(target, "node"))
                    .containsExactly("id='1' | parent='1'", "id='2' | parent='1'", "id='3' | parent=NULL");
            dsynq.apply(ApplyRequest.to("0"));
            assertThat(Databases.content(target, "node")).isEmpty();
        }
    }

    /**
     * PostgreSQL's unconstrained numeric keeps each value's scale: {@code 1.0} and {@code 1.00} are equal, so either
     * copy may go, and the rollback must put back the one that went, as the table held it.
     */
    @Test
    void theRollbackPutsBackTheCopyThatWentAsTheTableHeldIt() throws Exception {
        try (TestDatabase target = Databases.create(Engine.POSTGRESQL)) {
            target.execute("CREATE TABLE tag (name TEXT, n NUMERIC)");
            target.execute("INSERT INTO tag VALUES ('a', 1.0), ('a', 1.00), ('b', 2.0)");
            writeDelta("1700000001.000000", "tag.d.csv", "name,n\na,1.00\nb,2\n");
            Dsynq dsynq = Databases.dsynq(target, tmp, List.of("tag:*"));

            dsynq.apply(ApplyRequest.latest());
            assertThat(texts(target)).hasSize(1).first().isIn("a 1.0", "a 1.00");
            dsynq.apply(ApplyRequest.offset(-1));
            assertThat(texts(target)).containsExactly("a 1.0", "a 1.00", "b 2.0");
        }
    }

    /** A file may list the columns in another order than the table has them; its rows still find theirs. */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void aFileListsTheColumnsInAnyOrder(Engine engine) throws Exception {
        try (TestDatabase target = Databases.create(engine)) {
            target.execute("CREATE TABLE tag (name VARCHAR(20), n INT, code VARCHAR(5))");
            target.execute("INSERT INTO tag VALUES ('a', 1, 'x'), ('b', NULL, 'y'), ('b', NULL, 'y'), ('c', 3, NULL)");
            List<String> before = Databases.content(target, "tag");
            writeDelta("1700000001.000000", "tag.d.csv", "code,n,name\ny,,b\nx,1,a\n,3,c\n");
            Dsynq dsynq = Databases.dsynq(target, tmp, List.of("tag:*"));

            dsynq.apply(ApplyRequest.latest());
            assertThat(Databases.content(target, "tag")).hasSize(1);
            dsynq.apply(ApplyRequest.offset(-1));
            assertThat(Databases.content(target, "tag")).isEqualTo(before);
        }
    }

    /** Writes a hand-made delta file {@code file} of delta {@code id} into the deltas' folder. */
    private void writeDelta(String id, String file, String csv) throws IOException {
        Path delta = Files.createDirectories(tmp.resolve("db/delta/" + id));
        Files.writeString(delta.resolve(file), csv);
    }

    private static List<String> texts(TestDatabase database) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection connection = database.connect();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT name || ' ' || n::text FROM tag ORDER BY 1")) {
            while (result.next()) {
                rows.add(result.getString(1));
            }
        }
        return rows;
    }
}
