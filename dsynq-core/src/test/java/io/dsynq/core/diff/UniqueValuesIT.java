package io.dsynq.core.diff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dsynq.core.ApplyRequest;
import io.dsynq.core.Dsynq;
import io.dsynq.core.DsynqException;
import io.dsynq.core.DsynqListener;
import io.dsynq.core.testing.Engine;
import io.dsynq.core.testing.TestDatabase;
import io.dsynq.core.testing.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Unique indexes besides the key. The applier inserts and updates before it deletes, and a database checks such an
 * index row by row, so a delta that gives a row values another row gives up would fail at apply: the diff refuses to
 * write it, naming both rows. Values no other row holds apply as any others.
 */
class UniqueValuesIT {

    private static final String TABLE = "CREATE TABLE currency (id INT PRIMARY KEY, code VARCHAR(3) NOT NULL,"
            + " region INT, name VARCHAR(20), CONSTRAINT uq_code UNIQUE (code), CONSTRAINT uq_region_name UNIQUE"
            + " (region, name))";

    @TempDir
    Path tmp;

    /**
     * On an H2 file database the table the check loads the delta's values into is one of the schema, and an apply that
     * ran meanwhile dropped it as one a process left that died ("dropped 1 staging table left by …"): the diff failed
     * with 'the target (db, H2) refuses the values (code='2001') …: Table "DSYNQ_STAGE_TWINS_…" not found'. The check
     * now holds the table in a transaction of its connection, and the apply leaves it alone.
     */
    @Test
    void anApplyDuringTheCheckOnAnH2FileDatabaseLeavesItsTableAlone() throws Exception {
        try (TestDatabase target = TestServers.create(Engine.H2, tmp.resolve("h2"), "dsynq_diff_");
                TestDatabase source = Databases.create(Engine.H2)) {
            target.execute("CREATE TABLE t (id INT PRIMARY KEY, code INT, CONSTRAINT uc UNIQUE (code))");
            source.execute("CREATE TABLE t (id INT PRIMARY KEY, code INT)", "INSERT INTO t VALUES (1, 10), (2, 20)");
            Path deltas = tmp.resolve("deltas");
            Files.createDirectories(deltas.resolve("db/delta"));
            CountDownLatch loaded = new CountDownLatch(1);
            CountDownLatch resume = new CountDownLatch(1);
            Dsynq differ = target.dsynq(deltas)
                    .listener(new DsynqListener() {
                        @Override
                        public void debug(String message) {
                            if (message.matches("-- 2 rows loaded into dsynq_stage_twins_.*")) {
                                loaded.countDown();
                                try {
                                    resume.await(60, TimeUnit.SECONDS);
                                } catch (InterruptedException e) {
                                    Thread.currentThread().interrupt();
                                }
                            }
                        }
                    })
                    .build();
            CompletableFuture<DiffResult> diff =
                    CompletableFuture.supplyAsync(() -> differ.diff(Databases.against(source)));
            List<String> said = new CopyOnWriteArrayList<>();
            try {
                assertThat(loaded.await(60, TimeUnit.SECONDS)).isTrue();
                target.dsynq(deltas)
                        .listener(new DsynqListener() {
                            @Override
                            public void info(String message) {
                                said.add(message);
                            }
                        })
                        .build()
                        .apply(ApplyRequest.latest());
            } finally {
                resume.countDown();
            }

            assertThat(said).isEmpty();
            assertThat(diff.get(60, TimeUnit.SECONDS).tables())
                    .extracting(table -> table.table() + " " + table.inserts())
                    .containsExactly("t 2");
        }
    }

    /**
     * A target whose sessions cannot write (H2 opened with {@code ACCESS_MODE_DATA=r}, MariaDB in {@code tx_read_only})
     * cannot take the table the delta's values of a unique index are grouped in, as the target compares them: the diff
     * failed in the engine's words ("table t: The database is read only"). It now writes the delta, and warns that the
     * values were not checked and why; PostgreSQL's {@code readOnly=true} leaves a connection in auto-commit free to
     * take it, and the check runs.
     */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void aTargetThatCannotWriteLeavesTheValuesUncheckedAndSaysSo(Engine engine) throws Exception {
        try (TestDatabase target = TestServers.create(engine, tmp.resolve("target"), "dsynq_diff_");
                TestDatabase source = Databases.create(engine)) {
            target.execute("CREATE TABLE t (id INT PRIMARY KEY, code INT, CONSTRAINT uc UNIQUE (code))");
            source.execute("CREATE TABLE t (id INT PRIMARY KEY, code INT)", "INSERT INTO t VALUES (1, 10), (2, 20)");
            String url =
                    switch (engine) {
                        case H2 -> target.url().replace(";AUTO_SERVER=TRUE;AUTO_RECONNECT=TRUE", "")
                                + ";ACCESS_MODE_DATA=r"; // H2 has no auto-server of a read-only file
                        case POSTGRESQL -> target.url() + (target.url().contains("?") ? "&" : "?") + "readOnly=true";
                        case MARIADB -> target.url() + (target.url().contains("?") ? "&" : "?")
                                + "sessionVariables=tx_read_only=1";
                    };
            List<String> warned = new CopyOnWriteArrayList<>();
            DiffResult result = diffWarning(target, url, source, warned);

            assertThat(result.tables())
                    .extracting(table -> table.table() + " " + table.inserts())
                    .containsExactly("t 2");
            if (engine == Engine.POSTGRESQL) {
                assertThat(warned).isEmpty();
            } else {
                assertThat(warned)
                        .singleElement()
                        .asString()
                        .startsWith("table t: the values the delta gives unique index uc were not checked against one"
                                + " another as the target (db, ")
                        .contains(") compares them: it cannot take the table they are compared in, as "
                                + (engine == Engine.H2
                                        ? "the database is read-only (ACCESS_MODE_DATA=r in its URL, or files it may"
                                                + " not write)"
                                        : "its transactions are read-only ("))
                        .endsWith("; an apply refuses the delta if two of them meet");
            }
        }
    }

