package io.dsynq.core.diff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.dsynq.core.ApplyRequest;
import io.dsynq.core.Dsynq;
import io.dsynq.core.DsynqException;
import io.dsynq.core.jdbc.ConnectionSpec;
import io.dsynq.core.testing.Engine;
import io.dsynq.core.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Regressions found in review: each test is named after what went wrong. */
class DiffFindingsIT {

    @TempDir
    Path tmp;

    @Test
    void updateKeepsTheTargetsValueInColumnsEqualInThatRow() throws Exception {
        try (TestDatabase target = Databases.create(Engine.POSTGRESQL);
                TestDatabase source = Databases.create(Engine.POSTGRESQL)) {
            target.execute(
                    "CREATE TABLE t (id INT PRIMARY KEY, ts TIMESTAMP(6), name TEXT)",
                    "INSERT INTO t VALUES (1, '2024-01-01 10:00:00.123456', 'a'), (2, '2024-01-02 00:00:00', 'b')");
            source.execute(
                    "CREATE TABLE t (id INT PRIMARY KEY, ts TIMESTAMP(3), name TEXT)",
                    "INSERT INTO t VALUES (1, '2024-01-01 10:00:00.123', 'changed'), (2, '2024-01-03 00:00:00', 'b')");

            Dsynq dsynq = Databases.dsynq(target, tmp, List.of());
            DiffResult result = dsynq.diff(Databases.against(source));
            assertThat(result.tables())
                    .extracting(DiffResult.TableDiff::updates)
                    .containsExactly(2L);
            dsynq.apply(ApplyRequest.latest());

            assertThat(Databases.content(target, "t"))
                    .containsExactly(
                            "id='1' | ts='2024-01-01T10:00:00.123456' | name='changed'",
                            "id='2' | ts='2024-01-03T00:00' | name='b'");
            assertThat(dsynq.diff(Databases.against(source)).differs()).isFalse();
        }
    }

    /**
     * A PostgreSQL domain, which dsynq passes as the server's text, compares with a column of its base type by text:
     * refusing every such type against a number refused it too.
     */
    @Test
    void aDomainComparesWithAColumnOfItsBaseType() throws Exception {
        try (TestDatabase target = Databases.create(Engine.MARIADB);
                TestDatabase source = Databases.create(Engine.POSTGRESQL)) {
            target.execute("CREATE TABLE t (id INT PRIMARY KEY, v INT)", "INSERT INTO t VALUES (1, 5), (2, 8), (3, 9)");
            source.execute(
                    "CREATE DOMAIN posint AS INTEGER CHECK (VALUE > 0)",
                    "CREATE TABLE t (id INT PRIMARY KEY, v posint)",
                    "INSERT INTO t VALUES (1, 5), (2, 7)");
            Dsynq dsynq = Databases.dsynq(target, tmp, List.of());

            DiffResult result = dsynq.diff(Databases.against(source));

            assertThat(result.tables())
                    .extracting(DiffResult.TableDiff::updates, DiffResult.TableDiff::deletes)
                    .containsExactly(tuple(1L, 1L));
            dsynq.apply(ApplyRequest.latest());
            assertThat(Databases.content(target, "t")).containsExactly("id='1' | v='5'", "id='2' | v='7'");
            assertThat(dsynq.diff(Databases.against(source)).differs()).isFalse();
        }
    }

    /**
     * MariaDB's SET holds its members in the order it declares them: a source's text c,b, written as it is, was held
     * as b,c, and every diff found the row again.
     */
    /**
     * JSON with a key twice means the first of its values to MariaDB (and the last to PostgreSQL and Jackson): a
     * target's {@code {"a":1,"a":2}}, which MariaDB reads as a = 1, was taken for the source's {@code {"a":2}} and left
     * as it was. Now a JSON text with a key twice equals only its own text.
     */
    @Test
    void aJsonTextWithAKeyTwiceIsNotTakenForAnother() throws Exception {
        try (TestDatabase target = Databases.create(Engine.MARIADB);
                TestDatabase source = Databases.create(Engine.MARIADB)) {
            target.execute(
                    "CREATE TABLE t (id INT PRIMARY KEY, doc JSON)",
                    "INSERT INTO t VALUES (1, '{\"a\":1,\"a\":2}'), (2, '{\"a\":1,\"a\":2}'), (3, '{\"b\":[1]}')");
            source.execute(
                    "CREATE TABLE t (id INT PRIMARY KEY, doc JSON)",
                    "INSERT INTO t VALUES (1, '{\"a\":2}'), (2, '{\"a\":1,\"a\":2}'), (3, '{\"b\":[1]}')");
            assertRoundTrip(target, source, "t", "0 1 0");
        }
    }

    /**
     * PostgreSQL's jsonb keeps the last of a key's values and never a key twice: a source's {@code {"a":1,"a":2}},
     * which a JSON text with a key twice equals only as its own text, was found changed against a jsonb's
     * {@code {"a": 2}}, written, stored as {@code {"a": 2}} again, and found changed by every diff after. Toward jsonb
     * a source's text now means what jsonb stores of it.
     */
    @Test
    void aJsonTextWithAKeyTwiceMeansTowardJsonbWhatJsonbStores() throws Exception {
        try (TestDatabase target = Databases.create(Engine.POSTGRESQL);
                TestDatabase source = Databases.create(Engine.POSTGRESQL)) {
            target.execute(
                    "CREATE TABLE t (id INT PRIMARY KEY, doc JSONB)",
                    "INSERT INTO t VALUES (1, '{\"a\":2}'), (2, '{\"a\":1}')");
            source.execute(
                    "CREATE TABLE t (id INT PRIMARY KEY, doc JSON)",
                    "INSERT INTO t VALUES (1, '{\"a\":1,\"a\":2}'), (2, '{\"a\":2,\"a\":3}')");
            List<String> before = Databases.content(target, "t");
            Dsynq dsynq = Databases.dsynq(target, tmp, List.of());
            DiffRequest request = Databases.against(source).tables(List.of("t"), List.of());
            assertThat(dsynq.diff(request).tables())
                    .extracting(t -> t.inserts() + " " + t.updates() + " " + t.deletes())
                    .containsExactly("0 1 0");
            dsynq.apply(ApplyRequest.latest());
            assertThat(Databases.content(target, "t"))
                    .containsExactly("id='1' | doc='{\"a\": 2}'", "id='2' | doc='{\"a\": 3}'");
            assertThat(dsynq.diff(request).differs()).isFalse();
            dsynq.apply(ApplyRequest.to("0"));
            assertThat(Databases.content(target, "t")).isEqualTo(before);
        }
    }

    @Test
    void aMariaDbSetEqualsATextOfItsMembersInAnyOrder() throws Exception {
        try (TestDatabase target = Databases.create(Engine.MARIADB);
                TestDatabase source = Databases.create(Engine.POSTGRESQL)) {
            target.execute(
                    "CREATE TABLE t (id INT PRIMARY KEY, tags SET('a', 'b', 'c'))",
                    "INSERT INTO t VALUES (1, 'b,c'), (2, 'b,c'), (3, ''), (4, 'b'), (5, NULL)");
            source.execute(
                    "CREATE TABLE t (id INT PRIMARY KEY, tags TEXT)",
                    "INSERT INTO t VALUES (1, 'c,b'), (2, 'a'), (3, ''), (4, 'b'), (5, 'a,c,a')");
            Dsynq dsynq = Databases.dsynq(target, tmp, List.of());

            DiffResult result = dsynq.diff(Databases.against(source));

            assertThat(result.tables())
                    .extracting(DiffResult.TableDiff::updates)
                    .containsExactly(2L);
            dsynq.apply(ApplyRequest.latest());
            assertThat(Databases.content(target, "t"))
                    .containsExactly(
                            "id='1' | tags='b,c'",
                            "id='2' | tags='a'",
                            "id='3' | tags=''",
                            "id='4' | tags='b'",
                            "id='5' | tags='a,c'");
            assertThat(dsynq.diff(Databases.against(source)).differs()).isFalse();
        }
    }

