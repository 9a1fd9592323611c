package io.dsynq.core.diff;

import static org.assertj.core.api.Assertions.assertThat;

import io.dsynq.core.Dsynq;
import io.dsynq.core.testing.Engine;
import io.dsynq.core.testing.TestDatabase;
import io.dsynq.core.testing.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Segment checksums must tell apart every pair of rows that a full comparison tells apart: each test changes one
 * value among a few thousand rows in a way a careless row hash does not see, and the delta of segment mode must be
 * the delta of full mode, file for file.
 */
class SegmentHashIT {

    private static final int ROWS = 5_000;

    @TempDir
    Path tmp;

    @Test
    void postgresSegmentsTellNullFromZero() throws Exception {
        try (TestDatabase target = Databases.create(Engine.POSTGRESQL);
                TestDatabase source = Databases.create(Engine.POSTGRESQL)) {
            for (TestDatabase database : List.of(target, source)) {
                database.execute(
                        "CREATE TABLE t (id INT PRIMARY KEY, x DOUBLE PRECISION, n INT, d NUMERIC(10,2))",
                        "INSERT INTO t SELECT g, 1.5, 7, 2.5 FROM generate_series(1, " + ROWS + ") g");
            }
            target.execute("UPDATE t SET x = NULL, n = NULL, d = NULL WHERE id = 2500");
            source.execute("UPDATE t SET x = 0, n = 0, d = 0 WHERE id = 2500");
            target.execute("UPDATE t SET x = NULL WHERE id = 3000");
            source.execute("UPDATE t SET x = 0 WHERE id = 3000");

            assertSegmentsFindWhatFullFinds(target, source, 2);
        }
    }

    @Test
    void postgresSegmentsTellNegativeZeroFromZero() throws Exception {
        try (TestDatabase target = Databases.create(Engine.POSTGRESQL);
                TestDatabase source = Databases.create(Engine.POSTGRESQL)) {
            for (TestDatabase database : List.of(target, source)) {
                database.execute(
                        "CREATE TABLE t (id INT PRIMARY KEY, x DOUBLE PRECISION NOT NULL, r REAL NOT NULL)",
                        "INSERT INTO t SELECT g, 0, 0 FROM generate_series(1, " + ROWS + ") g");
            }
            source.execute("UPDATE t SET x = '-0' WHERE id = 2500", "UPDATE t SET r = '-0' WHERE id = 10");

            assertSegmentsFindWhatFullFinds(target, source, 2);
        }
    }

    @Test
    void postgresSegmentsSeeCaseOnlyChangesUnderNondeterministicCollation() throws Exception {
        try (TestDatabase target = Databases.create(Engine.POSTGRESQL);
                TestDatabase source = Databases.create(Engine.POSTGRESQL)) {
            for (TestDatabase database : List.of(target, source)) {
                database.execute(
                        "CREATE COLLATION ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false)",
                        "CREATE TABLE t (id INT PRIMARY KEY, name TEXT COLLATE ci, code VARCHAR(10) COLLATE ci)",
                        "INSERT INTO t SELECT g, 'name' || g, 'abc' FROM generate_series(1, " + ROWS + ") g");
            }
            source.execute("UPDATE t SET name = 'NAME2500' WHERE id = 2500", "UPDATE t SET code = 'ABC' WHERE id = 10");

            assertSegmentsFindWhatFullFinds(target, source, 2);
        }
    }

    @Test
    void postgresSegmentsWorkForInt4KeysSpanningMoreThanInt4() throws Exception {
        try (TestDatabase target = Databases.create(Engine.POSTGRESQL);
                TestDatabase source = Databases.create(Engine.POSTGRESQL)) {
            for (TestDatabase database : List.of(target, source)) {
                database.execute(
                        "CREATE TABLE t (id INT PRIMARY KEY, name TEXT)",
                        "INSERT INTO t SELECT g, 'n' || g FROM generate_series(1, " + ROWS + ") g",
                        "INSERT INTO t VALUES (-2000000000, 'low'), (2000000000, 'high')");
            }
            source.execute("UPDATE t SET name = 'changed' WHERE id IN (2000000000, 17)");

            assertSegmentsFindWhatFullFinds(target, source, 2);
        }
    }

