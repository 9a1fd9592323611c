package io.dsynq.core.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.dsynq.core.ApplyRequest;
import io.dsynq.core.ApplyResult;
import io.dsynq.core.Dsynq;
import io.dsynq.core.csv.CsvDialect;
import io.dsynq.core.csv.CsvWriter;
import io.dsynq.core.jdbc.Column;
import io.dsynq.core.jdbc.DatabaseCatalog;
import io.dsynq.core.jdbc.Dialect;
import io.dsynq.core.jdbc.Table;
import io.dsynq.core.jdbc.ValueCodec;
import io.dsynq.core.model.DeltaId;
import io.dsynq.core.model.TableName;
import io.dsynq.core.testing.Engine;
import io.dsynq.core.testing.TestDatabase;
import io.dsynq.core.testing.TestServers;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The round-trip property of issue 2 on each engine: a schema of seven tables with composite keys, a
 * self-reference, a two-table foreign-key cycle, NULLs, non-ASCII text, decimals, timestamps, binary, UUIDs and
 * JSON; a sequence of random deltas, each the difference between two random valid states; apply all, roll back
 * to 0, apply all again, comparing full table contents at each end, and the content against the model.
 */
class RoundTripIT {

    private static final int DELTAS = 24;

    private static final long SEED = Long.getLong("dsynq.test.seed", 20261122L);

    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(Engine.class)
    void applyingAllThenRollingBackToZeroRestoresEveryTableExactly(Engine engine) throws Exception {
        try (TestDatabase database = TestServers.create(engine)) {
            database.execute(Schema.ddl(engine));
            Random random = new Random(SEED);
            Model model = new Model(engine, random);
            model.seed();
            seed(database, model);

            List<Model.State> states = new ArrayList<>();
            states.add(model.snapshot());
            long id = 1_700_000_000L;
            int rows = 0;
            for (int i = 0; i < DELTAS; i++) {
                Model.State before = model.snapshot();
                model.mutate();
                rows += writeDelta(
                        tmp.resolve("deltas/db/delta/" + DeltaId.of(Instant.ofEpochSecond(id + i, 1000L * i))),
                        before,
                        model.snapshot(),
                        random);
                states.add(model.snapshot());
            }
            assertThat(rows).as("rows changed in all deltas").isGreaterThan(DELTAS * 50);

            Dsynq dsynq = database.dsynq(tmp.resolve("deltas")).build();
            Map<String, List<List<String>>> start = contents(database);

            long began = System.nanoTime();
            ApplyResult forward = dsynq.apply(ApplyRequest.latest());
            assertThat(forward.steps()).hasSize(DELTAS);
            assertMatches(database, states.get(DELTAS));
            Map<String, List<List<String>>> end = contents(database);

            ApplyResult middle = dsynq.apply(ApplyRequest.offset(-(DELTAS / 2)));
            assertThat(middle.steps()).hasSize(DELTAS / 2).noneMatch(ApplyResult.Step::forward);
            assertMatches(database, states.get(DELTAS / 2));

            dsynq.apply(ApplyRequest.to("0"));
            assertThat(contents(database)).isEqualTo(start);

            dsynq.apply(ApplyRequest.latest());
            assertThat(contents(database)).isEqualTo(end);
            System.out.printf(
                    "round trip on %s: %d tables, %d deltas, %d rows changed, %d s for the whole sequence%n",
                    engine, Schema.TABLES.size(), DELTAS, rows, (System.nanoTime() - began) / 1_000_000_000L);
        }
    }

    // ------------------------------------------------------------------------------------------------- deltas