    /** The keys a delta inserts, over text MariaDB compares ignoring case, go unchecked as well on such a target. */
    @Test
    void aTargetThatCannotWriteLeavesInsertedKeysUncheckedAndSaysSo() throws Exception {
        try (TestDatabase target = TestServers.create(Engine.MARIADB, tmp, "dsynq_diff_");
                TestDatabase source = Databases.create(Engine.MARIADB)) {
            target.execute("CREATE TABLE k (code VARCHAR(10) PRIMARY KEY)");
            source.execute("CREATE TABLE k (code VARCHAR(10) PRIMARY KEY)", "INSERT INTO k VALUES ('a'), ('b')");
            List<String> warned = new CopyOnWriteArrayList<>();
            DiffResult result = diffWarning(
                    target,
                    target.url() + (target.url().contains("?") ? "&" : "?") + "sessionVariables=tx_read_only=1",
                    source,
                    warned);

            assertThat(result.tables())
                    .extracting(table -> table.table() + " " + table.inserts())
                    .containsExactly("k 2");
            assertThat(warned)
                    .singleElement()
                    .asString()
                    .startsWith("table k: the keys of the rows the delta inserts were not checked against one another"
                            + " as the target (db, MariaDB) compares them: it cannot take the table they are compared"
                            + " in, as its transactions are read-only (");
        }
    }

    /** The diff of {@code target}, opened by {@code url}, against {@code source}; its warnings go to {@code warned}. */
    private DiffResult diffWarning(TestDatabase target, String url, TestDatabase source, List<String> warned)
            throws Exception {
        Path deltas = tmp.resolve("deltas");
        Files.createDirectories(deltas.resolve("db/delta"));
        return target.dsynq(deltas)
                .url(url)
                .listener(new DsynqListener() {
                    @Override
                    public void warn(String message) {
                        warned.add(message);
                    }
                })
                .build()
                .diff(Databases.against(source));
    }

    /** A row that moves to another key keeping its code: the insert would meet the row the delta then deletes. */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void aRowMovingToAnotherKeyWithItsValues(Engine engine) throws Exception {
        assertRefused(
                engine,
                "INSERT INTO currency VALUES (1, 'CHF', 1, 'Franc'), (2, 'EUR', 1, 'Euro'), (3, 'USD', 2, 'Dollar')",
                "INSERT INTO currency VALUES (1, 'CHF', 1, 'Franc'), (5, 'EUR', 3, 'Euro'), (3, 'USD', 2, 'Dollar')",
                "the delta gives row (id='5') the values (code='EUR') of unique index ",
                "which row (id='2') of the target (db, ",
                " holds; a delta inserts and updates before it deletes, so the apply would fail. Delete the target's"
                        + " row or change its values first, then diff again");
    }

    /** Rows trading their values in a cycle: whichever the update takes first meets the next, as each row is checked. */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void rowsTradingTheirValues(Engine engine) throws Exception {
        assertRefused(
                engine,
                "INSERT INTO currency VALUES (1, 'CHF', 1, 'Franc'), (2, 'EUR', 1, 'Euro'), (3, 'USD', 1, 'Dollar')",
                "INSERT INTO currency VALUES (1, 'EUR', 1, 'Franc'), (2, 'USD', 1, 'Euro'), (3, 'CHF', 1, 'Dollar')",
                "the delta gives row (id='",
                " the values (code='",
                " holds; the rows of the update trade values among them, and the database checks the index as each"
                        + " row changes, so whichever goes first meets another. Change one of the target's rows first,"
                        + " then diff again");
    }

    /**
     * Rows trading values in a cycle over two indexes: row 1 waits for row 2 on one, row 2 for row 1 on the other, so
     * no order of the rows applies. Each index alone holds a chain, and the apply refused the delta.
     */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void rowsTradingValuesAcrossTwoIndexes(Engine engine) throws Exception {
        try (TestDatabase target = Databases.create(engine);
                TestDatabase source = Databases.create(engine)) {
            for (TestDatabase database : List.of(target, source)) {
                database.execute("CREATE TABLE t (id INT PRIMARY KEY, code VARCHAR(5), name VARCHAR(5),"
                        + " CONSTRAINT uc UNIQUE (code), CONSTRAINT un UNIQUE (name))");
            }
            target.execute("INSERT INTO t VALUES (1, 'X', 'P'), (2, 'Y', 'Q')");
            source.execute("INSERT INTO t VALUES (1, 'Y', 'R'), (2, 'Z', 'P')");

            assertThatThrownBy(() -> Databases.dsynq(target, tmp, List.of()).diff(Databases.against(source)))
                    .isInstanceOf(DsynqException.class)
                    .hasMessageStartingWith(
                            "table t: the delta gives row (id='2') the values (name='P') of unique index"
                                    + " un, which row (id='1') of the target (db, ")
                    .hasMessageEndingWith(" holds; the rows of the update trade values among them across unique indexes"
                            + " uc and un, which the database checks as each row changes, so whichever goes first meets"
                            + " another. Change one of the target's rows first, then diff again");
            assertThat(tmp.resolve("db/delta")).doesNotExist();

            // three rows round, row 1 waiting for row 4 besides
            target.execute(
                    "DELETE FROM t", "INSERT INTO t VALUES (1, 'X', 'P'), (2, 'Y', 'Q'), (3, 'Z', 'R'), (4, 'W', 'S')");
            source.execute(
                    "DELETE FROM t", "INSERT INTO t VALUES (1, 'Y', 'S'), (2, 'V', 'R'), (3, 'X', 'T'), (4, 'U', 'O')");
            assertThatThrownBy(() -> Databases.dsynq(target, tmp, List.of()).diff(Databases.against(source)))
                    .isInstanceOf(DsynqException.class)
                    .hasMessageStartingWith(
                            "table t: the delta gives row (id='3') the values (code='X') of unique index"
                                    + " uc, which row (id='1') of the target (db, ")
                    .hasMessageContaining(" across unique indexes uc and un, ");

            // a chain over both, with no cycle: applies and rolls back
            target.execute("DELETE FROM t", "INSERT INTO t VALUES (1, 'X', 'P'), (2, 'Y', 'Q'), (3, 'Z', 'R')");
            source.execute("DELETE FROM t", "INSERT INTO t VALUES (1, 'Y', 'P'), (2, 'V', 'R'), (3, 'Z', 'T')");
            List<String> before = Databases.content(target, "t");
            Dsynq dsynq = Databases.dsynq(target, tmp.resolve("chain"), List.of());
            assertThat(dsynq.diff(Databases.against(source)).tables())
                    .extracting(d -> d.inserts() + " " + d.updates() + " " + d.deletes())
                    .containsExactly("0 3 0");
            dsynq.apply(ApplyRequest.latest());
            assertThat(Databases.content(target, "t")).isEqualTo(Databases.content(source, "t"));
            dsynq.apply(ApplyRequest.offset(-1));
            assertThat(Databases.content(target, "t")).isEqualTo(before);
        }
    }

