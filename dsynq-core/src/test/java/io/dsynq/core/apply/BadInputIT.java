package io.dsynq.core.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dsynq.core.ApplyRequest;
import io.dsynq.core.Dsynq;
import io.dsynq.core.DsynqException;
import io.dsynq.core.testing.Engine;
import io.dsynq.core.testing.TestDatabase;
import io.dsynq.core.testing.TestServers;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad-input corpus of issue 3, {@code src/test/resources/bad-input/<case>/}: each case holds a delta (or a
 * broken delta folder) and {@code expected.txt}, lines the error message must contain. On every engine, applying
 * it must fail with that message and leave every table and the history exactly as they were, compared by a hash of
 * their full content.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputIT {

    private static final String BASE = "1700000001.000000";

    private static final List<String> TABLES =
            List.of("category", "item", "tag", "note", "dsynq_history", "dsynq_history_reverse");

    private final Map<Engine, TestDatabase> databases = new EnumMap<>(Engine.class);

    @TempDir
    Path tmp;

    static Stream<Arguments> cases() throws Exception {
        List<Arguments> cases = new ArrayList<>();
        try (Stream<Path> folders = Files.list(corpus())) {
            for (Path folder : folders.filter(Files::isDirectory)
                    .filter(f -> !f.getFileName().toString().startsWith("_"))
                    .sorted()
                    .toList()) {
                for (Engine engine : Engine.values()) {
                    cases.add(Arguments.of(engine, folder.getFileName().toString()));
                }
            }
        }
        assertThat(cases).hasSizeGreaterThanOrEqualTo(30 * Engine.values().length);
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void aBadDeltaFailsWithOneClearErrorAndChangesNothing(Engine engine, String name) throws Exception {
        TestDatabase database = database(engine);
        Path deltas = tmp.resolve("deltas/db/delta");
        copy(corpus().resolve("_base"), deltas);
        copy(corpus().resolve(name), deltas);
        Files.deleteIfExists(deltas.resolve("expected.txt"));
        if (Files.exists(deltas.resolve("link-item.i.csv-to-elsewhere"))) {
            Files.delete(deltas.resolve("link-item.i.csv-to-elsewhere"));
            Path elsewhere = Files.writeString(tmp.resolve("elsewhere.csv"), "id,code,name\n4,40,Four\n");
            Files.createDirectories(deltas.resolve("1700000100.000000"));
            Files.createSymbolicLink(deltas.resolve("1700000100.000000/item.i.csv"), elsewhere);
        }
        List<String> expected = Files.readAllLines(corpus().resolve(name).resolve("expected.txt")).stream()
                .filter(line -> !line.isBlank())
                .toList();
        String before = contentHash(database);

        assertThatThrownBy(() -> dsynq(database).apply(ApplyRequest.latest()))
                .isInstanceOf(DsynqException.class)
                .satisfies(e -> assertThat(e.getMessage()).contains(expected))
                .satisfies(e -> System.out.println(engine + " " + name + ": " + e.getMessage()));

        assertThat(contentHash(database))
                .as("every table and the history, after " + name)
                .isEqualTo(before);
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aByteOrderMarkAndCrlfLineEndsAreNotErrors(Engine engine) throws Exception {
        TestDatabase database = database(engine);
        Path deltas = tmp.resolve("deltas/db/delta");
        copy(corpus().resolve("_base"), deltas);
        Path folder = Files.createDirectories(deltas.resolve("1700000200.000000"));
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        Files.write(folder.resolve("item.u.csv"), bom);
        Files.writeString(
                folder.resolve("item.u.csv"),
                "id,name\r\n1,\"with\r\nbreak\"\r\n",
                StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.APPEND);

        dsynq(database).apply(ApplyRequest.latest());
        try (Connection connection = database.connect();
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT name FROM item WHERE id = 1")) {
            row.next();
            assertThat(row.getString(1)).isEqualTo("with\r\nbreak");
        }
        dsynq(database).apply(ApplyRequest.to(BASE));
    }

    /**
     * dsynq makes its history tables before the first delta, outside its transaction (MariaDB commits DDL); a first
     * delta that fails takes them away again, so that the database is as it was.
     */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void aFirstDeltaThatFailsLeavesNoHistoryTables(Engine engine) throws Exception {
        try (TestDatabase database = TestServers.create(engine)) {
            database.execute("CREATE TABLE item (id INT PRIMARY KEY, code INT NOT NULL)");
            Path deltas = tmp.resolve("first-" + engine);
            Path folder = Files.createDirectories(deltas.resolve("db/delta/1700000001.000000"));
            Files.writeString(folder.resolve("item.i.csv"), "id,code\n1,10\n2,ten\n");

            assertThatThrownBy(() -> database.dsynq(deltas).build().apply(ApplyRequest.latest()))
                    .isInstanceOf(DsynqException.class)
                    .hasMessageContaining("line 3");

            try (Connection connection = database.connect();
                    ResultSet tables = connection
                            .getMetaData()
                            .getTables(connection.getCatalog(), null, "%", new String[] {"TABLE"})) {
                List<String> names = new ArrayList<>();
                while (tables.next()) {
                    names.add(tables.getString("TABLE_NAME").toLowerCase());
                }
                assertThat(names).contains("item").doesNotContain("dsynq_history", "dsynq_history_reverse");
            }
        }
    }

    /**
     * A delta merged from a branch, older than the newest applied, is applied in its place: the newer ones are rolled
     * back, it is applied, and they are applied again. Where it conflicted with them (it deletes a row a newer delta
     * updates) or failed itself, the apply stopped there, the newer deltas, applied before it ran, left rolled back,
     * and the error named only the delta that failed. The moves are undone, and the error says so.
     */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void anOlderDeltaThatCannotGoInItsPlaceLeavesTheNewerOnesApplied(Engine engine) throws Exception {
        try (TestDatabase database = TestServers.create(engine)) {
            database.execute("CREATE TABLE item (id INT PRIMARY KEY, qty INT)");
            Path deltas = tmp.resolve("merged-" + engine);
            Path folder = deltas.resolve("db/delta");
            Files.createDirectories(folder.resolve("1700000001.000000"));
            Files.writeString(folder.resolve("1700000001.000000/item.i.csv"), "id,qty\n1,10\n2,20\n");
            Files.createDirectories(folder.resolve("1700000003.000000"));
            Files.writeString(folder.resolve("1700000003.000000/item.u.csv"), "id,qty\n2,22\n");
            Dsynq dsynq = database.dsynq(deltas).build();
            dsynq.apply(ApplyRequest.latest());
            List<String> before = itemsAndHistory(database);

            Files.createDirectories(folder.resolve("1700000002.000000"));
            Files.writeString(folder.resolve("1700000002.000000/item.d.csv"), "id\n2\n");
            assertThatThrownBy(() -> dsynq.apply(ApplyRequest.latest()))
                    .isInstanceOf(DsynqException.class)
                    .hasMessage("database db, delta 1700000003.000000, file item.u.csv, line 2: no row with key id=2"
                            + " in table item to update; to apply the older delta 1700000002.000000 in its place,"
                            + " this apply had rolled back the newer delta 1700000003.000000, applied before it ran:"
                            + " the database is put back as it was, delta 1700000003.000000 applied and delta"
                            + " 1700000002.000000 not; make the older delta and the newer agree (edit a pending"
                            + " delta, or roll back to before the newer with -Ddsynq.to=1700000001.000000, edit and"
                            + " apply)");
            assertThat(itemsAndHistory(database)).isEqualTo(before);

            Files.writeString(folder.resolve("1700000002.000000/item.d.csv"), "id\n9\n");
            assertThatThrownBy(() -> dsynq.apply(ApplyRequest.latest()))
                    .isInstanceOf(DsynqException.class)
                    .hasMessageStartingWith("database db, delta 1700000002.000000, file item.d.csv, line 2: no row")
                    .hasMessageContaining("the database is put back as it was");
            assertThat(itemsAndHistory(database)).isEqualTo(before);

            // a newer delta someone changed the rows of since: its rollback's drift report, with the one put back
            Files.writeString(folder.resolve("1700000002.000000/item.d.csv"), "id\n1\n");
            Path older = Files.move(folder.resolve("1700000002.000000"), tmp.resolve("older-" + engine));
            Files.createDirectories(folder.resolve("1700000004.000000"));
            Files.writeString(folder.resolve("1700000004.000000/item.i.csv"), "id,qty\n5,50\n");
            dsynq.apply(ApplyRequest.latest());
            Files.move(older, folder.resolve("1700000002.000000"));
            List<String> four = itemsAndHistory(database);
            database.execute("UPDATE item SET qty = 23 WHERE id = 2");
            List<String> drifted = itemsAndHistory(database);
            assertThatThrownBy(() -> dsynq.apply(ApplyRequest.latest()))
                    .isInstanceOf(DriftException.class)
                    .hasMessageContaining("item id=2: qty expected '22', found '23'")
                    .hasMessageContaining("Run with -Ddsynq.force=true to roll back anyway.")
                    .hasMessageEndingWith("(To apply the older delta 1700000002.000000 in its place, this apply had"
                            + " rolled back the newer delta 1700000004.000000, applied before it ran: the database is"
                            + " put back as it was.)");
            assertThat(itemsAndHistory(database)).isEqualTo(drifted);
            database.execute("UPDATE item SET qty = 22 WHERE id = 2");
            assertThat(itemsAndHistory(database)).isEqualTo(four);

            dsynq.apply(ApplyRequest.latest());
            assertThat(itemsAndHistory(database))
                    .containsExactly(
                            "2,22",
                            "5,50",
                            "1700000001.000000",
                            "1700000002.000000",
                            "1700000003.000000",
                            "1700000004.000000");
        }
    }

    /** The rows of item, then the ids of the history. */
    private static List<String> itemsAndHistory(TestDatabase database) throws SQLException {
        List<String> lines = new ArrayList<>();
        try (Connection connection = database.connect();
                Statement statement = connection.createStatement()) {
            try (ResultSet rows = statement.executeQuery("SELECT id, qty FROM item ORDER BY id")) {
                while (rows.next()) {
                    lines.add(rows.getInt(1) + "," + rows.getInt(2));
                }
            }
            try (ResultSet rows = statement.executeQuery("SELECT delta_id FROM dsynq_history ORDER BY delta_id")) {
                while (rows.next()) {
                    lines.add(rows.getString(1));
                }
            }
        }
        return lines;
    }

    @AfterAll
    void dropDatabases() {
        databases.values().forEach(TestDatabase::close);
    }

    /** The engine's database: the schema, and the base delta applied, so that there is history to keep. */
    private TestDatabase database(Engine engine) throws Exception {
        TestDatabase database = databases.get(engine);
        if (database != null) {
            return database;
        }
        database = TestServers.create(engine);
        databases.put(engine, database);
        String timestamp = engine == Engine.MARIADB ? "DATETIME(6)" : "TIMESTAMP(6)";
        String binary = engine == Engine.POSTGRESQL ? "BYTEA" : "VARBINARY(16)";
        database.execute(
                "CREATE TABLE category (id INT PRIMARY KEY, parent_id INT, name VARCHAR(30) NOT NULL,"
                        + " CONSTRAINT fk_category_parent FOREIGN KEY (parent_id) REFERENCES category (id))",
                "CREATE TABLE item (id INT PRIMARY KEY, code INT NOT NULL, name VARCHAR(20), price DECIMAL(8,2),"
                        + " added DATE, updated " + timestamp + ", active BOOLEAN, image " + binary + ", ref UUID,"
                        + " attrs JSON, category_id INT,"
                        + " CONSTRAINT fk_item_category FOREIGN KEY (category_id) REFERENCES category (id))",
                "CREATE TABLE tag (item_id INT NOT NULL, tag VARCHAR(10) NOT NULL, PRIMARY KEY (item_id, tag),"
                        + " CONSTRAINT fk_tag_item FOREIGN KEY (item_id) REFERENCES item (id))",
                "CREATE TABLE note (k VARCHAR(10), v VARCHAR(10))");
        Path deltas = Files.createTempDirectory(tmp, "base");
        copy(corpus().resolve("_base"), deltas.resolve("db/delta"));
        database.dsynq(deltas).build().apply(ApplyRequest.latest());
        return database;
    }

    private Dsynq dsynq(TestDatabase database) {
        return database.dsynq(tmp.resolve("deltas")).build();
    }

    /** SHA-256 over the full content of every table, dsynq's history included, each ordered by all its columns. */
    private static String contentHash(TestDatabase database) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (Connection connection = database.connect();
                Statement statement = connection.createStatement()) {
            for (String table : TABLES) {
                digest.update(table.getBytes(StandardCharsets.UTF_8));
                try (ResultSet rows = statement.executeQuery("SELECT * FROM " + table)) {
                    ResultSetMetaData meta = rows.getMetaData();
                    List<String> lines = new ArrayList<>();
                    while (rows.next()) {
                        StringBuilder line = new StringBuilder();
                        for (int c = 1; c <= meta.getColumnCount(); c++) {
                            int type = meta.getColumnType(c);
                            boolean binary = type == Types.BINARY
                                    || type == Types.VARBINARY
                                    || type == Types.LONGVARBINARY
                                    || type == Types.BLOB;
                            byte[] bytes = binary ? rows.getBytes(c) : null;
                            line.append(
                                            binary
                                                    ? (bytes == null
                                                            ? "null"
                                                            : HexFormat.of().formatHex(bytes))
                                                    : rows.getString(c))
                                    .append('\u0001');
                        }
                        lines.add(line.toString());
                    }
                    lines.sort(null);
                    assertThat(lines).as(table).isNotEmpty();
                    lines.forEach(l -> digest.update(l.getBytes(StandardCharsets.UTF_8)));
                }
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static Path corpus() throws URISyntaxException {
        return Path.of(BadInputIT.class.getResource("/bad-input").toURI());
    }

    private static void copy(Path from, Path to) throws Exception {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