    /**
     * PostgreSQL's numeric NaN and Infinity, in values and keys: the diff failed on them (NumberFormatException), or
     * wrote a delta the applier refused, and a rollback of a row holding one could not read its own reverse.
     */
    @Test
    void decimalsThatAreNoNumbersAreDiffedAppliedAndRolledBack() throws Exception {
        try (TestDatabase target = Databases.create(Engine.POSTGRESQL);
                TestDatabase source = Databases.create(Engine.POSTGRESQL)) {
            for (TestDatabase database : List.of(target, source)) {
                database.execute(
                        "CREATE TABLE k (id NUMERIC PRIMARY KEY, v INT)",
                        "INSERT INTO k VALUES ('-Infinity', 1), (-1, 1), (2.5, 1), ('Infinity', 1), ('NaN', 1)",
                        "CREATE TABLE t (id INT PRIMARY KEY, n NUMERIC, m NUMERIC(10,2))");
            }
            target.execute("INSERT INTO t VALUES (1, 1, 1), (2, 'NaN', 'NaN'), (3, 'Infinity', 3), (5, 'NaN', 5)");
            source.execute(
                    "INSERT INTO t VALUES (1, 'NaN', 'NaN'), (2, 2, 2), (3, '-Infinity', 3), (4, 'NaN', NULL),"
                            + " (5, 'NaN', 5)",
                    "UPDATE k SET v = 2 WHERE id = 'NaN' OR id = '-Infinity'",
                    "DELETE FROM k WHERE id = 'Infinity'",
                    "INSERT INTO k VALUES (3, 1)");
            List<String> before = Databases.content(target, "t");
            List<String> keysBefore = Databases.content(target, "k");

            Dsynq dsynq = Databases.dsynq(target, tmp, List.of());
            DiffResult result = dsynq.diff(Databases.against(source));
            assertThat(result.tables())
                    .extracting(t -> t.table() + " " + t.inserts() + " " + t.updates() + " " + t.deletes())
                    .containsExactly("k 1 2 1", "t 1 3 0");
            dsynq.apply(ApplyRequest.latest());
            assertThat(dsynq.diff(Databases.against(source)).differs()).isFalse();
            dsynq.apply(ApplyRequest.offset(-1));
            assertThat(Databases.content(target, "t")).isEqualTo(before);
            assertThat(Databases.content(target, "k")).isEqualTo(keysBefore);
        }
    }

    /** The delta's folder was its owner's only ({@code rwx------}), as the temporary folder it was renamed from. */
    @Test
    void theDeltasFolderHasTheUsualPermissions() throws Exception {
        try (TestDatabase target = Databases.create(Engine.H2);
                TestDatabase source = Databases.create(Engine.H2)) {
            target.execute("CREATE TABLE t (id INT PRIMARY KEY)");
            source.execute("CREATE TABLE t (id INT PRIMARY KEY)", "INSERT INTO t VALUES (1)");

            Path folder = Databases.dsynq(target, tmp, List.of())
                    .diff(Databases.against(source))
                    .folder();

            Path usual = Files.createDirectory(folder.resolveSibling("usual"));
            assertThat(Files.getPosixFilePermissions(folder)).isEqualTo(Files.getPosixFilePermissions(usual));
        }
    }

    @Test
    void charKeysOfPostgresAndMariaDbMatchWithoutTheirPadding() throws Exception {
        try (TestDatabase target = Databases.create(Engine.POSTGRESQL);
                TestDatabase source = Databases.create(Engine.MARIADB)) {
            for (TestDatabase database : List.of(target, source)) {
                database.execute(
                        "CREATE TABLE t (code CHAR(3) PRIMARY KEY, n INT)",
                        "INSERT INTO t VALUES ('a', 1), ('ab', 2), ('abc', 3), ('b', 4)");
            }
            Dsynq dsynq = Databases.dsynq(target, tmp, List.of());
            assertThat(dsynq.diff(Databases.against(source)).differs()).isFalse();

            target.execute("INSERT INTO t VALUES ('zz', 5)", "UPDATE t SET n = 20 WHERE code = 'ab'");
            source.execute("INSERT INTO t VALUES ('c', 6)");
            DiffResult result = dsynq.diff(Databases.against(source));
            assertThat(result.tables())
                    .extracting(t -> t.inserts() + " " + t.updates() + " " + t.deletes())
                    .containsExactly("1 1 1");
            dsynq.apply(ApplyRequest.latest());
            assertThat(dsynq.diff(Databases.against(source)).differs()).isFalse();
        }
    }

    /**
     * A key that changes only in case, on a MariaDB key of a binary collation: the target tells the keys apart, so
     * the diff writes the delta (the check of inserted keys asks the target, it does not refuse every such change).
     */
    @Test
    void aKeyChangedInCaseAppliesWhereTheTargetTellsThemApart() throws Exception {
        try (TestDatabase target = Databases.create(Engine.MARIADB);
                TestDatabase source = Databases.create(Engine.POSTGRESQL)) {
            target.execute(
                    "CREATE TABLE currency (code VARCHAR(3) COLLATE utf8mb4_bin PRIMARY KEY, name VARCHAR(20))",
                    "INSERT INTO currency VALUES ('chf', 'Franc'), ('eur', 'Euro')");
            source.execute(
                    "CREATE TABLE currency (code VARCHAR(3) PRIMARY KEY, name VARCHAR(20))",
                    "INSERT INTO currency VALUES ('CHF', 'Franc'), ('eur', 'Euro')");

            Dsynq dsynq = Databases.dsynq(target, tmp, List.of());
            assertThat(dsynq.diff(Databases.against(source)).tables())
                    .extracting(t -> t.inserts() + " " + t.updates() + " " + t.deletes())
                    .containsExactly("1 0 1");
            dsynq.apply(ApplyRequest.latest());
            assertThat(Databases.content(target, "currency"))
                    .containsExactly("code='CHF' | name='Franc'", "code='eur' | name='Euro'");
            dsynq.apply(ApplyRequest.to("0"));
            assertThat(Databases.content(target, "currency"))
                    .containsExactly("code='chf' | name='Franc'", "code='eur' | name='Euro'");
        }
    }

    /**
     * A partitioned table was compared twice, as itself and as its partitions, and the delta failed at apply; it
     * is compared once, through the partitioned table. A parent by inheritance, whose queries read its children's
     * rows too, is refused.
     */
    @Test
    void partitionsAreComparedThroughTheirTable() throws Exception {
        try (TestDatabase target = Databases.create(Engine.POSTGRESQL);
                TestDatabase source = Databases.create(Engine.POSTGRESQL)) {
            for (TestDatabase database : List.of(target, source)) {
                database.execute(
                        "CREATE TABLE meas (id INT, region TEXT, v INT, PRIMARY KEY (id, region))"
                                + " PARTITION BY LIST (region)",
                        "CREATE TABLE meas_eu PARTITION OF meas FOR VALUES IN ('eu')",
                        "CREATE TABLE meas_us PARTITION OF meas FOR VALUES IN ('us')",
                        "CREATE TABLE city (id INT PRIMARY KEY, name TEXT)",
                        "CREATE TABLE capital (state TEXT) INHERITS (city)",
                        "ALTER TABLE capital ADD PRIMARY KEY (id)");
            }
            target.execute("INSERT INTO meas VALUES (1, 'eu', 1), (2, 'us', 2)");
            source.execute("INSERT INTO meas VALUES (1, 'eu', 10), (3, 'us', 3)");
            List<String> before = Databases.content(target, "meas");

            Dsynq dsynq = Databases.dsynq(target, tmp, List.of());
            assertThatThrownBy(() -> dsynq.diff(Databases.against(source)))
                    .isInstanceOf(DsynqException.class)
                    .hasMessage("table city has child tables by inheritance, whose rows its queries read too, so dsynq"
                            + " cannot compare its own; leave it out with -Ddsynq.exclude=city");

            DiffRequest request = Databases.against(source).tables(List.of(), List.of("city"));
            assertThat(dsynq.diff(request).tables())
                    .extracting(t -> t.table() + " " + t.inserts() + " " + t.updates() + " " + t.deletes())
                    .containsExactly("capital 0 0 0", "meas 1 1 1");
            dsynq.apply(ApplyRequest.latest());
            assertThat(Databases.content(target, "meas")).isEqualTo(Databases.content(source, "meas"));
            assertThat(dsynq.diff(request).differs()).isFalse();
            dsynq.apply(ApplyRequest.to("0"));
            assertThat(Databases.content(target, "meas")).isEqualTo(before);
        }
    }

