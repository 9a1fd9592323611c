package io.dsynq.core.diff;

import static org.assertj.core.api.Assertions.assertThat;

import io.dsynq.core.ApplyRequest;
import io.dsynq.core.Dsynq;
import io.dsynq.core.testing.Engine;
import io.dsynq.core.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Text keys that sort differently under each engine's default collation (MariaDB's {@code utf8mb4_general_ci}
 * folds case and accents and pads with spaces; H2 compares UTF-16 units, putting an emoji before U+FF71; PostgreSQL's
 * key column has the ICU root collation, which sorts {@code 'é'} before {@code 'f'} and ignores case first): the diff merges both sides in one order whatever the servers', and finds exactly the
 * rows that differ.
 */
class CollationIT {

    /** Distinct under every default collation, so each engine's primary key holds them all. */
    private static final List<String> DEFAULT_KEYS =
            List.of("B", "c", "é", "f", "Z", "ä", "10", "9", "ab", "ab\t", "Ω", "日本", "😀", "ｱ", "a-b", "Ab2");

    /** Distinct only byte by byte: case, accents, trailing space and tab (a binary no-pad collation on MariaDB). */
    private static final List<String> EXACT_KEYS =
            List.of("a", "A", "ä", "e", "é", "ab", "ab ", "ab\t", "😀", "😁", "ｱ", "Z", "10", "9");

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "target {0}, source {1}")
    @MethodSource("io.dsynq.core.diff.Databases#enginePairs")
    void keysMergeByCodePointWhateverTheCollation(Engine target, Engine source) throws Exception {
        try (TestDatabase targetDb = Databases.create(target);
                TestDatabase sourceDb = Databases.create(source)) {
            create(targetDb);
            create(sourceDb);
            // the source has every key; the target lacks every third, has a changed value on every fourth, and one
            // key of its own
            for (String table : List.of("word", "exact")) {
                List<String> keys = table.equals("word") ? DEFAULT_KEYS : EXACT_KEYS;
                for (int i = 0; i < keys.size(); i++) {
                    insert(sourceDb, table, keys.get(i), i);
                    if (i % 3 != 0) {
                        insert(targetDb, table, keys.get(i), i % 4 == 1 ? i + 100 : i);
                    }
                }
                insert(targetDb, table, "only ", 0);
            }

            Dsynq dsynq = Databases.dsynq(targetDb, tmp, List.of());
            DiffResult result = dsynq.diff(Databases.against(sourceDb));

            assertThat(result.tables())
                    .extracting(t -> t.table() + ": " + t.inserts() + " " + t.updates() + " " + t.deletes())
                    .containsExactly(
                            "exact: " + expected(EXACT_KEYS.size()) + " 1",
                            "word: " + expected(DEFAULT_KEYS.size()) + " 1");
            dsynq.apply(ApplyRequest.latest());
            assertThat(Databases.content(targetDb, "word")).isEqualTo(Databases.content(sourceDb, "word"));
            assertThat(Databases.content(targetDb, "exact")).isEqualTo(Databases.content(sourceDb, "exact"));
            assertThat(dsynq.diff(Databases.against(sourceDb)).differs()).isFalse();
        }
    }

    /** Inserts and updates for {@code size} keys as the test sets them up. */
    private static String expected(int size) {
        int inserts = 0;
        int updates = 0;
        for (int i = 0; i < size; i++) {
            if (i % 3 == 0) {
                inserts++;
            } else if (i % 4 == 1) {
                updates++;
            }
        }
        return inserts + " " + updates;
    }

    private static void create(TestDatabase database) throws Exception {
        String exact = database.engine() == Engine.MARIADB ? " CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin" : "";
        // the test databases of PostgreSQL default to C.UTF-8, which sorts by code point already: ICU does not
        String word = database.engine() == Engine.POSTGRESQL ? " COLLATE \"und-x-icu\"" : "";
        database.execute(
                "CREATE TABLE word (k VARCHAR(20)" + word + " PRIMARY KEY, v INT)",
                "CREATE TABLE exact (k VARCHAR(20)" + exact + " PRIMARY KEY, v INT)");
    }

    private static void insert(TestDatabase database, String table, String key, int value) throws Exception {
        try (Connection connection = database.connect();
                PreparedStatement statement =
                        connection.prepareStatement("INSERT INTO " + table + " (k, v) VALUES (?, ?)")) {
            statement.setString(1, key);
            statement.setInt(2, value);
            statement.executeUpdate();
        }
    }
}