    @Test
    void postgresSegmentsSeeValuesTradedBetweenColumnsAndRows() throws Exception {
        try (TestDatabase target = Databases.create(Engine.POSTGRESQL);
                TestDatabase source = Databases.create(Engine.POSTGRESQL)) {
            for (TestDatabase database : List.of(target, source)) {
                database.execute(
                        "CREATE TABLE t (id BIGINT PRIMARY KEY, a NUMERIC(12,2), b NUMERIC(12,2), s TEXT, u TEXT,"
                                + " ts TIMESTAMP(6))",
                        "INSERT INTO t SELECT g, 1, 5, 'x' || g, '', TIMESTAMP '2020-01-01' + g * INTERVAL '1 second'"
                                + " FROM generate_series(1, " + ROWS + ") g");
            }
            source.execute(
                    // both decimals shifted by the same power of 10000: their hashes differ in the same low bits
                    "UPDATE t SET a = 10000, b = 50000 WHERE id = 2500",
                    "UPDATE t SET s = '', u = 'x10' WHERE id = 10",
                    "UPDATE t SET s = CASE id WHEN 3000 THEN 'x3001' ELSE 'x3000' END WHERE id IN (3000, 3001)",
                    "UPDATE t SET u = NULL WHERE id = 4000",
                    "UPDATE t SET ts = NULL, a = NULL WHERE id = 4500");

            assertSegmentsFindWhatFullFinds(target, source, 6);
        }
    }

    /**
     * Values PostgreSQL's own hash functions hash alike: {@code hashint8extended} folds a {@code bigint}'s two halves
     * into one before it hashes them (1 and 2^32, or -1 and 2^32 - 1, hash alike), and {@code hash_numeric_extended}
     * gives {@code NaN}, {@code Infinity} and {@code -Infinity} one hash, its seed (and 0 the seed less one): a
     * numeric with precision holds NaN but no infinity.
     */
    @Test
    void postgresSegmentsSeeChangesBetweenValuesTheirTypesHashAlike() throws Exception {
        try (TestDatabase target = Databases.create(Engine.POSTGRESQL);
                TestDatabase source = Databases.create(Engine.POSTGRESQL)) {
            for (TestDatabase database : List.of(target, source)) {
                database.execute(
                        "CREATE TABLE t (id BIGINT PRIMARY KEY, v BIGINT, w BIGINT NOT NULL, d NUMERIC, p NUMERIC(10,2))",
                        "INSERT INTO t SELECT g, 1, -1, 0, 0 FROM generate_series(1, " + ROWS + ") g");
            }
            source.execute(
                    "UPDATE t SET v = 4294967296 WHERE id = 2500",
                    "UPDATE t SET w = 4294967295 WHERE id = 10",
                    "UPDATE t SET v = NULL WHERE id = 4000",
                    "UPDATE t SET d = 'Infinity' WHERE id = 3000",
                    "UPDATE t SET d = '-Infinity' WHERE id = 3500",
                    "UPDATE t SET p = 'NaN' WHERE id = 4500");
            target.execute(
                    "UPDATE t SET v = 4294967296 WHERE id = 4000",
                    "UPDATE t SET d = 'NaN' WHERE id = 3000",
                    "UPDATE t SET d = 'Infinity' WHERE id = 3500");

            assertSegmentsFindWhatFullFinds(target, source, 6);
        }
    }

