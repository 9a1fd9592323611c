package io.dsynq.core.diff;

import static org.assertj.core.api.Assertions.assertThat;

import io.dsynq.core.ApplyRequest;
import io.dsynq.core.Dsynq;
import io.dsynq.core.csv.CsvDialect;
import io.dsynq.core.csv.CsvWriter;
import io.dsynq.core.testing.Engine;
import io.dsynq.core.testing.TestDatabase;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The same data loaded into PostgreSQL, MariaDB and H2 diffs to nothing in every pair, on a table with every type
 * the applier supports (timestamptz where both engines have it), and on one whose columns hold the same values in
 * types of other scale and precision: {@code 1.5} equals {@code 1.500}, a timestamp compares at the precision both
 * columns hold, text equals varchar.
 */
class SameDataIT {

    /** Column name, type per engine (H2, PostgreSQL, MariaDB), values in canonical text. */
    private record Type(String column, String h2, String postgres, String mariadb, List<String> values) {}

    private static final List<Type> TYPES = List.of(
            new Type("c_smallint", "SMALLINT", "SMALLINT", "SMALLINT", List.of("-32768", "32767", "0")),
            new Type("c_int", "INT", "INT", "INT", List.of("-2147483648", "2147483647", "-1")),
            new Type(
                    "c_bigint",
                    "BIGINT",
                    "BIGINT",
                    "BIGINT",
                    List.of("-9223372036854775808", "9223372036854775807", "42")),
            new Type(
                    "c_decimal",
                    "DECIMAL(12,2)",
                    "NUMERIC(12,2)",
                    "DECIMAL(12,2)",
                    List.of("0.00", "-1234567890.12", "9999999999.99")),
            new Type(
                    "c_real",
                    "REAL",
                    "REAL",
                    "FLOAT",
                    List.of(Float.toString(0.1f), Float.toString(-1.5E10f), Float.toString(Float.MAX_VALUE))),
            new Type(
                    "c_double",
                    "DOUBLE PRECISION",
                    "DOUBLE PRECISION",
                    "DOUBLE",
                    List.of("0.1", "-1.0E-5", "1.7976931348623157E308")),
            new Type("c_boolean", "BOOLEAN", "BOOLEAN", "BOOLEAN", List.of("true", "false", "true")),
            new Type("c_char", "CHAR(5)", "CHAR(5)", "CHAR(5)", List.of("abcde", "äöü12", "ab")),
            new Type(
                    "c_varchar",
                    "VARCHAR(40)",
                    "VARCHAR(40)",
                    "VARCHAR(40)",
                    List.of("", "NULL", "a \"quoted\", text\nwith a line break", " padded ")),
            new Type(
                    "c_text",
                    "CHARACTER LARGE OBJECT",
                    "TEXT",
                    "TEXT",
                    List.of("日本語 – Ελληνικά – 😀", "crlf\r\ninside", "\\N", "tab\there")),
            new Type("c_date", "DATE", "DATE", "DATE", List.of("1970-01-01", "2024-02-29", "9999-12-31")),
            new Type("c_time", "TIME(6)", "TIME(6)", "TIME(6)", List.of("00:00:00", "23:59:59.999999", "13:45:00.5")),
            new Type(
                    "c_timestamp",
                    "TIMESTAMP(6)",
                    "TIMESTAMP(6)",
                    "DATETIME(6)",
                    List.of("2024-01-31T13:45:00.123456", "1970-01-01T00:00:00", "2038-01-19T03:14:08")),
            new Type(
                    "c_timestamptz",
                    "TIMESTAMP(6) WITH TIME ZONE",
                    "TIMESTAMPTZ(6)",
                    null,
                    List.of(
                            "2024-01-31T13:45:00.123456+05:30",
                            "1999-12-31T23:59:59+00:00",
                            "2024-06-01T00:00:00.5+00:00")),
            new Type("c_binary", "VARBINARY(32)", "BYTEA", "VARBINARY(32)", List.of("", "AA==", "3q2+7wABAgP/")),
            new Type(
                    "c_uuid",
                    "UUID",
                    "UUID",
                    "UUID",
                    List.of(
                            "123e4567-e89b-42d3-a456-426614174000",
                            "00000000-0000-4000-8000-000000000000",
                            "ffffffff-ffff-4fff-bfff-ffffffffffff")),
            new Type("c_json", "JSON", "JSON", "JSON", List.of("{\"a\":1}", "[1,2,3]", "\"text\"")));

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "target {0}, source {1}")
    @MethodSource("io.dsynq.core.diff.Databases#enginePairs")
    void theSameDataDiffsToNothing(Engine target, Engine source) throws Exception {
        List<Type> types = TYPES.stream()
                .filter(t -> column(target, t) != null && column(source, t) != null)
                .toList();
        try (TestDatabase targetDb = Databases.create(target);
                TestDatabase sourceDb = Databases.create(source)) {
            load(targetDb, types, true);
            load(sourceDb, types, false);

            Path deltas = tmp.resolve("diff");
            DiffResult result = Databases.dsynq(targetDb, deltas, List.of()).diff(Databases.against(sourceDb));

            assertThat(result.tables()).extracting(DiffResult.TableDiff::table).containsExactly("mixed", "typed");
            assertThat(result.tables()).allSatisfy(t -> {
                assertThat(t.targetRows()).isEqualTo(4);
                assertThat(t.differs()).as("%s differs", t).isFalse();
            });
            assertThat(result.id()).isNull();
            assertThat(deltas).doesNotExist();
        }
    }

    private void load(TestDatabase database, List<Type> types, boolean first) throws Exception {
        Engine engine = database.engine();
        StringBuilder ddl = new StringBuilder("CREATE TABLE typed (id INT PRIMARY KEY");
        for (Type type : types) {
            ddl.append(", ").append(type.column()).append(' ').append(column(engine, type));
        }
        String timestamp = engine == Engine.MARIADB ? "DATETIME" : "TIMESTAMP";
        String text = engine == Engine.H2 ? "CHARACTER LARGE OBJECT" : "TEXT";
        // the same values in types of another scale, precision or length on each side
        database.execute(
                ddl.append(")").toString(),
                "CREATE TABLE mixed (id DECIMAL(6," + (first ? "0" : "2") + ") PRIMARY KEY, price DECIMAL(10,"
                        + (first ? "2" : "4") + "), seen " + timestamp + (first ? "(3)" : "(6)") + ", note "
                        + (first ? "VARCHAR(20)" : text) + ")");

        List<String> header = new ArrayList<>(List.of("id"));
        types.forEach(t -> header.add(t.column()));
        List<String[]> rows = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            String[] row = new String[header.size()];
            row[0] = Integer.toString(r + 1);
            for (int c = 0; c < types.size(); c++) {
                row[c + 1] = types.get(c).values().get(r);
            }
            rows.add(row);
        }
        String[] nulls = new String[header.size()];
        nulls[0] = "4";
        rows.add(nulls);

        Path deltas = tmp.resolve("load-" + (first ? "target" : "source"));
        write(deltas.resolve("db/delta/1700000001.000000/typed.i.csv"), header, rows);
        write(
                deltas.resolve("db/delta/1700000001.000000/mixed.i.csv"),
                List.of("id", "price", "seen", "note"),
                List.of(
                        new String[] {first ? "1" : "1.00", first ? "1.50" : "1.5", "2024-01-31T13:45:00.123", "a"},
                        new String[] {"2", "-3.00", first ? "2024-01-31T00:00:00.5" : "2024-01-31T00:00:00.500999", ""},
                        new String[] {"3", "0.00", "1970-01-01T00:00:00", "日本 "},
                        new String[] {"4", null, null, null}));
        Dsynq dsynq = Databases.dsynq(database, deltas, List.of());
        dsynq.apply(ApplyRequest.latest());
    }

    private static String column(Engine engine, Type type) {
        return switch (engine) {
            case H2 -> type.h2();
            case POSTGRESQL -> type.postgres();
            case MARIADB -> type.mariadb();
        };
    }

    private static void write(Path file, List<String> header, List<String[]> rows) throws Exception {
        Files.createDirectories(file.getParent());
        try (OutputStream out = Files.newOutputStream(file);
                CsvWriter writer = CsvDialect.writer(out, header)) {
            rows.forEach(writer::write);
        }
    }
}