    /**
     * A chain: one row takes the code another gives up for a new one. Whether the apply passes depends on the order
     * the database updates the rows in, and is left to it: the diff does not refuse the delta.
     */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void aChainOfRowsGivingUpValuesIsLeftToTheDatabase(Engine engine) throws Exception {
        try (TestDatabase target = Databases.create(engine);
                TestDatabase source = Databases.create(engine)) {
            target.execute(TABLE, "INSERT INTO currency VALUES (1, 'CHF', 1, 'Franc'), (2, 'EUR', 1, 'Euro')");
            source.execute(TABLE, "INSERT INTO currency VALUES (1, 'AUD', 1, 'Franc'), (2, 'CHF', 1, 'Euro')");

            assertThat(Databases.dsynq(target, tmp, List.of())
                            .diff(Databases.against(source))
                            .tables())
                    .extracting(t -> t.inserts() + " " + t.updates() + " " + t.deletes())
                    .containsExactly("0 2 0");
        }
    }

    /**
     * An update that takes values a row keeps until the delta deletes it: refused, named before an insert that
     * does so later in key order. One that takes values a row gives
     * up, to NULL too, is a chain, and not refused. The rows that give values up are noted on disk, not in memory.
     */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void anUpdateMayTakeOnlyValuesTheUpdateTakesFromTheirRow(Engine engine) throws Exception {
        assertRefused(
                engine,
                "INSERT INTO currency VALUES (1, 'CHF', 1, 'Franc'), (2, 'EUR', 1, 'Euro'), (3, 'USD', 1, 'Dollar')",
                "INSERT INTO currency VALUES (1, 'EUR', 1, 'Franc'), (4, 'USD', 1, 'Dollar')",
                "the delta gives row (id='1') the values (code='EUR') of unique index ",
                "which row (id='2') of the target (db, ",
                " holds; a delta inserts and updates before it deletes, so the apply would fail. Delete the target's"
                        + " row or change its values first, then diff again");
        try (TestDatabase target = Databases.create(engine);
                TestDatabase source = Databases.create(engine)) {
            target.execute(TABLE, "INSERT INTO currency VALUES (1, 'CHF', 1, 'Franc'), (2, 'EUR', 1, 'Euro')");
            source.execute(TABLE, "INSERT INTO currency VALUES (1, 'CHF', NULL, 'Franc'), (2, 'EUR', 1, 'Franc')");

            assertThat(Databases.dsynq(target, tmp.resolve("chain"), List.of())
                            .diff(Databases.against(source))
                            .tables())
                    .extracting(t -> t.inserts() + " " + t.updates() + " " + t.deletes())
                    .containsExactly("0 2 0");
        }
    }

    /**
     * Values no other row holds: a new code, a code changed in case only (which MariaDB holds as the row's own), a
     * row that takes a value the target does not hold, NULLs (which never
     * meet), a row changing one column of a composite index; the delta applies and rolls back.
     */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void valuesNoOtherRowHoldsApply(Engine engine) throws Exception {
        try (TestDatabase target = Databases.create(engine);
                TestDatabase source = Databases.create(engine)) {
            target.execute(
                    TABLE,
                    "INSERT INTO currency VALUES (1, 'CHF', 1, 'Franc'), (2, 'EUR', 1, 'Euro'), (3, 'USD', NULL,"
                            + " 'Dollar'), (4, 'GBP', 2, NULL)");
            source.execute(
                    TABLE,
                    "INSERT INTO currency VALUES (1, 'CHE', 1, 'Franc'), (2, 'eur', 2, 'Euro'), (3, 'USD', NULL,"
                            + " 'Dollar'), (4, 'GBP', NULL, NULL), (5, 'JPY', NULL, 'Dollar'), (6, 'AUD', 2, NULL)");
            Dsynq dsynq = Databases.dsynq(target, tmp, List.of());
            List<String> before = Databases.content(target, "currency");

            assertThat(dsynq.diff(Databases.against(source)).tables())
                    .extracting(t -> t.inserts() + " " + t.updates() + " " + t.deletes())
                    .containsExactly("2 3 0");
            dsynq.apply(ApplyRequest.latest());
            assertThat(Databases.content(target, "currency")).isEqualTo(Databases.content(source, "currency"));
            dsynq.apply(ApplyRequest.to("0"));
            assertThat(Databases.content(target, "currency")).isEqualTo(before);
        }
    }

    /**
     * A PostgreSQL constraint checked at commit takes values the delta moves between rows; one checked at the end of
     * each statement, values rows of one update trade.
     */
    @ParameterizedTest
    @ValueSource(strings = {"INITIALLY DEFERRED", "INITIALLY IMMEDIATE"})
    void deferrableConstraintsTakeWhatTheyCheckLater(String initially) throws Exception {
        try (TestDatabase target = Databases.create(Engine.POSTGRESQL);
                TestDatabase source = Databases.create(Engine.POSTGRESQL)) {
            for (TestDatabase database : List.of(target, source)) {
                database.execute("CREATE TABLE currency (id INT PRIMARY KEY, code VARCHAR(3) NOT NULL,"
                        + " CONSTRAINT uq_code UNIQUE (code) DEFERRABLE " + initially + ")");
            }
            target.execute("INSERT INTO currency VALUES (1, 'CHF'), (2, 'EUR'), (3, 'USD')");
            source.execute(
                    initially.endsWith("DEFERRED")
                            ? "INSERT INTO currency VALUES (1, 'EUR'), (2, 'CHF'), (5, 'USD')"
                            : "INSERT INTO currency VALUES (1, 'EUR'), (2, 'CHF'), (3, 'USD')");
            Dsynq dsynq = Databases.dsynq(target, tmp, List.of());
            List<String> before = Databases.content(target, "currency");

            dsynq.diff(Databases.against(source));
            dsynq.apply(ApplyRequest.latest());
            assertThat(Databases.content(target, "currency")).isEqualTo(Databases.content(source, "currency"));
            dsynq.apply(ApplyRequest.to("0"));
            assertThat(Databases.content(target, "currency")).isEqualTo(before);
        }
    }

