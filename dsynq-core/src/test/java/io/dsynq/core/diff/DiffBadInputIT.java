package io.dsynq.core.diff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dsynq.core.ApplyRequest;
import io.dsynq.core.Dsynq;
import io.dsynq.core.DsynqException;
import io.dsynq.core.jdbc.ConnectionSpec;
import io.dsynq.core.testing.Engine;
import io.dsynq.core.testing.TestDatabase;
import io.dsynq.core.testing.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Input a diff cannot work with: one clear error each, and no delta written. */
class DiffBadInputIT {

    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(Engine.class)
    void anUnreachableSource(Engine engine) throws Exception {
        try (TestDatabase target = Databases.create(engine)) {
            target.execute("CREATE TABLE item (id INT PRIMARY KEY)");
            DiffRequest request = DiffRequest.against(
                    "production",
                    new ConnectionSpec("jdbc:postgresql://127.0.0.1:1/nowhere?connectTimeout=2", "u", "secret"));

            assertThatThrownBy(() -> dsynq(target).diff(request))
                    .isInstanceOf(DsynqException.class)
                    .hasMessage("database source production (jdbc:postgresql://127.0.0.1:1/nowhere?connectTimeout=2):"
                            + " connection refused: is the server running and listening there?");
            assertThat(tmp.resolve("deltas")).doesNotExist();
        }
    }

    /** A MariaDB URL that names no database made the diff compare the tables of every database on the server. */
    @Test
    void aMariaDbSourceThatNamesNoDatabase() throws Exception {
        try (TestDatabase target = Databases.create(Engine.MARIADB);
                TestDatabase source = Databases.create(Engine.MARIADB)) {
            target.execute("CREATE TABLE item (id INT PRIMARY KEY)");
            String server = source.url().replaceFirst("/" + source.name() + "(\\?|$)", "/$1");
            DiffRequest request =
                    DiffRequest.against("production", new ConnectionSpec(server, source.username(), source.password()));

            assertThatThrownBy(() -> dsynq(target).diff(request))
                    .isInstanceOf(DsynqException.class)
                    .hasMessage("database source production (" + ConnectionSpec.redact(server) + "): the URL names no"
                            + " database; add one after the host (jdbc:mariadb://host:3306/database)");
            assertThat(tmp.resolve("deltas")).doesNotExist();
        }
    }

    /**
     * MariaDB shows a user only the tables and columns it has a privilege on: a source whose user may not read table
     * tag, or its column label, was told "table tag exists in the target but not in the source; create it there"
     * and "only the target has label", where both were there. The messages now name the privilege too.
     */
    @Test
    void aMariaDbSourceWhoseUserMayNotReadATableOrColumn() throws Exception {
        try (TestDatabase target = Databases.create(Engine.MARIADB);
                TestDatabase source = TestServers.create(Engine.MARIADB, null, "dsynq_diffp_")) {
            for (TestDatabase database : List.of(target, source)) {
                database.execute(
                        "CREATE TABLE item (id INT PRIMARY KEY)", "CREATE TABLE tag (id INT PRIMARY KEY, label TEXT)");
            }
            String user = source.name() + "_u";
            source.execute(
                    "CREATE USER '" + user + "'@'%' IDENTIFIED BY 'secret'",
                    "GRANT SELECT ON " + source.name() + ".item TO '" + user + "'@'%'");
            try {
                DiffRequest request =
                        DiffRequest.against("production", new ConnectionSpec(source.url(), user, "secret"));

                assertThatThrownBy(() -> dsynq(target).diff(request))
                        .hasMessage("table tag exists in the target (db, MariaDB) but not in the source (production,"
                                + " MariaDB); create it there, grant its user there SELECT on it (MariaDB/MySQL shows"
                                + " a user only the tables it has a privilege on) or leave it out with"
                                + " -Ddsynq.exclude=tag");
                source.execute("GRANT SELECT (id) ON " + source.name() + ".tag TO '" + user + "'@'%'");
                assertThatThrownBy(() -> dsynq(target).diff(request))
                        .hasMessage("table tag has different columns on both sides: only the target (db, MariaDB) has"
                                + " label; dsynq compares tables of the same columns (the source (production,"
                                + " MariaDB) shows its user only the columns it has a privilege on: grant it SELECT"
                                + " on tag)");
                // SELECT on the database through its default role: it sees every table, and tag is not there
                String role = source.name() + "_r";
                source.execute(
                        "CREATE ROLE " + role,
                        "GRANT SELECT ON " + source.name() + ".* TO " + role,
                        "GRANT " + role + " TO '" + user + "'@'%'",
                        "SET DEFAULT ROLE " + role + " FOR '" + user + "'@'%'",
                        "DROP TABLE tag");
                try {
                    assertThatThrownBy(() -> dsynq(target).diff(request))
                            .hasMessage(
                                    "table tag exists in the target (db, MariaDB) but not in the source (production,"
                                            + " MariaDB); create it there or leave it out with -Ddsynq.exclude=tag");
                } finally {
                    source.execute("DROP ROLE " + role);
                }
                assertThat(tmp.resolve("deltas")).doesNotExist();
            } finally {
                source.execute("DROP USER '" + user + "'@'%'");
            }
        }
    }

    /**
     * A PostgreSQL source whose user may not read a table, or one of its columns, failed in the middle of the diff with
     * the server's bare "permission denied for table tag".
     */
    @ParameterizedTest
    @EnumSource(
            value = Engine.class,
            names = {"H2", "POSTGRESQL"})
    void aSourceWhoseUserMayNotReadATableOrColumn(Engine engine) throws Exception {
        try (TestDatabase target = Databases.create(engine);
                TestDatabase source = TestServers.create(engine, null, "dsynq_diffp_")) {
            for (TestDatabase database : List.of(target, source)) {
                database.execute(
                        "CREATE TABLE item (id INT PRIMARY KEY)",
                        "CREATE TABLE tag (id INT PRIMARY KEY, label VARCHAR(20))",
                        "INSERT INTO tag VALUES (1, 'one')");
            }
            String user = source.name() + "_u";
            source.execute(
                    (engine == Engine.H2
                                    ? "CREATE USER " + user + " PASSWORD"
                                    : "CREATE ROLE " + user + " LOGIN PASSWORD")
                            + " 'secret'",
                    "GRANT SELECT ON item TO " + user);
            try {
                String url = source.url().replace(";DB_CLOSE_DELAY=-1", "");
                DiffRequest request = DiffRequest.against("production", new ConnectionSpec(url, user, "secret"));

                String side = "the source (production, " + (engine == Engine.H2 ? "H2" : "PostgreSQL") + ")";
                String denied = engine == Engine.H2
                        ? "Not enough rights for object \"PUBLIC.TAG\""
                        : "ERROR: permission denied for table tag";
                assertThatThrownBy(() -> dsynq(target).diff(request))
                        .hasMessage("table tag: " + side + " does not let its"
                                + " user read it (" + denied + "); grant it SELECT on tag there, or leave the table"
                                + " out with -Ddsynq.exclude=tag");
                // a column of it, where the server grants columns
                if (engine == Engine.POSTGRESQL) {
                    source.execute("GRANT SELECT (id) ON tag TO " + user);
                    assertThatThrownBy(() -> dsynq(target).diff(request))
                            .hasMessageContaining("table tag: " + side + " does not let its user read it (");
                }
                assertThat(tmp.resolve("deltas")).doesNotExist();
            } finally {
                source.execute(
                        engine == Engine.H2 ? "DROP USER " + user : "DROP OWNED BY " + user + "; DROP ROLE " + user);
            }
        }
    }

