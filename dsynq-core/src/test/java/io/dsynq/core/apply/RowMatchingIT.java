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
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Rows found without a primary key, where the engines are helped to join them without comparing every pair: the
 * help must never keep a row from the row it equals, nor fail on a value the table may hold.
 */
class RowMatchingIT {

    @TempDir
    Path tmp;

    /** A declared key on nullable columns matches by the type's own equality, which the values' text does not. */
    @Test
    void aDeclaredKeyMatchesByItsTypesEqualityNotByItsText() throws Exception {
        try (TestDatabase database = TestServers.create(Engine.POSTGRESQL)) {
            database.execute(
                    "CREATE DOMAIN amount AS NUMERIC",
                    "CREATE TABLE period (span INTERVAL, due amount, v INT)",
                    "INSERT INTO period VALUES ('1 day', 1.0, 0), (NULL, NULL, 0)");
            writeDelta("1700000001.000000", "period.u.csv", "span,due,v\n24 hours,1.00,5\n,,7\n");
            Dsynq dsynq = dsynq(database, "period:span+due");

            dsynq.apply(ApplyRequest.latest());
            assertThat(texts(database, "SELECT v FROM period ORDER BY v")).containsExactly("5", "7");
            dsynq.apply(ApplyRequest.offset(-1));
            assertThat(texts(database, "SELECT v FROM period")).containsExactly("0", "0");
        }
    }

    /**
     * A declared key column is found as a header's column is: by its exact name first, ignoring case only where that
     * names one column. The key {@code title} on PostgreSQL's columns {@code "Title"} and {@code title} took the first
     * of the two that matched ignoring case, {@code "Title"}, and updated the row whose {@code "Title"} held the
     * value.
     */
    @Test
    void aDeclaredKeyTakesTheColumnOfItsExactName() throws Exception {
        try (TestDatabase database = TestServers.create(Engine.POSTGRESQL)) {
            database.execute(
                    "CREATE TABLE book (\"Title\" TEXT NOT NULL, title TEXT NOT NULL, v INT)",
                    "INSERT INTO book VALUES ('a', 'b', 0), ('b', 'a', 0)");
            writeDelta("1700000001.000000", "book.u.csv", "title,v\na,1\n");
            Dsynq dsynq = dsynq(database, "book:title");

            dsynq.apply(ApplyRequest.latest());
            assertThat(texts(database, "SELECT \"Title\" || title || v FROM book ORDER BY 1"))
                    .containsExactly("ab0", "ba1");
            dsynq.apply(ApplyRequest.offset(-1));
            assertThat(texts(database, "SELECT \"Title\" || title || v FROM book ORDER BY 1"))
                    .containsExactly("ab0", "ba0");
            assertThatThrownBy(() -> dsynq(database, "book:TITLE").apply(ApplyRequest.latest()))
                    .hasMessageContaining("names column TITLE, which ignoring case is any of its columns Title, title");
        }
    }

    /** A date no timestamp can hold, in a row the file does not list, does not stop the rows it does list. */
    @Test
    void aDateBeyondTheTimestampRangeDoesNotStopAWholeRowDelete() throws Exception {
        try (TestDatabase database = TestServers.create(Engine.POSTGRESQL)) {
            database.execute(
                    "CREATE TABLE stamp (a INT, d DATE)",
                    "INSERT INTO stamp VALUES (1, '2024-01-01'), (1, '2024-01-01'), (2, '300000-01-01')");
            writeDelta("1700000001.000000", "stamp.d.csv", "a,d\n1,2024-01-01\n");
            Dsynq dsynq = dsynq(database, "stamp:*");

            dsynq.apply(ApplyRequest.latest());
            assertThat(texts(database, "SELECT a FROM stamp ORDER BY a")).containsExactly("1", "2");
            dsynq.apply(ApplyRequest.offset(-1));
            assertThat(texts(database, "SELECT a FROM stamp ORDER BY a")).containsExactly("1", "1", "2");
        }
    }

    /** MariaDB hashes a staged row's values into a generated column: a row of 18 MB still fits it. */
    @Test
    void aRowOfManyMegabytesIsMatchedOnMariaDb() throws Exception {
        try (TestDatabase database = TestServers.create(Engine.MARIADB)) {
            database.execute(
                    "CREATE TABLE note (a LONGTEXT, b LONGTEXT)",
                    "INSERT INTO note VALUES (REPEAT('x', 9000000), REPEAT('y', 9000000)), ('x', 'y')");
            writeDelta(
                    "1700000001.000000",
                    "note.d.csv",
                    "a,b\n" + "x".repeat(9_000_000) + "," + "y".repeat(9_000_000) + "\n");
            Dsynq dsynq = dsynq(database, "note:*");

            dsynq.apply(ApplyRequest.latest());
            assertThat(texts(database, "SELECT a FROM note")).containsExactly("x");
            dsynq.apply(ApplyRequest.offset(-1));
            assertThat(texts(database, "SELECT LENGTH(a) FROM note ORDER BY 1")).containsExactly("1", "9000000");
        }
    }