    /**
     * Two rows the delta gives values of a unique index the source does not keep unique, or keeps unique as its
     * collation compares (PostgreSQL tells {@code 'x'} from {@code 'X'}, MariaDB's default collation does not): the
     * target can hold them in one row only. The diff asked the target about its own rows only, and wrote the delta.
     */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void twoRowsTheDeltaGivesOneUniqueValue(Engine engine) throws Exception {
        try (TestDatabase target = Databases.create(engine);
                TestDatabase source = Databases.create(Engine.POSTGRESQL)) {
            target.execute(TABLE, "INSERT INTO currency VALUES (1, 'CHF', 1, 'Franc'), (2, 'EUR', 1, 'Euro')");
            source.execute(
                    "CREATE TABLE currency (id INT PRIMARY KEY, code VARCHAR(3) NOT NULL, region INT,"
                            + " name VARCHAR(20))",
                    "INSERT INTO currency VALUES (1, 'CHF', 1, 'Franc'), (2, 'USD', 1, 'Euro'), (3, 'GBP', 2, 'Pound'),"
                            + " (4, 'USD', 2, 'Dollar')");
            List<String> before = Databases.content(target, "currency");

            assertThatThrownBy(() -> Databases.dsynq(target, tmp, List.of()).diff(Databases.against(source)))
                    .isInstanceOf(DsynqException.class)
                    .hasMessageStartingWith("table currency: the delta gives rows (id='2') and (id='4') the values"
                            + " (code='USD') and (code='USD') of unique index uq_code, which the target (db, ")
                    .hasMessageEndingWith(" holds in one row only (its collation may ignore case, accents or"
                            + " trailing spaces), so the apply would fail. Change one of the source's rows, or give the"
                            + " index's columns a collation that tells them apart");
            assertThat(tmp.resolve("db/delta")).doesNotExist();
            assertThat(Databases.content(target, "currency")).isEqualTo(before);

            if (engine == Engine.MARIADB) {
                source.execute("UPDATE currency SET code = 'usd' WHERE id = 4");
                assertThatThrownBy(() -> Databases.dsynq(target, tmp, List.of()).diff(Databases.against(source)))
                        .hasMessageStartingWith("table currency: the delta gives rows (id='2') and (id='4') the values"
                                + " (code='USD') and (code='usd') of unique index ");
                target.execute("DELETE FROM currency");
                assertThatThrownBy(() -> Databases.dsynq(target, tmp, List.of()).diff(Databases.against(source)))
                        .hasMessageStartingWith("table currency: the delta gives rows (id='2') and (id='4') the values"
                                + " (code='USD') and (code='usd') of unique index ");
                // a source that keeps the codes unique as its collation compares them, not as the target's does
                source.execute("CREATE UNIQUE INDEX uq_source_code ON currency (code)");
                assertThatThrownBy(() -> Databases.dsynq(target, tmp, List.of()).diff(Databases.against(source)))
                        .hasMessageStartingWith("table currency: the delta gives rows (id='2') and (id='4') the values"
                                + " (code='USD') and (code='usd') of unique index ");
            }
        }
    }

    /**
     * A declared key with a NULL part: the row holding the value was looked for among the rows whose key is not the
     * claimer's, which NULL made unknown, so the holder was missed and the apply failed.
     */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void aValueHeldByARowWhoseDeclaredKeyDiffersInANull(Engine engine) throws Exception {
        try (TestDatabase target = Databases.create(engine);
                TestDatabase source = Databases.create(engine)) {
            for (TestDatabase database : List.of(target, source)) {
                database.execute("CREATE TABLE t (code VARCHAR(5), region INT, u INT, CONSTRAINT uu UNIQUE (u))");
            }
            target.execute("INSERT INTO t VALUES ('A', 1, 7)");
            source.execute("INSERT INTO t VALUES ('A', NULL, 7)");

            assertThatThrownBy(() -> Databases.dsynq(target, tmp, List.of("t:code+region"))
                            .diff(Databases.against(source)))
                    .isInstanceOf(DsynqException.class)
                    .hasMessageStartingWith("table t: the delta gives row (code='A', region=NULL) the values (u='7') of"
                            + " unique index uu, which row (code='A', region='1') of the target (db, ");
            assertThat(tmp.resolve("db/delta")).doesNotExist();

            // updated rows whose keys hold NULL, taking a value another gives up: chains, which apply and roll back
            List<String[]> chains = List.of(
                    new String[] {"('A', NULL, 7), ('B', NULL, 8)", "('A', NULL, 8), ('B', NULL, 9)"},
                    new String[] {"('A', 1, 7), ('B', NULL, 8)", "('A', 1, 9), ('B', NULL, 7)"});
            for (String[] rows : chains) {
                // deltas of their own: a delta rolled back is pending again
                Dsynq dsynq =
                        Databases.dsynq(target, tmp.resolve("chain" + chains.indexOf(rows)), List.of("t:code+region"));
                target.execute("DELETE FROM t", "INSERT INTO t VALUES " + rows[0]);
                source.execute("DELETE FROM t", "INSERT INTO t VALUES " + rows[1]);
                List<String> before = Databases.content(target, "t");
                assertThat(dsynq.diff(Databases.against(source)).tables())
                        .extracting(d -> d.inserts() + " " + d.updates() + " " + d.deletes())
                        .containsExactly("0 2 0");
                dsynq.apply(ApplyRequest.latest());
                assertThat(Databases.content(target, "t")).isEqualTo(Databases.content(source, "t"));
                dsynq.apply(ApplyRequest.offset(-1));
                assertThat(Databases.content(target, "t")).isEqualTo(before);
            }
        }
    }

