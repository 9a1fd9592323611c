package io.dsynq.core.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.dsynq.core.ApplyRequest;
import io.dsynq.core.Dsynq;
import io.dsynq.core.csv.CsvDialect;
import io.dsynq.core.csv.CsvReader;
import io.dsynq.core.csv.CsvRow;
import io.dsynq.core.csv.CsvWriter;
import io.dsynq.core.testing.Engine;
import io.dsynq.core.testing.TestDatabase;
import io.dsynq.core.testing.TestServers;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every column type the applier supports, through a delta into the database and back out through the reverse
 * delta of the delta that deletes the rows: what dsynq writes, it reads back to identical text on every engine.
 */
class ValueTypesIT {

    @TempDir
    Path tmp;

    /** Column name, type per engine (H2, PostgreSQL, MariaDB), values in canonical text. */
    private record Type(String column, String h2, String postgres, String mariadb, List<String> values) {}

    private static List<Type> types(Engine engine) {
        String zoned = engine == Engine.H2 ? "2024-01-31T13:45:00.123456+05:30" : "2024-01-31T13:45:00.123456+00:00";
        return List.of(
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
                // canonical text of a float is what the running JDK prints (the shortest form only from JDK 19)
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
                new Type("c_char", "CHAR(5)", "CHAR(5)", "CHAR(5)", List.of("abcde", "äöü12", "\"'\",x")),
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
                new Type(
                        "c_time",
                        "TIME(6)",
                        "TIME(6)",
                        "TIME(6)",
                        List.of("00:00:00", "23:59:59.999999", "13:45:00.5")),
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
                        List.of(zoned, "1999-12-31T23:59:59+00:00", "2024-06-01T00:00:00.5+00:00")),
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
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void everyTypeReadsBackToTheTextItWasWrittenAs(Engine engine) throws Exception {
        List<Type> types =
                types(engine).stream().filter(t -> column(engine, t) != null).toList();
        try (TestDatabase database = TestServers.create(engine)) {
            StringBuilder ddl = new StringBuilder("CREATE TABLE typed (id INT PRIMARY KEY");
            for (Type type : types) {
                ddl.append(", ").append(type.column()).append(' ').append(column(engine, type));
            }
            database.execute(ddl.append(")").toString());

            List<String> header = new ArrayList<>(List.of("id"));
            types.forEach(t -> header.add(t.column()));
            List<String[]> rows = new ArrayList<>();
            int count = types.get(0).values().size();
            for (int r = 0; r < count; r++) {
                String[] row = new String[header.size()];
                row[0] = Integer.toString(r + 1);
                for (int c = 0; c < types.size(); c++) {
                    row[c + 1] = types.get(c).values().get(r);
                }
                rows.add(row);
            }
            String[] nulls = new String[header.size()];
            nulls[0] = Integer.toString(count + 1);
            rows.add(nulls);

            Path deltas = tmp.resolve("deltas/db/delta");
            write(deltas.resolve("1700000001.000000/typed.i.csv"), header, rows);
            List<String[]> keys = rows.stream().map(r -> new String[] {r[0]}).toList();
            write(deltas.resolve("1700000002.000000/typed.d.csv"), List.of("id"), keys);

            Dsynq dsynq = Dsynq.configure()
                    .database("db")
                    .url(database.url())
                    .username(database.username())
                    .password(database.password())
                    .deltaDirectory(tmp.resolve("deltas"))
                    .exportDirectory(tmp.resolve("export"))
                    .build();
            dsynq.apply(ApplyRequest.latest());

            Map<String, String[]> read = new LinkedHashMap<>();
            try (CsvReader reader = CsvDialect.reader(
                    Files.newInputStream(tmp.resolve("export/db/delta.rev/1700000002.000000/typed.i.csv")),
                    "typed.i.csv")) {
                assertThat(reader.header()).containsExactlyElementsOf(header);
                for (CsvRow row; (row = reader.next()) != null; ) {
                    read.put(row.values()[0], row.values());
                }
            }
            assertThat(read).hasSameSizeAs(rows);
            for (String[] row : rows) {
                for (int c = 0; c < header.size(); c++) {
                    assertThat(read.get(row[0])[c])
                            .as("%s on %s, row %s", header.get(c), engine, row[0])
                            .isEqualTo(row[c]);
                }
            }

            dsynq.apply(ApplyRequest.offset(-1));
            dsynq.apply(ApplyRequest.offset(1));
            assertThat(Files.readString(tmp.resolve("export/db/delta.rev/1700000002.000000/typed.i.csv")))
                    .as("the reverse of the delete after a rollback and apply again")
                    .isEqualTo(csv(header, rows, read));
        }
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

    /** The CSV the reverse export holds: the rows as read, in the order the delete file listed them. */
    private static String csv(List<String> header, List<String[]> rows, Map<String, String[]> read) throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (CsvWriter writer = CsvDialect.writer(out, header)) {
            for (String[] row : rows) {
                writer.write(Arrays.copyOf(read.get(row[0]), header.size()));
            }
        }
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }
}