    /** Writes the difference between two states as a delta folder, rows shuffled; returns the rows written. */
    private static int writeDelta(Path folder, Model.State before, Model.State after, Random random) throws Exception {
        Files.createDirectories(folder);
        int rows = 0;
        for (Schema.TableDef table : Schema.TABLES) {
            Map<List<String>, String[]> old = before.rows().get(table.name());
            Map<List<String>, String[]> now = after.rows().get(table.name());
            List<String[]> inserts = new ArrayList<>();
            List<String[]> deletes = new ArrayList<>();
            List<List<String>> updatedKeys = new ArrayList<>();
            Set<Integer> changedColumns = new java.util.TreeSet<>();
            for (Map.Entry<List<String>, String[]> row : now.entrySet()) {
                String[] previous = old.get(row.getKey());
                if (previous == null) {
                    inserts.add(row.getValue());
                } else if (!java.util.Arrays.equals(previous, row.getValue())) {
                    updatedKeys.add(row.getKey());
                    for (int c = 0; c < previous.length; c++) {
                        if (!Objects.equals(previous[c], row.getValue()[c])) {
                            changedColumns.add(c);
                        }
                    }
                }
            }
            for (List<String> key : old.keySet()) {
                if (!now.containsKey(key)) {
                    deletes.add(key.toArray(String[]::new));
                }
            }
            Collections.shuffle(inserts, random);
            Collections.shuffle(deletes, random);
            Collections.shuffle(updatedKeys, random);
            if (!inserts.isEmpty()) {
                List<Integer> order = new ArrayList<>();
                for (int c = 0; c < table.columns().size(); c++) {
                    order.add(c);
                }
                if (random.nextBoolean()) {
                    Collections.shuffle(order, random);
                }
                write(folder.resolve(table.name() + ".i.csv"), table, order, inserts);
            }
            if (!updatedKeys.isEmpty()) {
                List<Integer> order = new ArrayList<>(table.keyIndexes());
                order.addAll(changedColumns);
                List<String[]> rowsNow = updatedKeys.stream().map(now::get).toList();
                write(folder.resolve(table.name() + ".u.csv"), table, order, rowsNow);
            }
            if (!deletes.isEmpty()) {
                List<Integer> order = new ArrayList<>();
                for (int k = 0; k < table.key().size(); k++) {
                    order.add(k);
                }
                Schema.TableDef keyOnly = new Schema.TableDef(
                        table.name(), table.key().stream().map(table::column).toList(), table.key());
                write(folder.resolve(table.name() + ".d.csv"), keyOnly, order, deletes);
            }
            rows += inserts.size() + updatedKeys.size() + deletes.size();
        }
        return rows;
    }

    private static void write(Path file, Schema.TableDef table, List<Integer> order, List<String[]> rows)
            throws Exception {
        try (OutputStream out = Files.newOutputStream(file);
                CsvWriter writer = CsvDialect.writer(
                        out,
                        order.stream().map(c -> table.columns().get(c).name()).toList())) {
            for (String[] row : rows) {
                writer.write(order.stream().map(c -> row[c]).toArray(String[]::new));
            }
        }
    }

    // ------------------------------------------------------------------------------------------------- database

    /** Inserts the model's state with plain JDBC, parents first, foreign keys in a second pass. */
    private static void seed(TestDatabase database, Model model) throws Exception {
        try (Connection connection = database.connect()) {
            Dialect dialect = Dialect.of(connection);
            DatabaseCatalog catalog =
                    new DatabaseCatalog(connection, dialect, Map.of(), io.dsynq.core.DsynqListener.SILENT);
            Model.State state = model.snapshot();
            for (Schema.TableDef def : Schema.TABLES) {
                Table table = catalog.table(TableName.parse(def.name()));
                List<Column> columns = def.columns().stream()
                        .map(c -> table.column(c.name()).orElseThrow())
                        .toList();
                String sql = "INSERT INTO " + dialect.qualify(table.ref()) + " (" + dialect.columnList(null, columns)
                        + ") VALUES (" + columns.stream().map(c -> "?").collect(Collectors.joining(", ")) + ")";
                try (PreparedStatement insert = connection.prepareStatement(sql)) {
                    for (String[] row : state.rows().get(def.name()).values()) {
                        for (int c = 0; c < columns.size(); c++) {
                            String value = def.columns().get(c).references() != null
                                            && def.columns().get(c).nullable()
                                    ? null
                                    : row[c];
                            dialect.bind(insert, c + 1, columns.get(c), ValueCodec.parse(columns.get(c), value));
                        }
                        insert.addBatch();
                    }
                    insert.executeBatch();
                }
            }
            for (Schema.TableDef def : Schema.TABLES) {
                Table table = catalog.table(TableName.parse(def.name()));
                for (int c = 0; c < def.columns().size(); c++) {
                    Schema.ColumnDef column = def.columns().get(c);
                    if (column.references() == null || !column.nullable()) {
                        continue;
                    }
                    Column fk = table.column(column.name()).orElseThrow();
                    List<Column> key = table.keyColumns();
                    String sql = "UPDATE " + dialect.qualify(table.ref()) + " SET " + dialect.quote(fk.name())
                            + " = ? WHERE "
                            + key.stream()
                                    .map(k -> dialect.quote(k.name()) + " = ?")
                                    .collect(Collectors.joining(" AND "));
                    try (PreparedStatement update = connection.prepareStatement(sql)) {
                        for (String[] row : state.rows().get(def.name()).values()) {
                            dialect.bind(update, 1, fk, ValueCodec.parse(fk, row[c]));
                            for (int k = 0; k < key.size(); k++) {
                                int index = def.keyIndexes().get(k);
                                dialect.bind(update, k + 2, key.get(k), ValueCodec.parse(key.get(k), row[index]));
                            }
                            update.addBatch();
                        }
                        update.executeBatch();
                    }
                }
            }
        }
    }