    /** Two tables whose names differ only in case stopped every diff, even of other tables, and even excluded. */
    @Test
    void tablesDifferingOnlyInCaseStopOnlyADiffOfThem() throws Exception {
        try (TestDatabase target = Databases.create(Engine.POSTGRESQL);
                TestDatabase source = Databases.create(Engine.POSTGRESQL)) {
            for (TestDatabase database : List.of(target, source)) {
                database.execute(
                        "CREATE TABLE \"Item\" (id INT PRIMARY KEY)",
                        "CREATE TABLE item (id INT PRIMARY KEY)",
                        "CREATE TABLE k (id INT PRIMARY KEY)");
            }
            source.execute("INSERT INTO k VALUES (1)");

            Dsynq dsynq = Databases.dsynq(target, tmp, List.of());
            assertThatThrownBy(() -> dsynq.diff(Databases.against(source)))
                    .isInstanceOf(DsynqException.class)
                    .hasMessage("tables public.Item and public.item differ only in case, and dsynq matches tables"
                            + " ignoring case; leave them out with -Ddsynq.exclude=item");
            assertThat(dsynq.diff(Databases.against(source).tables(List.of(), List.of("item")))
                            .tables())
                    .extracting(t -> t.table() + " " + t.inserts())
                    .containsExactly("k 1");
        }
    }

    /**
     * A table and a column named with a backslash: the rollback of a delta changing the table found no reverse file
     * (stored under a folder named before the backslash) and changed nothing, without a word; on MariaDB the table's
     * columns were not found (the driver matches no name with its search escape escaped), so the diff said the other
     * side alone had them, or failed on a query of no columns.
     */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void aTableNamedWithABackslashIsDiffedAppliedAndRolledBack(Engine engine) throws Exception {
        try (TestDatabase target = Databases.create(engine);
                TestDatabase source = Databases.create(engine)) {
            String q = engine == Engine.MARIADB ? "`" : "\"";
            String table = q + "back\\slash" + q;
            for (TestDatabase database : List.of(target, source)) {
                database.execute("CREATE TABLE " + table + " (id INT PRIMARY KEY, " + q + "c\\d" + q + " VARCHAR(10))");
            }
            target.execute("INSERT INTO " + table + " VALUES (1, 'a'), (2, 'b')");
            source.execute("INSERT INTO " + table + " VALUES (2, 'B'), (3, 'c')");
            List<String> before = Databases.content(target, table);

            Dsynq dsynq = Databases.dsynq(target, tmp, List.of());
            DiffResult result = dsynq.diff(Databases.against(source));
            assertThat(result.tables())
                    .extracting(t -> t.table() + " " + t.inserts() + " " + t.updates() + " " + t.deletes())
                    .containsExactly("back\\slash 1 1 1");
            assertThat(result.folder().resolve("back\\slash.u.csv")).hasContent("id,c\\d\n2,B");
            dsynq.apply(ApplyRequest.latest());
            assertThat(Databases.content(target, table)).isEqualTo(Databases.content(source, table));
            dsynq.apply(ApplyRequest.offset(-1));
            assertThat(Databases.content(target, table)).isEqualTo(before);
        }
    }

    /**
     * MariaDB's BIT(1), a boolean: LOAD DATA took the text 1 for the bits of the character '1', out of range; and
     * BIT(n), a number, which the diff read as the text {@code b'10000001'}.
     */
    @Test
    void mariaDbBitColumnsAreApplied() throws Exception {
        try (TestDatabase target = Databases.create(Engine.MARIADB);
                TestDatabase source = Databases.create(Engine.MARIADB)) {
            for (TestDatabase database : List.of(target, source)) {
                database.execute("CREATE TABLE bt (id INT PRIMARY KEY, b BIT(1), c BIT(8), w BIT(64))");
            }
            target.execute("INSERT INTO bt VALUES (1, 0, 1, 1), (3, 1, 255, NULL), (4, 1, 2, 3)");
            source.execute("INSERT INTO bt VALUES (1, 1, 129, 18446744073709551615), (2, 0, 0, 0),"
                    + " (3, NULL, 7, 9223372036854775808), (4, 1, 2, 3)");

            assertRoundTrip(target, source, "bt", "1 2 0");
        }
    }

    /**
     * MariaDB's geometries, held in its own binary form (an SRID and well-known binary): the diff read them as text,
     * which broke their bytes, and the apply refused the delta. They are bytes now, as {@code mysqldump} keeps them.
     */
    @Test
    void mariaDbGeometriesAreBytes() throws Exception {
        try (TestDatabase target = Databases.create(Engine.MARIADB);
                TestDatabase source = Databases.create(Engine.MARIADB)) {
            for (TestDatabase database : List.of(target, source)) {
                database.execute("CREATE TABLE g (id INT PRIMARY KEY, p POINT, g GEOMETRY, l LINESTRING NOT NULL)");
            }
            target.execute(
                    "INSERT INTO g VALUES (1, POINT(1, 2.0000001), NULL, ST_GeomFromText('LINESTRING(0 0, 1 1)')),"
                            + " (3, NULL, POINT(0, 0), ST_GeomFromText('LINESTRING(0 0, 2 2)'))");
            source.execute("INSERT INTO g VALUES (1, POINT(1, 2), ST_GeomFromText('POLYGON((0 0, 1 0, 1 1, 0 0))'),"
                    + " ST_GeomFromText('LINESTRING(0 0, 1 1)', 4326)),"
                    + " (2, POINT(-180, 90), NULL, ST_GeomFromText('LINESTRING(0 0, 1 1)'))");

            assertRoundTrip(target, source, "g", "1 1 1");
        }
    }

    /**
     * A PostgreSQL {@code inet} holding a host was read with its mask ({@code 1.2.3.4/32}): MariaDB's {@code INET4}
     * and {@code INET6}, which print a host without one, differed from it on every diff and refused the delta. It is
     * read as PostgreSQL prints it, with a mask only where it is not the whole address.
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void postgresInetHostsAreTheirAddressAsMariaDbPrintsThem(boolean intoMariaDb) throws Exception {
        try (TestDatabase maria = Databases.create(Engine.MARIADB);
                TestDatabase postgres = Databases.create(Engine.POSTGRESQL)) {
            maria.execute(
                    "CREATE TABLE n (id INT PRIMARY KEY, v4 INET4, v6 INET6)",
                    "INSERT INTO n VALUES (1, '10.0.0.1', '2001:db8::1'), (2, '10.0.0.2', NULL),"
                            + " (3, '192.168.1.1', 'fe80::1')");
            postgres.execute(
                    "CREATE TABLE n (id INT PRIMARY KEY, v4 INET, v6 INET)",
                    "INSERT INTO n VALUES (1, '10.0.0.1', '2001:db8::1'), (2, '10.0.0.3', '2001:db8::2/128'),"
                            + " (4, '172.16.0.1/32', '::1')");

            if (intoMariaDb) {
                assertRoundTrip(maria, postgres, "n", "1 1 1");
            } else {
                assertRoundTrip(postgres, maria, "n", "1 1 1");
            }
        }
    }

    /** MariaDB's {@code BIT(n)} is a number from 0 to 2^n - 1, which a source's integer column may not fit. */
    @Test
    void mariaDbBitsAreNumbersOfTheirWidth() throws Exception {
        try (TestDatabase target = Databases.create(Engine.MARIADB);
                TestDatabase source = Databases.create(Engine.POSTGRESQL)) {
            target.execute("CREATE TABLE bt (id INT PRIMARY KEY, c BIT(8))", "INSERT INTO bt VALUES (1, 5)");
            source.execute(
                    "CREATE TABLE bt (id INT PRIMARY KEY, c SMALLINT)", "INSERT INTO bt VALUES (1, 5), (2, 255)");
            assertRoundTrip(target, source, "bt", "1 0 0");

            source.execute("UPDATE bt SET c = 256 WHERE id = 2");
            assertThatThrownBy(() -> Databases.dsynq(target, tmp, List.of()).diff(Databases.against(source)))
                    .isInstanceOf(DsynqException.class)
                    .hasMessage("table bt, row with key (id='2'): the source's value '256' of column c is out of range"
                            + " for bit (0 to 255)");
        }
    }