    /** MariaDB limits a generated column's expression: a table of 200 long-named columns still stages its rows. */
    @Test
    void aWideTableWithoutKeyIsMatchedOnMariaDb() throws Exception {
        List<String> names = IntStream.range(0, 200)
                .mapToObj(i -> "column_with_a_long_name_to_make_the_expression_grow_" + (1000 + i))
                .toList();
        try (TestDatabase database = TestServers.create(Engine.MARIADB)) {
            database.execute(
                    "CREATE TABLE wide (" + names.stream().map(n -> n + " TEXT").collect(Collectors.joining(", "))
                            + ")",
                    "INSERT INTO wide VALUES (" + names.stream().map(n -> "'a'").collect(Collectors.joining(", "))
                            + "), (" + names.stream().map(n -> "'b'").collect(Collectors.joining(", ")) + ")");
            writeDelta(
                    "1700000001.000000",
                    "wide.d.csv",
                    String.join(",", names) + "\n"
                            + String.join(",", names.stream().map(n -> "b").toList()) + "\n");
            Dsynq dsynq = dsynq(database, "wide:*");

            dsynq.apply(ApplyRequest.latest());
            assertThat(texts(database, "SELECT " + names.get(199) + " FROM wide"))
                    .containsExactly("a");
            dsynq.apply(ApplyRequest.offset(-1));
            assertThat(texts(database, "SELECT " + names.get(199) + " FROM wide ORDER BY 1"))
                    .containsExactly("a", "b");
        }
    }

    /**
     * H2 hashes a staged row's values to find it by an index: text that H2 compares ignoring case, by the database's
     * collation or by the column's type, matches as H2 compares it.
     */
    @Test
    void textComparedIgnoringCaseMatchesOnH2() throws Exception {
        for (String setup : List.of(
                "SET COLLATION ENGLISH STRENGTH PRIMARY; CREATE TABLE word (w VARCHAR(10), n INT)",
                "CREATE TABLE word (w VARCHAR_IGNORECASE(10), n INT)")) {
            try (TestDatabase database = TestServers.create(Engine.H2)) {
                database.execute(setup.split("; "));
                database.execute("INSERT INTO word VALUES ('Apfel', 1), ('Birne', 2)");
                Path deltas = Files.createTempDirectory(tmp, "deltas");
                Path delta = Files.createDirectories(deltas.resolve("db/delta/1700000001.000000"));
                Files.writeString(delta.resolve("word.d.csv"), "w,n\napfel,1\n");
                Dsynq dsynq = database.dsynq(deltas).keys(List.of("word:*")).build();

                dsynq.apply(ApplyRequest.latest());
                assertThat(texts(database, "SELECT w FROM word")).as(setup).containsExactly("Birne");
                dsynq.apply(ApplyRequest.offset(-1));
                assertThat(texts(database, "SELECT w FROM word ORDER BY n"))
                        .as(setup)
                        .containsExactly("Apfel", "Birne");
            }
        }
    }

    /**
     * H2 stores a value as the compatibility mode of the session that wrote it has it: {@code CHAR} unpadded in
     * MySQL mode, a decimal at the scale it was given in Oracle mode. Equal all the same, they match.
     */
    @Test
    void valuesWrittenInAnotherModeOfH2Match() throws Exception {
        try (TestDatabase database = TestServers.create(Engine.H2)) {
            database.execute(
                    "CREATE TABLE kept (c CHAR(4), d NUMERIC(10,2), n INT)",
                    "SET MODE MySQL",
                    "INSERT INTO kept VALUES ('a', 1.00, 1)",
                    "SET MODE Oracle",
                    "INSERT INTO kept VALUES ('b', 1.0, 2), ('c', 3, 3)");
            writeDelta("1700000001.000000", "kept.d.csv", "c,d,n\na,1.00,1\nb,1.00,2\n");
            Dsynq dsynq = dsynq(database, "kept:*");

            dsynq.apply(ApplyRequest.latest());
            assertThat(texts(database, "SELECT n FROM kept")).containsExactly("3");
            dsynq.apply(ApplyRequest.offset(-1));
            assertThat(texts(database, "SELECT n FROM kept ORDER BY n")).containsExactly("1", "2", "3");
        }
    }

