package io.dsynq.core.diff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.dsynq.core.ApplyRequest;
import io.dsynq.core.Dsynq;
import io.dsynq.core.DsynqException;
import io.dsynq.core.DsynqListener;
import io.dsynq.core.testing.Engine;
import io.dsynq.core.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Schemas and table patterns: which tables a diff compares, and how their files are named. */
class DiffOptionsIT {

    @TempDir
    Path tmp;

    /**
     * A staging table that an apply killed on an H2 file database left behind (made as a table of the schema, it
     * outlives the process until the next apply drops it) was compared as the user's: "only in the target". So is the
     * mark of a commit such an apply left (dsynq_history_commit), kept for the next apply to find.
     */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void theStagingTablesOfAKilledApplyAreNotCompared(Engine engine) throws Exception {
        try (TestDatabase target = Databases.create(engine);
                TestDatabase source = Databases.create(engine)) {
            for (TestDatabase database : List.of(target, source)) {
                database.execute("CREATE TABLE item (id INT PRIMARY KEY, name VARCHAR(10))");
            }
            target.execute(
                    "CREATE TABLE dsynq_stage_0a1b2c3d_1 (dsynq_line BIGINT, id INT, name VARCHAR(10))",
                    "CREATE TABLE dsynq_history_commit (what VARCHAR(400))");
            source.execute("INSERT INTO item VALUES (1, 'one')");

            DiffResult result = Databases.dsynq(target, tmp, List.of()).diff(Databases.against(source));

            assertThat(result.tables())
                    .extracting(t -> t.table() + " " + t.inserts() + " " + t.updates() + " " + t.deletes())
                    .containsExactly("item 1 0 0");
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = Engine.class,
            names = {"H2", "POSTGRESQL"})
    void schemasAndPatternsChooseTheTables(Engine engine) throws Exception {
        try (TestDatabase target = Databases.create(engine);
                TestDatabase source = Databases.create(engine)) {
            for (TestDatabase database : List.of(target, source)) {
                database.execute(
                        "CREATE SCHEMA sales",
                        "CREATE TABLE sales.item (id INT PRIMARY KEY, name VARCHAR(10))",
                        "CREATE TABLE note (id INT PRIMARY KEY, text VARCHAR(10))");
            }
            target.execute(
                    "CREATE TABLE scratch_1 (id INT PRIMARY KEY)",
                    "INSERT INTO sales.item VALUES (1, 'one'), (2, 'two')",
                    "INSERT INTO note VALUES (1, 'a')");
            source.execute("INSERT INTO sales.item VALUES (1, 'uno'), (3, 'tres')", "INSERT INTO note VALUES (1, 'a')");

            Dsynq dsynq = Databases.dsynq(target, tmp, List.of());
            String publicSchema = engine == Engine.H2 ? "PUBLIC" : "public";
            DiffResult result = dsynq.diff(Databases.against(source)
                    .schemas(List.of(publicSchema, "SALES"))
                    .tables(List.of(), List.of("scratch_*")));

            assertThat(result.tables())
                    .extracting(t -> t.table() + " " + t.inserts() + " " + t.updates() + " " + t.deletes())
                    .containsExactly("note 0 0 0", "sales.item 1 1 1");
            assertThat(result.folder().resolve("sales.item.i.csv")).hasContent("id,name\n3,tres");
            assertThat(result.folder().resolve("sales.item.u.csv")).hasContent("id,name\n1,uno");
            assertThat(result.folder().resolve("sales.item.d.csv")).hasContent("id\n2");

            DiffResult only = dsynq.diff(Databases.against(source)
                    .schemas(List.of("sales"))
                    .tables(List.of("it*"), List.of())
                    .summaryOnly(true));
            assertThat(only.tables()).extracting(DiffResult.TableDiff::table).containsExactly("sales.item");

            dsynq.apply(ApplyRequest.latest());
            assertThat(Databases.content(target, "sales.item")).isEqualTo(Databases.content(source, "sales.item"));
        }
    }

    /**
     * Schemas whose names differ only in case: the delta named the one compared in lower case, and its apply changed
     * the other, as the apply takes a name's exact case first. On H2, whose names dsynq shows in lower case where they
     * are all in upper case, so did the delta of SALES beside "sales".
     */
    @ParameterizedTest
    @EnumSource(
            value = Engine.class,
            names = {"H2", "POSTGRESQL"})
    void aSchemaIsNamedAsTheTargetSpellsIt(Engine engine) throws Exception {
        for (String compared : List.of("Sales", "SALES", "sales")) {
            try (TestDatabase target = Databases.create(engine);
                    TestDatabase source = Databases.create(engine)) {
                for (TestDatabase database : List.of(target, source)) {
                    for (String schema : List.of("Sales", "SALES", "sales")) {
                        database.execute(
                                "CREATE SCHEMA \"" + schema + "\"",
                                "CREATE TABLE \"" + schema + "\".t (id INT PRIMARY KEY)");
                    }
                }
                source.execute("INSERT INTO \"" + compared + "\".t VALUES (1)");
                Dsynq dsynq = Databases.dsynq(target, tmp.resolve(compared), List.of());

                DiffResult result = dsynq.diff(Databases.against(source).schemas(List.of(compared)));
                assertThat(result.tables())
                        .extracting(DiffResult.TableDiff::table)
                        .singleElement()
                        .asString()
                        .endsWith(".t");
                dsynq.apply(ApplyRequest.latest());

                for (String schema : List.of("Sales", "SALES", "sales")) {
                    assertThat(Databases.content(target, "\"" + schema + "\".t"))
                            .as(schema)
                            .hasSize(schema.equals(compared) ? 1 : 0);
                }
            }
        }
    }

    /**
     * The catalog asks for a table's columns by a pattern in which a backslash matches any one character (MariaDB's
     * driver matches nothing with it escaped): the columns of the table of schema sX1, which the pattern of s\1 also
     * matches, are not taken for those of s\1's.
     */
    @ParameterizedTest
    @EnumSource(
            value = Engine.class,
            names = {"H2", "POSTGRESQL"})
    void aSchemaNamedWithABackslashHasItsOwnTablesColumns(Engine engine) throws Exception {
        try (TestDatabase target = Databases.create(engine);
                TestDatabase source = Databases.create(engine)) {
            for (TestDatabase database : List.of(target, source)) {
                database.execute(
                        "CREATE SCHEMA \"s\\1\"",
                        "CREATE SCHEMA \"sX1\"",
                        "CREATE TABLE \"sX1\".t (id INT PRIMARY KEY, other INT, more INT)",
                        "CREATE TABLE \"s\\1\".t (id INT PRIMARY KEY, v INT)");
            }
            source.execute("INSERT INTO \"s\\1\".t VALUES (1, 2)");
            Dsynq dsynq = Databases.dsynq(target, tmp, List.of());

            DiffResult result = dsynq.diff(Databases.against(source).schemas(List.of("s\\1")));
            assertThat(result.folder().resolve("s\\1.t.i.csv")).hasContent("id,v\n1,2");
            dsynq.apply(ApplyRequest.latest());
            assertThat(Databases.content(target, "\"s\\1\".t")).containsExactly("id='1' | v='2'");
        }
    }

    /**
     * On MariaDB a schema is a database: naming the target's own in -Ddsynq.schemas read it on the source's server
     * too, where it is the target's, and the diff compared the target with itself.
     */
    @Test
    void theTargetsCurrentSchemaIsComparedWithTheSources() throws Exception {
        try (TestDatabase target = Databases.create(Engine.MARIADB);
                TestDatabase source = Databases.create(Engine.MARIADB)) {
            for (TestDatabase database : List.of(target, source)) {
                database.execute("CREATE TABLE y (id INT PRIMARY KEY)");
            }
            source.execute("INSERT INTO y VALUES (1), (2)");

            DiffResult result = Databases.dsynq(target, tmp, List.of())
                    .diff(Databases.against(source)
                            .schemas(List.of(target.name()))
                            .summaryOnly(true));
            assertThat(result.tables())
                    .extracting(t -> t.table() + " " + t.inserts())
                    .containsExactly("y 2");
        }
    }

    /**
     * A source that is the target itself: the same database named twice, or on MariaDB another schema (a database of
     * the same server) named in -Ddsynq.schemas, which both sides read. The diff found the table equal to itself.
     */
    @ParameterizedTest
    @EnumSource(
            value = Engine.class,
            names = {"MARIADB", "POSTGRESQL"})
    void aTableComparedWithItselfIsRefused(Engine engine) throws Exception {
        try (TestDatabase target = Databases.create(engine);
                TestDatabase source = Databases.create(engine);
                TestDatabase shared = Databases.create(engine)) {
            target.execute("CREATE TABLE y (id INT PRIMARY KEY)", "INSERT INTO y VALUES (1)");
            Dsynq dsynq = Databases.dsynq(target, tmp, List.of());

            assertThatThrownBy(() -> dsynq.diff(Databases.against(target)))
                    .isInstanceOf(DsynqException.class)
                    .hasMessageContaining("table y: the source and the target are one table, " + ref(engine, target)
                            + " on one server, which a diff finds equal to itself; compare another database");
            if (engine == Engine.MARIADB) {
                shared.execute("CREATE TABLE z (id INT PRIMARY KEY)", "INSERT INTO z VALUES (1)");
                assertThatThrownBy(() -> dsynq.diff(Databases.against(source).schemas(List.of(shared.name()))))
                        .isInstanceOf(DsynqException.class)
                        .hasMessageContaining("table " + shared.name() + ".z: the source and the target are one"
                                + " table, " + shared.name() + ".z on one server");
            }
            assertThat(tmp.resolve("db")).doesNotExist();
        }
    }

    private static String ref(Engine engine, TestDatabase database) {
        return engine == Engine.MARIADB ? database.name() + ".y" : "public.y";
    }

    /**
     * A pattern naming a table of the current schema with its schema ({@code public.item}) matched nothing, so an
     * exclude was ignored without a word, and an include failed.
     */
    @Test
    void patternsNameTablesOfTheCurrentSchemaWithIt() throws Exception {
        try (TestDatabase target = Databases.create(Engine.POSTGRESQL);
                TestDatabase source = Databases.create(Engine.POSTGRESQL)) {
            for (TestDatabase database : List.of(target, source)) {
                database.execute(
                        "CREATE SCHEMA sales",
                        "CREATE TABLE item (id INT PRIMARY KEY)",
                        "CREATE TABLE sales.item (id INT PRIMARY KEY)");
            }
            source.execute("INSERT INTO item VALUES (1)", "INSERT INTO sales.item VALUES (2)");
            List<String> warnings = new ArrayList<>();
            Dsynq dsynq = target.dsynq(tmp).listener(warningsTo(warnings)).build();
            DiffRequest both = Databases.against(source)
                    .schemas(List.of("public", "sales"))
                    .summaryOnly(true);

            assertThat(dsynq.diff(both.tables(List.of(), List.of("public.item", "nothing*")))
                            .tables())
                    .extracting(DiffResult.TableDiff::table)
                    .containsExactly("sales.item");
            assertThat(warnings)
                    .containsExactly("-Ddsynq.exclude=nothing* matches no table of the target (db, PostgreSQL) nor of"
                            + " the source (source, PostgreSQL)");
            assertThat(dsynq.diff(both.tables(List.of("PUBLIC.item"), List.of()))
                            .tables())
                    .extracting(DiffResult.TableDiff::table)
                    .containsExactly("item");
        }
    }

    /**
     * A pattern may name a table after the source's schema too: {@code public.item} of an H2 or PostgreSQL source
     * with a MariaDB target, whose schema is its database. It matched the target's schema only, and the error said
     * that the source held no such table.
     */
    @Test
    void patternsNameTablesAfterEitherSidesSchema() throws Exception {
        try (TestDatabase target = Databases.create(Engine.MARIADB);
                TestDatabase source = Databases.create(Engine.H2)) {
            for (TestDatabase database : List.of(target, source)) {
                database.execute(
                        "CREATE TABLE item (id INT PRIMARY KEY)",
                        "CREATE TABLE item_log (id INT PRIMARY KEY)",
                        "CREATE TABLE other (id INT PRIMARY KEY)");
            }
            Dsynq dsynq = Databases.dsynq(target, tmp, List.of());
            DiffRequest request = Databases.against(source).summaryOnly(true);

            assertThat(dsynq.diff(request.tables(List.of("public.item*"), List.of("PUBLIC.ITEM_LOG")))
                            .tables())
                    .extracting(DiffResult.TableDiff::table)
                    .containsExactly("item");
            assertThat(dsynq.diff(request.tables(List.of(target.name() + ".other"), List.of()))
                            .tables())
                    .extracting(DiffResult.TableDiff::table)
                    .containsExactly("other");
        }
    }

    /**
     * A key declared for a table of the current schema named with it ({@code public.tag}), as patterns may name it,
     * was not used, and no warning said so.
     */
    @Test
    void keysNameTablesOfTheCurrentSchemaWithIt() throws Exception {
        try (TestDatabase target = Databases.create(Engine.POSTGRESQL);
                TestDatabase source = Databases.create(Engine.POSTGRESQL)) {
            for (TestDatabase database : List.of(target, source)) {
                database.execute(
                        "CREATE TABLE tag (name VARCHAR(10))",
                        "CREATE TABLE note (id INT, v VARCHAR(10))",
                        "INSERT INTO tag VALUES ('a')",
                        "INSERT INTO note VALUES (1, 'one'), (2, 'two')");
            }
            source.execute(
                    "INSERT INTO tag VALUES ('a'), ('b')",
                    "UPDATE note SET v = 'uno' WHERE id = 1",
                    "DELETE FROM note WHERE id = 2");
            List<String> warnings = new ArrayList<>();
            Dsynq dsynq = target.dsynq(tmp)
                    .keys(List.of("public.tag:*", "PUBLIC.note:id"))
                    .listener(warningsTo(warnings))
                    .build();

            assertThat(dsynq.diff(Databases.against(source)).tables())
                    .extracting(t -> t.table() + " " + t.inserts() + " " + t.updates() + " " + t.deletes())
                    .containsExactly("note 0 1 1", "tag 2 0 0");
            dsynq.apply(ApplyRequest.latest());
            assertThat(Databases.content(target, "note")).isEqualTo(Databases.content(source, "note"));
            assertThat(Databases.content(target, "tag")).isEqualTo(Databases.content(source, "tag"));
            assertThat(warnings).isEmpty();
        }
    }

    /**
     * A key declared for a table of another schema names it with its schema, and one for a table of the current
     * schema is not another schema's: {@code audit.item:id} was never used, and {@code item:id} keyed
     * {@code audit.item} too.
     */
    @Test
    void keysOfTablesOfOtherSchemasNameTheirSchema() throws Exception {
        try (TestDatabase target = Databases.create(Engine.POSTGRESQL);
                TestDatabase source = Databases.create(Engine.POSTGRESQL)) {
            for (TestDatabase database : List.of(target, source)) {
                database.execute(
                        "CREATE SCHEMA audit",
                        "CREATE TABLE item (id INT, v VARCHAR(10))",
                        "CREATE TABLE audit.item (id INT, v VARCHAR(10))",
                        "INSERT INTO item VALUES (1, 'a')",
                        "INSERT INTO audit.item VALUES (1, 'a')");
            }
            source.execute("UPDATE item SET v = 'b'", "UPDATE audit.item SET v = 'c'");
            DiffRequest both = Databases.against(source).schemas(List.of("public", "audit"));

            assertThatThrownBy(() -> target.dsynq(tmp)
                            .keys(List.of("public.item:id"))
                            .build()
                            .diff(both))
                    .isInstanceOf(DsynqException.class)
                    .hasMessageStartingWith("table audit.item has no primary key");
            assertThat(target.dsynq(tmp)
                            .keys(List.of("item:id", "audit.item:id"))
                            .build()
                            .diff(both)
                            .tables())
                    .extracting(t -> t.table() + " " + t.updates())
                    .containsExactly("item 1", "audit.item 1");
        }
    }

    /** A mistyped table in -Ddsynq.keys was ignored without a word. */
    @Test
    void aKeyForATableNeitherSideHasIsWarnedAbout() throws Exception {
        try (TestDatabase target = Databases.create(Engine.H2);
                TestDatabase source = Databases.create(Engine.H2)) {
            for (TestDatabase database : List.of(target, source)) {
                database.execute("CREATE TABLE tag (name VARCHAR(10))");
            }
            List<String> warnings = new ArrayList<>();
            Dsynq dsynq = target.dsynq(tmp)
                    .keys(List.of("tag:*", "tga:name", "sales.tag:name"))
                    .listener(warningsTo(warnings))
                    .build();

            dsynq.diff(Databases.against(source));

            assertThat(warnings)
                    .containsExactly("a key is declared for table tga (dsynq.keys), which neither the target (db, H2)"
                            + " nor the source (source, H2) has");
        }
    }

    /**
     * A key declared for a table that has its own was not used, without a word: the diff and the apply tell of it
     * once each; a declaration naming the table's own key is no news, and whole-row identity is the diff's to use.
     */
    @Test
    void aKeyForATableWithItsOwnIsWarnedAbout() throws Exception {
        try (TestDatabase target = Databases.create(Engine.H2);
                TestDatabase source = Databases.create(Engine.H2)) {
            for (TestDatabase database : List.of(target, source)) {
                database.execute(
                        "CREATE TABLE item (id INT PRIMARY KEY, code VARCHAR(10))",
                        "CREATE TABLE tag (name VARCHAR(10) NOT NULL UNIQUE)",
                        "CREATE TABLE note (id INT, n INT, PRIMARY KEY (id, n))",
                        "CREATE TABLE label (id INT NOT NULL UNIQUE, code VARCHAR(10))");
            }
            source.execute("INSERT INTO item VALUES (1, 'a')");
            List<String> warnings = new ArrayList<>();
            Dsynq dsynq = target.dsynq(tmp)
                    .keys(List.of("item:code", "tag:*", "note:N+ID", "label:code"))
                    .listener(warningsTo(warnings))
                    .build();

            dsynq.diff(Databases.against(source));
            dsynq.apply(ApplyRequest.latest());

            assertThat(warnings)
                    .containsExactly(
                            "table item has a primary key (ID), which identifies its rows: the key dsynq.keys declares"
                                    + " for it (code) is not used",
                            "table label has a unique index over NOT NULL columns (ID), which identifies its rows: the"
                                    + " key dsynq.keys declares for it (code) is not used",
                            "table item has a primary key (ID), which identifies its rows: the key dsynq.keys declares"
                                    + " for it (code) is not used");
        }
    }

    /**
     * A table left out that a compared table references: the delta's rows may reference rows the target's table
     * lacks, and its apply is then refused. The diff says so when it starts, not the apply.
     */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void aReferenceToATableLeftOutIsWarnedAbout(Engine engine) throws Exception {
        try (TestDatabase target = Databases.create(engine);
                TestDatabase source = Databases.create(engine)) {
            for (TestDatabase database : List.of(target, source)) {
                database.execute(
                        "CREATE TABLE category (id INT PRIMARY KEY)",
                        "CREATE TABLE brand (id INT PRIMARY KEY)",
                        "CREATE TABLE supplier (id INT PRIMARY KEY)",
                        "CREATE TABLE item (id INT PRIMARY KEY, category_id INT, brand_id INT, supplier_id INT,"
                                + " CONSTRAINT fk_item_category FOREIGN KEY (category_id) REFERENCES category (id),"
                                + " CONSTRAINT fk_item_brand FOREIGN KEY (brand_id) REFERENCES brand (id),"
                                + " CONSTRAINT fk_item_supplier FOREIGN KEY (supplier_id) REFERENCES supplier (id))",
                        "CREATE TABLE note (id INT PRIMARY KEY)");
            }
            source.execute("INSERT INTO category VALUES (1)", "INSERT INTO item VALUES (1, 1, NULL, NULL)");
            List<String> warnings = new ArrayList<>();
            Dsynq dsynq = target.dsynq(tmp).listener(warningsTo(warnings)).build();

            DiffRequest request = Databases.against(source).summaryOnly(true);
            dsynq.diff(request.tables(List.of(), List.of("category")));
            assertThat(warnings)
                    .containsExactly("table item references category, which this diff leaves out: if the source's"
                            + " rows of item reference rows the target's table lacks, the delta's apply is refused;"
                            + " compare it too");

            warnings.clear();
            dsynq.diff(request.tables(List.of(), List.of("supplier", "category", "brand")));
            assertThat(warnings)
                    .containsExactly("table item references brand, category and supplier, which this diff leaves out:"
                            + " if the source's rows of item reference rows the target's tables lack, the delta's"
                            + " apply is refused; compare them too");

            warnings.clear();
            dsynq.diff(request.tables(List.of("item", "category", "brand", "supplier"), List.of()));
            dsynq.diff(request.tables(List.of("category", "note"), List.of()));
            assertThat(warnings).isEmpty();
        }
    }

    /**
     * Times compare at the fractional digits both columns hold, and the delta writes the source's cut to the target's
     * (diff.md): the values whose digits are cut so are told, by column, with the first of them. Rows of key ranges
     * whose segment checksums agree are not read, but a value with such digits makes its range's checksum differ.
     */
    @ParameterizedTest
    @EnumSource(
            value = Engine.class,
            names = {"H2", "POSTGRESQL", "MARIADB"})
    void sourceValuesWithDigitsTheTargetCannotHoldAreWarnedAbout(Engine engine) throws Exception {
        try (TestDatabase target = Databases.create(engine);
                TestDatabase source = Databases.create(Engine.POSTGRESQL)) {
            source.execute(
                    "CREATE TABLE t (id INT PRIMARY KEY, ts TIMESTAMP(6), tm TIME(6), name VARCHAR(10))",
                    "INSERT INTO t VALUES (1, '2024-01-01 10:00:00.123456', '10:00:00.5', 'a'),"
                            + " (2, '2024-01-02 10:00:00.2507', '10:00:00', 'b'),"
                            + " (3, '2024-01-03 10:00:00.125', '11:00:00', 'c'), (4, NULL, NULL, 'changed')");
            target.execute(
                    "CREATE TABLE t (id INT PRIMARY KEY, ts " + (engine == Engine.MARIADB ? "DATETIME" : "TIMESTAMP")
                            + "(3), tm TIME(0), name VARCHAR(10))",
                    "INSERT INTO t VALUES (2, '2024-01-02 10:00:00.250', '10:00:00', 'b'),"
                            + " (3, '2024-01-03 10:00:00.125', '11:00:00', 'c'), (4, NULL, NULL, 'd')");
            List<String> warnings = new ArrayList<>();
            Dsynq dsynq = target.dsynq(tmp).listener(warningsTo(warnings)).build();

            DiffResult result = dsynq.diff(Databases.against(source));

            assertThat(result.tables())
                    .extracting(DiffResult.TableDiff::inserts, DiffResult.TableDiff::updates)
                    .containsExactly(tuple(1L, 1L));
            assertThat(warnings).hasSize(2);
            assertThat(warnings.get(0))
                    .isEqualTo("  t: 2 source values of column ts hold more fractional digits of a second than the"
                            + " target's " + (engine == Engine.MARIADB ? "datetime" : "timestamp") + "(3) holds (the"
                            + " first in the row with key (id='1'): 2024-01-01T10:00:00.123456): the diff compares"
                            + " and writes them cut to 3 digits");
            assertThat(warnings.get(1))
                    .isEqualTo("  t: 1 source value of column tm holds more fractional digits of a second than the"
                            + " target's time(0) holds (the first in the row with key (id='1'): 10:00:00.5): the diff"
                            + " compares and writes it cut to 0 digits");
            if (engine == Engine.POSTGRESQL) {
                List<String> full = List.copyOf(warnings);
                warnings.clear();
                dsynq.diff(Databases.against(source).mode(DiffMode.SEGMENTS).summaryOnly(true));
                assertThat(warnings).endsWith(full.toArray(String[]::new)).hasSize(3); // and the pending delta's
            }

            dsynq.apply(ApplyRequest.latest());
            warnings.clear();
            assertThat(dsynq.diff(Databases.against(source).summaryOnly(true)).differs())
                    .isFalse();
            assertThat(warnings).hasSize(2);
            source.execute(
                    "UPDATE t SET ts = '2024-01-01 10:00:00.123', tm = '10:00:00' WHERE id = 1",
                    "UPDATE t SET ts = '2024-01-02 10:00:00.25' WHERE id = 2");
            warnings.clear();
            assertThat(dsynq.diff(Databases.against(source).summaryOnly(true)).differs())
                    .isFalse();
            assertThat(warnings).isEmpty();
        }
    }

    /**
     * A key declared without schema is for the table of the current schema (diff.md): one of another schema of that
     * name, compared through -Ddsynq.schemas, took the declaration for its own, though it does not use it, so the
     * error about that table named no key declared for a table neither side has.
     */
    @Test
    void aKeyDeclaredWithoutSchemaIsNotTakenByATableOfAnotherSchema() throws Exception {
        try (TestDatabase target = Databases.create(Engine.POSTGRESQL);
                TestDatabase source = Databases.create(Engine.POSTGRESQL)) {
            for (TestDatabase database : List.of(target, source)) {
                database.execute("CREATE SCHEMA sales", "CREATE TABLE sales.tag (name VARCHAR(10))");
            }
            Dsynq dsynq = Databases.dsynq(target, tmp, List.of("tag:*"));

            assertThatThrownBy(() -> dsynq.diff(Databases.against(source).schemas(List.of("sales"))))
                    .isInstanceOf(DsynqException.class)
                    .hasMessageStartingWith("table sales.tag has no primary key")
                    .hasMessageEndingWith(". Keys are declared (dsynq.keys) for tag, which neither the target (db,"
                            + " PostgreSQL) nor the source (source, PostgreSQL) has");
        }
    }

    /** An include pattern naming a table of a schema not compared said only that it matched nothing. */
    @Test
    void anIncludeOfATableOfASchemaNotComparedSaysSo() throws Exception {
        try (TestDatabase target = Databases.create(Engine.POSTGRESQL);
                TestDatabase source = Databases.create(Engine.POSTGRESQL)) {
            for (TestDatabase database : List.of(target, source)) {
                database.execute("CREATE SCHEMA sales", "CREATE TABLE sales.item (id INT PRIMARY KEY)");
            }
            Dsynq dsynq = Databases.dsynq(target, tmp, List.of());

            assertThatThrownBy(() -> dsynq.diff(Databases.against(source).tables(List.of("sales.item"), List.of())))
                    .isInstanceOf(DsynqException.class)
                    .hasMessage("-Ddsynq.include=sales.item matches no table of the target (db, PostgreSQL) nor of the"
                            + " source (source, PostgreSQL): schema sales is not compared; name it in"
                            + " -Ddsynq.schemas");
            assertThat(dsynq.diff(Databases.against(source)
                                    .schemas(List.of("sales"))
                                    .tables(List.of("sales.item"), List.of()))
                            .tables())
                    .extracting(DiffResult.TableDiff::table)
                    .containsExactly("sales.item");
        }
    }

    /**
     * A pattern of many stars was matched as a regular expression with {@code .*} for each star, which backtracked
     * through every way of placing the stars in a table's name: {@code -Ddsynq.include=*a*a*a*a*a*a*a*a*b} took hours
     * to find that a table named by sixty {@code a} does not match (six stars: 36 s), with no word. A pattern is
     * matched in time that grows with its length times the name's.
     */
    @Test
    void aPatternOfManyStarsIsMatchedAtOnce() throws Exception {
        try (TestDatabase target = Databases.create(Engine.H2);
                TestDatabase source = Databases.create(Engine.H2)) {
            for (TestDatabase database : List.of(target, source)) {
                database.execute(
                        "CREATE TABLE " + "a".repeat(60) + " (id INT PRIMARY KEY)",
                        "CREATE TABLE aaaaaaaab (id INT PRIMARY KEY)",
                        "CREATE TABLE \"x\ny\" (id INT PRIMARY KEY)");
            }
            Dsynq dsynq = Databases.dsynq(target, tmp, List.of());
            DiffRequest request = Databases.against(source).summaryOnly(true);

            assertThat(assertTimeoutPreemptively(
                                    Duration.ofSeconds(30),
                                    () -> dsynq.diff(request.tables(
                                            List.of("*a*a*a*a*a*a*a*a*b", "x*y"), List.of("*a*a*a*a*a*a*a*a*c"))))
                            .tables())
                    .extracting(DiffResult.TableDiff::table)
                    .containsExactly("aaaaaaaab", "x\ny");
            assertThat(dsynq.diff(request.tables(List.of("?a??????b", "a*"), List.of("a*a")))
                            .tables())
                    .extracting(DiffResult.TableDiff::table)
                    .containsExactly("aaaaaaaab");
        }
    }

    private static DsynqListener warningsTo(List<String> warnings) {
        return new DsynqListener() {
            @Override
            public void warn(String message) {
                warnings.add(message);
            }
        };
    }
}