    /** PostgreSQL's dates and times after the year 9999 and before Christ. */
    @Test
    void postgresDatesBeyondFourDigitYears() throws Exception {
        try (TestDatabase target = Databases.create(Engine.POSTGRESQL);
                TestDatabase source = Databases.create(Engine.POSTGRESQL)) {
            for (TestDatabase database : List.of(target, source)) {
                database.execute("CREATE TABLE d (id INT PRIMARY KEY, d DATE, t TIMESTAMP(6), z TIMESTAMPTZ(6))");
            }
            target.execute("INSERT INTO d VALUES (1, '2024-01-31', '2024-01-31 12:00', '2024-01-31 12:00+00'),"
                    + " (3, '0001-01-01 BC', '0001-01-01 00:00 BC', '0001-01-01 00:00+00 BC')");
            source.execute("INSERT INTO d VALUES (1, '10000-01-01', '10000-01-01 12:00:00.5', '10000-01-01 12:00+00'),"
                    + " (2, '0044-03-15 BC', '0044-03-15 10:30 BC', '0044-03-15 10:30+00 BC'),"
                    + " (3, '4713-01-01 BC', '4713-01-01 00:00 BC', '4713-01-02 00:00+00 BC')");

            assertRoundTrip(target, source, "d", "1 2 0");
        }
    }

    /**
     * A database whose interval style is not the default printed {@code -1 day -02:03:04} as {@code -1 2:03:04},
     * which the target read as -1 day +02:03:04, without a word, and every diff after found it again.
     */
    @Test
    void postgresIntervalsOfAnyStyle() throws Exception {
        try (TestDatabase target = Databases.create(Engine.POSTGRESQL);
                TestDatabase source = Databases.create(Engine.POSTGRESQL)) {
            for (TestDatabase database : List.of(target, source)) {
                database.execute("CREATE TABLE iv (id INT PRIMARY KEY, i INTERVAL, ia INTERVAL[])");
            }
            source.execute(
                    "DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET intervalstyle = ''sql_standard''',"
                            + " current_database()); END $$",
                    "INSERT INTO iv VALUES (1, '-1 day -02:03:04', ARRAY['-1 day -02:03:04'::INTERVAL]),"
                            + " (2, '1 year 2 mons -3 days 04:05:06.5', NULL)");
            target.execute("INSERT INTO iv VALUES (1, '1 day', NULL)");
            Dsynq dsynq = Databases.dsynq(target, tmp, List.of());

            assertThat(dsynq.diff(Databases.against(source)).tables())
                    .extracting(t -> t.inserts() + " " + t.updates() + " " + t.deletes())
                    .containsExactly("1 1 0");
            dsynq.apply(ApplyRequest.latest());
            // each side's text is in its own style: the values compared on the target
            assertThat(Databases.content(target, "iv"))
                    .containsExactly(
                            "id='1' | i='-1 days -02:03:04' | ia='{\"-1 days -02:03:04\"}'",
                            "id='2' | i='1 year 2 mons -3 days +04:05:06.5' | ia=NULL");
            assertThat(dsynq.diff(Databases.against(source)).differs()).isFalse();
        }
    }

    /**
     * A connection whose {@code extra_float_digits} is 0 or less (set on the database, the user or in the URL's
     * {@code options}) printed 0.30000000000000004 as 0.3 and the largest double as 1.79769313486232e+308, which reads
     * back as Infinity: the diff wrote those, and a reverse delta restored them, without a word.
     */
    @Test
    void postgresFloatsUnderFewerFloatDigits() throws Exception {
        try (TestDatabase target = Databases.create(Engine.POSTGRESQL);
                TestDatabase source = Databases.create(Engine.POSTGRESQL)) {
            for (TestDatabase database : List.of(target, source)) {
                database.execute("CREATE TABLE fl (id INT PRIMARY KEY, d DOUBLE PRECISION, r REAL)");
            }
            target.execute(
                    "INSERT INTO fl VALUES (1, 0.30000000000000004, 0.1), (2, 1.7976931348623157E308, 3.4028235E38),"
                            + " (3, 2.5, 1)");
            source.execute("INSERT INTO fl VALUES (1, 123456789.12345679, 16777217), (2, 0.1, 1.4E-45),"
                    + " (4, 1.0000000000000002, 0.3)");
            String fewer = "&options=-c%20extra_float_digits%3D0";
            Dsynq dsynq = target.dsynq(tmp).url(target.url() + fewer).build();
            DiffRequest request = DiffRequest.against(
                            "source", new ConnectionSpec(source.url() + fewer, source.username(), source.password()))
                    .tables(List.of("fl"), List.of());

            assertRoundTrip(dsynq, request, target, source, "fl", null);
        }
    }

    /**
     * A database whose {@code bytea_output} is {@code escape} printed bytea inside arrays and domains, which go as the
     * server's text, otherwise than one in the default {@code hex}: equal values differed, and the delta wrote them in
     * the other form.
     */
    @Test
    void postgresByteaInArraysAndDomainsOfAnyOutput() throws Exception {
        try (TestDatabase target = Databases.create(Engine.POSTGRESQL);
                TestDatabase source = Databases.create(Engine.POSTGRESQL)) {
            for (TestDatabase database : List.of(target, source)) {
                database.execute(
                        "CREATE DOMAIN blob AS BYTEA",
                        "CREATE TABLE bl (id INT PRIMARY KEY, b blob, ba BYTEA[])",
                        "INSERT INTO bl VALUES (1, '\\x00015c27ff', ARRAY['\\x5c00'::BYTEA, NULL]), (2, '\\x41', NULL)");
            }
            target.execute("ALTER DATABASE " + target.name() + " SET bytea_output = 'escape'");
            source.execute("UPDATE bl SET ba = ARRAY['\\x00'::BYTEA] WHERE id = 2");
            Dsynq dsynq = Databases.dsynq(target, tmp, List.of());

            DiffResult diff = dsynq.diff(Databases.against(source));
            assertThat(diff.tables())
                    .extracting(t -> t.inserts() + " " + t.updates() + " " + t.deletes())
                    .containsExactly("0 1 0");
            assertThat(Files.readString(diff.folder().resolve("bl.u.csv")))
                    .isEqualTo("id,ba\n2,\"{\"\"\\\\x00\"\"}\"\n");
        }
    }

    /**
     * MariaDB sessions with the limits a server or URL may set for people at a prompt: {@code sql_select_limit} cut
     * every query, the catalog's too ("unknown table item"), {@code sql_safe_updates} refused the updates, and
     * {@code max_join_size} the diff's comparisons.
     */
    @Test
    void mariaDbSessionLimits() throws Exception {
        try (TestDatabase target = Databases.create(Engine.MARIADB);
                TestDatabase source = Databases.create(Engine.MARIADB)) {
            for (TestDatabase database : List.of(target, source)) {
                database.execute("CREATE TABLE item (id INT PRIMARY KEY, name VARCHAR(10))");
            }
            target.execute("INSERT INTO item VALUES (1, 'a'), (2, 'b'), (3, 'c'), (4, 'd')");
            source.execute("INSERT INTO item VALUES (1, 'a'), (2, 'B'), (4, 'd'), (5, 'e'), (6, 'f')");
            String limits = (target.url().contains("?") ? "&" : "?")
                    + "sessionVariables=sql_select_limit=1,sql_safe_updates=1,max_join_size=1";
            Dsynq dsynq = target.dsynq(tmp).url(target.url() + limits).build();
            DiffRequest request = DiffRequest.against(
                    "source", new ConnectionSpec(source.url() + limits, source.username(), source.password()));

            assertRoundTrip(dsynq, request, target, source, "item", "2 1 1");
        }
    }