    /**
     * {@code hash_numeric_extended} hashes a decimal's digits and weight but not its sign, and gives 0 the seed less
     * one and NaN the seed itself: a NULL hashed as 0 with a seed one more met NaN.
     */
    @Test
    void postgresSegmentsSeeDecimalsChangeSignOrTurnNaN() throws Exception {
        try (TestDatabase target = Databases.create(Engine.POSTGRESQL);
                TestDatabase source = Databases.create(Engine.POSTGRESQL)) {
            for (TestDatabase database : List.of(target, source)) {
                database.execute(
                        "CREATE TABLE t (p NUMERIC(10,2), id INT PRIMARY KEY, d NUMERIC)",
                        "INSERT INTO t SELECT 1.5, g, 2.5 FROM generate_series(1, " + ROWS + ") g");
            }
            target.execute("UPDATE t SET p = 'NaN' WHERE id = 10");
            source.execute(
                    "UPDATE t SET p = NULL WHERE id = 10",
                    "UPDATE t SET d = -2.5 WHERE id = 20",
                    "UPDATE t SET p = -1.5 WHERE id = 30");

            assertSegmentsFindWhatFullFinds(target, source, 3);
        }
    }

    /**
     * A decimal's hash is linear in its weight, and zero's and NaN's and the infinities' in the seed: the changes of
     * two columns cancelled where NaN and a number traded columns, two columns went from NaN to Infinity, or a weight
     * went from 1 to 2 while the next column, the third, went from {@code ''} to NULL (3 = 1 XOR 2).
     */
    @Test
    void postgresSegmentsSeeChangesOfDecimalsThatWouldCancelTheNextColumns() throws Exception {
        try (TestDatabase target = Databases.create(Engine.POSTGRESQL);
                TestDatabase source = Databases.create(Engine.POSTGRESQL)) {
            for (TestDatabase database : List.of(target, source)) {
                database.execute(
                        "CREATE TABLE t (id INT PRIMARY KEY, a NUMERIC(10,2) NOT NULL, b NUMERIC(10,2) NOT NULL,"
                                + " c NUMERIC, d NUMERIC, p NUMERIC(12,2), note TEXT, n INT)",
                        "INSERT INTO t SELECT g, g, 2 * g, 1, 1, g, 'n' || g, 1 FROM generate_series(1, " + ROWS
                                + ") g");
            }
            target.execute(
                    "UPDATE t SET a = 'NaN', b = 7 WHERE id = 100",
                    "UPDATE t SET c = 'NaN', d = 'Infinity' WHERE id = 200",
                    "UPDATE t SET c = 'NaN', d = 'NaN' WHERE id = 300",
                    "UPDATE t SET p = 50000, note = NULL WHERE id = 400",
                    "UPDATE t SET p = 5, n = NULL WHERE id = 500");
            source.execute(
                    "UPDATE t SET a = 7, b = 'NaN' WHERE id = 100",
                    "UPDATE t SET c = 'Infinity', d = 'NaN' WHERE id = 200",
                    "UPDATE t SET c = 'Infinity', d = 'Infinity' WHERE id = 300",
                    "UPDATE t SET p = 500000000, note = '' WHERE id = 400",
                    "UPDATE t SET p = 5000000000, n = 0 WHERE id = 500");

            assertSegmentsFindWhatFullFinds(target, source, 5);
        }
    }

    @Test
    void mariaDbSegmentsSeeFloatChanges() throws Exception {
        try (TestDatabase target = Databases.create(Engine.MARIADB);
                TestDatabase source = Databases.create(Engine.MARIADB)) {
            for (TestDatabase database : List.of(target, source)) {
                database.execute(
                        "CREATE TABLE t (id INT PRIMARY KEY, f FLOAT, name VARCHAR(20))",
                        "INSERT INTO t SELECT seq, 1.0000001, 'x' FROM seq_1_to_" + ROWS);
            }
            source.execute("UPDATE t SET f = 1.0000002 WHERE id = 2500");

            assertSegmentsFindWhatFullFinds(target, source, 1);
        }
    }

