package io.dsynq.core.diff;

import static org.assertj.core.api.Assertions.assertThat;

import io.dsynq.core.Dsynq;
import io.dsynq.core.DsynqListener;
import io.dsynq.core.testing.Engine;
import io.dsynq.core.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each side of a diff is read as of one moment: rows another session commits while the diff is between tables are
 * not seen, on either side, on every engine, read in full or by segment checksums.
 */
class DiffSnapshotIT {

    @TempDir
    Path tmp;

    static Stream<Arguments> enginesAndModes() {
        return Stream.of(Engine.values())
                .flatMap(engine -> Stream.of(DiffMode.FULL, DiffMode.SEGMENTS).map(mode -> Arguments.of(engine, mode)));
    }

    @ParameterizedTest
    @MethodSource("enginesAndModes")
    void rowsCommittedWhileTheDiffRunsAreNotSeen(Engine engine, DiffMode mode) throws Exception {
        try (TestDatabase target = Databases.create(engine);
                TestDatabase source = Databases.create(engine)) {
            for (TestDatabase database : List.of(target, source)) {
                database.execute(
                        "CREATE TABLE a (id INT PRIMARY KEY, name VARCHAR(10))",
                        "CREATE TABLE b (id INT PRIMARY KEY, a_id INT, CONSTRAINT fk_b_a FOREIGN KEY (a_id)"
                                + " REFERENCES a (id))",
                        "INSERT INTO a VALUES (1, 'one')",
                        "INSERT INTO b VALUES (10, 1)");
            }
            source.execute("INSERT INTO a VALUES (2, 'two')");
            // table a is compared, b not yet: both sides change both tables now
            DiffResult result = diffChangingAt(
                    target, source, mode, m -> m.startsWith("  a: ") && m.contains("target rows"), () -> {
                        for (TestDatabase database : List.of(target, source)) {
                            database.execute(
                                    "INSERT INTO a VALUES (3, 'three')",
                                    "INSERT INTO b VALUES (30, 3)",
                                    "DELETE FROM b WHERE id = 10");
                        }
                        source.execute("INSERT INTO b VALUES (20, 2)");
                    });

            assertThat(result.tables())
                    .extracting(t -> t.table() + " " + t.inserts() + " " + t.updates() + " " + t.deletes())
                    .containsExactly("a 1 0 0", "b 0 0 0");
            assertThat(result.folder().resolve("a.i.csv")).hasContent("id,name\n2,two");
        }
    }

    /**
     * Rows committed after the diff began but before it reads its first table's rows (while it reads the tables'
     * columns and keys) are not seen either: MariaDB's repeatable read took its snapshot at the first read of a
     * table's rows, so the diff saw them there.
     */
    @ParameterizedTest
    @MethodSource("enginesAndModes")
    void rowsCommittedBeforeTheFirstTableIsReadAreNotSeen(Engine engine, DiffMode mode) throws Exception {
        try (TestDatabase target = Databases.create(engine);
                TestDatabase source = Databases.create(engine)) {
            for (TestDatabase database : List.of(target, source)) {
                database.execute(
                        "CREATE TABLE a (id INT PRIMARY KEY, name VARCHAR(10))", "INSERT INTO a VALUES (1, 'one')");
            }
            source.execute("INSERT INTO a VALUES (2, 'two')");
            // the tables are known, no row is read yet
            DiffResult result = diffChangingAt(target, source, mode, m -> m.startsWith("Comparing "), () -> {
                target.execute("INSERT INTO a VALUES (3, 'three')");
                source.execute("DELETE FROM a WHERE id = 2");
            });

            assertThat(result.tables())
                    .extracting(t -> t.table() + " " + t.inserts() + " " + t.updates() + " " + t.deletes())
                    .containsExactly("a 1 0 0");
            assertThat(result.folder().resolve("a.i.csv")).hasContent("id,name\n2,two");
        }
    }

    /** What a change committed on the servers does while the diff runs. */
    interface Change {
        void run() throws SQLException;
    }

    /** Diffs {@code target} against {@code source}, making {@code change} at each line of progress {@code at} takes. */
    private DiffResult diffChangingAt(
            TestDatabase target, TestDatabase source, DiffMode mode, Predicate<String> at, Change change) {
        Dsynq dsynq = target.dsynq(tmp)
                .listener(new DsynqListener() {
                    @Override
                    public void info(String message) {
                        if (at.test(message)) {
                            try {
                                change.run();
                            } catch (SQLException e) {
                                throw new IllegalStateException(e);
                            }
                        }
                    }
                })
                .build();
        return dsynq.diff(Databases.against(source).mode(mode));
    }
}