    /**
     * PostgreSQL's times hold 24:00:00, the end of a day, which the diff refused as no time, and which stopped the
     * rollback of a delta that deleted or changed such a row.
     */
    @Test
    void postgresTimesAtTheEndOfADay() throws Exception {
        try (TestDatabase target = Databases.create(Engine.POSTGRESQL);
                TestDatabase source = Databases.create(Engine.POSTGRESQL)) {
            for (TestDatabase database : List.of(target, source)) {
                database.execute("CREATE TABLE tm (id INT PRIMARY KEY, t TIME, z TIMETZ)");
            }
            target.execute(
                    "INSERT INTO tm VALUES (1, '24:00', '24:00-01'), (2, '10:00', '12:00+01'), (3, '24:00:00', NULL)");
            source.execute(
                    "INSERT INTO tm VALUES (1, '10:00', '10:00-02'), (2, '24:00', '11:00+00'), (4, '24:00', '24:00+03')");

            assertRoundTrip(target, source, "tm", "1 2 1");
        }
    }

    /**
     * Times with offset are equal only at the same offset, as to PostgreSQL: the diff took 12:00+01 for 11:00+00 and
     * wrote nothing, and as keys it took them for one.
     */
    @Test
    void postgresTimesWithOffsetAreEqualAtTheSameOffsetOnly() throws Exception {
        try (TestDatabase target = Databases.create(Engine.POSTGRESQL);
                TestDatabase source = Databases.create(Engine.POSTGRESQL)) {
            for (TestDatabase database : List.of(target, source)) {
                database.execute(
                        "CREATE TABLE tz (id INT PRIMARY KEY, z TIMETZ)",
                        "CREATE TABLE tk (k TIMETZ PRIMARY KEY, v INT)");
            }
            target.execute(
                    "INSERT INTO tz VALUES (1, '12:00+01')",
                    "INSERT INTO tk VALUES ('12:00+01', 1), ('24:00+00', 2), ('10:00+00', 5)");
            source.execute(
                    "INSERT INTO tz VALUES (1, '11:00+00')",
                    "INSERT INTO tk VALUES ('11:00+00', 1), ('12:00+01', 3), ('00:30+01', 4), ('10:00+00', 5)");

            assertRoundTrip(target, source, "tz", "0 1 0");
            assertRoundTrip(target, source, "tk", "2 1 1");
        }
    }

    /**
     * H2 takes times with offset for instants of the day: {@code 12:00+01} and {@code 11:00+00} are one key and one
     * value to it, where PostgreSQL tells them apart. Compared as PostgreSQL does, the diff inserted the one beside the
     * other, which H2 refused as a duplicate key.
     */
    @Test
    void h2TimesWithOffsetAreInstants() throws Exception {
        try (TestDatabase target = Databases.create(Engine.H2);
                TestDatabase source = Databases.create(Engine.H2)) {
            for (TestDatabase database : List.of(target, source)) {
                database.execute("CREATE TABLE tk (k TIME WITH TIME ZONE PRIMARY KEY, v INT)");
            }
            target.execute("INSERT INTO tk VALUES (TIME WITH TIME ZONE '11:00:00+00:00', 1),"
                    + " (TIME WITH TIME ZONE '10:00:00+00:00', 5)");
            source.execute("INSERT INTO tk VALUES (TIME WITH TIME ZONE '12:00:00+01:00', 1),"
                    + " (TIME WITH TIME ZONE '11:00:00+01:00', 6)");

            Dsynq dsynq = Databases.dsynq(target, tmp, List.of());
            assertThat(dsynq.diff(Databases.against(source)).tables())
                    .extracting(t -> t.inserts() + " " + t.updates() + " " + t.deletes())
                    .containsExactly("0 1 0");
            dsynq.apply(ApplyRequest.latest());
            assertThat(dsynq.diff(Databases.against(source)).differs()).isFalse();
        }
    }

    /**
     * A PostgreSQL target's {@code timetz} tells {@code 12:00+01} from {@code 11:00+00}, whatever the source: an H2
     * source, whose own comparison takes them for one instant, never updated it.
     */
    @Test
    void aPostgresTargetsTimesWithOffsetAreEqualAtTheSameOffsetOnly() throws Exception {
        try (TestDatabase target = Databases.create(Engine.POSTGRESQL);
                TestDatabase source = Databases.create(Engine.H2)) {
            target.execute("CREATE TABLE z (id INT PRIMARY KEY, tt TIMETZ)", "INSERT INTO z VALUES (1, '11:00:00+00')");
            source.execute(
                    "CREATE TABLE z (id INT PRIMARY KEY, tt TIME WITH TIME ZONE)",
                    "INSERT INTO z VALUES (1, TIME WITH TIME ZONE '12:00:00+01:00')");

            assertRoundTrip(target, source, "z", "0 1 0");
        }
    }

    /**
     * A declared key over text that the target compares loosely, which no index keeps unique: the target may hold
     * {@code 'A'} and {@code 'a'}, which the diff tells apart and the apply does not. An update or a delete of either
     * stopped the apply; it stops the diff, naming both rows.
     */
    @ParameterizedTest
    @EnumSource(
            value = Engine.class,
            names = {"H2", "MARIADB"})
    void aDeclaredKeyTheTargetsCollationTakesForAnothersStopsTheDiff(Engine engine) throws Exception {
        try (TestDatabase target = Databases.create(engine);
                TestDatabase source = Databases.create(Engine.POSTGRESQL)) {
            String text = engine == Engine.H2 ? "VARCHAR_IGNORECASE(10)" : "VARCHAR(10)";
            target.execute(
                    "CREATE TABLE w (code " + text + " NOT NULL, region VARCHAR(10), n INT)",
                    "INSERT INTO w VALUES ('A', NULL, 1), ('a', NULL, 2), ('b', 'x', 3)");
            source.execute(
                    "CREATE TABLE w (code VARCHAR(10) NOT NULL, region VARCHAR(10), n INT)",
                    "INSERT INTO w VALUES ('A', NULL, 1), ('a', NULL, 2), ('b', 'x', 3)");
            Dsynq dsynq = Databases.dsynq(target, tmp, List.of("w:code+region"));
            source.execute("UPDATE w SET n = 5 WHERE code = 'a'", "DELETE FROM w WHERE code = 'b'");

            assertThatThrownBy(() -> dsynq.diff(Databases.against(source)))
                    .isInstanceOf(DsynqException.class)
                    .hasMessageContaining("table w: the delta updates row (code='a', region=NULL), and the target (db, "
                            + (engine == Engine.H2 ? "H2" : "MariaDB")
                            + ") holds (code='A', region=NULL) too, which its collation takes for the same key");
            assertThat(tmp.resolve("db/delta")).doesNotExist();

            // a delta that touches neither applies and rolls back
            source.execute("UPDATE w SET n = 2 WHERE code = 'a'");
            List<String> before = Databases.content(target, "w");
            assertThat(dsynq.diff(Databases.against(source)).tables())
                    .extracting(t -> t.inserts() + " " + t.updates() + " " + t.deletes())
                    .containsExactly("0 0 1");
            dsynq.apply(ApplyRequest.latest());
            assertThat(Databases.content(target, "w")).isEqualTo(Databases.content(source, "w"));
            dsynq.apply(ApplyRequest.to("0"));
            assertThat(Databases.content(target, "w")).isEqualTo(before);
        }
    }

    /** A value the diff cannot read names the side and the row it is in, as other values it refuses do. */
    @Test
    void aValueThatCannotBeReadNamesItsRow() throws Exception {
        try (TestDatabase target = Databases.create(Engine.POSTGRESQL);
                TestDatabase source = Databases.create(Engine.MARIADB)) {
            target.execute("CREATE TABLE o (id INT, k INT, tm TIME, PRIMARY KEY (id, k))");
            source.execute(
                    "CREATE TABLE o (id INT, k INT, tm TIME, PRIMARY KEY (id, k))",
                    "INSERT INTO o VALUES (1, 1, '10:00:00'), (1, 2, '-01:00:00')");

            assertThatThrownBy(() -> Databases.dsynq(target, tmp, List.of()).diff(Databases.against(source)))
                    .isInstanceOf(DsynqException.class)
                    .hasMessageContaining("table o: the source's row with key (id='1', k='2'): column tm holds"
                            + " -01:00:00, a time outside the day");
        }
    }