    /** MariaDB prints a FLOAT with six digits: a message names the row by the value the column holds. */
    @Test
    void aMessageNamesAFloatByItsValueOnMariaDb() throws Exception {
        try (TestDatabase database = TestServers.create(Engine.MARIADB)) {
            database.execute("CREATE TABLE reading (f FLOAT, n INT)", "INSERT INTO reading VALUES (1234567.9, 1)");
            writeDelta("1700000001.000000", "reading.d.csv", "f,n\n1234567.9,1\n1234567.9,1\n");
            Dsynq dsynq = dsynq(database, "reading:*");

            assertThatThrownBy(() -> dsynq.apply(ApplyRequest.latest()))
                    .hasMessageContaining(
                            "line 2: the file deletes the row (f='1234567.9', n=1) twice, and table reading"
                                    + " holds it once");
        }
    }

    /** A table's columns may have names beginning like those dsynq gives its own columns. */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void columnsNamedLikeDsynqsOwnAreAppliedAndRolledBack(Engine engine) throws Exception {
        try (TestDatabase database = TestServers.create(engine)) {
            database.execute(
                    "CREATE TABLE note (dsynq_row INT, dsynq_tag VARCHAR(10))",
                    "INSERT INTO note VALUES (1, 'x'), (2, 'y'), (2, 'y')");
            writeDelta("1700000001.000000", "note.d.csv", "dsynq_row,dsynq_tag\n2,y\n");
            Dsynq dsynq = dsynq(database, "note:*");

            dsynq.apply(ApplyRequest.latest());
            assertThat(texts(database, "SELECT dsynq_tag FROM note ORDER BY 1")).containsExactly("x", "y");
            dsynq.apply(ApplyRequest.offset(-1));
            assertThat(texts(database, "SELECT dsynq_tag FROM note ORDER BY 1")).containsExactly("x", "y", "y");
        }
    }

    /**
     * A table's columns may have the very names dsynq gives its own columns and aliases: dsynq chooses others for
     * that table.
     */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void columnsNamedAsDsynqsOwnAreAppliedAndRolledBack(Engine engine) throws Exception {
        try (TestDatabase database = TestServers.create(engine)) {
            database.execute(
                    "CREATE TABLE item (id INT PRIMARY KEY, dsynq_line INT, dsynq_hash VARCHAR(10))",
                    "INSERT INTO item VALUES (1, 10, 'a'), (2, 20, 'b'), (3, 30, 'c')",
                    "CREATE TABLE note (dsynq_line INT, dsynq_hash VARCHAR(10), dsynq_copies INT, dsynq_listed INT,"
                            + " dsynq_held INT, dsynq_left INT, dsynq_found INT)",
                    "INSERT INTO note VALUES (1, 'x', 1, 1, 1, 1, 1), (2, 'y', 2, 2, 2, 2, 2), (2, 'y', 2, 2, 2, 2, 2)");
            writeDelta("1700000001.000000", "item.i.csv", "id,dsynq_line,dsynq_hash\n4,40,d\n");
            writeDelta("1700000001.000000", "item.u.csv", "id,dsynq_line\n2,21\n");
            writeDelta("1700000001.000000", "item.d.csv", "id\n3\n");
            writeDelta(
                    "1700000001.000000",
                    "note.d.csv",
                    "dsynq_line,dsynq_hash,dsynq_copies,dsynq_listed,dsynq_held,dsynq_left,dsynq_found\n"
                            + "2,y,2,2,2,2,2\n");
            Dsynq dsynq = dsynq(database, "note:*");

            dsynq.apply(ApplyRequest.latest());
            assertThat(texts(database, "SELECT CONCAT(id, dsynq_line, dsynq_hash) FROM item ORDER BY id"))
                    .containsExactly("110a", "221b", "440d");
            assertThat(texts(database, "SELECT dsynq_hash FROM note ORDER BY 1"))
                    .containsExactly("x", "y");
            dsynq.apply(ApplyRequest.offset(-1));
            assertThat(texts(database, "SELECT CONCAT(id, dsynq_line, dsynq_hash) FROM item ORDER BY id"))
                    .containsExactly("110a", "220b", "330c");
            assertThat(texts(database, "SELECT dsynq_hash FROM note ORDER BY 1"))
                    .containsExactly("x", "y", "y");
        }
    }

    private Dsynq dsynq(TestDatabase database, String key) {
        return database.dsynq(tmp.resolve("deltas")).keys(List.of(key)).build();
    }

    private void writeDelta(String id, String file, String csv) throws Exception {
        Path delta = Files.createDirectories(tmp.resolve("deltas/db/delta/" + id));
        Files.writeString(delta.resolve(file), csv);
    }

    private static List<String> texts(TestDatabase database, String sql) throws Exception {
        try (Connection connection = database.connect();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            List<String> texts = new ArrayList<>();
            while (rows.next()) {
                texts.add(rows.getString(1));
            }
            return texts;
        }
    }
}