    /** Every table's full content in the engine's own text, ordered by key: exact, and independent of dsynq. */
    private static Map<String, List<List<String>>> contents(TestDatabase database) throws Exception {
        Map<String, List<List<String>>> contents = new TreeMap<>();
        try (Connection connection = database.connect();
                Statement statement = connection.createStatement()) {
            for (Schema.TableDef table : Schema.TABLES) {
                List<List<String>> rows = new ArrayList<>();
                String order = table.key().stream().collect(Collectors.joining(", "));
                try (ResultSet result =
                        statement.executeQuery("SELECT * FROM " + table.name() + " ORDER BY " + order)) {
                    ResultSetMetaData meta = result.getMetaData();
                    while (result.next()) {
                        List<String> row = new ArrayList<>();
                        for (int c = 1; c <= meta.getColumnCount(); c++) {
                            int type = meta.getColumnType(c);
                            if (type == Types.BINARY
                                    || type == Types.VARBINARY
                                    || type == Types.LONGVARBINARY
                                    || type == Types.BLOB) {
                                byte[] bytes = result.getBytes(c);
                                row.add(
                                        bytes == null
                                                ? null
                                                : "0x"
                                                        + java.util.HexFormat.of()
                                                                .formatHex(bytes));
                            } else {
                                row.add(result.getString(c));
                            }
                        }
                        rows.add(row);
                    }
                }
                assertThat(rows).as(table.name()).isNotEmpty();
                contents.put(table.name(), rows);
            }
        }
        return contents;
    }