    /**
     * An index {@code NULLS NOT DISTINCT} holds NULL once, as any value: the diff took a NULL to meet no other row's,
     * and wrote deltas the apply failed on, giving NULL to a row while another held it, or to two rows; an update
     * taking the NULL another gives up is a chain, which applies and rolls back.
     */
    @ParameterizedTest
    @EnumSource(
            value = Engine.class,
            names = {"H2", "POSTGRESQL"})
    void nullsNotDistinctMeetAsValues(Engine engine) throws Exception {
        try (TestDatabase target = Databases.create(engine);
                TestDatabase source = Databases.create(engine)) {
            String table = "CREATE TABLE t (id INT PRIMARY KEY, code VARCHAR(5), r INT,"
                    + " CONSTRAINT uq UNIQUE NULLS NOT DISTINCT (code, r))";
            target.execute(table, "INSERT INTO t VALUES (1, 'A', NULL), (2, 'B', 1)");
            source.execute(table, "INSERT INTO t VALUES (3, 'A', NULL), (2, 'B', 1)");
            Dsynq dsynq = Databases.dsynq(target, tmp, List.of());

            assertThatThrownBy(() -> dsynq.diff(Databases.against(source)))
                    .isInstanceOf(DsynqException.class)
                    .hasMessageStartingWith("table t: the delta gives row (id='3') the values (code='A', r=NULL) of"
                            + " unique index uq, which row (id='1') of the target (db, ");

            // the source's index holds NULLs distinct: it keeps the values unique, but not the NULLs
            source.execute(
                    "DROP TABLE t",
                    "CREATE TABLE t (id INT PRIMARY KEY, code VARCHAR(5), r INT, CONSTRAINT us UNIQUE (code, r))");
            source.execute("INSERT INTO t VALUES (1, 'A', NULL), (2, 'B', 1), (3, 'C', NULL), (4, 'C', NULL)");
            assertThatThrownBy(() -> dsynq.diff(Databases.against(source)))
                    .isInstanceOf(DsynqException.class)
                    .hasMessageStartingWith("table t: the delta gives rows (id='3') and (id='4') the values"
                            + " (code='C', r=NULL) and (code='C', r=NULL) of unique index uq, which the target (db, ");
            assertThat(tmp.resolve("db/delta")).doesNotExist();

            // a chain: row 1 takes the NULL row 2 gives up, and back
            for (TestDatabase database : List.of(target, source)) {
                database.execute("CREATE TABLE c (id INT PRIMARY KEY, code VARCHAR(5), CONSTRAINT uc UNIQUE NULLS NOT"
                        + " DISTINCT (code))");
            }
            target.execute("INSERT INTO c VALUES (1, 'A'), (2, NULL)");
            source.execute("INSERT INTO c VALUES (1, NULL), (2, 'B')");
            List<String> before = Databases.content(target, "c");
            assertThat(dsynq.diff(Databases.against(source).tables(List.of("c"), List.of()))
                            .tables())
                    .extracting(d -> d.inserts() + " " + d.updates() + " " + d.deletes())
                    .containsExactly("0 2 0");
            dsynq.apply(ApplyRequest.latest());
            assertThat(Databases.content(target, "c")).isEqualTo(Databases.content(source, "c"));
            dsynq.apply(ApplyRequest.offset(-1));
            assertThat(Databases.content(target, "c")).isEqualTo(before);
        }
    }

    /**
     * H2's {@code NULLS ALL DISTINCT} (a plain {@code UNIQUE} in its Oracle mode) holds a NULL as a value unless all
     * the index's values are NULL: taken for NULLs distinct, a NULL another row held went unseen.
     */
    @Test
    void h2NullsAllDistinctMeetUnlessAllAreNull() throws Exception {
        try (TestDatabase target = Databases.create(Engine.H2);
                TestDatabase source = Databases.create(Engine.H2)) {
            for (TestDatabase database : List.of(target, source)) {
                database.execute(
                        "CREATE TABLE t (id INT PRIMARY KEY, a INT, b INT, CONSTRAINT u UNIQUE NULLS ALL DISTINCT (a, b))");
            }
            target.execute("INSERT INTO t VALUES (1, 1, NULL), (2, NULL, NULL)");
            source.execute("INSERT INTO t VALUES (3, 1, NULL), (2, NULL, NULL), (4, NULL, NULL)");
            Dsynq dsynq = Databases.dsynq(target, tmp, List.of());

            assertThatThrownBy(() -> dsynq.diff(Databases.against(source)))
                    .isInstanceOf(DsynqException.class)
                    .hasMessageStartingWith("table t: the delta gives row (id='3') the values (a='1', b=NULL) of unique"
                            + " index u, which row (id='1') of the target (db, ");
            source.execute("UPDATE t SET a = 2 WHERE id = 3");
            dsynq.diff(Databases.against(source));
            dsynq.apply(ApplyRequest.latest());
            assertThat(Databases.content(target, "t")).isEqualTo(Databases.content(source, "t"));

            // two rows the delta gives one value with NULLs: the source's index over fewer of the columns, which
            // holds (NULL, NULL) apart as all NULL, does not keep (NULL, NULL, 1) unique
            target.execute("CREATE TABLE w (id INT PRIMARY KEY, a INT, b INT, c INT, CONSTRAINT uw UNIQUE NULLS ALL"
                    + " DISTINCT (a, b, c))");
            source.execute(
                    "CREATE TABLE w (id INT PRIMARY KEY, a INT, b INT, c INT, CONSTRAINT sw UNIQUE NULLS ALL DISTINCT"
                            + " (a, b))",
                    "INSERT INTO w VALUES (1, NULL, NULL, 1), (2, NULL, NULL, 1)");
            assertThatThrownBy(() -> dsynq.diff(Databases.against(source).tables(List.of("w"), List.of())))
                    .isInstanceOf(DsynqException.class)
                    .hasMessageStartingWith("table w: the delta gives rows (id='1') and (id='2') the values (a=NULL,"
                            + " b=NULL, c='1') and (a=NULL, b=NULL, c='1') of unique index uw, which the target (db, ");
        }
    }

    /**
     * H2's unique indexes as H2 keeps them: a HASH index is unique too, and a constraint may share its name with
     * another index (they are named apart), whose columns were taken for one index of both.
     */
    @Test
    void h2UniqueIndexesOfEveryKind() throws Exception {
        try (TestDatabase target = Databases.create(Engine.H2);
                TestDatabase source = Databases.create(Engine.H2)) {
            for (TestDatabase database : List.of(target, source)) {
                database.execute(
                        "CREATE TABLE m (id INT PRIMARY KEY, code VARCHAR(3), a INT, c INT, CONSTRAINT uq_a UNIQUE (a))",
                        "CREATE UNIQUE HASH INDEX hx ON m (code)",
                        "CREATE UNIQUE INDEX uq_a ON m (c)");
            }
            target.execute("INSERT INTO m VALUES (2, 'EUR', 1, 1)");
            source.execute("INSERT INTO m VALUES (5, 'EUR', 2, 2)");
            Dsynq dsynq = Databases.dsynq(target, tmp, List.of());

            assertThatThrownBy(() -> dsynq.diff(Databases.against(source)))
                    .isInstanceOf(DsynqException.class)
                    .hasMessageStartingWith("table m: the delta gives row (id='5') the values (code='EUR') of unique"
                            + " index hx, which row (id='2') of the target (db, ");
            source.execute("UPDATE m SET code = 'USD', c = 1");
            assertThatThrownBy(() -> dsynq.diff(Databases.against(source)))
                    .isInstanceOf(DsynqException.class)
                    .hasMessageStartingWith("table m: the delta gives row (id='5') the values (c='1') of unique"
                            + " index uq_a, which row (id='2') of the target (db, ");
        }
    }