    /**
     * A fixed-length {@code BINARY(n)} target pads shorter bytes with zeros: the source's {@code aa} is its
     * {@code aa000000}, as a {@code CHAR}'s padding does not count either. Every diff wrote the update again.
     */
    @ParameterizedTest
    @EnumSource(
            value = Engine.class,
            names = {"H2", "MARIADB"})
    void bytesAFixedLengthTargetPadsAreTheSame(Engine engine) throws Exception {
        try (TestDatabase target = Databases.create(engine);
                TestDatabase source = Databases.create(Engine.POSTGRESQL)) {
            target.execute("CREATE TABLE p (id INT PRIMARY KEY, b BINARY(4))", "INSERT INTO p VALUES (2, X'bb000000')");
            source.execute(
                    "CREATE TABLE p (id INT PRIMARY KEY, b BYTEA)",
                    "INSERT INTO p VALUES (1, '\\xaa'), (2, '\\xbb00'), (3, '\\xcc000001')");
            List<String> before = Databases.content(target, "p");
            Dsynq dsynq = Databases.dsynq(target, tmp, List.of());

            assertThat(dsynq.diff(Databases.against(source)).tables())
                    .extracting(t -> t.inserts() + " " + t.updates() + " " + t.deletes())
                    .containsExactly("2 0 0");
            dsynq.apply(ApplyRequest.latest());
            assertThat(Databases.content(target, "p"))
                    .containsExactly("id='1' | b='aa000000'", "id='2' | b='bb000000'", "id='3' | b='cc000001'");
            assertThat(dsynq.diff(Databases.against(source)).differs()).isFalse();
            dsynq.apply(ApplyRequest.to("0"));
            assertThat(Databases.content(target, "p")).isEqualTo(before);
        }
    }

    /**
     * A double that a {@code real} cannot hold, too large or too small: the diff wrote it as infinity or 0, which the
     * target took, and took for the same afterwards. It is refused, naming the row; a double the target holds
     * against the source's infinity is a difference.
     */
    @Test
    void doublesOutOfTheRangeOfARealAreRefused() throws Exception {
        try (TestDatabase target = Databases.create(Engine.POSTGRESQL);
                TestDatabase source = Databases.create(Engine.POSTGRESQL)) {
            target.execute(
                    "CREATE TABLE f (id INT PRIMARY KEY, x REAL)",
                    "CREATE TABLE d (id INT PRIMARY KEY, x DOUBLE PRECISION)",
                    "INSERT INTO f VALUES (3, 'Infinity')",
                    "INSERT INTO d VALUES (1, 1e300)");
            source.execute(
                    "CREATE TABLE f (id INT PRIMARY KEY, x DOUBLE PRECISION)",
                    "CREATE TABLE d (id INT PRIMARY KEY, x REAL)",
                    "INSERT INTO f VALUES (1, 1e300), (2, 1e-300), (3, 'Infinity')",
                    "INSERT INTO d VALUES (1, 'Infinity')");
            Dsynq dsynq = Databases.dsynq(target, tmp, List.of());
            DiffRequest f = Databases.against(source).tables(List.of("f"), List.of());

            assertThatThrownBy(() -> dsynq.diff(f))
                    .hasMessageContaining("table f, row with key (id='1'): the source's value '1.0E300' of column x is"
                            + " out of range for real");
            source.execute("DELETE FROM f WHERE id = 1");
            assertThatThrownBy(() -> dsynq.diff(f))
                    .hasMessageContaining("table f, row with key (id='2'): the source's value '1.0E-300' of column x"
                            + " is out of range for real");
            source.execute("DELETE FROM f WHERE id = 2");
            assertThat(dsynq.diff(f).differs()).isFalse();
            assertRoundTrip(target, source, "d", "0 1 0");
        }
    }

    /**
     * PostgreSQL's {@code infinity} and {@code -infinity}, a common end of a validity, were read as Java's greatest
     * and least dates, which no engine takes (or stopped the diff, for timestamptz); as a key they order before and
     * after every date, as years before Christ and beyond 9999 do by value, not as text.
     */
    @Test
    void postgresInfiniteDatesAndTimestamps() throws Exception {
        try (TestDatabase target = Databases.create(Engine.POSTGRESQL);
                TestDatabase source = Databases.create(Engine.POSTGRESQL)) {
            for (TestDatabase database : List.of(target, source)) {
                database.execute("CREATE TABLE v (day DATE PRIMARY KEY, t TIMESTAMP(6), z TIMESTAMPTZ(6))");
            }
            target.execute("INSERT INTO v VALUES ('2024-01-31', 'infinity', '2024-01-31 12:00+00'),"
                    + " ('infinity', '2024-01-31 12:00', '-infinity'), ('0044-03-15 BC', NULL, 'infinity'),"
                    + " ('0100-01-01 BC', '-infinity', NULL)");
            source.execute("INSERT INTO v VALUES ('2024-01-31', '-infinity', 'infinity'),"
                    + " ('-infinity', 'infinity', '-infinity'), ('0044-03-15 BC', 'infinity', 'infinity'),"
                    + " ('10000-01-01', '10000-01-01 00:00', 'infinity'), ('0100-01-01 BC', '-infinity', NULL)");

            assertRoundTrip(target, source, "v", "2 2 1");
        }
    }

    /**
     * PostgreSQL prints timestamptz at the session's zone, which the driver takes from the JVM's: before a zone took
     * a standard time its offset has seconds ({@code +00:19:32} in Amsterdam until 1937), which the diff refused and
     * the reverse delta held as the server's text, so that no rollback could read it.
     */
    @Test
    void postgresOffsetsWithSecondsRollBack() throws Exception {
        java.util.TimeZone zone = java.util.TimeZone.getDefault();
        java.util.TimeZone.setDefault(java.util.TimeZone.getTimeZone("Europe/Amsterdam"));
        try (TestDatabase target = Databases.create(Engine.POSTGRESQL);
                TestDatabase source = Databases.create(Engine.POSTGRESQL)) {
            for (TestDatabase database : List.of(target, source)) {
                database.execute("CREATE TABLE ev (id INT PRIMARY KEY, at TIMESTAMPTZ(6))");
            }
            target.execute("INSERT INTO ev VALUES (1, '1930-06-01 12:00:00+00'), (2, '2000-01-01 00:00:00+00')");
            source.execute("INSERT INTO ev VALUES (1, '2000-01-01 00:00:00+00'), (2, '1850-01-01 12:00:00.5+00')");

            assertRoundTrip(target, source, "ev", "0 2 0");
        } finally {
            java.util.TimeZone.setDefault(zone);
        }
    }

    /** MariaDB's YEAR, which the driver calls a date and reads as 2025: the diff refused every value. */
    @Test
    void mariaDbYearsAreDiffedAsNumbers() throws Exception {
        try (TestDatabase target = Databases.create(Engine.MARIADB);
                TestDatabase source = Databases.create(Engine.MARIADB)) {
            for (TestDatabase database : List.of(target, source)) {
                database.execute("CREATE TABLE yr (id INT PRIMARY KEY, y YEAR)");
            }
            target.execute("INSERT INTO yr VALUES (1, 2024), (3, NULL)");
            source.execute("INSERT INTO yr VALUES (1, 2025), (2, 1999), (3, 2155)");

            assertRoundTrip(target, source, "yr", "1 2 0");
        }
    }