    /**
     * A LATIN1 database can hold {@code Ã¼} in the very bytes that are {@code ü} in UTF8: hashing the bytes would call
     * the rows equal. Segments are for UTF8 databases only; the table is read in full.
     */
    @Test
    void postgresSegmentsDoNotTakeTextOfAnotherEncodingForEqual() throws Exception {
        try (TestDatabase target = Databases.create(Engine.POSTGRESQL);
                TestDatabase source = TestServers.create(
                        Engine.POSTGRESQL,
                        null,
                        "dsynq_diff_",
                        " TEMPLATE template0 ENCODING 'LATIN1' LC_COLLATE 'C' LC_CTYPE 'C'")) {
            for (TestDatabase database : List.of(target, source)) {
                database.execute(
                        "CREATE TABLE t (id INT PRIMARY KEY, name TEXT)",
                        "INSERT INTO t SELECT g, 'n' || g FROM generate_series(1, " + ROWS + ") g");
            }
            target.execute("UPDATE t SET name = 'ü' WHERE id = 2500");
            source.execute("UPDATE t SET name = convert_from('\\xc3bc', 'LATIN1') WHERE id = 2500");

            Dsynq dsynq = Databases.dsynq(target, tmp.resolve("deltas"), List.of());
            DiffResult segments = dsynq.diff(Databases.against(source).mode(DiffMode.SEGMENTS));

            assertThat(segments.tables())
                    .extracting(DiffResult.TableDiff::updates)
                    .containsExactly(1L);
            assertThat(Files.readString(segments.folder().resolve("t.u.csv"))).isEqualTo("id,name\n2500,Ã¼\n");
        }
    }

    /**
     * MariaDB hashes text as UTF-8, whatever a column's character set: a latin1 column failed the checksum query
     * ("Illegal mix of collations"), and its {@code Ã¼} is the bytes of a utf8mb4 {@code ü}.
     */
    @Test
    void mariaDbSegmentsHashTextOfAnyCharacterSetAsUtf8() throws Exception {
        try (TestDatabase target = Databases.create(Engine.MARIADB);
                TestDatabase source = Databases.create(Engine.MARIADB)) {
            target.execute("CREATE TABLE t (id INT PRIMARY KEY, name VARCHAR(20) CHARACTER SET latin1)");
            source.execute("CREATE TABLE t (id INT PRIMARY KEY, name VARCHAR(20) CHARACTER SET utf8mb4)");
            for (TestDatabase database : List.of(target, source)) {
                database.execute("INSERT INTO t SELECT seq, CONCAT('é', seq) FROM seq_1_to_" + ROWS);
            }
            target.execute("UPDATE t SET name = 'Ã¼' WHERE id = 2500");
            source.execute("UPDATE t SET name = 'ü' WHERE id = 2500");

            assertSegmentsFindWhatFullFinds(target, source, 1);
        }
    }

    private void assertSegmentsFindWhatFullFinds(TestDatabase target, TestDatabase source, long updates)
            throws Exception {
        Dsynq dsynq = Databases.dsynq(target, tmp.resolve("deltas"), List.of());
        DiffResult full = dsynq.diff(Databases.against(source).mode(DiffMode.FULL));
        DiffResult segments = dsynq.diff(Databases.against(source).mode(DiffMode.SEGMENTS));

        assertThat(full.tables()).extracting(DiffResult.TableDiff::updates).containsExactly(updates);
        assertThat(segments.tables().get(0).rowsRead())
                .as("segment checksums left ranges unread")
                .isLessThan(full.tables().get(0).rowsRead());
        assertThat(segments.folder()).as("segment mode wrote a delta").isNotNull();
        assertThat(files(segments.folder())).isEqualTo(files(full.folder()));
    }

    private static Map<String, String> files(Path folder) throws Exception {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> list = Files.walk(folder)) {
            for (Path file : list.filter(
                            f -> Files.isRegularFile(f) && !f.toString().contains(".meta"))
                    .toList()) {
                files.put(folder.relativize(file).toString(), Files.readString(file));
            }
        }
        return files;
    }
}