    /** An H2 source is opened only where it exists: a path mistyped made an empty database, and no table matched. */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void anH2SourceThatDoesNotExist(Engine engine) throws Exception {
        try (TestDatabase target = Databases.create(engine)) {
            target.execute("CREATE TABLE item (id INT PRIMARY KEY)");
            Path missing = tmp.resolve("h2/nowhere");
            DiffRequest request =
                    DiffRequest.against("production", new ConnectionSpec("jdbc:h2:file:" + missing, null, null));

            assertThatThrownBy(() -> dsynq(target).diff(request))
                    .isInstanceOf(DsynqException.class)
                    .hasMessageStartingWith(
                            "database source production (jdbc:h2:file:" + missing + "): missing database: ");
            assertThat(tmp.resolve("h2")).doesNotExist();
            assertThat(tmp.resolve("deltas")).doesNotExist();
        }
    }

    /**
     * An in-memory H2 source that its URL's INIT script builds, as a test might hold its expected data, exists only
     * once the connection has made it: opening it only where it existed refused it as missing.
     */
    @Test
    void anInMemoryH2SourceBuiltByItsInitScript() throws Exception {
        try (TestDatabase target = Databases.create(Engine.H2)) {
            target.execute(
                    "CREATE TABLE item (id INT PRIMARY KEY, name VARCHAR(10))", "INSERT INTO item VALUES (1, 'a')");
            Path script = Files.writeString(
                    tmp.resolve("seed.sql"),
                    "CREATE TABLE item (id INT PRIMARY KEY, name VARCHAR(10));\nINSERT INTO item VALUES (1, 'b');\n");
            String url = "jdbc:h2:mem:seed_" + System.nanoTime() + ";INIT=RUNSCRIPT FROM '"
                    + script.toString().replace("\\", "/") + "'";

            DiffResult result =
                    dsynq(target).diff(DiffRequest.against("expected", new ConnectionSpec(url, null, null)));

            assertThat(result.tables())
                    .extracting(t -> t.table() + " " + t.inserts() + " " + t.updates() + " " + t.deletes())
                    .containsExactly("item 0 1 0");
            assertThat(result.folder().resolve("item.u.csv")).hasContent("id,name\n1,b");
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aTableOnOneSideOnly(Engine engine) throws Exception {
        assertFails(
                engine,
                new String[] {"CREATE TABLE item (id INT PRIMARY KEY)", "CREATE TABLE extra (id INT PRIMARY KEY)"},
                new String[] {"CREATE TABLE item (id INT PRIMARY KEY)"},
                List.of(),
                "table extra exists in the target (db, " + name(engine) + ") but not in the source (source, "
                        + name(engine) + "); create it there or leave it out with -Ddsynq.exclude=extra");
    }

    /** A table of one side that the other has as a view: "create it there" alone would fail (a user's walk). */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void aTableTheOtherSideHasAsAView(Engine engine) throws Exception {
        assertFails(
                engine,
                new String[] {"CREATE TABLE item (id INT PRIMARY KEY)", "CREATE VIEW extra AS SELECT id FROM item"},
                new String[] {"CREATE TABLE item (id INT PRIMARY KEY)", "CREATE TABLE extra (id INT PRIMARY KEY)"},
                List.of(),
                "table extra exists in the source (source, " + name(engine) + ") but not in the target (db, "
                        + name(engine) + "), which has a view extra (dsynq compares tables only); create it there or"
                        + " leave it out with -Ddsynq.exclude=extra");
    }

    /** Every table on one side only is named at once: one a run, a user ran the diff once for each. */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void tablesOnOneSideOnly(Engine engine) throws Exception {
        assertFails(
                engine,
                new String[] {
                    "CREATE TABLE item (id INT PRIMARY KEY)",
                    "CREATE TABLE extra (id INT PRIMARY KEY)",
                    "CREATE TABLE extra2 (id INT PRIMARY KEY)"
                },
                new String[] {"CREATE TABLE item (id INT PRIMARY KEY)", "CREATE TABLE mine (id INT PRIMARY KEY)"},
                List.of(),
                "tables extra, extra2 exist in the target (db, " + name(engine) + ") but not in the source (source, "
                        + name(engine) + "); create them there or leave them out with -Ddsynq.exclude=extra,extra2;"
                        + " table mine exists in the source (source, " + name(engine) + ") but not in the target (db, "
                        + name(engine) + "); create it there or leave it out with -Ddsynq.exclude=mine");
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void columnsThatDiffer(Engine engine) throws Exception {
        assertFails(
                engine,
                new String[] {"CREATE TABLE item (id INT PRIMARY KEY, name VARCHAR(10), code INT)"},
                new String[] {"CREATE TABLE item (id INT PRIMARY KEY, name VARCHAR(10), price INT)"},
                List.of(),
                "table item has different columns on both sides: only the target (db, " + name(engine) + ") has "
                        + column(engine, "code") + "; only the source (source, " + name(engine) + ") has "
                        + column(engine, "price") + "; dsynq compares tables of the same columns");
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void keyColumnsThatDiffer(Engine engine) throws Exception {
        assertFails(
                engine,
                new String[] {"CREATE TABLE item (id INT PRIMARY KEY, code INT NOT NULL)"},
                new String[] {"CREATE TABLE item (id INT NOT NULL, code INT PRIMARY KEY)"},
                List.of(),
                "table item has different keys on both sides: (" + column(engine, "id") + ") in the target (db, "
                        + name(engine) + "), (" + column(engine, "code") + ") in the source (source, " + name(engine)
                        + "); to compare by the target's, which the delta's rows are found by, declare it with"
                        + " -Ddsynq.keys=item:id");
    }

    /** The advice of {@link #keyColumnsThatDiffer} works: declared, the target's key is the one compared by. */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void keyColumnsThatDifferWithTheTargetsDeclared(Engine engine) throws Exception {
        try (TestDatabase target = Databases.create(engine);
                TestDatabase source = Databases.create(engine)) {
            target.execute(
                    "CREATE TABLE item (id INT PRIMARY KEY, code INT NOT NULL)", "INSERT INTO item VALUES (1, 10)");
            source.execute(
                    "CREATE TABLE item (id INT NOT NULL, code INT PRIMARY KEY)",
                    "INSERT INTO item VALUES (1, 11), (2, 20)");
            Dsynq dsynq = Databases.dsynq(target, tmp.resolve("deltas"), List.of("item:id"));

            assertThat(dsynq.diff(Databases.against(source)).tables())
                    .extracting(t -> t.inserts() + " " + t.updates() + " " + t.deletes())
                    .containsExactly("1 1 0");
            dsynq.apply(io.dsynq.core.ApplyRequest.latest());
            assertThat(dsynq.diff(Databases.against(source)).differs()).isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aTableWithoutKeyAndNoneDeclared(Engine engine) throws Exception {
        assertFails(
                engine,
                new String[] {"CREATE TABLE item (id INT, name VARCHAR(10))"},
                new String[] {"CREATE TABLE item (id INT, name VARCHAR(10))"},
                List.of(),
                "table item has no primary key and no unique index over NOT NULL columns in the target (db, "
                        + name(engine) + "), so dsynq cannot match its rows; declare a key with"
                        + " -Ddsynq.keys=item:col1+col2 (or <keys><key>item:col1+col2</key></keys>), or item:* to"
                        + " identify rows by all their values");
    }

    /**
     * A declared key two rows hold: the diff said the database "returned key (...) after (...), twice", and blamed
     * the order, where the key was the user's to change.
     */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void aDeclaredKeyTwoRowsHold(Engine engine) throws Exception {
        assertFails(
                engine,
                new String[] {
                    "CREATE TABLE item (code VARCHAR(5), region INT, v INT)",
                    "INSERT INTO item VALUES ('A', NULL, 1), ('A', NULL, 2)"
                },
                new String[] {"CREATE TABLE item (code VARCHAR(5), region INT, v INT)"},
                List.of("item:code+region"),
                "table item: the target (db, " + name(engine) + ") holds two rows with key (code='A', region=NULL),"
                        + " which does not identify its rows; declare a key that does with -Ddsynq.keys=item:col1+col2,"
                        + " or item:* to identify rows by all their values");
    }

    /** A key declared for a table no side has, likely mistyped, is named where the table it was meant for fails. */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void aTableWithoutKeyAndAKeyDeclaredForNoTable(Engine engine) throws Exception {
        assertFails(
                engine,
                new String[] {"CREATE TABLE item (id INT, name VARCHAR(10))"},
                new String[] {"CREATE TABLE item (id INT, name VARCHAR(10))"},
                List.of("itme:id", "tag:*"),
                "table item has no primary key and no unique index over NOT NULL columns in the target (db, "
                        + name(engine) + "), so dsynq cannot match its rows; declare a key with"
                        + " -Ddsynq.keys=item:col1+col2 (or <keys><key>item:col1+col2</key></keys>), or item:* to"
                        + " identify rows by all their values. Keys are declared (dsynq.keys) for itme, tag, which"
                        + " neither the target (db, " + name(engine) + ") nor the source (source, " + name(engine)
                        + ") has");
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void nonKeyColumnsOfIncompatibleKinds(Engine engine) throws Exception {
        String dbl = engine == Engine.MARIADB ? "DOUBLE" : "DOUBLE PRECISION";
        String ts = engine == Engine.MARIADB ? "DATETIME" : "TIMESTAMP";
        for (String[] types : List.of(new String[] {"INT", dbl}, new String[] {"DATE", ts})) {
            try (TestDatabase target = Databases.create(engine);
                    TestDatabase source = Databases.create(engine)) {
                target.execute("CREATE TABLE item (id INT PRIMARY KEY, price " + types[0] + ")");
                source.execute("CREATE TABLE item (id INT PRIMARY KEY, price " + types[1] + ")");

                assertThatThrownBy(() -> dsynq(target).diff(Databases.against(source)))
                        .isInstanceOf(DsynqException.class)
                        .hasMessageStartingWith("table item: column " + column(engine, "price") + " is ")
                        .hasMessageContaining(" in the target (db, " + name(engine) + ") but ")
                        .hasMessageEndingWith(" in the source (source, " + name(engine)
                                + "); dsynq compares columns of the same kind of type");
                assertThat(tmp.resolve("deltas")).doesNotExist();
            }
        }
    }

    /**
     * A type dsynq passes as the server's text compared with a number: PostgreSQL's {@code bit(3)} {@code 101} with
     * MariaDB's {@code BIT(3)} 5 wrote 5 into the {@code bit(3)}, whose apply failed, and its {@code money}
     * {@code $5.00} with a decimal 5.00 differed in every diff again. Now the diff stops naming the column and types.
     */
    @Test
    void aTypePassedAsTextAgainstANumber() throws Exception {
        for (String[] pair : List.of(
                new String[] {"POSTGRESQL", "bit(3)", "MARIADB", "BIT(3)", "the target's bit"},
                new String[] {"MARIADB", "BIT(3)", "POSTGRESQL", "bit(3)", "the source's bit"},
                new String[] {"POSTGRESQL", "money", "MARIADB", "DECIMAL(10,2)", "the target's money"},
                new String[] {"H2", "DECIMAL(10,2)", "POSTGRESQL", "money", "the source's money"})) {
            Engine targetEngine = Engine.valueOf(pair[0]);
            Engine sourceEngine = Engine.valueOf(pair[2]);
            try (TestDatabase target = Databases.create(targetEngine);
                    TestDatabase source = Databases.create(sourceEngine)) {
                target.execute("CREATE TABLE item (id INT PRIMARY KEY, v " + pair[1] + ")");
                source.execute("CREATE TABLE item (id INT PRIMARY KEY, v " + pair[3] + ")");

                assertThatThrownBy(() -> dsynq(target).diff(Databases.against(source)))
                        .isInstanceOf(DsynqException.class)
                        .hasMessageStartingWith("table item: column " + column(targetEngine, "v") + " is ")
                        .hasMessageContaining(" in the target (db, " + name(targetEngine) + ") but ")
                        .hasMessageEndingWith(" in the source (source, " + name(sourceEngine) + "); dsynq passes "
                                + pair[4] + " as the server's text, which differs from the text of a number, a date,"
                                + " a boolean or bytes (PostgreSQL's bit(3) 101 is MariaDB's BIT(3) 5, its money $5.00 a"
                                + " decimal 5.00)");
                assertThat(tmp.resolve("deltas")).doesNotExist();
            }
        }
    }

    /**
     * Intervals go as the server's text, which PostgreSQL and H2 write otherwise: the diff wrote PostgreSQL's into
     * H2's interval, whose apply failed (found by the exploratory test of engine-specific types).
     */
    @Test
    void intervalsOfOtherTypes() throws Exception {
        for (Engine[] pair :
                List.of(new Engine[] {Engine.H2, Engine.POSTGRESQL}, new Engine[] {Engine.POSTGRESQL, Engine.H2})) {
            try (TestDatabase target = Databases.create(pair[0]);
                    TestDatabase source = Databases.create(pair[1])) {
                target.execute("CREATE TABLE item (id INT PRIMARY KEY, v " + interval(pair[0]) + ")");
                source.execute("CREATE TABLE item (id INT PRIMARY KEY, v " + interval(pair[1]) + ")");
                source.execute("INSERT INTO item VALUES (1, INTERVAL '1 02:00:00' DAY TO SECOND)");

                assertThatThrownBy(() -> dsynq(target).diff(Databases.against(source)))
                        .isInstanceOf(DsynqException.class)
                        .hasMessageStartingWith("table item: column " + column(pair[0], "v") + " is ")
                        .hasMessageEndingWith("; dsynq passes intervals as the server's text, which another"
                                + " engine's intervals, or H2's of another type, write otherwise (PostgreSQL's 1 day"
                                + " 02:00:00 is H2's INTERVAL DAY TO SECOND 1 02:00:00)");
                assertThat(tmp.resolve("deltas")).doesNotExist();
            }
        }
        try (TestDatabase target = Databases.create(Engine.POSTGRESQL);
                TestDatabase source = Databases.create(Engine.POSTGRESQL)) {
            for (TestDatabase database : List.of(target, source)) {
                database.execute("CREATE TABLE item (id INT PRIMARY KEY, v INTERVAL)");
            }
            source.execute("INSERT INTO item VALUES (1, INTERVAL '1 day 02:00:00')");
            Dsynq dsynq = dsynq(target);
            dsynq.diff(Databases.against(source));
            dsynq.apply(ApplyRequest.latest());
            assertThat(dsynq.diff(Databases.against(source)).differs()).isFalse();
        }
    }

    /**
     * A source's interval the target's restricted interval would round or cut: the diff wrote {@code 00:00:01.5} for
     * an {@code interval(0)}, whose apply stored {@code 00:00:02}, so that the next diff found the row changed again.
     * Now the diff refuses it naming the row; between columns of one restricted type it compares and applies.
     */
    @Test
    void anIntervalTheTargetsRestrictedIntervalWouldRound() throws Exception {
        assertFails(
                Engine.POSTGRESQL,
                new String[] {"CREATE TABLE item (id INT PRIMARY KEY, v INTERVAL(0))"},
                new String[] {
                    "CREATE TABLE item (id INT PRIMARY KEY, v INTERVAL)", "INSERT INTO item VALUES (1, '1.5 seconds')"
                },
                List.of(),
                "table item, row with key (id='1'): the source's value '00:00:01.5' of column v has digits of seconds"
                        + " beyond the 0 after the point interval(0) holds (dsynq never rounds)");
        assertFails(
                Engine.POSTGRESQL,
                new String[] {"CREATE TABLE item (id INT PRIMARY KEY, v INTERVAL YEAR TO MONTH)"},
                new String[] {
                    "CREATE TABLE item (id INT PRIMARY KEY, v INTERVAL)", "INSERT INTO item VALUES (1, '1 year 2 days')"
                },
                List.of(),
                "table item, row with key (id='1'): the source's value '1 year 2 days' of column v has days, hours,"
                        + " minutes or seconds, which interval year to month does not hold (dsynq never rounds)");
        try (TestDatabase target = Databases.create(Engine.POSTGRESQL);
                TestDatabase source = Databases.create(Engine.POSTGRESQL)) {
            for (TestDatabase database : List.of(target, source)) {
                database.execute("CREATE TABLE item (id INT PRIMARY KEY, v INTERVAL DAY TO SECOND(3))");
            }
            target.execute("INSERT INTO item VALUES (1, '1 day 00:00:01.5')");
            source.execute("INSERT INTO item VALUES (1, '1 day 00:00:01.501'), (2, '-00:00:00.001')");
            Dsynq dsynq = dsynq(target);
            dsynq.diff(Databases.against(source));
            dsynq.apply(ApplyRequest.latest());
            assertThat(Databases.content(target, "item")).isEqualTo(Databases.content(source, "item"));
            assertThat(dsynq.diff(Databases.against(source)).differs()).isFalse();
        }
    }

    /**
     * A source's value that the target's PostgreSQL enum lacks: the diff wrote it into the delta, whose apply the
     * server then refused ('invalid input value for enum mood: "zz"'). Now the diff refuses it naming the row.
     */
    @Test
    void aValueTheTargetsEnumLacks() throws Exception {
        try (TestDatabase target = Databases.create(Engine.POSTGRESQL);
                TestDatabase source = Databases.create(Engine.MARIADB)) {
            target.execute(
                    "CREATE TYPE mood AS ENUM ('a', 'b', 'it''s')",
                    "CREATE TABLE t (id INT PRIMARY KEY, v mood)",
                    "INSERT INTO t VALUES (1, 'a')");
            source.execute(
                    "CREATE TABLE t (id INT PRIMARY KEY, v ENUM('a', 'b', 'it''s', 'zz'))",
                    "INSERT INTO t VALUES (1, 'b'), (2, 'it''s'), (3, 'zz')");

            assertThatThrownBy(() -> dsynq(target).diff(Databases.against(source)))
                    .isInstanceOf(DsynqException.class)
                    .hasMessage("table t, row with key (id='3'): the source's value 'zz' of column v is not a value of"
                            + " the enum mood, which holds 'a', 'b', 'it's'");
            assertThat(tmp.resolve("deltas")).doesNotExist();

            source.execute("DELETE FROM t WHERE id = 3");
            Dsynq dsynq = dsynq(target);
            dsynq.diff(Databases.against(source));
            dsynq.apply(ApplyRequest.latest());
            assertThat(dsynq.diff(Databases.against(source)).differs()).isFalse();
        }
    }

    private static String interval(Engine engine) {
        return engine == Engine.H2 ? "INTERVAL DAY TO SECOND" : "INTERVAL";
    }

    /**
     * H2 takes a text for an array of one element, so a delta cannot write an H2 array: a diff wrote {@code [q]}
     * into the target, as {@code ARRAY['[q]']}, or a delta that failed. Now it stops at the first array it reads.
     */
    @Test
    void anH2ArrayIsRefusedByItsRow() throws Exception {
        try (TestDatabase target = Databases.create(Engine.H2);
                TestDatabase source = Databases.create(Engine.H2)) {
            target.execute("CREATE TABLE tagged (id INT PRIMARY KEY, tags VARCHAR(9) ARRAY)");
            source.execute(
                    "CREATE TABLE tagged (id INT PRIMARY KEY, tags VARCHAR(9) ARRAY)",
                    "INSERT INTO tagged VALUES (1, NULL), (2, ARRAY['q'])");

            assertThatThrownBy(() -> dsynq(target).diff(Databases.against(source)))
                    .isInstanceOf(DsynqException.class)
                    .hasMessageContaining("column TAGS holds an array, which dsynq cannot carry: H2 takes a text for"
                            + " an array of one element");
            assertThat(tmp.resolve("deltas")).doesNotExist();
        }
    }

    /** A text the target's column cannot hold is refused by the diff, naming the row, not later by the applier. */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void sourceValuesTheTargetCannotHold(Engine engine) throws Exception {
        assertFails(
                engine,
                new String[] {"CREATE TABLE item (id INT PRIMARY KEY, price INT)", "INSERT INTO item VALUES (1, 42)"},
                new String[] {
                    "CREATE TABLE item (id INT PRIMARY KEY, price VARCHAR(10))", "INSERT INTO item VALUES (1, ' 42')"
                },
                List.of(),
                "table item, row with key (id='1'): the source's value ' 42' of column price is not an integer");
    }

    /** A source without the target's key may hold a NULL in it: refused, where it went into the delta. */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void aKeylessSourcesNullInTheTargetsKey(Engine engine) throws Exception {
        assertFails(
                engine,
                new String[] {
                    "CREATE TABLE item (id INT PRIMARY KEY, v VARCHAR(10))", "INSERT INTO item VALUES (1, 'a')"
                },
                new String[] {
                    "CREATE TABLE item (id INT, v VARCHAR(10))", "INSERT INTO item VALUES (1, 'b'), (NULL, 'n')"
                },
                List.of(),
                "table item, row with key (id=NULL): the source holds NULL in column id, which the target (db, "
                        + name(engine) + ") does not allow");
    }

    /**
     * A declared key of one column may hold NULL, which a delete file, listing the key alone, cannot write: the CSV
     * dialect reads a row of one NULL as a blank line. The writer failed with an exception naming no table.
     */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void aDeclaredKeyOfOneColumnHoldingNullInARowToDelete(Engine engine) throws Exception {
        assertFails(
                engine,
                new String[] {"CREATE TABLE dk (id INT, v VARCHAR(10))", "INSERT INTO dk VALUES (1, 'a'), (NULL, 'n')"},
                new String[] {"CREATE TABLE dk (id INT, v VARCHAR(10))", "INSERT INTO dk VALUES (1, 'a')"},
                List.of("dk:id"),
                "table dk, row with key (id=NULL): a delta cannot delete it: its file lists the key alone, and a CSV"
                        + " row of one NULL is a blank line, which dsynq skips; declare a key of more columns with"
                        + " -Ddsynq.keys=dk:col1+col2");
    }

    /** The same for a table of one column, whose inserted rows hold it alone. */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void aTableOfOneColumnHoldingNullInARowToInsert(Engine engine) throws Exception {
        assertFails(
                engine,
                new String[] {"CREATE TABLE s (id INT)", "INSERT INTO s VALUES (1)"},
                new String[] {"CREATE TABLE s (id INT)", "INSERT INTO s VALUES (1), (NULL)"},
                List.of("s:*"),
                "table s, row with key (id=NULL): a delta cannot insert it: a CSV row of one NULL is a blank line,"
                        + " which dsynq skips");
    }

    /** A delta's file {@code x.y.i.csv} names table y of schema x: a table named so has no file name. */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void aTableWhoseNameHoldsADot(Engine engine) throws Exception {
        String q = engine == Engine.MARIADB ? "`" : "\"";
        String ddl = "CREATE TABLE " + q + "x.y" + q + " (id INT PRIMARY KEY)";
        assertFails(
                engine,
                new String[] {ddl},
                new String[] {ddl},
                List.of(),
                "table x.y: a delta's file name cannot tell a dot in a table's name from the one after a schema;"
                        + " rename the table or leave it out with -Ddsynq.exclude=x.y");
    }

    /**
     * A delta's file is named after its table, and a file's name takes at most 255 bytes: a diff of an H2 table whose
     * name is longer (H2 takes 256 characters) failed as it wrote its file with 'java.io.UncheckedIOException: …
     * File name too long' and a stack trace, and so did one of a table of another schema whose two names together
     * are. Such a table is refused by its name, as one whose name holds a dot is, before anything is written.
     */
    @Test
    void aTableWhoseNameIsTooLongForAFileName() throws Exception {
        String table = "t".repeat(250);
        String schema = "\u65e5".repeat(42);
        String other = "\u672c".repeat(42);
        String[] ddl = {
            "CREATE TABLE \"" + table + "\" (id INT PRIMARY KEY)",
            "CREATE SCHEMA \"" + schema + "\"",
            "CREATE TABLE \"" + schema + "\".\"" + other + "\" (id INT PRIMARY KEY)"
        };
        try (TestDatabase target = Databases.create(Engine.H2);
                TestDatabase source = Databases.create(Engine.H2)) {
            target.execute(ddl);
            source.execute(ddl);
            source.execute(
                    "INSERT INTO \"" + table + "\" VALUES (1)",
                    "INSERT INTO \"" + schema + "\".\"" + other + "\" VALUES (1)");

            assertThatThrownBy(() -> dsynq(target).diff(Databases.against(source)))
                    .isInstanceOf(DsynqException.class)
                    .hasMessage("table " + table + ": a delta's file is named after its table, and its name as a"
                            + " delta's file (" + table + ".i.csv) takes 256 bytes in UTF-8, more than the 251 a"
                            + " delta's file name may take (file systems take 255, and the reverse delta's files add"
                            + " 4); rename the table or leave it out with -Ddsynq.exclude=" + table);
            String qualified = schema + "." + other;
            assertThatThrownBy(
                            () -> dsynq(target).diff(Databases.against(source).schemas(List.of(schema))))
                    .isInstanceOf(DsynqException.class)
                    .hasMessage("table " + qualified + ": a delta's file is named after its table, and its name as a"
                            + " delta's file (" + qualified + ".i.csv) takes 259 bytes in UTF-8, more than the 251 a"
                            + " delta's file name may take (file systems take 255, and the reverse delta's files add"
                            + " 4); rename the table or leave it out with -Ddsynq.exclude=" + qualified);
            assertThat(tmp.resolve("deltas")).doesNotExist();
        }
    }

    /**
     * A delta's file is named after its table: a table named {@code a/b} failed the diff with a bare
     * NoSuchFileException, and one named with an absolute path had its files written there, outside the delta, which
     * then applied as nothing.
     */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void aTableWhoseNameHoldsASlash(Engine engine) throws Exception {
        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
        String absolute = elsewhere.resolve("x").toString();
        String q = engine == Engine.MARIADB ? "`" : "\"";
        try (TestDatabase target = Databases.create(engine);
                TestDatabase source = Databases.create(engine)) {
            for (TestDatabase database : List.of(target, source)) {
                database.execute(
                        "CREATE TABLE " + q + "a/b" + q + " (id INT PRIMARY KEY)",
                        "CREATE TABLE " + q + absolute + q + " (id INT PRIMARY KEY)");
            }
            source.execute(
                    "INSERT INTO " + q + "a/b" + q + " VALUES (1)", "INSERT INTO " + q + absolute + q + " VALUES (1)");

            assertThatThrownBy(() -> dsynq(target).diff(Databases.against(source)))
                    .isInstanceOf(DsynqException.class)
                    .hasMessage("table " + absolute + ": a delta's file is named after its table, and this name would"
                            + " make it a path rather than a file of the delta's folder; rename the table or leave it"
                            + " out with -Ddsynq.exclude=" + absolute);
            assertThatThrownBy(
                            () -> dsynq(target).diff(Databases.against(source).tables(List.of(), List.of(absolute))))
                    .isInstanceOf(DsynqException.class)
                    .hasMessage("table a/b: a delta's file is named after its table, and this name would make it a"
                            + " path rather than a file of the delta's folder; rename the table or leave it out with"
                            + " -Ddsynq.exclude=a/b");
            assertThat(elsewhere).isEmptyDirectory();
            assertThat(tmp.resolve("deltas")).doesNotExist();
        }
    }

    /**
     * A build under {@code LANG=C} or {@code POSIX}, as a bare container runs one, encodes file names as ASCII: a diff
     * of table {@code şehir} was refused as if its name made a path, and {@code dsynq:new} failed on an
     * InvalidPathException after it had made the delta's folder. In a JVM of its own.
     */
    @Test
    void aTableNameTheJvmCannotWriteAsAFileName() throws Exception {
        try (TestDatabase target = TestServers.create(Engine.H2, tmp);
                TestDatabase source = TestServers.create(Engine.H2, tmp)) {
            for (TestDatabase database : List.of(target, source)) {
                database.execute("CREATE TABLE \"\u015fehir\" (id INT PRIMARY KEY)");
            }
            source.execute("INSERT INTO \"\u015fehir\" VALUES (1)");
            ProcessBuilder builder = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "-cp",
                            System.getProperty("java.class.path"),
                            Child.class.getName(),
                            target.url(),
                            source.url(),
                            tmp.resolve("deltas").toString())
                    .redirectErrorStream(true);
            builder.environment().keySet().removeIf(name -> name.startsWith("LC_") || name.equals("LANG"));
            builder.environment().put("LC_ALL", "C");
            Process child = builder.start();
            assertThat(child.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            String output = new String(child.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);

            assertThat(output.strip())
                    .startsWith("table ?ehir: a delta's file is named after its table, and this JVM's encoding of"
                            + " file names (ANSI_X3.4-1968) cannot hold it; run the build under a UTF-8 locale, such"
                            + " as LANG=C.UTF-8\n")
                    .endsWith(": a delta's file is named after its table, and this JVM's encoding of file names"
                            + " (ANSI_X3.4-1968) cannot hold it; run the build under a UTF-8 locale, such as"
                            + " LANG=C.UTF-8, or leave the table out with -Ddsynq.exclude=?ehir");
            assertThat(tmp.resolve("deltas")).doesNotExist();
        }
    }

    /** Runs in the child JVM: the diff's error, printed in the JVM's ASCII. */
    public static final class Child {
        public static void main(String[] args) {
            Dsynq dsynq = Dsynq.configure()
                    .database("db")
                    .url(args[0])
                    .username("sa")
                    .password("")
                    .deltaDirectory(Path.of(args[2]))
                    .build();
            try {
                dsynq.newDelta(new io.dsynq.core.NewDeltaRequest(List.of("\u015fehir"), null));
                System.out.println("no error");
            } catch (DsynqException e) {
                System.out.println(e.getMessage());
            }
            try {
                dsynq.diff(DiffRequest.against("source", new ConnectionSpec(args[1], "sa", "")));
                System.out.println("no error");
            } catch (DsynqException e) {
                System.out.println(e.getMessage());
            }
        }
    }

    /**
     * A schema named with a dot wrote a delta whose files ({@code my.schema.t.i.csv}) its apply took for table
     * {@code schema.t} of schema {@code my}, which it did not find; one named with a slash failed the diff with a
     * bare NoSuchFileException.
     */
    @ParameterizedTest
    @EnumSource(
            value = Engine.class,
            names = {"H2", "POSTGRESQL"})
    void aSchemaWhoseNameHoldsADotOrASlash(Engine engine) throws Exception {
        try (TestDatabase target = Databases.create(engine);
                TestDatabase source = Databases.create(engine)) {
            for (TestDatabase database : List.of(target, source)) {
                database.execute(
                        "CREATE SCHEMA \"my.schema\"",
                        "CREATE TABLE \"my.schema\".t (id INT PRIMARY KEY)",
                        "CREATE SCHEMA \"a/b\"",
                        "CREATE TABLE \"a/b\".t (id INT PRIMARY KEY)");
            }
            source.execute("INSERT INTO \"my.schema\".t VALUES (1)", "INSERT INTO \"a/b\".t VALUES (1)");

            assertThatThrownBy(
                            () -> dsynq(target).diff(Databases.against(source).schemas(List.of("my.schema"))))
                    .isInstanceOf(DsynqException.class)
                    .hasMessage("schema my.schema: a delta's file name cannot tell a dot in a schema's name from the"
                            + " one before its table's; rename the schema or leave it out of -Ddsynq.schemas");
            assertThatThrownBy(
                            () -> dsynq(target).diff(Databases.against(source).schemas(List.of("a/b"))))
                    .isInstanceOf(DsynqException.class)
                    .hasMessage("schema a/b: a delta's files are named after their schema and table, and this name"
                            + " would make them paths rather than files of the delta's folder; rename the schema or"
                            + " leave it out of -Ddsynq.schemas");
            assertThat(tmp.resolve("deltas")).doesNotExist();
        }
    }

    /** A column one side generates: the message said the other side alone had it. */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void aColumnOneSideGenerates(Engine engine) throws Exception {
        String generated =
                switch (engine) {
                    case POSTGRESQL -> "twice INT GENERATED ALWAYS AS (id * 2) STORED";
                    case MARIADB -> "twice INT AS (id * 2) PERSISTENT";
                    case H2 -> "twice INT GENERATED ALWAYS AS (id * 2)";
                };
        assertFails(
                engine,
                new String[] {"CREATE TABLE item (id INT PRIMARY KEY, " + generated + ")"},
                new String[] {"CREATE TABLE item (id INT PRIMARY KEY, twice INT)"},
                List.of(),
                "table item has different columns on both sides: only the source (source, " + name(engine)
                        + ") has " + (engine == Engine.H2 ? "TWICE" : "twice") + " (generated in the target (db, "
                        + name(engine) + "), which a diff leaves out); dsynq compares tables of the same columns");
    }

    /** Columns differing only in case: the diff said the target alone had the one, which both sides have. */
    @ParameterizedTest
    @EnumSource(
            value = Engine.class,
            names = {"H2", "POSTGRESQL"})
    void aTableWithColumnsDifferingOnlyInCase(Engine engine) throws Exception {
        String ddl = "CREATE TABLE cc (id INT PRIMARY KEY, \"A\" INT, \"a\" INT)";
        assertFails(
                engine,
                new String[] {ddl},
                new String[] {ddl},
                List.of(),
                "table cc has columns A and a in the target (db, " + name(engine) + "), which differ only in case,"
                        + " and dsynq matches columns ignoring case; leave the table out with -Ddsynq.exclude=cc");
    }

    /** A mistyped pattern compared nothing and reported "No difference". */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void anIncludePatternThatMatchesNoTable(Engine engine) throws Exception {
        try (TestDatabase target = Databases.create(engine);
                TestDatabase source = Databases.create(engine)) {
            for (TestDatabase database : List.of(target, source)) {
                database.execute("CREATE TABLE item (id INT PRIMARY KEY)", "CREATE TABLE tag (id INT PRIMARY KEY)");
            }

            assertThatThrownBy(() -> dsynq(target)
                            .diff(Databases.against(source).tables(List.of("item,itme*", "tag"), List.of())))
                    .isInstanceOf(DsynqException.class)
                    .hasMessage("-Ddsynq.include=itme* matches no table of the target (db, " + name(engine)
                            + ") nor of the source (source, " + name(engine) + ")");
            assertThat(tmp.resolve("deltas")).doesNotExist();
        }
    }

    /** The message said which engine lacked the schema, not which side. */
    @org.junit.jupiter.api.Test
    void aSchemaOnOneSideOnly() throws Exception {
        try (TestDatabase target = Databases.create(Engine.POSTGRESQL);
                TestDatabase source = Databases.create(Engine.POSTGRESQL)) {
            source.execute("CREATE SCHEMA sales", "CREATE TABLE sales.item (id INT PRIMARY KEY)");

            assertThatThrownBy(
                            () -> dsynq(target).diff(Databases.against(source).schemas(List.of("sales"))))
                    .isInstanceOf(DsynqException.class)
                    .hasMessage("the target (db, PostgreSQL) has no schema sales; create it there or leave it out of"
                            + " -Ddsynq.schemas");
            assertThat(tmp.resolve("deltas")).doesNotExist();
        }
    }

    @org.junit.jupiter.api.Test
    void timestampKeysOfDifferentPrecision() throws Exception {
        try (TestDatabase target = Databases.create(Engine.MARIADB);
                TestDatabase source = Databases.create(Engine.POSTGRESQL)) {
            target.execute("CREATE TABLE item (at DATETIME PRIMARY KEY, n INT)");
            source.execute("CREATE TABLE item (at TIMESTAMP(6) PRIMARY KEY, n INT)");

            assertThatThrownBy(() -> dsynq(target).diff(Databases.against(source)))
                    .isInstanceOf(DsynqException.class)
                    .hasMessageStartingWith("table item: key column at is ")
                    .hasMessageContaining(" in the target (db, MariaDB) but ")
                    .hasMessageEndingWith(" in the source (source, PostgreSQL); dsynq compares time keys of the same"
                            + " fractional digits (0 against 6)");
            assertThat(tmp.resolve("deltas")).doesNotExist();
        }
    }

    /**
     * MariaDB values the driver reads as others: a {@code tinyint(1)} of 2 is true, written back as 1, and a time
     * of -1 hour is 23:00. The diff wrote them so, and said "no difference" after the apply. A zero date, or one with
     * a zero day, is no date a delta can write: the diff carried it into the update of a row whose other column
     * changed, which its apply refused. So is a UUID written as bytes that reads as a text MariaDB's UUID refuses.
     */
    @Test
    void mariaDbValuesReadAsOthers() throws Exception {
        for (String[] table : List.of(
                new String[] {
                    "flag TINYINT(1)",
                    "2",
                    "column flag holds 2, which is no boolean: dsynq reads tinyint(1)"
                            + " as a boolean, 0 or 1 (a JDBC URL with tinyInt1isBit=false reads tinyint(1) as a number)"
                },
                new String[] {
                    "t TIME",
                    "'-01:00:00'",
                    "column t holds -01:00:00, a time outside the day: dsynq reads"
                            + " time as a time of day, 00:00:00 to 23:59:59.999999"
                },
                new String[] {
                    "t TIME",
                    "'24:00:00'",
                    "column t holds 24:00:00, a time outside the day: dsynq reads"
                            + " time as a time of day, 00:00:00 to 23:59:59.999999"
                },
                new String[] {"d DATE", "'0000-00-00'", "column d holds 0000-00-00, which is no date: MariaDB keeps"},
                new String[] {"d DATETIME(3)", "'2024-02-00 10:00:00'", "column d holds 2024-02-00 10:00:00"},
                new String[] {
                    "u UUID",
                    "x'00000000000080008000000000000000'",
                    "column u holds 00000000-0000-8000-8000-000000000000, which MariaDB's UUID"
                })) {
            try (TestDatabase target = Databases.create(Engine.MARIADB);
                    TestDatabase source = Databases.create(Engine.MARIADB)) {
                for (TestDatabase database : List.of(target, source)) {
                    database.execute(
                            "CREATE TABLE item (id INT PRIMARY KEY, " + table[0] + ", v INT)",
                            "INSERT INTO item VALUES (1, " + table[1] + ", 1)");
                }
                source.execute("UPDATE item SET v = 2");

                assertThatThrownBy(() -> dsynq(target).diff(Databases.against(source)))
                        .isInstanceOf(DsynqException.class)
                        .hasMessageContaining(": table item: the target's row with key (id='1'): " + table[2]);
                assertThat(tmp.resolve("deltas")).doesNotExist();
            }
        }
    }

    /** A whole-row table with a column that cannot be ordered: the message spoke of a key column never declared. */
    @Test
    void aWholeRowTableWithAColumnThatCannotBeOrdered() throws Exception {
        try (TestDatabase target = Databases.create(Engine.POSTGRESQL);
                TestDatabase source = Databases.create(Engine.POSTGRESQL)) {
            for (TestDatabase database : List.of(target, source)) {
                database.execute("CREATE TABLE wj (name TEXT, j JSON)");
            }
            assertThatThrownBy(() -> Databases.dsynq(target, tmp.resolve("deltas"), List.of("wj:*"))
                            .diff(Databases.against(source)))
                    .isInstanceOf(DsynqException.class)
                    .hasMessage("table wj: rows identified by all their values (wj:*) include column j, of type json,"
                            + " which dsynq cannot order the same way on every engine; declare a key of other columns"
                            + " with -Ddsynq.keys=wj:col1+col2");
            assertThat(tmp.resolve("deltas")).doesNotExist();
        }
    }

    /** PostgreSQL's numeric NaN toward an engine whose decimals hold numbers only: refused at apply, until found. */
    @ParameterizedTest
    @EnumSource(
            value = Engine.class,
            names = {"MARIADB", "H2"})
    void aDecimalThatIsNoNumberTowardAnotherEngine(Engine engine) throws Exception {
        try (TestDatabase target = Databases.create(engine);
                TestDatabase source = Databases.create(Engine.POSTGRESQL)) {
            target.execute(
                    "CREATE TABLE item (id INT PRIMARY KEY, price DECIMAL(10,2))", "INSERT INTO item VALUES (1, 1)");
            source.execute(
                    "CREATE TABLE item (id INT PRIMARY KEY, price NUMERIC(10,2))",
                    "INSERT INTO item VALUES (1, 1), (2, 'NaN')");

            assertThatThrownBy(() -> dsynq(target).diff(Databases.against(source)))
                    .isInstanceOf(DsynqException.class)
                    .hasMessage("table item, row with key (id='2'): the source's value 'NaN' of column price is no"
                            + " number, which only PostgreSQL's numeric holds");
            assertThat(tmp.resolve("deltas")).doesNotExist();
        }
    }

    /** Values the target's engine cannot hold, which its load refused at apply: a float NaN, a NUL in text. */
    @Test
    void valuesTheTargetsEngineCannotHold() throws Exception {
        try (TestDatabase maria = Databases.create(Engine.MARIADB);
                TestDatabase postgres = Databases.create(Engine.POSTGRESQL)) {
            maria.execute("CREATE TABLE item (id INT PRIMARY KEY, r FLOAT, t TEXT, n VARCHAR(9) CHARACTER SET latin1)");
            postgres.execute(
                    "CREATE TABLE item (id INT PRIMARY KEY, r REAL, t TEXT, n VARCHAR(9))",
                    "INSERT INTO item VALUES (1, 'NaN', 'a', 'Zürich')");

            assertThatThrownBy(() -> dsynq(maria).diff(Databases.against(postgres)))
                    .isInstanceOf(DsynqException.class)
                    .hasMessage("table item, row with key (id='1'): the source's value 'NaN' of column r is no number,"
                            + " which MariaDB's floats cannot hold");
            postgres.execute("UPDATE item SET r = 1, n = 'Łódź'");
            assertThatThrownBy(() -> dsynq(maria).diff(Databases.against(postgres)))
                    .isInstanceOf(DsynqException.class)
                    .hasMessage("table item, row with key (id='1'): the source's value 'Łódź' of column n holds 'Ł'"
                            + " (U+0141), which varchar(9) in latin1 cannot hold");
            maria.execute("ALTER TABLE item ADD COLUMN d DATE");
            postgres.execute("UPDATE item SET n = 'Zürich'", "ALTER TABLE item ADD COLUMN d DATE");
            for (String date : List.of("10000-01-01", "0002-12-31 BC")) {
                postgres.execute("UPDATE item SET d = '" + date + "'");
                assertThatThrownBy(() -> dsynq(maria).diff(Databases.against(postgres)))
                        .isInstanceOf(DsynqException.class)
                        .hasMessageEndingWith("of column d has a year beyond 9999 or before 0, which MariaDB's dates"
                                + " cannot hold");
            }
            postgres.execute("UPDATE item SET d = '-infinity'");
            assertThatThrownBy(() -> dsynq(maria).diff(Databases.against(postgres)))
                    .isInstanceOf(DsynqException.class)
                    .hasMessageEndingWith("of column d is infinity, which only PostgreSQL's dates and timestamps hold");
            maria.execute("ALTER TABLE item ADD COLUMN tm TIME");
            postgres.execute(
                    "UPDATE item SET d = NULL", "ALTER TABLE item ADD COLUMN tm TIME", "UPDATE item SET tm = '24:00'");
            assertThatThrownBy(() -> dsynq(maria).diff(Databases.against(postgres)))
                    .isInstanceOf(DsynqException.class)
                    .hasMessageEndingWith(
                            "of column tm is 24:00:00, the end of a day, which only PostgreSQL's times" + " hold");
            postgres.execute(
                    "UPDATE item SET tm = NULL",
                    "CREATE TABLE wide (id INT PRIMARY KEY, m NUMERIC)",
                    "INSERT INTO wide VALUES (1, 1.005)");
            try (TestDatabase wide = Databases.create(Engine.POSTGRESQL)) {
                // the widest numeric there is was taken for one without precision, and the server rounded 1.005
                wide.execute("CREATE TABLE wide (id INT PRIMARY KEY, m NUMERIC(1000,2))");
                assertThatThrownBy(() ->
                                dsynq(wide).diff(Databases.against(postgres).tables(List.of("wide"), List.of())))
                        .isInstanceOf(DsynqException.class)
                        .hasMessageEndingWith("of column m has more digits after the point than numeric(1000,2) holds");
            }
            postgres.execute("DROP TABLE wide", "DELETE FROM item");
            maria.execute("INSERT INTO item VALUES (2, 1, CONCAT('a', CHAR(0), 'b'), NULL, NULL, NULL)");
            assertThatThrownBy(() -> dsynq(postgres).diff(Databases.against(maria)))
                    .isInstanceOf(DsynqException.class)
                    .hasMessage("table item, row with key (id='2'): the source's value 'a\\u0000b' of column t holds a"
                            + " NUL character, which PostgreSQL's text cannot");
            assertThat(tmp.resolve("deltas")).doesNotExist();
        }
    }

    /**
     * A UUID whose 13th digit is 8 to f and whose fourth group is 0100 to 80ff, which PostgreSQL and H2 hold and
     * MariaDB's UUID refuses: the diff wrote it into a delta whose apply the server refused in its own words. It is
     * refused naming the row, as a value or as a key.
     */
    @ParameterizedTest
    @EnumSource(
            value = Engine.class,
            names = {"POSTGRESQL", "H2"})
    void aUuidMariaDbCannotHoldTowardMariaDb(Engine engine) throws Exception {
        try (TestDatabase target = Databases.create(Engine.MARIADB);
                TestDatabase source = Databases.create(engine)) {
            for (TestDatabase database : List.of(target, source)) {
                database.execute(
                        "CREATE TABLE tagged (id UUID PRIMARY KEY, u UUID)",
                        "INSERT INTO tagged VALUES ('123e4567-e89b-12d3-a456-426614174000', NULL)");
            }
            source.execute("UPDATE tagged SET u = '12345678-1234-8234-7234-123456789abc'");
            assertThatThrownBy(() -> dsynq(target).diff(Databases.against(source)))
                    .isInstanceOf(DsynqException.class)
                    .hasMessage("table tagged, row with key (id='123e4567-e89b-12d3-a456-426614174000'): the source's"
                            + " value '12345678-1234-8234-7234-123456789abc' of column u has 8 to f as its 13th digit"
                            + " and 0100 to 80ff as its fourth group, which MariaDB's UUID cannot hold");

            source.execute(
                    "UPDATE tagged SET u = NULL",
                    "INSERT INTO tagged VALUES ('ffffffff-ffff-ffff-0100-ffffffffffff', NULL)");
            assertThatThrownBy(() -> dsynq(target).diff(Databases.against(source)))
                    .isInstanceOf(DsynqException.class)
                    .hasMessage("table tagged, row with key (id='ffffffff-ffff-ffff-0100-ffffffffffff'): the source's"
                            + " value 'ffffffff-ffff-ffff-0100-ffffffffffff' of column id has 8 to f as its 13th digit"
                            + " and 0100 to 80ff as its fourth group, which MariaDB's UUID cannot hold");
            assertThat(tmp.resolve("deltas")).doesNotExist();
        }
    }

    /**
     * A key the target's collation takes for another: the delta would insert {@code 'USD'} before it deletes
     * {@code 'usd'}, and the insert would fail at apply as a duplicate.
     */
    @ParameterizedTest
    @EnumSource(
            value = Engine.class,
            names = {"MARIADB", "H2"})
    void aKeyTheTargetTakesForAnother(Engine engine) throws Exception {
        try (TestDatabase target = Databases.create(engine);
                TestDatabase source = Databases.create(Engine.POSTGRESQL)) {
            String type = engine == Engine.H2 ? "VARCHAR_IGNORECASE(3)" : "VARCHAR(3)";
            target.execute(
                    "CREATE TABLE currency (region INT, code " + type + ", name VARCHAR(20),"
                            + " PRIMARY KEY (region, code))",
                    "INSERT INTO currency VALUES (1, 'chf', 'Franc'), (1, 'eur', 'Euro'), (2, 'usd', 'Dollar')");
            source.execute(
                    "CREATE TABLE currency (region INT, code VARCHAR(3), name VARCHAR(20), PRIMARY KEY (region, code))",
                    "INSERT INTO currency VALUES (1, 'CHF', 'Franc'), (1, 'eur', 'Euro'), (1, 'gbp', 'Pound')");

            assertThatThrownBy(() -> dsynq(target).diff(Databases.against(source)))
                    .isInstanceOf(DsynqException.class)
                    .hasMessage("table currency: the target (db, " + name(engine) + ") takes the source's key"
                            + " (region='1', code='CHF') for its own (region='1', code='chf'), as"
                            + " its collation ignores case, accents or trailing spaces; a delta cannot insert the one"
                            + " beside the other. Give the target's row the source's key first, or its key a collation"
                            + " that tells them apart");
            assertThat(tmp.resolve("deltas")).doesNotExist();
        }
    }

    /**
     * The same where the source holds both keys: the target's row keeps its key, so the advice to give it the
     * source's could not be followed (found by a user's walk).
     */
    @ParameterizedTest
    @EnumSource(
            value = Engine.class,
            names = {"MARIADB", "H2"})
    void twoKeysOfTheSourceTheTargetTakesForOne(Engine engine) throws Exception {
        try (TestDatabase target = Databases.create(engine);
                TestDatabase source = Databases.create(Engine.POSTGRESQL)) {
            String type = engine == Engine.H2 ? "VARCHAR_IGNORECASE(3)" : "VARCHAR(3)";
            target.execute(
                    "CREATE TABLE currency (code " + type + " PRIMARY KEY, name VARCHAR(20))",
                    "INSERT INTO currency VALUES ('chf', 'Franc')");
            source.execute(
                    "CREATE TABLE currency (code VARCHAR(3) PRIMARY KEY, name VARCHAR(20))",
                    "INSERT INTO currency VALUES ('CHF', 'Franc'), ('chf', 'franc')");

            assertThatThrownBy(() -> dsynq(target).diff(Databases.against(source)))
                    .isInstanceOf(DsynqException.class)
                    .hasMessage("table currency: the target (db, " + name(engine) + ") takes the source's key"
                            + " (code='CHF') for its own (code='chf'), as its collation ignores case, accents or"
                            + " trailing spaces; a delta cannot insert the one beside the other. The source holds"
                            + " both: change one of them there, or give the target's key a collation that tells them"
                            + " apart");
            assertThat(tmp.resolve("deltas")).doesNotExist();
        }
    }

    /**
     * The same where a declared key holds NULL, which the question {@code code = ?} never found: the delta was
     * written, and the apply failed on its insert.
     */
    @ParameterizedTest
    @EnumSource(
            value = Engine.class,
            names = {"MARIADB", "H2"})
    void aKeyWithANullTheTargetTakesForAnother(Engine engine) throws Exception {
        String type = engine == Engine.H2 ? "VARCHAR_IGNORECASE(3)" : "VARCHAR(3)";
        assertFails(
                engine,
                new String[] {
                    "CREATE TABLE k (region INT, code " + type + ", v INT)", "INSERT INTO k VALUES (NULL, 'X', 1)"
                },
                new String[] {
                    "CREATE TABLE k (region INT, code " + type + ", v INT)",
                    "INSERT INTO k VALUES (NULL, 'x', 1), (NULL, 'y', 2)"
                },
                List.of("k:region+code"),
                "table k: the target (db, " + name(engine) + ") takes the source's key (region=NULL, code='x') for"
                        + " its own (region=NULL, code='X'), as its collation ignores case, accents or trailing"
                        + " spaces; a delta cannot insert the one beside the other. Give the target's row the"
                        + " source's key first, or its key a collation that tells them apart");
    }

    private void assertFails(Engine engine, String[] targetDdl, String[] sourceDdl, List<String> keys, String message)
            throws Exception {
        try (TestDatabase target = Databases.create(engine);
                TestDatabase source = Databases.create(engine)) {
            target.execute(targetDdl);
            source.execute(sourceDdl);

            assertThatThrownBy(() ->
                            Databases.dsynq(target, tmp.resolve("deltas"), keys).diff(Databases.against(source)))
                    .isInstanceOf(DsynqException.class)
                    .hasMessage(message);
            assertThat(tmp.resolve("deltas")).doesNotExist();
        }
    }

    private Dsynq dsynq(TestDatabase target) {
        return Databases.dsynq(target, tmp.resolve("deltas"), List.of());
    }

    private static String name(Engine engine) {
        return switch (engine) {
            case H2 -> "H2";
            case POSTGRESQL -> "PostgreSQL";
            case MARIADB -> "MariaDB";
        };
    }

    private static String column(Engine engine, String name) {
        return engine == Engine.H2 ? name.toUpperCase() : name;
    }
}