    /**
     * The advice follows what the delta does with the row holding the values: one it keeps means the source holds
     * them twice, where deleting the target's row would not help; one it updates is updated after the inserts.
     */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void theAdviceFollowsWhatTheDeltaDoesWithTheHolder(Engine engine) throws Exception {
        try (TestDatabase target = Databases.create(engine);
                TestDatabase source = Databases.create(Engine.POSTGRESQL)) {
            target.execute(TABLE, "INSERT INTO currency VALUES (1, 'CHF', 1, 'Franc'), (2, 'EUR', 1, 'Euro')");
            source.execute(
                    "CREATE TABLE currency (id INT PRIMARY KEY, code VARCHAR(3) NOT NULL, region INT,"
                            + " name VARCHAR(20))",
                    "INSERT INTO currency VALUES (1, 'CHF', 1, 'Franc'), (2, 'EUR', 1, 'Euro'), (3, 'EUR', 2, 'Euro')");
            Dsynq dsynq = Databases.dsynq(target, tmp, List.of());

            assertThatThrownBy(() -> dsynq.diff(Databases.against(source)))
                    .isInstanceOf(DsynqException.class)
                    .hasMessageStartingWith("table currency: the delta gives row (id='3') the values (code='EUR') of"
                            + " unique index uq_code, which row (id='2') of the target (db, ")
                    .hasMessageEndingWith(" holds and the delta keeps, so the target would hold them twice. Change"
                            + " one of the source's rows");
            source.execute("UPDATE currency SET code = 'GBP' WHERE id = 2");
            assertThatThrownBy(() -> dsynq.diff(Databases.against(source)))
                    .isInstanceOf(DsynqException.class)
                    .hasMessageStartingWith("table currency: the delta gives row (id='3') the values (code='EUR') of"
                            + " unique index uq_code, which row (id='2') of the target (db, ")
                    .hasMessageEndingWith(" holds until the delta updates it; a delta inserts before it updates, so the"
                            + " apply would fail. Change the target's row first, then diff again");
            assertThat(tmp.resolve("db/delta")).doesNotExist();
        }
    }

    /**
     * A {@code CHAR(n)} column pads its text with spaces, so {@code 'a'} and {@code 'a '} are one value there: the
     * message showed both as the target pads them ({@code 'a  '} twice) and advised a collation, which cannot help.
     */
    @ParameterizedTest
    @EnumSource(
            value = Engine.class,
            names = {"H2", "POSTGRESQL"})
    void twoValuesACharColumnPadsAlike(Engine engine) throws Exception {
        try (TestDatabase target = Databases.create(engine);
                TestDatabase source = Databases.create(Engine.POSTGRESQL)) {
            target.execute("CREATE TABLE m (id INT PRIMARY KEY, code CHAR(3), CONSTRAINT uc UNIQUE (code))");
            source.execute(
                    "CREATE TABLE m (id INT PRIMARY KEY, code VARCHAR(3))", "INSERT INTO m VALUES (1, 'a'), (2, 'a ')");

            assertThatThrownBy(() -> Databases.dsynq(target, tmp, List.of()).diff(Databases.against(source)))
                    .isInstanceOf(DsynqException.class)
                    .hasMessageStartingWith("table m: the delta gives rows (id='1') and (id='2') the values (code='a')"
                            + " and (code='a ') of unique index uc, which the target (db, ")
                    .hasMessageEndingWith(
                            " holds in one row only (its type pads text with spaces to its length), so the"
                                    + " apply would fail. Change one of the source's rows");
        }
    }

    /** Keys the source tells apart and the target's collation takes for one: both inserted, the apply would fail. */
    @Test
    void twoKeysTheDeltaInsertsThatTheTargetTakesForOne() throws Exception {
        try (TestDatabase target = Databases.create(Engine.MARIADB);
                TestDatabase source = Databases.create(Engine.POSTGRESQL)) {
            target.execute("CREATE TABLE cur (code VARCHAR(10) PRIMARY KEY, name VARCHAR(20))");
            source.execute(
                    "CREATE TABLE cur (code VARCHAR(10) PRIMARY KEY, name VARCHAR(20))",
                    "INSERT INTO cur VALUES ('a', 'lower'), ('A', 'upper'), ('b', 'plain')");

            assertThatThrownBy(() -> Databases.dsynq(target, tmp, List.of()).diff(Databases.against(source)))
                    .isInstanceOf(DsynqException.class)
                    .hasMessage("table cur: the delta inserts rows (code='A') and (code='a'), whose keys the target"
                            + " (db, MariaDB) takes for one, as its collation ignores case, accents or trailing spaces;"
                            + " it cannot hold both. Give its key a collation that tells them apart, or leave one of"
                            + " the rows out of the source");
            assertThat(tmp.resolve("db/delta")).doesNotExist();

            source.execute("DELETE FROM cur WHERE code = 'A'");
            assertThat(Databases.dsynq(target, tmp, List.of())
                            .diff(Databases.against(source))
                            .tables())
                    .extracting(DiffResult.TableDiff::inserts)
                    .containsExactly(2L);
        }
    }

    /**
     * A key declared with dsynq.keys has no index, but the apply finds rows by it and cannot tell apart keys the
     * target's collation takes for one, NULL in part or not. The check for keys inserted twice failed on such a NULL
     * (IndexOutOfBoundsException).
     */
    @Test
    void keysDeclaredTwiceUnderTheTargetsCollation() throws Exception {
        try (TestDatabase target = Databases.create(Engine.H2);
                TestDatabase source = Databases.create(Engine.POSTGRESQL)) {
            target.execute("CREATE TABLE t (code VARCHAR_IGNORECASE(10), region INT, v INT)");
            source.execute(
                    "CREATE TABLE t (code VARCHAR(10), region INT, v INT)",
                    "INSERT INTO t VALUES ('a', NULL, 1), ('A', NULL, 2)");

            Dsynq dsynq = Databases.dsynq(target, tmp, List.of("t:code+region"));
            assertThatThrownBy(() -> dsynq.diff(Databases.against(source)))
                    .isInstanceOf(DsynqException.class)
                    .hasMessage("table t: the delta inserts rows (code='A', region=NULL) and (code='a', region=NULL),"
                            + " whose keys the target (db, H2) takes for one, as its collation ignores case, accents or"
                            + " trailing spaces; the apply could not tell them apart (declared with dsynq.keys). Give"
                            + " its key a collation that tells them apart, or leave one of the rows out of the source");
            assertThat(tmp.resolve("db/delta")).doesNotExist();
        }
    }

