package io.dsynq.core.diff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dsynq.core.ApplyRequest;
import io.dsynq.core.Dsynq;
import io.dsynq.core.DsynqException;
import io.dsynq.core.testing.Engine;
import io.dsynq.core.testing.TestDatabase;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Segment checksums: a large table that differs in a few rows is compared by reading only the key ranges whose
 * checksums differ, and gives the same delta as reading every row; where the mode does not work (H2) the table is
 * read in full.
 */
class SegmentsIT {

    private static final int ROWS = 100_000;

    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(Engine.class)
    void onlyTheRangesThatDifferAreRead(Engine engine) throws Exception {
        try (TestDatabase target = Databases.create(engine);
                TestDatabase source = Databases.create(engine)) {
            for (TestDatabase database : List.of(target, source)) {
                fill(database);
            }
            source.execute(
                    "UPDATE big SET name = 'changed' WHERE id IN (7, 1234, 20000, 33333, 99999)",
                    "UPDATE big SET note = '' WHERE id IN (100, 200)",
                    "DELETE FROM big WHERE id IN (5, 25000, 100000)",
                    "INSERT INTO big (id, grp, name, price) VALUES (160000, 1, 'new', 1.00), (160001, 2, 'ä', 2.50),"
                            + " (-5, 3, '😀', NULL)");

            // a dense cluster far away: its bucket of many rows is split again before it is read
            source.execute(
                    switch (engine) {
                        case POSTGRESQL -> "INSERT INTO big (id, grp) SELECT 1000000000 + g, 1 FROM generate_series(1,"
                                + " 5000) g";
                        case MARIADB -> "INSERT INTO big (id, grp) SELECT 1000000000 + seq, 1 FROM seq_1_to_5000";
                        case H2 -> "INSERT INTO big (id, grp) SELECT 1000000000 + X, 1 FROM SYSTEM_RANGE(1, 5000)";
                    });

            Dsynq dsynq = Databases.dsynq(target, tmp, List.of());
            DiffResult full =
                    dsynq.diff(Databases.against(source).mode(DiffMode.FULL).summaryOnly(true));
            DiffResult segments = dsynq.diff(Databases.against(source).mode(DiffMode.SEGMENTS));

            for (DiffResult result : List.of(full, segments)) {
                assertThat(result.tables())
                        .extracting(t -> t.inserts() + " " + t.updates() + " " + t.deletes())
                        .containsExactly("5003 7 3");
            }
            DiffResult.TableDiff table = segments.tables().get(0);
            assertThat(table.targetRows()).isEqualTo(ROWS);
            assertThat(table.sourceRows()).isEqualTo(ROWS + 5000);
            if (engine == Engine.H2) {
                assertThat(table.rowsRead()).isEqualTo(2L * ROWS + 5000);
            } else {
                assertThat(table.rowsRead()).as("rows read of both sides").isLessThan(ROWS / 2);
            }
            dsynq.apply(ApplyRequest.latest());
            assertThat(Databases.content(target, "big")).isEqualTo(Databases.content(source, "big"));
            DiffResult again = dsynq.diff(Databases.against(source));
            assertThat(again.differs()).isFalse();
            assertThat(again.tables().get(0).rowsRead())
                    .as("AUTO picks segment checksums for a table this large where they work")
                    .isEqualTo(engine == Engine.H2 ? 2L * ROWS + 10000 : 0);
        }
    }

    /**
     * Keys from ±2^62 on, or 2^62 or more apart, cannot be divided into buckets: the table is read in full, in either
     * mode. Before, keys far apart failed the diff ("keys beyond ±2^62 do not fit segment checksums"; only the
     * source's lie so far apart, and AUTO chose by the target's), and keys near the greatest {@code bigint} made the
     * last bucket's end overflow, its rows unread and its change unseen.
     */
    @ParameterizedTest
    @EnumSource(
            value = Engine.class,
            names = {"POSTGRESQL", "MARIADB"})
    void keysFarApartOrNearTheEndsAreReadInFull(Engine engine) throws Exception {
        long max = Long.MAX_VALUE;
        assertReadInFull(
                engine,
                "BIGINT",
                List.of("0", "200000"),
                List.of("-9223372036854775808", Long.toString(max)),
                "200000",
                "2 1 0 6");
        assertReadInFull(
                engine,
                "BIGINT",
                List.of(Long.toString(max - 200_000), Long.toString(max - 1000), Long.toString(max)),
                List.of(),
                Long.toString(max),
                "0 1 0 6");
        if (engine == Engine.MARIADB) {
            assertReadInFull(
                    engine,
                    "BIGINT UNSIGNED",
                    List.of("18446744073709551000", "18446744073709551615"),
                    List.of(),
                    "18446744073709551615",
                    "0 1 0 4");
        }
    }