    /** Asserts the database holds exactly the model's state, in canonical text. */
    private static void assertMatches(TestDatabase database, Model.State state) throws Exception {
        try (Connection connection = database.connect()) {
            Dialect dialect = Dialect.of(connection);
            DatabaseCatalog catalog =
                    new DatabaseCatalog(connection, dialect, Map.of(), io.dsynq.core.DsynqListener.SILENT);
            for (Schema.TableDef def : Schema.TABLES) {
                Table table = catalog.table(TableName.parse(def.name()));
                List<Column> columns = def.columns().stream()
                        .map(c -> table.column(c.name()).orElseThrow())
                        .toList();
                Map<List<String>, List<String>> actual = new HashMap<>();
                try (Statement statement = connection.createStatement();
                        ResultSet result = statement.executeQuery("SELECT " + dialect.columnList(null, columns)
                                + " FROM " + dialect.qualify(table.ref()))) {
                    while (result.next()) {
                        List<String> row = new ArrayList<>();
                        for (int c = 0; c < columns.size(); c++) {
                            row.add(dialect.read(result, c + 1, columns.get(c)));
                        }
                        actual.put(def.keyIndexes().stream().map(row::get).toList(), row);
                    }
                }
                Map<List<String>, List<String>> expected = new HashMap<>();
                state.rows().get(def.name()).forEach((key, row) -> expected.put(key, java.util.Arrays.asList(row)));
                assertThat(actual).as("content of %s", def.name()).isEqualTo(expected);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------- schema

    /** The test schema, with engine-specific type names. */
    static final class Schema {

        record ColumnDef(String name, String type, boolean nullable, String references) {}

        record TableDef(String name, List<ColumnDef> columns, List<String> key) {

            ColumnDef column(String name) {
                return columns.stream()
                        .filter(c -> c.name().equals(name))
                        .findFirst()
                        .orElseThrow();
            }

            List<Integer> keyIndexes() {
                return key.stream().map(k -> columns.indexOf(column(k))).toList();
            }
        }

        static final List<TableDef> TABLES = List.of(
                table(
                        "region",
                        List.of("code"),
                        col("code", "VARCHAR(8)", false, null),
                        col("name", "VARCHAR(100)", false, null),
                        col("note", "VARCHAR(200)", true, null)),
                table(
                        "category",
                        List.of("id"),
                        col("id", "INT", false, null),
                        col("parent_id", "INT", true, "category"),
                        col("name", "VARCHAR(100)", false, null),
                        col("active", "BOOLEAN", false, null),
                        col("sort_key", "SMALLINT", true, null)),
                table(
                        "department",
                        List.of("id"),
                        col("id", "INT", false, null),
                        col("name", "VARCHAR(100)", false, null),
                        col("manager_id", "INT", true, "employee"),
                        col("budget", "DECIMAL(14,2)", true, null)),
                table(
                        "employee",
                        List.of("id"),
                        col("id", "INT", false, null),
                        col("name", "VARCHAR(100)", false, null),
                        col("department_id", "INT", true, "department"),
                        col("hired", "DATE", true, null),
                        col("badge", "UUID", true, null),
                        col("shift_start", "TIME(6)", true, null)),
                table(
                        "product",
                        List.of("id"),
                        col("id", "BIGINT", false, null),
                        col("category_id", "INT", true, "category"),
                        col("region_code", "VARCHAR(8)", true, "region"),
                        col("name", "VARCHAR(200)", false, null),
                        col("price", "DECIMAL(12,2)", true, null),
                        col("weight", "DOUBLE", true, null),
                        col("created_at", "TIMESTAMP(6)", true, null),
                        col("updated_at", "TIMESTAMPTZ", true, null),
                        col("image", "VARBINARY(64)", true, null),
                        col("attributes", "JSON", true, null),
                        col("description", "TEXT", true, null)),
                table(
                        "price_history",
                        List.of("product_id", "valid_from"),
                        col("product_id", "BIGINT", false, "product"),
                        col("valid_from", "DATE", false, null),
                        col("price", "DECIMAL(12,2)", false, null)),
                table(
                        "tag_link",
                        List.of("product_id", "tag"),
                        col("product_id", "BIGINT", false, "product"),
                        col("tag", "VARCHAR(30)", false, null),
                        col("position", "INT", false, null)));

        private static ColumnDef col(String name, String type, boolean nullable, String references) {
            return new ColumnDef(name, type, nullable, references);
        }

        private static TableDef table(String name, List<String> key, ColumnDef... columns) {
            return new TableDef(name, List.of(columns), key);
        }

        static String type(Engine engine, String type) {
            return switch (engine) {
                case H2 -> switch (type) {
                    case "TIMESTAMPTZ" -> "TIMESTAMP(6) WITH TIME ZONE";
                    case "TEXT" -> "CHARACTER LARGE OBJECT";
                    case "DOUBLE" -> "DOUBLE PRECISION";
                    default -> type;
                };
                case POSTGRESQL -> switch (type) {
                    case "DOUBLE" -> "DOUBLE PRECISION";
                    case "VARBINARY(64)" -> "BYTEA";
                    case "TIMESTAMPTZ" -> "TIMESTAMPTZ(6)";
                    default -> type;
                };
                case MARIADB -> switch (type) {
                    case "TIMESTAMP(6)", "TIMESTAMPTZ" -> "DATETIME(6)";
                    default -> type;
                };
            };
        }

        static String[] ddl(Engine engine) {
            List<String> statements = new ArrayList<>();
            for (TableDef table : TABLES) {
                String columns = table.columns().stream()
                        .map(c -> c.name() + " " + type(engine, c.type()) + (c.nullable() ? " NULL" : " NOT NULL"))
                        .collect(Collectors.joining(", "));
                statements.add("CREATE TABLE " + table.name() + " (" + columns + ", PRIMARY KEY ("
                        + String.join(", ", table.key()) + "))");
            }
            for (TableDef table : TABLES) {
                for (ColumnDef column : table.columns()) {
                    if (column.references() != null) {
                        TableDef parent = TABLES.stream()
                                .filter(t -> t.name().equals(column.references()))
                                .findFirst()
                                .orElseThrow();
                        statements.add("ALTER TABLE " + table.name() + " ADD CONSTRAINT fk_" + table.name() + "_"
                                + column.name() + " FOREIGN KEY (" + column.name() + ") REFERENCES " + parent.name()
                                + " (" + parent.key().get(0) + ")");
                    }
                }
            }
            return statements.toArray(String[]::new);
        }
    }

    // ------------------------------------------------------------------------------------------------- model

    /** The state the deltas should produce, as canonical text, with a generator of random valid next states. */
    static final class Model {

        record State(Map<String, Map<List<String>, String[]>> rows) {}

        private static final String[] WORDS = {
            "alpha",
            "Ünïcödé",
            "日本語",
            "naïve café",
            "comma, inside",
            "quote \"inside\"",
            "line\nbreak",
            "NULL",
            "",
            " padded ",
            "emoji 😀",
            "Ελληνικά",
            "кириллица",
            "tab\there",
            "back\\slash",
            "crlf\r\nend",
            "'apos'"
        };

        private final Engine engine;
        private final Random random;
        private final Map<String, Map<List<String>, String[]>> rows = new LinkedHashMap<>();
        private long nextId = 1;
        private int nextCode = 1;

        Model(Engine engine, Random random) {
            this.engine = engine;
            this.random = random;
            for (Schema.TableDef table : Schema.TABLES) {
                rows.put(table.name(), new LinkedHashMap<>());
            }
        }

        State snapshot() {
            Map<String, Map<List<String>, String[]>> copy = new LinkedHashMap<>();
            rows.forEach((table, content) -> {
                Map<List<String>, String[]> tableCopy = new LinkedHashMap<>();
                content.forEach((key, row) -> tableCopy.put(key, row.clone()));
                copy.put(table, tableCopy);
            });
            return new State(copy);
        }

        void seed() {
            for (Schema.TableDef table : Schema.TABLES) {
                int count = table.name().equals("region") ? 15 : 60;
                for (int i = 0; i < count; i++) {
                    insert(table);
                }
            }
            repair();
        }

        void mutate() {
            for (Schema.TableDef table : Schema.TABLES) {
                Map<List<String>, String[]> content = rows.get(table.name());
                int deletes = Math.min(content.size() / 4, random.nextInt(8));
                List<List<String>> keys = new ArrayList<>(content.keySet());
                Collections.shuffle(keys, random);
                for (int i = 0; i < deletes; i++) {
                    content.remove(keys.get(i));
                }
                int updates = Math.min(content.size(), 3 + random.nextInt(12));
                keys = new ArrayList<>(content.keySet());
                Collections.shuffle(keys, random);
                for (int i = 0; i < updates; i++) {
                    String[] row = content.get(keys.get(i));
                    int changes = 1 + random.nextInt(3);
                    for (int c = 0; c < changes; c++) {
                        int column = random.nextInt(table.columns().size());
                        if (!table.keyIndexes().contains(column)) {
                            row[column] = value(table, table.columns().get(column));
                        }
                    }
                }
                int inserts = 2 + random.nextInt(10);
                for (int i = 0; i < inserts; i++) {
                    insert(table);
                }
            }
            repair();
        }

        private void insert(Schema.TableDef table) {
            String[] row = new String[table.columns().size()];
            for (int c = 0; c < row.length; c++) {
                row[c] = value(table, table.columns().get(c));
            }
            switch (table.name()) {
                case "region" -> row[0] = "r" + (nextCode++);
                case "price_history", "tag_link" -> {
                    if (rows.get("product").isEmpty()) {
                        return;
                    }
                    row[0] = pick("product");
                    row[1] = table.name().equals("tag_link")
                            ? "tag" + random.nextInt(40)
                            : LocalDate.of(2000, 1, 1)
                                    .plusDays(random.nextInt(9000))
                                    .toString();
                }
                default -> row[0] = Long.toString(nextId++);
            }
            List<String> key = table.keyIndexes().stream().map(i -> row[i]).toList();
            rows.get(table.name()).putIfAbsent(key, row);
        }

        /** Points every reference at a row that exists, NULLing or deleting rows until the state is valid. */
        private void repair() {
            boolean changed = true;
            while (changed) {
                changed = false;
                for (Schema.TableDef table : Schema.TABLES) {
                    var iterator = rows.get(table.name()).values().iterator();
                    while (iterator.hasNext()) {
                        String[] row = iterator.next();
                        for (int c = 0; c < row.length; c++) {
                            Schema.ColumnDef column = table.columns().get(c);
                            if (column.references() == null || row[c] == null) {
                                continue;
                            }
                            if (!rows.get(column.references()).containsKey(List.of(row[c]))) {
                                if (column.nullable()) {
                                    row[c] = null;
                                } else {
                                    iterator.remove();
                                    changed = true;
                                    break;
                                }
                            }
                        }
                    }
                }
            }
        }

        private String pick(String table) {
            List<List<String>> keys = new ArrayList<>(rows.get(table).keySet());
            return keys.isEmpty() ? null : keys.get(random.nextInt(keys.size())).get(0);
        }

        private String value(Schema.TableDef table, Schema.ColumnDef column) {
            if (column.references() != null) {
                return column.nullable() && random.nextInt(5) == 0 ? null : pick(column.references());
            }
            if (column.nullable() && random.nextInt(6) == 0) {
                return null;
            }
            return switch (column.type()) {
                case "VARCHAR(8)" -> "r" + random.nextInt(1000);
                case "VARCHAR(30)" -> "tag" + random.nextInt(40);
                case "VARCHAR(100)", "VARCHAR(200)" -> WORDS[random.nextInt(WORDS.length)] + " " + random.nextInt(1000);
                case "TEXT" -> {
                    StringBuilder text = new StringBuilder();
                    int words = random.nextInt(30);
                    for (int i = 0; i < words; i++) {
                        text.append(WORDS[random.nextInt(WORDS.length)]).append(' ');
                    }
                    yield text.toString();
                }
                case "BOOLEAN" -> Boolean.toString(random.nextBoolean());
                case "SMALLINT" -> Integer.toString(random.nextInt(65536) - 32768);
                case "INT" -> Integer.toString(random.nextInt());
                case "BIGINT" -> Long.toString(random.nextLong());
                case "DECIMAL(14,2)", "DECIMAL(12,2)" -> BigDecimal.valueOf(random.nextLong() % 100_000_000_000L, 2)
                        .toPlainString();
                case "DOUBLE" -> Double.toString((random.nextInt(2_000_000) - 1_000_000) / 8.0);
                case "DATE" -> LocalDate.of(1970, 1, 1)
                        .plusDays(random.nextInt(25000))
                        .toString();
                case "TIME(6)" -> format(LocalTime.ofNanoOfDay(random.nextLong(86_400_000_000L) * 1000), "HH:mm:ss");
                case "TIMESTAMP(6)" -> format(
                        LocalDateTime.of(2000, 1, 1, 0, 0).plusNanos(random.nextLong(900_000_000_000_000L) * 1000),
                        "yyyy-MM-dd'T'HH:mm:ss");
                case "TIMESTAMPTZ" -> {
                    LocalDateTime local =
                            LocalDateTime.of(2000, 1, 1, 0, 0).plusNanos(random.nextLong(900_000_000_000_000L) * 1000);
                    if (engine == Engine.MARIADB) {
                        yield format(local, "yyyy-MM-dd'T'HH:mm:ss");
                    }
                    ZoneOffset offset = engine == Engine.H2
                            ? ZoneOffset.ofTotalSeconds((random.nextInt(49) - 24) * 1800)
                            : ZoneOffset.UTC;
                    OffsetDateTime time = OffsetDateTime.of(local, offset);
                    yield format(time.toLocalDateTime(), "yyyy-MM-dd'T'HH:mm:ss")
                            + (offset.getTotalSeconds() == 0 ? "+00:00" : offset.getId());
                }
                case "UUID" -> new UUID( // a version 4 UUID: MariaDB refuses some of version 8 and up
                                (random.nextLong() & ~0xF000L) | 0x4000L,
                                (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L)
                        .toString();
                case "VARBINARY(64)" -> {
                    byte[] bytes = new byte[random.nextInt(41)];
                    random.nextBytes(bytes);
                    yield Base64.getEncoder().encodeToString(bytes);
                }
                case "JSON" -> "{\"n\":" + random.nextInt(1000) + ",\"s\":\"v" + random.nextInt(100) + "\",\"b\":"
                        + random.nextBoolean() + "}";
                default -> throw new IllegalArgumentException(column.type());
            };
        }

        /** Canonical text: seconds always, the fraction without trailing zeros. */
        private static String format(java.time.temporal.TemporalAccessor value, String pattern) {
            String text = DateTimeFormatter.ofPattern(pattern).format(value);
            int nanos = value.get(java.time.temporal.ChronoField.NANO_OF_SECOND);
            if (nanos == 0) {
                return text;
            }
            String fraction = String.format("%09d", nanos).replaceAll("0+$", "");
            return text + "." + fraction;
        }
    }
}