    /**
     * Values that, read and bound again, find no row: a MariaDB FLOAT (1.1 is not the float it holds), a NaN. The
     * check for two rows of one value failed on them (IndexOutOfBoundsException, IllegalStateException).
     */
    @ParameterizedTest
    @EnumSource(
            value = Engine.class,
            names = {"POSTGRESQL", "MARIADB"})
    void twoRowsTheDeltaGivesOneValueThatDoesNotReadBack(Engine engine) throws Exception {
        try (TestDatabase target = Databases.create(engine);
                TestDatabase source = Databases.create(Engine.POSTGRESQL)) {
            boolean maria = engine == Engine.MARIADB;
            target.execute("CREATE TABLE m (id INT PRIMARY KEY, f " + (maria ? "FLOAT" : "NUMERIC")
                    + ", CONSTRAINT uf UNIQUE (f))");
            source.execute(
                    "CREATE TABLE m (id INT PRIMARY KEY, f " + (maria ? "REAL" : "NUMERIC") + ")",
                    "INSERT INTO m VALUES (2, " + (maria ? "1.1" : "'NaN'") + "), (3, " + (maria ? "1.1" : "'NaN'")
                            + ")");

            assertThatThrownBy(() -> Databases.dsynq(target, tmp, List.of()).diff(Databases.against(source)))
                    .isInstanceOf(DsynqException.class)
                    .hasMessageStartingWith("table m: the delta gives rows (id='2') and (id='3') the values (f='"
                            + (maria ? "1.1" : "NaN") + "') and (f='" + (maria ? "1.1" : "NaN")
                            + "') of unique index ");
            assertThat(tmp.resolve("db/delta")).doesNotExist();
        }
    }

    /**
     * A single-precision float the target holds in a row the delta deletes, given to a row the delta inserts: asked
     * for as the double it reads as ({@code 1.1}), the target found no row holding it, and the apply failed.
     */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void aFloatARowHoldsUntilTheDeltaDeletesIt(Engine engine) throws Exception {
        try (TestDatabase target = Databases.create(engine);
                TestDatabase source = Databases.create(engine)) {
            String table = "CREATE TABLE m (id INT PRIMARY KEY, f " + (engine == Engine.MARIADB ? "FLOAT" : "REAL")
                    + ", CONSTRAINT uf UNIQUE (f))";
            target.execute(table, "INSERT INTO m VALUES (2, 1.1)");
            source.execute(table, "INSERT INTO m VALUES (5, 1.1)");

            assertThatThrownBy(() -> Databases.dsynq(target, tmp, List.of()).diff(Databases.against(source)))
                    .isInstanceOf(DsynqException.class)
                    .hasMessageStartingWith(
                            "table m: the delta gives row (id='5') the values (f='1.1') of unique index ")
                    .hasMessageContaining("which row (id='2') of the target (db, ");
            assertThat(tmp.resolve("db/delta")).doesNotExist();
        }
    }

    /**
     * PostgreSQL's driver names an index's columns as their expressions with the outer quotes trimmed: a name with a
     * quote in it ({@code co"de}, as {@code co""de}) was taken for an expression, its index neither checked nor the
     * key of a table without a primary key; and the columns an index only INCLUDEs were taken for its key, so values
     * it holds once were checked only together with them.
     */
    @Test
    void postgresUniqueIndexesAsTheServerDefinesThem() throws Exception {
        try (TestDatabase target = Databases.create(Engine.POSTGRESQL);
                TestDatabase source = Databases.create(Engine.POSTGRESQL)) {
            for (TestDatabase database : List.of(target, source)) {
                database.execute(
                        "CREATE TABLE m (id INT PRIMARY KEY, \"Co\"\"de\" VARCHAR(3), CONSTRAINT uq UNIQUE (\"Co\"\"de\"))",
                        "CREATE TABLE k (\"or\"\"der\" INT NOT NULL, v INT, CONSTRAINT uk UNIQUE (\"or\"\"der\"))");
            }
            target.execute(
                    "INSERT INTO m VALUES (2, 'EUR')",
                    "INSERT INTO k VALUES (1, 1), (2, 2)",
                    "CREATE TABLE i (id INT PRIMARY KEY, code VARCHAR(3), name VARCHAR(10))",
                    "CREATE UNIQUE INDEX ui ON i (code) INCLUDE (name)");
            source.execute(
                    "INSERT INTO m VALUES (5, 'EUR')",
                    "INSERT INTO k VALUES (1, 1), (2, 3)",
                    "CREATE TABLE i (id INT PRIMARY KEY, code VARCHAR(3), name VARCHAR(10))",
                    "INSERT INTO i VALUES (1, 'EUR', 'Euro'), (2, 'EUR', 'euro')");
            Dsynq dsynq = Databases.dsynq(target, tmp, List.of());

            assertThatThrownBy(() -> dsynq.diff(Databases.against(source).tables(List.of("m"), List.of())))
                    .isInstanceOf(DsynqException.class)
                    .hasMessageStartingWith("table m: the delta gives row (id='5') the values (Co\"de='EUR') of unique"
                            + " index uq, which row (id='2') of the target (db, ");
            assertThatThrownBy(() -> dsynq.diff(Databases.against(source).tables(List.of("i"), List.of())))
                    .isInstanceOf(DsynqException.class)
                    .hasMessageStartingWith(
                            "table i: the delta gives rows (id='1') and (id='2') the values (code='EUR')"
                                    + " and (code='EUR') of unique index ui");
            DiffResult keyed = dsynq.diff(Databases.against(source).tables(List.of("k"), List.of()));
            assertThat(keyed.folder().resolve("k.u.csv")).hasContent("\"or\"\"der\",v\n2,3");
        }
    }

    /**
     * A PostgreSQL target whose column has a nondeterministic collation takes {@code 'USD'} and {@code 'usd'} for one,
     * as MariaDB's default collations do: its keys and unique values were compared as bytes, and the deltas failed
     * at apply.
     */
    @Test
    void postgresNondeterministicCollationsTakeKeysAndValuesForOne() throws Exception {
        try (TestDatabase target = Databases.create(Engine.POSTGRESQL);
                TestDatabase source = Databases.create(Engine.POSTGRESQL)) {
            target.execute(
                    "CREATE COLLATION ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false)",
                    "CREATE TABLE cur (code VARCHAR(10) COLLATE ci PRIMARY KEY, v INT)",
                    "CREATE TABLE uq (id INT PRIMARY KEY, code VARCHAR(10) COLLATE ci, CONSTRAINT uq_code UNIQUE"
                            + " (code))",
                    "INSERT INTO cur VALUES ('eur', 1)");
            source.execute(
                    "CREATE TABLE cur (code VARCHAR(10) PRIMARY KEY, v INT)",
                    "CREATE TABLE uq (id INT PRIMARY KEY, code VARCHAR(10), CONSTRAINT uq_source UNIQUE (code))",
                    "INSERT INTO cur VALUES ('EUR', 1)",
                    "INSERT INTO uq VALUES (2, 'USD'), (3, 'usd')");
            Dsynq dsynq = Databases.dsynq(target, tmp, List.of());

            assertThatThrownBy(() -> dsynq.diff(Databases.against(source).tables(List.of("cur"), List.of())))
                    .hasMessageStartingWith("table cur: the target (db, PostgreSQL) takes the source's key"
                            + " (code='EUR') for its own (code='eur')");
            source.execute("DELETE FROM cur", "INSERT INTO cur VALUES ('USD', 1), ('usd', 2)");
            assertThatThrownBy(() -> dsynq.diff(Databases.against(source).tables(List.of("cur"), List.of())))
                    .hasMessageStartingWith("table cur: the delta inserts rows (code='USD') and (code='usd'), whose"
                            + " keys the target (db, PostgreSQL) takes for one");
            assertThatThrownBy(() -> dsynq.diff(Databases.against(source).tables(List.of("uq"), List.of())))
                    .hasMessageStartingWith("table uq: the delta gives rows (id='2') and (id='3') the values"
                            + " (code='USD') and (code='usd') of unique index uq_code");
            assertThat(tmp.resolve("db/delta")).doesNotExist();
        }
    }