    /**
     * A key the configuration declares is not one the database keeps: the checksum queries skipped rows whose key is
     * NULL, and two rows of one key cancelled in the bucket's sum. Such a table is read in full, which sees both.
     */
    @ParameterizedTest
    @EnumSource(
            value = Engine.class,
            names = {"POSTGRESQL", "MARIADB"})
    void aDeclaredKeyIsReadInFull(Engine engine) throws Exception {
        try (TestDatabase target = Databases.create(engine);
                TestDatabase source = Databases.create(engine)) {
            for (TestDatabase database : List.of(target, source)) {
                database.execute("CREATE TABLE dk (id INT, v VARCHAR(10))");
                for (int i = 1; i <= 3000; i += 1000) {
                    database.execute("INSERT INTO dk VALUES "
                            + java.util.stream.IntStream.range(i, i + 1000)
                                    .mapToObj(k -> "(" + k + ", 'v')")
                                    .collect(java.util.stream.Collectors.joining(", ")));
                }
            }
            source.execute("INSERT INTO dk VALUES (NULL, 'x')");

            Dsynq dsynq = Databases.dsynq(target, tmp, List.of("dk:id"));
            DiffResult result =
                    dsynq.diff(Databases.against(source).mode(DiffMode.SEGMENTS).summaryOnly(true));
            assertThat(result.tables())
                    .extracting(t -> t.sourceRows() + " " + t.inserts() + " " + t.updates() + " " + t.deletes())
                    .containsExactly("3001 1 0 0");

            target.execute("INSERT INTO dk VALUES (100, 'zz')", "UPDATE dk SET v = 'zz' WHERE id = 100");
            source.execute("INSERT INTO dk VALUES (100, 'yy')", "UPDATE dk SET v = 'yy' WHERE id = 100");
            assertThatThrownBy(() -> dsynq.diff(Databases.against(source).mode(DiffMode.SEGMENTS)))
                    .isInstanceOf(DsynqException.class)
                    .hasMessageContaining("(id='100')");
        }
    }

    /** A source that keeps another key than the target's, which is declared to compare by, is read in full too. */
    @Test
    void aSourceKeepingAnotherKeyIsReadInFull() throws Exception {
        try (TestDatabase target = Databases.create(Engine.POSTGRESQL);
                TestDatabase source = Databases.create(Engine.POSTGRESQL)) {
            target.execute(
                    "CREATE TABLE t (id INT PRIMARY KEY, code INT)",
                    "INSERT INTO t SELECT g, g FROM generate_series(1, 3000) g");
            source.execute(
                    "CREATE TABLE t (id INT, code INT PRIMARY KEY)",
                    "INSERT INTO t SELECT g, g FROM generate_series(1, 3000) g",
                    "INSERT INTO t VALUES (NULL, 0)");

            assertThatThrownBy(() -> Databases.dsynq(target, tmp, List.of("t:id"))
                            .diff(Databases.against(source).mode(DiffMode.SEGMENTS)))
                    .isInstanceOf(DsynqException.class)
                    .hasMessageStartingWith("table t, row with key (id=NULL): the source holds NULL in column id");
        }
    }

    /**
     * Asked for segments, the diff of Chinook from PostgreSQL into MariaDB printed, for each of its 11 tables, that
     * it read it in full because "segment checksums need a single integer key that both databases keep (not one
     * declared in dsynq.keys) and both sides on PostgreSQL (databases in UTF8) or both on MariaDB", and the same for
     * playlist_track between two PostgreSQL databases, leaving the user to find which condition failed (found by a
     * user's walk of Chinook across engines). The engines' reason is told once; a table's names its key.
     */
    @Test
    void readingInFullSaysWhyOnceForTheEnginesAndPerTableForItsKey() throws Exception {
        try (TestDatabase postgres = Databases.create(Engine.POSTGRESQL);
                TestDatabase mariadb = Databases.create(Engine.MARIADB);
                TestDatabase otherPostgres = Databases.create(Engine.POSTGRESQL)) {
            for (TestDatabase database : List.of(postgres, mariadb, otherPostgres)) {
                database.execute(
                        "CREATE TABLE artist (artist_id INT PRIMARY KEY, name VARCHAR(120))",
                        "CREATE TABLE playlist_track (playlist_id INT, track_id INT,"
                                + " PRIMARY KEY (playlist_id, track_id))");
            }
            otherPostgres.execute("INSERT INTO playlist_track VALUES (1, 1)");

            List<String> acrossEngines = readInFull(postgres, mariadb);
            List<String> oneEngine = readInFull(postgres, otherPostgres);

            assertThat(acrossEngines)
                    .containsExactly("  every table read in full: the target is on PostgreSQL and the source on"
                            + " MariaDB, and segment checksums compare rows of one engine (both on PostgreSQL, or both"
                            + " on MariaDB)");
            assertThat(oneEngine)
                    .containsExactly("  playlist_track: read in full: its key (playlist_id, track_id) has 2 columns;"
                            + " segment checksums need a single integer key that both databases keep");
        }
    }