    /**
     * H2's ENUM takes a value for the member it equals ignoring case and surrounding spaces, and stores the member: a
     * source's ' sad' and 'Happy' were written into the delta, applied as 'sad' and 'happy', and the diff back found
     * them again, as often as it ran. The diff refuses such a value naming the row, and the apply naming its line,
     * changing nothing; the members themselves round trip.
     */
    @Test
    void aValueH2sEnumWouldTakeForAnotherIsRefused() throws Exception {
        try (TestDatabase target = Databases.create(Engine.H2);
                TestDatabase source = Databases.create(Engine.POSTGRESQL)) {
            target.execute("CREATE TABLE person (id INT PRIMARY KEY, mood ENUM('happy', 'sad', 'it''s', 'a\\b'))");
            source.execute(
                    "CREATE TABLE person (id INT PRIMARY KEY, mood TEXT)",
                    "INSERT INTO person VALUES (1, 'happy'), (2, 'it''s'), (3, NULL), (7, 'a\\b')");
            assertRoundTrip(target, source, "person", "4 0 0");

            source.execute("INSERT INTO person VALUES (4, ' sad')");
            Dsynq dsynq = Databases.dsynq(target, tmp, List.of());
            assertThatThrownBy(() -> dsynq.diff(Databases.against(source)))
                    .hasMessageContaining(
                            "table person, row with key (id='4'): the source's value ' sad' of column mood"
                                    + " is not a member of ENUM('happy', 'sad', 'it''s', 'a\\b'), which holds 'happy',"
                                    + " 'sad', 'it's', 'a\\b'");

            dsynq.apply(ApplyRequest.latest()); // the round trip's delta again
            Path delta = Files.createDirectories(tmp.resolve("db/delta/1900000000.000000"));
            Files.writeString(delta.resolve("person.i.csv"), "id,mood\n5,sad\n6,Happy\n");
            List<String> before = Databases.content(target, "person");
            assertThatThrownBy(() -> dsynq.apply(ApplyRequest.latest()))
                    .hasMessageContaining("file person.i.csv, line 3: column mood, value 'Happy': is not a member of");
            assertThat(Databases.content(target, "person")).isEqualTo(before);
        }
    }

    /**
     * MariaDB's TIMESTAMP holds the times from 1970-01-01 00:00:01 UTC on: a diff from PostgreSQL's timestamp wrote a
     * birth date of 1962 into the delta, whose apply the server then refused ("Out of range value for column").
     * The diff refuses it naming the row, and the apply a delta holding it naming its line, changing nothing; the
     * times the column holds round trip.
     */
    @Test
    void aTimeMariaDbsTimestampCannotHoldIsRefusedByTheDiff() throws Exception {
        try (TestDatabase target = Databases.create(Engine.MARIADB);
                TestDatabase source = Databases.create(Engine.POSTGRESQL)) {
            target.execute("CREATE TABLE emp (id INT PRIMARY KEY, hired TIMESTAMP NULL)");
            source.execute(
                    "CREATE TABLE emp (id INT PRIMARY KEY, hired TIMESTAMP(0))",
                    "INSERT INTO emp VALUES (1, '1970-01-02 00:00:00'), (2, '2038-01-18 00:00:00'), (3, NULL)");
            assertRoundTrip(target, source, "emp", "3 0 0");

            source.execute("INSERT INTO emp VALUES (4, '1962-02-18 00:00:00')");
            Dsynq dsynq = Databases.dsynq(target, tmp, List.of());
            assertThatThrownBy(() -> dsynq.diff(Databases.against(source)))
                    .hasMessageContaining("table emp, row with key (id='4'): the source's value '1962-02-18T00:00:00'"
                            + " of column hired is before 1970-01-01 00:00:01 UTC (")
                    .hasMessageContaining("in the session's time zone), the first time MariaDB's TIMESTAMP holds; a"
                            + " DATETIME column holds it");

            dsynq.apply(ApplyRequest.latest()); // the round trip's delta again
            Path delta = Files.createDirectories(tmp.resolve("db/delta/1900000000.000000"));
            Files.writeString(delta.resolve("emp.i.csv"), "id,hired\n5,2000-01-01T00:00:00\n6,1962-02-18T00:00:00\n");
            List<String> before = Databases.content(target, "emp");
            assertThatThrownBy(() -> dsynq.apply(ApplyRequest.latest()))
                    .hasMessageContaining("file emp.i.csv, line 3: column hired, value '1962-02-18T00:00:00': is before"
                            + " 1970-01-01 00:00:01 UTC (");
            assertThat(Databases.content(target, "emp")).isEqualTo(before);
        }
    }

    /**
     * MariaDB's year 0, which YEAR prints as 0000: the diff read it so, a key apart from PostgreSQL's 0 (it inserted
     * 0000 and deleted 0, which the apply refused as the same key), and the apply wrote 0 as the year 2000 (LOAD DATA
     * takes the text 0 for a year of two digits). It round trips, and the same rows diff to nothing either way. A year
     * of 1 to 1900, which YEAR would take for another or refuse, is refused.
     */
    @Test
    void mariaDbsYearZeroIsZero() throws Exception {
        try (TestDatabase target = Databases.create(Engine.MARIADB);
                TestDatabase source = Databases.create(Engine.POSTGRESQL)) {
            target.execute(
                    "CREATE TABLE yr (y YEAR PRIMARY KEY, v INT, w YEAR)",
                    "INSERT INTO yr VALUES (0, 1, 1999), (1999, 1, 0), (2000, 1, 2000)");
            source.execute(
                    "CREATE TABLE yr (y SMALLINT PRIMARY KEY, v INT, w SMALLINT)",
                    "INSERT INTO yr VALUES (0, 1, 0), (1999, 2, 2000), (2000, 1, 2000), (2001, 1, 0)");
            assertRoundTrip(target, source, "yr", "1 2 0");

            source.execute("DELETE FROM yr", "INSERT INTO yr VALUES (0, 1, 1999), (1999, 1, 0), (2000, 1, 2000)");
            for (TestDatabase[] pair :
                    List.of(new TestDatabase[] {target, source}, new TestDatabase[] {source, target})) {
                assertThat(Databases.dsynq(pair[0], tmp, List.of())
                                .diff(Databases.against(pair[1]))
                                .differs())
                        .isFalse();
            }

            // 5 would be the year 2005: the diff refuses it, as the apply would
            source.execute("UPDATE yr SET w = 5 WHERE y = 0");
            assertThatThrownBy(() -> Databases.dsynq(target, tmp, List.of()).diff(Databases.against(source)))
                    .hasMessageContaining("'5' of column w")
                    .hasMessageContaining("is a year MariaDB's YEAR cannot hold: it holds 0 and 1901 to 2155");
        }
    }

    /**
     * PostgreSQL 15's decimal scales below 0 and above the precision: the driver reads numeric(5,-2)'s scale as 2046,
     * and the values both columns hold were refused as too large, by the diff and the apply (found by a fuzz run).
     */
    @Test
    void postgresDecimalScalesBelowZeroOrAboveThePrecision() throws Exception {
        try (TestDatabase target = Databases.create(Engine.POSTGRESQL);
                TestDatabase source = Databases.create(Engine.POSTGRESQL)) {
            for (TestDatabase database : List.of(target, source)) {
                database.execute("CREATE TABLE n (id INT PRIMARY KEY, a NUMERIC(5,-2), b NUMERIC(3,5))");
            }
            target.execute("INSERT INTO n VALUES (1, 1200, 0.00123)");
            source.execute("INSERT INTO n VALUES (1, 9999900, 0.00999), (2, -100, 0.00001)");

            assertRoundTrip(target, source, "n", "1 1 0");
        }
    }

    /**
     * PostgreSQL ordered a float key by the text the diff reads it as ({@code ORDER BY "id"} named the select list's
     * {@code CAST("id" AS TEXT)}), so 10 came before 9 and -2 before -Infinity, and the diff stopped: "out of order".
     */
    @Test
    void floatKeysAreOrderedByValue() throws Exception {
        try (TestDatabase target = Databases.create(Engine.POSTGRESQL);
                TestDatabase source = Databases.create(Engine.POSTGRESQL)) {
            for (TestDatabase database : List.of(target, source)) {
                database.execute(
                        "CREATE TABLE f (id FLOAT8 PRIMARY KEY, v TEXT)",
                        "INSERT INTO f VALUES ('-Infinity', 'a'), (-2, 'b'), (1.5, 'c'), (9, 'd'), (10, 'e'),"
                                + " ('Infinity', 'f'), ('NaN', 'g')");
            }
            source.execute("UPDATE f SET v = 'changed' WHERE id IN (9, 'NaN')", "DELETE FROM f WHERE id = 10");
            // one key to the server, which the diff took for two: it inserted 0 before it deleted -0
            target.execute("INSERT INTO f VALUES ('-0', 'z')");
            source.execute("INSERT INTO f VALUES (0, 'zero')");

            Dsynq dsynq = Databases.dsynq(target, tmp, List.of());
            assertThat(dsynq.diff(Databases.against(source)).tables())
                    .extracting(t -> t.inserts() + " " + t.updates() + " " + t.deletes())
                    .containsExactly("0 3 1");
            dsynq.apply(ApplyRequest.latest());
            assertThat(dsynq.diff(Databases.against(source)).differs()).isFalse();
        }
    }