    /**
     * A value of a unique column that the target's type refuses (a domain's CHECK), met as the rows the delta gives
     * are loaded to be grouped: the diff said the database refused "line 2" of a file of its own.
     */
    @Test
    void aValueTheTargetRefusesIsNamedByItsRow() throws Exception {
        try (TestDatabase target = Databases.create(Engine.POSTGRESQL);
                TestDatabase source = Databases.create(Engine.POSTGRESQL)) {
            target.execute(
                    "CREATE DOMAIN code3 AS VARCHAR(3) CHECK (VALUE <> 'BAD')",
                    "CREATE TABLE t (id INT PRIMARY KEY, code code3, CONSTRAINT uq UNIQUE (code))",
                    "INSERT INTO t VALUES (1, 'EUR')");
            source.execute(
                    "CREATE TABLE t (id INT PRIMARY KEY, code VARCHAR(3))",
                    "INSERT INTO t VALUES (1, 'EUR'), (2, 'USD'), (3, 'BAD'), (4, 'CHF')");

            assertThatThrownBy(() -> Databases.dsynq(target, tmp, List.of()).diff(Databases.against(source)))
                    .isInstanceOf(DsynqException.class)
                    .hasMessage("table t: the target (db, PostgreSQL) refuses the values (code='BAD') the delta gives"
                            + " row (id='3'): ERROR: value for domain code3 violates check constraint"
                            + " \"code3_check\"");
            assertThat(tmp.resolve("db/delta")).doesNotExist();
        }
    }

    /**
     * A PostgreSQL index with a collation other than its column's holds values as its own collation compares them,
     * which the diff does not: such an index is left to the apply, as one over an expression is. Checked under the
     * column's collation, a delta the target takes was refused ({@code 'eur'} and {@code 'EUR'} under
     * {@code COLLATE "C"} in a case-blind column), and the index made the key of a table without one.
     */
    @Test
    void postgresIndexesWithACollationOfTheirOwnAreLeftToTheApply() throws Exception {
        try (TestDatabase target = Databases.create(Engine.POSTGRESQL);
                TestDatabase source = Databases.create(Engine.POSTGRESQL)) {
            target.execute(
                    "CREATE COLLATION ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false)",
                    "CREATE TABLE t (id INT PRIMARY KEY, code VARCHAR(10) COLLATE ci)",
                    "CREATE UNIQUE INDEX uq ON t (code COLLATE \"C\")",
                    "INSERT INTO t VALUES (1, 'eur')",
                    "CREATE TABLE k (code VARCHAR(10) NOT NULL, v INT)",
                    "CREATE UNIQUE INDEX uk ON k (code COLLATE ci)");
            source.execute(
                    "CREATE TABLE t (id INT PRIMARY KEY, code VARCHAR(10))",
                    "INSERT INTO t VALUES (1, 'eur'), (2, 'EUR')",
                    "CREATE TABLE k (code VARCHAR(10) NOT NULL, v INT)");
            Dsynq dsynq = Databases.dsynq(target, tmp, List.of());

            dsynq.diff(Databases.against(source).tables(List.of("t"), List.of()));
            dsynq.apply(ApplyRequest.latest());
            assertThat(Databases.content(target, "t")).isEqualTo(Databases.content(source, "t"));
            assertThatThrownBy(() -> dsynq.diff(Databases.against(source).tables(List.of("k"), List.of())))
                    .isInstanceOf(DsynqException.class)
                    .hasMessageStartingWith("table k has no");
        }
    }

    /** A decimal NaN no parameter binds, in a unique index: the diff failed asking the target who held it. */
    @Test
    void aUniqueNaNIsLeftToTheApply() throws Exception {
        try (TestDatabase target = Databases.create(Engine.POSTGRESQL);
                TestDatabase source = Databases.create(Engine.POSTGRESQL)) {
            for (TestDatabase database : List.of(target, source)) {
                database.execute(
                        "CREATE TABLE m (id INT PRIMARY KEY, n NUMERIC, CONSTRAINT un UNIQUE (n))",
                        "INSERT INTO m VALUES (1, 1)");
            }
            source.execute("INSERT INTO m VALUES (2, 'NaN')");

            Dsynq dsynq = Databases.dsynq(target, tmp, List.of());
            assertThat(dsynq.diff(Databases.against(source)).tables())
                    .extracting(DiffResult.TableDiff::inserts)
                    .containsExactly(1L);
            dsynq.apply(ApplyRequest.latest());
            assertThat(Databases.content(target, "m")).isEqualTo(Databases.content(source, "m"));
        }
    }

    /** The diff fails with a message holding each of {@code message}, the last at its end, and writes nothing. */
    private void assertRefused(Engine engine, String targetRows, String sourceRows, String... message)
            throws Exception {
        try (TestDatabase target = Databases.create(engine);
                TestDatabase source = Databases.create(engine)) {
            target.execute(TABLE, targetRows);
            source.execute(TABLE, sourceRows);
            List<String> before = Databases.content(target, "currency");

            assertThatThrownBy(() -> Databases.dsynq(target, tmp, List.of()).diff(Databases.against(source)))
                    .isInstanceOf(DsynqException.class)
                    .hasMessageStartingWith("table currency: ")
                    .hasMessageContainingAll(message)
                    .hasMessageEndingWith(message[message.length - 1]);
            assertThat(tmp.resolve("db/delta")).doesNotExist();
            assertThat(Databases.content(target, "currency")).isEqualTo(before);
        }
    }
}