    /** The lines a diff in segment mode prints about tables it reads in full. */
    private List<String> readInFull(TestDatabase target, TestDatabase source) {
        List<String> lines = new java.util.ArrayList<>();
        target.dsynq(tmp)
                .listener(new io.dsynq.core.DsynqListener() {
                    @Override
                    public void info(String message) {
                        if (message.contains("read in full")) {
                            lines.add(message);
                        }
                    }
                })
                .build()
                .diff(Databases.against(source).mode(DiffMode.SEGMENTS).summaryOnly(true));
        return lines;
    }

    /** MariaDB sends the least and greatest key of a {@code BIT(n)} column as text, which its driver read as bits. */
    @Test
    void mariaDbBitKeysAreDividedByTheirValues() throws Exception {
        try (TestDatabase target = Databases.create(Engine.MARIADB);
                TestDatabase source = Databases.create(Engine.MARIADB)) {
            for (TestDatabase database : List.of(target, source)) {
                database.execute(
                        "CREATE TABLE bk (id BIT(40) PRIMARY KEY, v VARCHAR(20))",
                        "INSERT INTO bk SELECT seq * 1000, CONCAT('v', seq) FROM seq_1_to_5000");
            }
            source.execute(
                    "UPDATE bk SET v = 'changed' WHERE id = 5000", "UPDATE bk SET v = 'changed' WHERE id = 5000000");

            DiffResult result = Databases.dsynq(target, tmp, List.of())
                    .diff(Databases.against(source).mode(DiffMode.SEGMENTS).summaryOnly(true));
            assertThat(result.tables())
                    .extracting(t -> t.targetRows() + " " + t.sourceRows() + " " + t.updates())
                    .containsExactly("5000 5000 2");
            assertThat(result.tables().get(0).rowsRead()).isLessThan(2000);
        }
    }

    private void assertReadInFull(
            Engine engine, String type, List<String> keys, List<String> sourceOnly, String changed, String expected)
            throws Exception {
        try (TestDatabase target = Databases.create(engine);
                TestDatabase source = Databases.create(engine)) {
            for (TestDatabase database : List.of(target, source)) {
                database.execute("CREATE TABLE far (id " + type + " PRIMARY KEY, v VARCHAR(10))");
                for (String key : keys) {
                    database.execute("INSERT INTO far VALUES (" + key + ", 'v')");
                }
            }
            for (String key : sourceOnly) {
                source.execute("INSERT INTO far VALUES (" + key + ", 'new')");
            }
            source.execute("UPDATE far SET v = 'changed' WHERE id = " + changed);

            Dsynq dsynq = Databases.dsynq(target, tmp, List.of());
            for (DiffMode mode : List.of(DiffMode.AUTO, DiffMode.SEGMENTS)) {
                DiffResult result =
                        dsynq.diff(Databases.against(source).mode(mode).summaryOnly(true));

                assertThat(result.tables())
                        .extracting(t -> t.inserts() + " " + t.updates() + " " + t.deletes() + " " + t.rowsRead())
                        .as(type + " " + keys + " " + mode)
                        .containsExactly(expected);
            }
        }
    }

    private static void fill(TestDatabase database) throws Exception {
        database.execute("CREATE TABLE big (id BIGINT PRIMARY KEY, grp INT, name VARCHAR(40), price DECIMAL(12,2),"
                + " note VARCHAR(20))");
        database.execute(
                switch (database.engine()) {
                    case POSTGRESQL -> "INSERT INTO big (id, grp, name, price) SELECT g, g % 97, md5(g::text),"
                            + " g * 0.01 FROM generate_series(1, " + ROWS + ") g";
                    case MARIADB -> "INSERT INTO big (id, grp, name, price) SELECT seq, seq % 97, md5(seq), seq * 0.01"
                            + " FROM seq_1_to_" + ROWS;
                    case H2 -> "INSERT INTO big (id, grp, name, price) SELECT X, MOD(X, 97), CAST(X AS VARCHAR),"
                            + " X * 0.01 FROM SYSTEM_RANGE(1, " + ROWS + ")";
                });
    }
}