    /**
     * A MariaDB column set on update ({@code ON UPDATE CURRENT_TIMESTAMP}) that did not differ was left out of the
     * update, so the apply set it to now, and the target still differed from the source.
     */
    @Test
    void columnsTheTargetSetsOnUpdateAreSetAsTheSourceHoldsThem() throws Exception {
        try (TestDatabase target = Databases.create(Engine.MARIADB);
                TestDatabase source = Databases.create(Engine.MARIADB)) {
            for (TestDatabase database : List.of(target, source)) {
                database.execute(
                        "CREATE TABLE ou (id INT PRIMARY KEY, a INT, upd TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP"
                                + " ON UPDATE CURRENT_TIMESTAMP)",
                        "INSERT INTO ou VALUES (1, 1, '2020-01-01 00:00:00'), (2, 2, '2020-01-02 00:00:00')");
            }
            source.execute("UPDATE ou SET a = 10, upd = upd WHERE id = 1");

            assertRoundTrip(target, source, "ou", "0 1 0");
        }
    }

    /**
     * PostgreSQL's {@code -0} toward MariaDB or H2, which store it as {@code 0}: every diff wrote the same update
     * again.
     */
    @ParameterizedTest
    @EnumSource(
            value = Engine.class,
            names = {"MARIADB", "H2"})
    void negativeZeroEqualsZeroWhereTheTargetDropsItsSign(Engine engine) throws Exception {
        try (TestDatabase target = Databases.create(engine);
                TestDatabase source = Databases.create(Engine.POSTGRESQL)) {
            target.execute(
                    "CREATE TABLE x (id INT PRIMARY KEY, d DOUBLE PRECISION, r REAL)",
                    "INSERT INTO x VALUES (1, 0, 0)");
            source.execute(
                    "CREATE TABLE x (id INT PRIMARY KEY, d FLOAT8, r FLOAT4)",
                    "INSERT INTO x VALUES (1, '-0', '-0'), (2, '-0', 1)");

            Dsynq dsynq = Databases.dsynq(target, tmp, List.of());
            assertThat(dsynq.diff(Databases.against(source)).tables())
                    .extracting(t -> t.inserts() + " " + t.updates() + " " + t.deletes())
                    .containsExactly("1 0 0");
            dsynq.apply(ApplyRequest.latest());
            assertThat(dsynq.diff(Databases.against(source)).differs()).isFalse();
        }
    }

    @Test
    void integerKeyMatchesDecimalKeyOfTheSameValue() throws Exception {
        try (TestDatabase target = Databases.create(Engine.POSTGRESQL);
                TestDatabase source = Databases.create(Engine.POSTGRESQL)) {
            target.execute(
                    "CREATE TABLE t (id INT PRIMARY KEY, name TEXT)",
                    "INSERT INTO t VALUES (-3, 'm'), (1, 'a'), (2, 'b'), (10, 'c')");
            source.execute(
                    "CREATE TABLE t (id NUMERIC(10,2) PRIMARY KEY, name TEXT)",
                    "INSERT INTO t VALUES (-3.00, 'm'), (1.00, 'a'), (2.00, 'b'), (10.00, 'c')");

            Dsynq dsynq = Databases.dsynq(target, tmp, List.of());
            DiffResult result = dsynq.diff(Databases.against(source));
            assertThat(result.tables())
                    .extracting(t -> t.inserts() + " " + t.updates() + " " + t.deletes())
                    .containsExactly("0 0 0");
        }
    }

    @Test
    void mariaDbLatin1KeysOrderByCodePoint() throws Exception {
        try (TestDatabase target = Databases.create(Engine.MARIADB);
                TestDatabase source = Databases.create(Engine.POSTGRESQL)) {
            target.execute(
                    "CREATE TABLE t (name VARCHAR(10) CHARACTER SET latin1 PRIMARY KEY, n INT)",
                    "INSERT INTO t VALUES ('a', 1), ('\u00e9', 2), ('\u20ac', 3), ('z', 4)");
            source.execute(
                    "CREATE TABLE t (name VARCHAR(10) PRIMARY KEY, n INT)",
                    "INSERT INTO t VALUES ('a', 1), ('\u00e9', 2), ('\u20ac', 3), ('z', 5)");

            Dsynq dsynq = Databases.dsynq(target, tmp, List.of());
            DiffResult result = dsynq.diff(Databases.against(source));
            assertThat(result.tables())
                    .extracting(t -> t.inserts() + " " + t.updates() + " " + t.deletes())
                    .containsExactly("0 1 0");
        }
    }

    @Test
    void concurrentDiffsPublishWholeDeltasUnderDistinctIds() throws Exception {
        try (TestDatabase target = Databases.create(Engine.H2);
                TestDatabase source = Databases.create(Engine.H2)) {
            for (TestDatabase database : List.of(target, source)) {
                database.execute(
                        "CREATE TABLE t (id INT PRIMARY KEY, name VARCHAR(10))",
                        "INSERT INTO t SELECT X, 'n' || X FROM SYSTEM_RANGE(1, 200)");
            }
            source.execute("UPDATE t SET name = 'changed' WHERE id < 50", "DELETE FROM t WHERE id = 100");
            target.execute("DELETE FROM t WHERE id = 150");
            Dsynq dsynq = target.dsynq(tmp)
                    .clock(java.time.Clock.fixed(
                            java.time.Instant.parse("2026-01-01T00:00:00Z"), java.time.ZoneOffset.UTC))
                    .build();
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
            try {
                List<java.util.concurrent.Future<DiffResult>> runs = new java.util.ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    runs.add(pool.submit(() -> dsynq.diff(Databases.against(source))));
                }
                java.util.Set<String> ids = new java.util.HashSet<>();
                for (java.util.concurrent.Future<DiffResult> run : runs) {
                    DiffResult result = run.get();
                    ids.add(result.id().text());
                    try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(result.folder())) {
                        assertThat(files.map(f -> f.getFileName().toString()))
                                .containsExactlyInAnyOrder(".meta", "t.i.csv", "t.u.csv", "t.d.csv");
                    }
                }
                assertThat(ids).hasSize(6);
            } finally {
                pool.shutdownNow();
            }
            try (java.util.stream.Stream<Path> children = java.nio.file.Files.list(tmp.resolve("db"))) {
                assertThat(children.map(f -> f.getFileName().toString()))
                        .as("no staging folder left")
                        .containsExactly("delta");
            }
            assertThat(new io.dsynq.core.model.DeltaDirectory(tmp).deltas("db")).hasSize(6);
        }
    }

    /**
     * Diffs {@code target} against {@code source} and checks the counts ({@code "inserts updates deletes"}), that
     * the delta makes {@code table} hold what the source's holds, after which the diff finds nothing, and that its
     * rollback restores the table.
     */
    private void assertRoundTrip(TestDatabase target, TestDatabase source, String table, String counts)
            throws Exception {
        assertRoundTrip(
                Databases.dsynq(target, tmp, List.of()),
                Databases.against(source).tables(List.of(table), List.of()),
                target,
                source,
                table,
                counts);
    }

    /**
     * Diffs {@code table} of the target {@code dsynq} configures as {@code request} asks ({@code counts} inserts,
     * updates, deletes, unless null), applies it, finds no difference left, and rolls it back.
     */
    private static void assertRoundTrip(
            Dsynq dsynq, DiffRequest request, TestDatabase target, TestDatabase source, String table, String counts)
            throws Exception {
        List<String> before = Databases.content(target, table);
        DiffResult diff = dsynq.diff(request);
        if (counts != null) {
            assertThat(diff.tables())
                    .extracting(t -> t.inserts() + " " + t.updates() + " " + t.deletes())
                    .containsExactly(counts);
        }
        dsynq.apply(ApplyRequest.latest());
        assertThat(Databases.content(target, table)).isEqualTo(Databases.content(source, table));
        assertThat(dsynq.diff(request).differs()).isFalse();
        dsynq.apply(ApplyRequest.to("0"));
        assertThat(Databases.content(target, table)).isEqualTo(before);
    }
}
