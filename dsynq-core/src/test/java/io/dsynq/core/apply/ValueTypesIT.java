package io.dsynq.core.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dsynq.core.ApplyRequest;
import io.dsynq.core.Dsynq;
import io.dsynq.core.DsynqException;
import io.dsynq.core.csv.CsvDialect;
import io.dsynq.core.csv.CsvReader;
import io.dsynq.core.csv.CsvRow;
import io.dsynq.core.csv.CsvWriter;
import io.dsynq.core.testing.ColumnType;
import io.dsynq.core.testing.Engine;
import io.dsynq.core.testing.TestDatabase;
import io.dsynq.core.testing.TestServers;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
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

    /**
     * Every supported type; PostgreSQL reads a zoned timestamp back at offset zero and MariaDB has none, so off H2
     * the zoned value is written at offset zero.
     */
    private static List<ColumnType> types(Engine engine) {
        return ColumnType.ALL.stream()
                .map(t -> engine != Engine.H2 && t.column().equals("c_timestamptz")
                        ? t.withValues(t.values().stream()
                                .map(v -> v.replace("+05:30", "+00:00"))
                                .toList())
                        : t)
                .toList();
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void everyTypeReadsBackToTheTextItWasWrittenAs(Engine engine) throws Exception {
        List<ColumnType> types =
                types(engine).stream().filter(t -> t.on(engine) != null).toList();
        try (TestDatabase database = TestServers.create(engine)) {
            StringBuilder ddl = new StringBuilder("CREATE TABLE typed (id INT PRIMARY KEY");
            for (ColumnType type : types) {
                ddl.append(", ").append(type.column()).append(' ').append(type.on(engine));
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

            Dsynq dsynq = database.dsynq(tmp.resolve("deltas"))
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

    /**
     * PostgreSQL prints a timestamptz, alone or within a range, an array or a domain, at the session's zone, which the
     * driver takes from the JVM's: the reverse of a delete written in New York held {@code 2024-03-10T03:30:00-04:00}
     * where one written elsewhere held another text for the same instant, and so did a diff's delta, so that the same
     * data made other files on every machine. Now dsynq's sessions print them at offset zero, whatever the JVM's zone.
     */
    @Test
    void postgreSqlZonedValuesAreWrittenAtOffsetZeroWhateverTheJvmsZone() throws Exception {
        java.util.TimeZone zone = java.util.TimeZone.getDefault();
        java.util.TimeZone.setDefault(java.util.TimeZone.getTimeZone("America/New_York"));
        try (TestDatabase database = TestServers.create(Engine.POSTGRESQL)) {
            database.execute(
                    "CREATE DOMAIN stamp AS TIMESTAMPTZ",
                    "CREATE TABLE ev (id INT PRIMARY KEY, z TIMESTAMPTZ, r TSTZRANGE, a TIMESTAMPTZ[], d stamp)",
                    "INSERT INTO ev VALUES (1, '2024-03-10 07:30:00+00', '[2024-03-10 07:30:00+00,)',"
                            + " '{\"1883-11-18 12:00:00+00\"}', '2024-01-01 00:00:00+00')");
            String before = contents(database, "ev");
            Path deltas = tmp.resolve("deltas/db/delta");
            write(deltas.resolve("1700000001.000000/ev.d.csv"), List.of("id"), List.<String[]>of(new String[] {"1"}));
            Dsynq dsynq = database.dsynq(tmp.resolve("deltas"))
                    .exportDirectory(tmp.resolve("export"))
                    .build();
            dsynq.apply(ApplyRequest.latest());
            assertThat(Files.readString(tmp.resolve("export/db/delta.rev/1700000001.000000/ev.i.csv")))
                    .isEqualTo("id,z,r,a,d\n1,2024-03-10T07:30:00+00:00,\"[\"\"2024-03-10 07:30:00+00\"\",)\","
                            + "\"{\"\"1883-11-18 12:00:00+00\"\"}\",2024-01-01 00:00:00+00\n");
            dsynq.apply(ApplyRequest.to("0"));
            assertThat(contents(database, "ev")).isEqualTo(before);
        } finally {
            java.util.TimeZone.setDefault(zone);
        }
    }

    /**
     * PostgreSQL's dates and timestamps hold {@code infinity} and {@code -infinity}; another engine's refuse them with
     * the file, line and value, where they were bound as Java's greatest and least dates.
     */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void infinityIsForPostgresOnly(Engine engine) throws Exception {
        try (TestDatabase database = TestServers.create(engine)) {
            database.execute("CREATE TABLE span (id INT PRIMARY KEY, d DATE, t TIMESTAMP(6))");
            Path deltas = tmp.resolve("deltas/db/delta");
            write(
                    deltas.resolve("1700000001.000000/span.i.csv"),
                    List.of("id", "d", "t"),
                    List.<String[]>of(
                            new String[] {"1", "2024-01-31", "-infinity"}, new String[] {"2", "infinity", null}));
            Dsynq dsynq = database.dsynq(tmp.resolve("deltas")).build();

            if (engine == Engine.POSTGRESQL) {
                dsynq.apply(ApplyRequest.latest());
                try (Connection connection = database.connect();
                        Statement statement = connection.createStatement();
                        ResultSet rows = statement.executeQuery(
                                "SELECT COUNT(*) FROM span WHERE t = '-infinity' OR d = 'infinity'")) {
                    rows.next();
                    assertThat(rows.getLong(1)).isEqualTo(2);
                }
                dsynq.apply(ApplyRequest.to("0"));
            } else {
                assertThatThrownBy(() -> dsynq.apply(ApplyRequest.latest()))
                        .isInstanceOf(DsynqException.class)
                        .hasMessageContaining("span.i.csv")
                        .hasMessageContaining("line 2: column t, value '-infinity': is infinity, which only"
                                + " PostgreSQL's dates and timestamps hold");
            }
            assertThat(count(database, "span")).isZero();
        }
    }

    /**
     * MariaDB's UUID (10.11.5 and later) refuses the text of a UUID whose 13th digit is 8 to f and whose fourth group
     * is 0100 to 80ff, which PostgreSQL and H2 hold: its apply failed with the server's "Incorrect uuid value" and no
     * file nor line. Now MariaDB refuses such a value by its file, line and column before the database sees it, and
     * holds the others, the nil and the max UUID among them, reading back the text they were written as; the other
     * engines hold all of them.
     */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void uuidsMariaDbCannotHoldAreRefusedByTheirLineThere(Engine engine) throws Exception {
        List<String> held = List.of(
                "123e4567-e89b-12d3-a456-426614174000",
                "0189f81d-498e-72f8-b0fa-246d7be1adb1",
                "00000000-0000-0000-0000-000000000000",
                "ffffffff-ffff-ffff-ffff-ffffffffffff",
                "12345678-1234-8234-0034-123456789abc",
                "12345678-1234-f234-81ff-123456789abc",
                "12345678-1234-7234-7234-123456789abc");
        List<String> refused = List.of(
                "12345678-1234-8234-0100-123456789abc",
                "12345678-1234-f234-80ff-123456789abc",
                "12345678-1234-9234-7234-123456789ABC");
        try (TestDatabase database = TestServers.create(engine)) {
            database.execute("CREATE TABLE tagged (id INT PRIMARY KEY, u UUID)");
            Path deltas = tmp.resolve("deltas/db/delta");
            Dsynq dsynq = database.dsynq(tmp.resolve("deltas")).build();
            List<String> values = new ArrayList<>(held);
            if (engine == Engine.MARIADB) {
                for (String value : refused) {
                    List<String> written = new ArrayList<>(held);
                    written.add(value);
                    write(deltas.resolve("1700000001.000000/tagged.i.csv"), List.of("id", "u"), numbered(written));
                    assertThatThrownBy(() -> dsynq.apply(ApplyRequest.latest()))
                            .isInstanceOf(DsynqException.class)
                            .hasMessageContaining("tagged.i.csv")
                            .hasMessageContaining("line " + (written.size() + 1) + ": column u, value '" + value
                                    + "': has 8 to f as its 13th digit and 0100 to 80ff as its fourth group, which"
                                    + " MariaDB's UUID cannot hold");
                    assertThat(count(database, "tagged")).isZero();
                }
            } else {
                values.addAll(refused);
            }
            write(deltas.resolve("1700000001.000000/tagged.i.csv"), List.of("id", "u"), numbered(values));
            dsynq.apply(ApplyRequest.latest());
            List<String> read = new ArrayList<>();
            try (Connection connection = database.connect();
                    Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT u FROM tagged ORDER BY id")) {
                while (rows.next()) {
                    read.add(rows.getString(1));
                }
            }
            assertThat(read)
                    .isEqualTo(values.stream()
                            .map(v -> v.toLowerCase(java.util.Locale.ROOT))
                            .toList());
            dsynq.apply(ApplyRequest.to("0"));
            assertThat(count(database, "tagged")).isZero();
        }
    }

    /**
     * A UUID written to MariaDB as bytes that reads as a text its UUID refuses: a delta that deletes or updates its row
     * would write that text into the reverse, whose rollback the server would refuse. The delta is refused naming the
     * row, with nothing changed.
     */
    @Test
    void aUuidMariaDbKeepsButRefusesAsTextIsNotChanged() throws Exception {
        try (TestDatabase database = TestServers.create(Engine.MARIADB)) {
            database.execute(
                    "CREATE TABLE tagged (id INT PRIMARY KEY, u UUID, n INT)",
                    "INSERT INTO tagged VALUES (1, x'00000000000080008000000000000000', 1)");
            Path deltas = tmp.resolve("deltas/db/delta");
            write(deltas.resolve("1700000001.000000/tagged.d.csv"), List.of("id"), List.<String[]>of(new String[] {"1"
            }));
            assertThatThrownBy(
                            () -> database.dsynq(tmp.resolve("deltas")).build().apply(ApplyRequest.latest()))
                    .isInstanceOf(DsynqException.class)
                    .hasMessageContaining("file tagged.d.csv")
                    .hasMessageContaining("the row id=1: column u holds 00000000-0000-8000-8000-000000000000,");
            assertThat(count(database, "tagged")).isEqualTo(1);
        }
    }

    /** Rows of an id from 1 and a value each. */
    private static List<String[]> numbered(List<String> values) {
        List<String[]> rows = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            rows.add(new String[] {Integer.toString(i + 1), values.get(i)});
        }
        return rows;
    }

    /**
     * A table without key holding every type, NULLs and two copies of a row: a delete file listing each row but one
     * copy matches the rows by all their values (on PostgreSQL through a hash of each nullable value beside the
     * exact comparison, so that each type's hash must agree with its equality) and its reverse puts them back.
     */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void everyTypeMatchesRowsByAllTheirValuesNullsIncluded(Engine engine) throws Exception {
        List<ColumnType> types =
                types(engine).stream().filter(t -> t.on(engine) != null).toList();
        try (TestDatabase database = TestServers.create(engine)) {
            database.execute("CREATE TABLE loose ("
                    + String.join(
                            ", ",
                            types.stream()
                                    .map(t -> t.column() + " " + t.on(engine))
                                    .toList())
                    + ")");
            List<String> header = types.stream().map(ColumnType::column).toList();
            List<String[]> rows = new ArrayList<>();
            for (int r = 0; r < types.get(0).values().size(); r++) {
                int row = r;
                rows.add(types.stream().map(t -> t.values().get(row)).toArray(String[]::new));
            }
            rows.add(new String[header.size()]);
            List<String[]> inserted = new ArrayList<>(rows);
            inserted.add(rows.get(0));

            Path deltas = tmp.resolve("deltas/db/delta");
            write(deltas.resolve("1700000001.000000/loose.i.csv"), header, inserted);
            write(deltas.resolve("1700000002.000000/loose.d.csv"), header, rows);
            Dsynq dsynq = database.dsynq(tmp.resolve("deltas"))
                    .exportDirectory(tmp.resolve("export"))
                    .keys(List.of("loose:*"))
                    .build();
            dsynq.apply(ApplyRequest.latest());
            assertThat(count(database, "loose"))
                    .as("the copy the delete file did not list")
                    .isEqualTo(1);

            try (CsvReader reader = CsvDialect.reader(
                    Files.newInputStream(tmp.resolve("export/db/delta.rev/1700000002.000000/loose.i.csv")),
                    "loose.i.csv")) {
                List<List<String>> read = new ArrayList<>();
                for (CsvRow row; (row = reader.next()) != null; ) {
                    read.add(Arrays.asList(row.values()));
                }
                assertThat(read)
                        .containsExactlyInAnyOrderElementsOf(
                                rows.stream().map(Arrays::asList).toList());
            }
            dsynq.apply(ApplyRequest.offset(-1));
            assertThat(count(database, "loose")).isEqualTo(inserted.size());
        }
    }

    /**
     * H2 takes a text for an array of one element: the reverse of a delete wrote {@code [q]} back as
     * {@code ARRAY['[q]']}, or failed to, so the rollback changed the row or could not run. Now a value for an array
     * column is refused by its line, and a delta whose reverse would have to write an array back by its row, before
     * anything changes; a row whose array is NULL, or whose other columns change, applies and rolls back.
     */
    @Test
    void h2ArraysAreRefusedNotWrittenBackAsAnotherArray() throws Exception {
        try (TestDatabase database = TestServers.create(Engine.H2)) {
            database.execute(
                    "CREATE TABLE tagged (id INT PRIMARY KEY, tags VARCHAR(9) ARRAY, n INT)",
                    "INSERT INTO tagged VALUES (1, ARRAY['q', 'a, b'], 1), (2, NULL, 2)");
            String before = contents(database, "tagged");
            Path deltas = tmp.resolve("deltas/db/delta");
            Dsynq dsynq = database.dsynq(tmp.resolve("deltas")).build();

            write(deltas.resolve("1700000001.000000/tagged.d.csv"), List.of("id"), List.<String[]>of(new String[] {"1"
            }));
            assertThatThrownBy(() -> dsynq.apply(ApplyRequest.latest()))
                    .isInstanceOf(DsynqException.class)
                    .hasMessageContaining("file tagged.d.csv: cannot read the rows for the reverse delta: the row id=1:"
                            + " column TAGS holds an array, which dsynq cannot carry: H2 takes a text for an array of"
                            + " one element, so a rollback could not write it back");
            assertThat(contents(database, "tagged")).isEqualTo(before);

            Files.delete(deltas.resolve("1700000001.000000/tagged.d.csv"));
            write(
                    deltas.resolve("1700000001.000000/tagged.i.csv"),
                    List.of("id", "tags", "n"),
                    List.<String[]>of(new String[] {"3", "[q]", "3"}));
            assertThatThrownBy(() -> dsynq.apply(ApplyRequest.latest()))
                    .isInstanceOf(DsynqException.class)
                    .hasMessageContaining("tagged.i.csv, line 2: column tags, value '[q]': is for an array column,"
                            + " which dsynq cannot carry: H2 takes a text for an array of one element");
            assertThat(contents(database, "tagged")).isEqualTo(before);

            Files.delete(deltas.resolve("1700000001.000000/tagged.i.csv"));
            write(deltas.resolve("1700000001.000000/tagged.d.csv"), List.of("id"), List.<String[]>of(new String[] {"2"
            }));
            write(deltas.resolve("1700000001.000000/tagged.u.csv"), List.of("id", "n"), List.<String[]>of(new String[] {
                "1", "10"
            }));
            dsynq.apply(ApplyRequest.latest());
            assertThat(contents(database, "tagged")).isEqualTo("1|[q, a, b]|10\n");
            dsynq.apply(ApplyRequest.to("0"));
            assertThat(contents(database, "tagged")).isEqualTo(before);
        }
    }

    /**
     * H2's DECFLOAT holds NaN and the infinities, which no BigDecimal does: a delta that updated or deleted one failed
     * with H2's "Data conversion error converting DECFLOAT to NUMERIC", and one that wrote one was refused as a value
     * only PostgreSQL holds. Now they are written and read as PostgreSQL's numeric writes them, and roll back.
     */
    @Test
    void h2DecfloatHoldsNotANumberAndTheInfinities() throws Exception {
        try (TestDatabase database = TestServers.create(Engine.H2)) {
            database.execute(
                    "CREATE TABLE num (id INT PRIMARY KEY, d DECFLOAT)",
                    "INSERT INTO num VALUES (1, CAST('NaN' AS DECFLOAT)), (2, CAST('Infinity' AS DECFLOAT)),"
                            + " (3, CAST('-Infinity' AS DECFLOAT)), (4, 1E+20), (5, 0.5)");
            String before = contents(database, "num");
            Path deltas = tmp.resolve("deltas/db/delta");
            write(
                    deltas.resolve("1700000001.000000/num.i.csv"),
                    List.of("id", "d"),
                    List.<String[]>of(
                            new String[] {"6", "NaN"}, new String[] {"7", "-Infinity"}, new String[] {"8", "1.25"}));
            write(
                    deltas.resolve("1700000001.000000/num.u.csv"),
                    List.of("id", "d"),
                    List.<String[]>of(
                            new String[] {"1", "2"}, new String[] {"4", "Infinity"}, new String[] {"5", "NaN"}));
            write(
                    deltas.resolve("1700000001.000000/num.d.csv"),
                    List.of("id"),
                    List.<String[]>of(new String[] {"2"}, new String[] {"3"}));
            Dsynq dsynq = database.dsynq(tmp.resolve("deltas")).build();

            dsynq.apply(ApplyRequest.latest());
            assertThat(contents(database, "num")).isEqualTo("1|2\n4|Infinity\n5|NaN\n6|NaN\n7|-Infinity\n8|1.25\n");
            dsynq.apply(ApplyRequest.to("0"));
            assertThat(contents(database, "num")).isEqualTo(before);
        }
    }

    /**
     * A DECFLOAT(n) holds n significant digits wherever its point is, and NaN and the infinities: its precision was
     * taken for a numeric(n,0)'s, so 1.5 was refused as having digits after the point, and Infinity as infinite.
     */
    @Test
    void h2DecfloatOfAPrecisionHoldsThatManySignificantDigits() throws Exception {
        try (TestDatabase database = TestServers.create(Engine.H2)) {
            database.execute("CREATE TABLE num (id INT PRIMARY KEY, d DECFLOAT(5))");
            Path deltas = tmp.resolve("deltas/db/delta");
            write(
                    deltas.resolve("1700000001.000000/num.i.csv"),
                    List.of("id", "d"),
                    List.<String[]>of(
                            new String[] {"1", "1.5"},
                            new String[] {"2", "1200000"},
                            new String[] {"3", "-0.00012345"},
                            new String[] {"4", "Infinity"},
                            new String[] {"5", "NaN"}));
            Dsynq dsynq = database.dsynq(tmp.resolve("deltas")).build();
            dsynq.apply(ApplyRequest.latest());
            assertThat(contents(database, "num")).isEqualTo("1|1.5\n2|1.2E+6\n3|-0.00012345\n4|Infinity\n5|NaN\n");

            write(
                    deltas.resolve("1700000002.000000/num.i.csv"),
                    List.of("id", "d"),
                    List.<String[]>of(new String[] {"6", "1"}, new String[] {"7", "1.23456"}));
            assertThatThrownBy(() -> dsynq.apply(ApplyRequest.latest()))
                    .hasMessageContaining("file num.i.csv, line 3: column d, value '1.23456': has 6 significant digits"
                            + " but decfloat(5) holds 5 (dsynq never rounds)");
            assertThat(contents(database, "num")).isEqualTo("1|1.5\n2|1.2E+6\n3|-0.00012345\n4|Infinity\n5|NaN\n");
            dsynq.apply(ApplyRequest.to("0"));
            assertThat(contents(database, "num")).isEmpty();
        }
    }

    /**
     * PostgreSQL's money, passed as the server's text, rounds digits after the point beyond its locale's: 5.005 went
     * in as $5.01, without a word.
     */
    @Test
    void postgreSqlMoneyIsNotRounded() throws Exception {
        try (TestDatabase database = TestServers.create(Engine.POSTGRESQL)) {
            database.execute("CREATE TABLE price (id INT PRIMARY KEY, m MONEY)", "INSERT INTO price VALUES (1, 2)");
            Path deltas = tmp.resolve("deltas/db/delta");
            write(
                    deltas.resolve("1700000001.000000/price.i.csv"),
                    List.of("id", "m"),
                    List.<String[]>of(
                            new String[] {"2", "5.50"},
                            new String[] {"3", "$1,234.560"},
                            new String[] {"4", "5.005"},
                            new String[] {"5", "-$0.10"}));
            Dsynq dsynq = database.dsynq(tmp.resolve("deltas")).build();
            assertThatThrownBy(() -> dsynq.apply(ApplyRequest.latest()))
                    .hasMessageContaining("file price.i.csv, line 4: column m, value '5.005': has more digits after the"
                            + " point than money holds here (2), which it would round (dsynq never rounds)");
            assertThat(contents(database, "price")).isEqualTo("1|$2.00\n");

            write(
                    deltas.resolve("1700000001.000000/price.i.csv"),
                    List.of("id", "m"),
                    List.<String[]>of(
                            new String[] {"2", "5.50"}, new String[] {"3", "$1,234.560"}, new String[] {"5", "-$0.10"
                            }));
            write(deltas.resolve("1700000001.000000/price.u.csv"), List.of("id", "m"), List.<String[]>of(new String[] {
                "1", "3"
            }));
            dsynq.apply(ApplyRequest.latest());
            assertThat(contents(database, "price")).isEqualTo("1|$3.00\n2|$5.50\n3|$1,234.56\n5|-$0.10\n");
            dsynq.apply(ApplyRequest.to("0"));
            assertThat(contents(database, "price")).isEqualTo("1|$2.00\n");
        }
    }

    /**
     * PostgreSQL's intervals of a restricted type round or drop what they do not hold, without a word:
     * {@code 00:00:01.5} went into an {@code interval(0)} as {@code 00:00:02}, {@code 1 year 2 days} into an
     * {@code interval year to month} as {@code 1 year}, and the reverse delta then restored another value. Now such a
     * value is refused by its line, nothing changed; a value the column holds goes in and comes back out exactly.
     */
    @Test
    void postgreSqlIntervalsAreNotRounded() throws Exception {
        try (TestDatabase database = TestServers.create(Engine.POSTGRESQL)) {
            database.execute(
                    "CREATE TABLE span (id INT PRIMARY KEY, s INTERVAL(0), ym INTERVAL YEAR TO MONTH, y INTERVAL YEAR,"
                            + " ds INTERVAL DAY TO SECOND(3), h INTERVAL HOUR, any_ INTERVAL)",
                    "INSERT INTO span VALUES (1, '00:00:01', '1 year', '2 years', '1 day 00:00:01.5', '1 day 02:00:00',"
                            + " '1 mon 00:00:00.123456')");
            String before = contents(database, "span");
            Path deltas = tmp.resolve("deltas/db/delta");
            List<String> header = List.of("id", "s", "ym", "y", "ds", "h", "any_");
            Dsynq dsynq = database.dsynq(tmp.resolve("deltas")).build();
            String[][] refused = {
                {
                    "s",
                    "00:00:01.5",
                    "has digits of seconds beyond the 0 after the point interval(0) holds (dsynq never rounds)"
                },
                {
                    "ym",
                    "1 year 2 days",
                    "has days, hours, minutes or seconds, which interval year to month does not"
                            + " hold (dsynq never rounds)"
                },
                {
                    "y",
                    "1 year 2 mons",
                    "has months beyond whole years, which interval year does not hold (dsynq never rounds)"
                },
                {
                    "ds",
                    "-00:00:00.0005",
                    "has digits of seconds beyond the 3 after the point interval day to second(3)"
                            + " holds (dsynq never rounds)"
                },
                {
                    "h",
                    "-1 days +02:30:00",
                    "has minutes or seconds, which interval hour does not hold (dsynq never rounds)"
                },
                {
                    "any_",
                    "00:00:00.1234567",
                    "has digits of seconds beyond the 6 after the point interval holds (dsynq never rounds)"
                },
                {
                    "s",
                    "1.5 seconds",
                    "has digits of seconds beyond the 0 after the point interval(0) holds (dsynq never rounds)"
                },
                {"ym", "P1Y2M3D", "has days, hours, minutes or seconds, which interval year to month does not hold"},
                {
                    "h",
                    "5",
                    "is not written as PostgreSQL writes an interval (1 year 2 mons -3 days"
                            + " +04:05:06.5), which dsynq needs to tell that interval hour holds it without rounding"
                }
            };
            assertEachRefused(
                    dsynq,
                    database,
                    deltas,
                    "span",
                    header,
                    new String[] {"2", "00:00:00", "0 years", "00:00:00", "00:00:00", "00:00:00", "00:00:00"},
                    refused,
                    before);

            write(deltas.resolve("1700000001.000000/span.i.csv"), header, List.<String[]>of(new String[] {
                "2",
                "-1 days +00:00:03",
                "-1 years -11 mons",
                "-3 years",
                "1 mon -2 days -00:00:00.001",
                "-100:00:00",
                "1 year 00:00:00.000001"
            }));
            write(deltas.resolve("1700000001.000000/span.u.csv"), header, List.<String[]>of(new String[] {
                "1", "00:00:02.000", "1 year 1 mon", "1 year", "1 day 00:00:01.25", "02:00:00", "1 mon 00:00:00.12345"
            }));
            dsynq.apply(ApplyRequest.latest());
            assertThat(contents(database, "span"))
                    .isEqualTo("1|00:00:02|1 year 1 mon|1 year|1 day 00:00:01.25|02:00:00|1 mon 00:00:00.12345\n"
                            + "2|-1 days +00:00:03|-1 years -11 mons|-3 years|1 mon -2 days -00:00:00.001|-100:00:00|"
                            + "1 year 00:00:00.000001\n");
            dsynq.apply(ApplyRequest.to("0"));
            assertThat(contents(database, "span")).isEqualTo(before);
        }
    }

    /**
     * A restricted interval took only the text PostgreSQL writes in its default style: an interval as its ISO 8601 or
     * verbose style writes one ({@code PT1H}, {@code @ 1 year 2 mons ago}), which psql shows where a server is set
     * so, or as a person spells one ({@code 2 hours 30 mins}), was refused though the server reads it alike whatever
     * the column's fields, and holds it exactly. Now such a text goes in where the column holds it, and the rollback
     * restores the row exactly.
     */
    @Test
    void aRestrictedIntervalTakesAnIntervalSpelledOut() throws Exception {
        try (TestDatabase database = TestServers.create(Engine.POSTGRESQL)) {
            database.execute(
                    "CREATE TABLE span (id INT PRIMARY KEY, s INTERVAL(0), ym INTERVAL YEAR TO MONTH, h INTERVAL HOUR,"
                            + " ds INTERVAL DAY TO SECOND(2), hm INTERVAL HOUR TO MINUTE)",
                    "INSERT INTO span VALUES (1, '00:00:01', '1 year', '01:00:00', '00:00:00', '00:00:00')");
            String before = contents(database, "span");
            Path deltas = tmp.resolve("deltas/db/delta");
            List<String> header = List.of("id", "s", "ym", "h", "ds", "hm");
            Dsynq dsynq = database.dsynq(tmp.resolve("deltas")).build();
            write(
                    deltas.resolve("1700000001.000000/span.i.csv"),
                    header,
                    List.<String[]>of(
                            new String[] {"2", "PT1H", "P1Y2M", "PT-2H", "P1DT-0.25S", "PT1H30M"},
                            new String[] {
                                "3", "@ 1 hour 2 secs ago", "@ 1 year 2 mons ago", "@ 3 hours", "@ 6.5 secs", "@ 0"
                            },
                            new String[] {
                                "4", "1 day 2 hours", "14 months", "1 week -1 hour", "-1.01 secs", "2 hours 30 mins"
                            }));
            dsynq.apply(ApplyRequest.latest());
            assertThat(contents(database, "span"))
                    .isEqualTo(before
                            + "2|01:00:00|1 year 2 mons|-02:00:00|1 day -00:00:00.25|01:30:00\n"
                            + "3|-01:00:02|-1 years -2 mons|03:00:00|00:00:06.5|00:00:00\n"
                            + "4|1 day 02:00:00|1 year 2 mons|7 days -01:00:00|-00:00:01.01|02:30:00\n");
            dsynq.apply(ApplyRequest.to("0"));
            assertThat(contents(database, "span")).isEqualTo(before);
        }
    }

    /**
     * PostgreSQL writes a field after a negative one with its sign ({@code -1 years +3 days}, {@code -1 mons +2 days
     * -00:00:01}), which a restricted interval's check took for a text PostgreSQL does not write: a delta updating
     * such a row applied, but its rollback, which writes the server's own text back, was refused by its line, and so
     * was a diff reading one. Now the server's text goes in, and the rollback restores the row exactly.
     */
    @Test
    void aRestrictedIntervalsMixedSignsAreTheServersOwnText() throws Exception {
        try (TestDatabase database = TestServers.create(Engine.POSTGRESQL)) {
            database.execute(
                    "CREATE TABLE span (id INT PRIMARY KEY, s INTERVAL(0), d INTERVAL DAY, ym INTERVAL YEAR TO MONTH)",
                    "INSERT INTO span VALUES (1, '-1 year 3 days -1 second', '-1 mon 2 days', '-1 year 2 mons')");
            String before = contents(database, "span");
            assertThat(before).isEqualTo("1|-1 years +3 days -00:00:01|-1 mons +2 days|-10 mons\n");
            Path deltas = tmp.resolve("deltas/db/delta");
            List<String> header = List.of("id", "s", "d", "ym");
            Dsynq dsynq = database.dsynq(tmp.resolve("deltas")).build();
            write(deltas.resolve("1700000001.000000/span.u.csv"), header, List.<String[]>of(new String[] {
                "1", "1 day -00:00:01", "1 year -2 days", "1 year"
            }));
            dsynq.apply(ApplyRequest.latest());
            assertThat(contents(database, "span")).isEqualTo("1|1 day -00:00:01|1 year -2 days|1 year\n");
            dsynq.apply(ApplyRequest.to("0"));
            assertThat(contents(database, "span")).isEqualTo(before);
        }
    }

    /**
     * An array of restricted intervals rounds its elements as the interval does, which its check let through:
     * {@code {00:00:01.5}} went into an {@code interval(0)[]} as {@code {00:00:02}}, and {@code {"1 day 02:30:00"}}
     * into an {@code interval day[]} as {@code {"1 day"}}, without a word. Now each element is checked as a value of
     * the interval, by the array's line; an array it holds goes in and comes back out exactly.
     */
    @Test
    void aPostgreSqlArrayOfRestrictedIntervalsIsNotRounded() throws Exception {
        try (TestDatabase database = TestServers.create(Engine.POSTGRESQL)) {
            database.execute(
                    "CREATE TABLE held (id INT PRIMARY KEY, s INTERVAL(0)[], d INTERVAL DAY[], a INTERVAL[])",
                    "INSERT INTO held VALUES (1, '{00:00:01}', '{\"1 day\"}', '{00:00:00.5}')");
            String before = contents(database, "held");
            Path deltas = tmp.resolve("deltas/db/delta");
            List<String> header = List.of("id", "s", "d", "a");
            Dsynq dsynq = database.dsynq(tmp.resolve("deltas")).build();
            String[][] refused = {
                {
                    "s",
                    "{00:00:01,NULL,00:00:01.5}",
                    "has digits of seconds beyond the 0 after the point interval(0) holds (dsynq never rounds)"
                },
                {
                    "d",
                    "{{\"1 day\"},{\"1 day 02:30:00\"}}",
                    "has hours, minutes or seconds, which interval day does not hold (dsynq never rounds)"
                },
                {
                    "a",
                    "{00:00:00.1234567}",
                    "has digits of seconds beyond the 6 after the point interval holds (dsynq never rounds)"
                }
            };
            assertEachRefused(
                    dsynq, database, deltas, "held", header, new String[] {"2", null, null, null}, refused, before);
            write(deltas.resolve("1700000001.000000/held.i.csv"), header, List.<String[]>of(new String[] {
                "2", "{-00:00:01,NULL,\"1 day -00:00:02\"}", "{{\"-1 days\",NULL},{\"1 mon 2 days\",\"0\"}}", "{PT1.5S}"
            }));
            dsynq.apply(ApplyRequest.latest());
            assertThat(contents(database, "held"))
                    .isEqualTo(before + "2|{-00:00:01,NULL,\"1 day -00:00:02\"}|{{\"-1 days\",NULL},{\"1 mon 2 days\","
                            + "00:00:00}}|{00:00:01.5}\n");
            dsynq.apply(ApplyRequest.to("0"));
            assertThat(contents(database, "held")).isEqualTo(before);
        }
    }

    /**
     * A domain over a domain rounds as the innermost's base type does, which its check did not look through: 1.25 went
     * into a domain over a domain over {@code numeric(4,1)} as 1.3, and {@code {0.05}} into one over
     * {@code numeric(4,1)[]} as {@code {0.1}}, without a word. Now such a value is refused by its line, naming the
     * base type, and a value it holds goes in and comes back out exactly.
     */
    @Test
    void aDomainOverADomainIsNotRounded() throws Exception {
        try (TestDatabase database = TestServers.create(Engine.POSTGRESQL)) {
            database.execute(
                    "CREATE DOMAIN tenth AS NUMERIC(4,1)",
                    "CREATE DOMAIN small_tenth AS tenth CHECK (VALUE < 100)",
                    "CREATE DOMAIN tenths AS NUMERIC(4,1)[]",
                    "CREATE DOMAIN some_tenths AS tenths",
                    "CREATE TABLE held (id INT PRIMARY KEY, d small_tenth, a some_tenths)",
                    "INSERT INTO held VALUES (1, 1.5, '{1.5}')");
            String before = contents(database, "held");
            Path deltas = tmp.resolve("deltas/db/delta");
            List<String> header = List.of("id", "d", "a");
            Dsynq dsynq = database.dsynq(tmp.resolve("deltas")).build();
            String[][] refused = {
                {
                    "d",
                    "1.25",
                    "has digits after the point beyond the 1 small_tenth (numeric(4,1)) holds (dsynq never rounds)"
                },
                {
                    "a",
                    "{0.05}",
                    "has digits after the point beyond the 1 some_tenths (numeric(4,1)[]) holds (dsynq never rounds)"
                }
            };
            assertEachRefused(dsynq, database, deltas, "held", header, new String[] {"2", null, null}, refused, before);
            write(deltas.resolve("1700000001.000000/held.i.csv"), header, List.<String[]>of(new String[] {
                "2", "-2.5", "{1.2,NULL}"
            }));
            dsynq.apply(ApplyRequest.latest());
            assertThat(contents(database, "held")).isEqualTo(before + "2|-2.5|{1.2,NULL}\n");
            dsynq.apply(ApplyRequest.to("0"));
            assertThat(contents(database, "held")).isEqualTo(before);
        }
    }

    /**
     * PostgreSQL's arrays and domains, passed as the server's text, rounded what their elements' or base's type does
     * not hold: {@code {1.25}} went into a {@code numeric(4,1)[]} as {@code {1.3}}, {@code 2024-01-01T00:00:00.5}
     * into a domain over {@code timestamp(0)} as the next second, and a domain over {@code int} took {@code ' 7'} as
     * 7. Now such a value is refused by its line, nothing changed; values they hold go in and come back exactly.
     */
    @Test
    void postgreSqlArraysAndDomainsAreNotRounded() throws Exception {
        try (TestDatabase database = TestServers.create(Engine.POSTGRESQL)) {
            database.execute(
                    "CREATE DOMAIN tenth AS NUMERIC(4,1)",
                    "CREATE DOMAIN second AS TIMESTAMP(0)",
                    "CREATE DOMAIN positive AS INT CHECK (VALUE > 0)",
                    "CREATE TABLE held (id INT PRIMARY KEY, n NUMERIC(4,1)[], ts TIMESTAMP(0)[], t TIME[],"
                            + " d tenth, s second, p positive)",
                    "INSERT INTO held VALUES (1, '{1.5,NULL}', '{\"2024-01-01 00:00:00\"}', '{00:00:00.5}', 1.5,"
                            + " '2024-01-01 00:00:00', 1)");
            String before = contents(database, "held");
            Path deltas = tmp.resolve("deltas/db/delta");
            List<String> header = List.of("id", "n", "ts", "t", "d", "s", "p");
            Dsynq dsynq = database.dsynq(tmp.resolve("deltas")).build();
            String[][] refused = {
                {"n", "{1.5,-0.25}", "has digits after the point beyond the 1 numeric(4,1)[] holds (dsynq never rounds)"
                },
                {
                    "ts",
                    "{\"2024-01-01 00:00:00.5\"}",
                    "has digits of seconds beyond the 0 after the point"
                            + " timestamp(0) without time zone[] holds (dsynq never rounds)"
                },
                {
                    "t",
                    "{00:00:00.1234567}",
                    "has digits of seconds beyond the 6 after the point time without time"
                            + " zone[] holds (dsynq never rounds)"
                },
                {"d", "1.25", "has digits after the point beyond the 1 tenth (numeric(4,1)) holds (dsynq never rounds)"
                },
                {
                    "d",
                    "12.5e-1",
                    "has digits after the point beyond the 1 tenth (numeric(4,1)) holds (dsynq never rounds)"
                },
                {"d", ".25", "has digits after the point beyond the 1 tenth (numeric(4,1)) holds (dsynq never rounds)"},
                {
                    "n",
                    "{1.5,0.125E1}",
                    "has digits after the point beyond the 1 numeric(4,1)[] holds (dsynq never rounds)"
                },
                {
                    "s",
                    "2024-01-01T00:00:00.5",
                    "has digits of seconds beyond the 0 after the point second"
                            + " (timestamp(0) without time zone) holds (dsynq never rounds)"
                },
                {"p", " 7", "is not an integer, as positive (integer) holds"}
            };
            assertEachRefused(
                    dsynq,
                    database,
                    deltas,
                    "held",
                    header,
                    new String[] {"2", null, null, null, null, null, null},
                    refused,
                    before);

            write(deltas.resolve("1700000001.000000/held.i.csv"), header, List.<String[]>of(new String[] {
                "2",
                "{-999.9,1.50,NULL,12}",
                "{\"2024-01-01 00:00:01.000\"}",
                "{23:59:59.999999}",
                "-0.5",
                "2024-01-01T00:00:01",
                "2147483647"
            }));
            write(deltas.resolve("1700000001.000000/held.u.csv"), header, List.<String[]>of(new String[] {
                "1", "{}", "{}", "{}", "2", "2024-01-02 00:00:00", "3"
            }));
            dsynq.apply(ApplyRequest.latest());
            assertThat(contents(database, "held"))
                    .isEqualTo("1|{}|{}|{}|2.0|2024-01-02 00:00:00|3\n"
                            + "2|{-999.9,1.5,NULL,12.0}|{\"2024-01-01 00:00:01\"}|{23:59:59.999999}|-0.5|"
                            + "2024-01-01 00:00:01|2147483647\n");
            dsynq.apply(ApplyRequest.to("0"));
            assertThat(contents(database, "held")).isEqualTo(before);
        }
    }

    /**
     * H2's intervals with seconds round digits after the point beyond their fractional precision: {@code 1.25} went
     * into an {@code INTERVAL SECOND(2,1)} as {@code 1.3}, without a word. Now such a value is refused by its line,
     * nothing changed; a value the column holds goes in and comes back out exactly.
     */
    @Test
    void h2IntervalsAreNotRounded() throws Exception {
        try (TestDatabase database = TestServers.create(Engine.H2)) {
            database.execute(
                    "CREATE TABLE span (id INT PRIMARY KEY, s INTERVAL SECOND(2,1), ds INTERVAL DAY TO SECOND(3),"
                            + " ms INTERVAL MINUTE TO SECOND(0), d6 INTERVAL DAY TO SECOND)",
                    "INSERT INTO span VALUES (1, INTERVAL '1.5' SECOND, INTERVAL '1 00:00:00.125' DAY TO SECOND,"
                            + " INTERVAL '1:02' MINUTE TO SECOND, INTERVAL '-0 00:00:00.000001' DAY TO SECOND)");
            String before = contents(database, "span");
            Path deltas = tmp.resolve("deltas/db/delta");
            List<String> header = List.of("id", "s", "ds", "ms", "d6");
            Dsynq dsynq = database.dsynq(tmp.resolve("deltas")).build();
            String[][] refused = {
                {"s", "1.25", "1"},
                {"ds", "INTERVAL '-1 00:00:00.0001' DAY TO SECOND", "3"},
                {"ms", "1:02.5", "0"},
                {"d6", "0 00:00:00.0000001", "6"}
            };
            for (String[] value : refused) {
                String[] row = {"2", null, null, null, null};
                row[header.indexOf(value[0])] = value[1];
                write(deltas.resolve("1700000001.000000/span.i.csv"), header, List.<String[]>of(row));
                assertThatThrownBy(() -> dsynq.apply(ApplyRequest.latest()))
                        .isInstanceOf(DsynqException.class)
                        .hasMessageContaining("file span.i.csv, line 2: column " + value[0] + ", value '" + value[1]
                                + "': has digits of seconds beyond the " + value[2] + " after the point")
                        .hasMessageContaining("(dsynq never rounds)");
                assertThat(contents(database, "span")).isEqualTo(before);
            }

            write(deltas.resolve("1700000001.000000/span.i.csv"), header, List.<String[]>of(new String[] {
                "2", "-1.2", "1 00:00:00.100", "-1:02", "12 23:59:59.999999"
            }));
            write(deltas.resolve("1700000001.000000/span.u.csv"), header, List.<String[]>of(new String[] {
                "1", "2.0", "0 00:00:00.001", "0:00", "0 00:00:00"
            }));
            dsynq.apply(ApplyRequest.latest());
            assertThat(contents(database, "span"))
                    .isEqualTo("1|INTERVAL '2' SECOND|INTERVAL '0 00:00:00.001' DAY TO SECOND|INTERVAL '0:00' MINUTE"
                            + " TO SECOND|INTERVAL '0 00:00:00' DAY TO SECOND\n"
                            + "2|INTERVAL '-1.2' SECOND|INTERVAL '1 00:00:00.1' DAY TO SECOND|INTERVAL '-1:02' MINUTE"
                            + " TO SECOND|INTERVAL '12 23:59:59.999999' DAY TO SECOND\n");
            dsynq.apply(ApplyRequest.to("0"));
            assertThat(contents(database, "span")).isEqualTo(before);
        }
    }

    /** A value a PostgreSQL enum lacks is refused by dsynq with the enum's values, before the server sees it. */
    @Test
    void aValueAPostgreSqlEnumLacksIsRefusedWithItsValues() throws Exception {
        try (TestDatabase database = TestServers.create(Engine.POSTGRESQL)) {
            database.execute(
                    "CREATE SCHEMA other",
                    "CREATE TYPE other.mood AS ENUM ('ok', 'Sad', 'ü ß')",
                    "CREATE TYPE mood AS ENUM ('happy')",
                    "CREATE TABLE person (id INT PRIMARY KEY, m other.mood, n mood)",
                    "INSERT INTO person VALUES (1, 'ok', 'happy')");
            Path deltas = tmp.resolve("deltas/db/delta");
            Dsynq dsynq = database.dsynq(tmp.resolve("deltas")).build();
            write(
                    deltas.resolve("1700000001.000000/person.i.csv"),
                    List.of("id", "m", "n"),
                    List.<String[]>of(new String[] {"2", "ü ß", "happy"}, new String[] {"3", "sad", null}));
            assertThatThrownBy(() -> dsynq.apply(ApplyRequest.latest()))
                    .isInstanceOf(DsynqException.class)
                    .hasMessageContaining("file person.i.csv, line 3: column m, value 'sad': is not a value of the enum"
                            + " other.mood, which holds 'ok', 'Sad', 'ü ß'");
            assertThat(contents(database, "person")).isEqualTo("1|ok|happy\n");

            write(
                    deltas.resolve("1700000001.000000/person.i.csv"),
                    List.of("id", "m", "n"),
                    List.<String[]>of(new String[] {"2", "ü ß", "happy"}, new String[] {"3", "Sad", null}));
            write(deltas.resolve("1700000001.000000/person.u.csv"), List.of("id", "m"), List.<String[]>of(new String[] {
                "1", "Sad"
            }));
            dsynq.apply(ApplyRequest.latest());
            assertThat(contents(database, "person")).isEqualTo("1|Sad|happy\n2|ü ß|happy\n3|Sad|null\n");
            dsynq.apply(ApplyRequest.to("0"));
            assertThat(contents(database, "person")).isEqualTo("1|ok|happy\n");
        }
    }

    /**
     * MariaDB's {@code ENUM} and {@code SET} take a value by their collation and store their own member: {@code 'A'}
     * went into an {@code ENUM('a', 'b')} as {@code 'a'}, {@code 'a '} as {@code 'a'}, {@code 'X'} into a
     * {@code SET('x', 'y')} as {@code 'x'}, without a word. Now such a value is refused by its line, naming the
     * members; the members themselves go in and come back out exactly.
     */
    @Test
    void mariaDbEnumsAndSetsTakeTheirMembersExactly() throws Exception {
        try (TestDatabase database = TestServers.create(Engine.MARIADB)) {
            database.execute(
                    "CREATE TABLE pick (id INT PRIMARY KEY, e ENUM('a', 'b', 'it''s', 'ü'), s SET('x', 'y'))"
                            + " CHARACTER SET utf8mb4",
                    "INSERT INTO pick VALUES (1, 'a', 'x')");
            Path deltas = tmp.resolve("deltas/db/delta");
            Dsynq dsynq = database.dsynq(tmp.resolve("deltas")).build();
            String[][] refused = {
                {"e", "A", "is not a member of enum('a','b','it''s','ü'), which holds 'a', 'b', 'it's', 'ü'"},
                {"e", "a ", "is not a member of enum('a','b','it''s','ü'), which holds 'a', 'b', 'it's', 'ü'"},
                {"s", "x,Y", "has 'Y', not a member of set('x','y'), which holds 'x', 'y'"}
            };
            assertEachRefused(
                    dsynq,
                    database,
                    deltas,
                    "pick",
                    List.of("id", "e", "s"),
                    new String[] {"2", null, null},
                    refused,
                    "1|a|x\n");
            write(
                    deltas.resolve("1700000001.000000/pick.i.csv"),
                    List.of("id", "e", "s"),
                    List.<String[]>of(new String[] {"2", "it's", "x,y"}, new String[] {"3", "ü", ""}));
            dsynq.apply(ApplyRequest.latest());
            assertThat(contents(database, "pick")).isEqualTo("1|a|x\n2|it's|x,y\n3|ü|\n");
            dsynq.apply(ApplyRequest.to("0"));
            assertThat(contents(database, "pick")).isEqualTo("1|a|x\n");
        }
    }

    /**
     * MariaDB's {@code FLOAT(M,D)} and {@code DOUBLE(M,D)} round every value to their {@code D} digits after the point
     * as they store it: {@code 1.0005} went into a {@code float(10,3)} as {@code 1.000}, {@code 0.125} into a
     * {@code double(20,2)} as {@code 0.13}, without a word. Now such a value is refused by its line; a value the
     * column holds as written goes in and, written back by the reverse of a delete, comes back out as it was.
     */
    @Test
    void mariaDbFloatsOfDigitsAfterThePointAreNotRounded() throws Exception {
        try (TestDatabase database = TestServers.create(Engine.MARIADB)) {
            database.execute(
                    "CREATE TABLE gauge (id INT PRIMARY KEY, f FLOAT(10,3), d DOUBLE(20,2) UNSIGNED, p DOUBLE)",
                    "INSERT INTO gauge VALUES (1, 0.5, 0.5, 0.123456)");
            Path deltas = tmp.resolve("deltas/db/delta");
            Dsynq dsynq = database.dsynq(tmp.resolve("deltas")).build();
            String[][] refused = {
                {"f", "1.0005", "has more digits after the point than float(10,3) holds (3), which MariaDB would round"
                },
                {"f", "1.0E-4", "has more digits after the point than float(10,3) holds (3), which MariaDB would round"
                },
                {
                    "d",
                    "0.125",
                    "has more digits after the point than double(20,2) unsigned holds (2), which MariaDB would round"
                }
            };
            assertEachRefused(
                    dsynq,
                    database,
                    deltas,
                    "gauge",
                    List.of("id", "f", "d", "p"),
                    new String[] {"2", null, null, null},
                    refused,
                    "1|0.500|0.50|0.123456\n");
            write(
                    deltas.resolve("1700000001.000000/gauge.i.csv"),
                    List.of("id", "f", "d", "p"),
                    List.<String[]>of(
                            new String[] {"2", "0.1", "0.1", "0.1005"},
                            new String[] {"3", "1234567.1", "12.50", "1.0E-10"},
                            new String[] {"4", "-0.001", "1.0E15", null}));
            write(
                    deltas.resolve("1700000002.000000/gauge.d.csv"),
                    List.of("id"),
                    List.<String[]>of(new String[] {"1"}, new String[] {"2"}, new String[] {"3"}, new String[] {"4"}));
            dsynq.apply(ApplyRequest.to("1700000001.000000"));
            String applied = contents(database, "gauge");
            assertThat(applied)
                    .isEqualTo("1|0.500|0.50|0.123456\n2|0.100|0.10|0.1005\n3|1234567.125|12.50|0.0000000001\n"
                            + "4|-0.001|1000000000000000.00|null\n");
            dsynq.apply(ApplyRequest.latest());
            assertThat(count(database, "gauge")).isZero();
            dsynq.apply(ApplyRequest.offset(-1));
            assertThat(contents(database, "gauge")).isEqualTo(applied);
            dsynq.apply(ApplyRequest.to("0"));
            assertThat(contents(database, "gauge")).isEqualTo("1|0.500|0.50|0.123456\n");
        }
    }

    /**
     * MariaDB's JSON is a LONGTEXT whose check calls {@code json_valid}, which refuses arrays and objects nested
     * deeper than 31 and an escape of half a character (a surrogate without its other half), JSON that dsynq takes:
     * such a value was refused by the server as "CONSTRAINT `doc.j` failed", naming neither the value nor why. Now it
     * is refused by its line, saying why; JSON nested 31 deep, brackets within strings, a character escaped as its two
     * halves and an escaped backslash before {@code ud800} go in and come back out as written.
     */
    @Test
    void mariaDbJsonTakesWhatItsCheckTakes() throws Exception {
        try (TestDatabase database = TestServers.create(Engine.MARIADB)) {
            database.execute(
                    "CREATE TABLE doc (id INT PRIMARY KEY, j JSON) CHARACTER SET utf8mb4",
                    "INSERT INTO doc VALUES (1, '[]')");
            Path deltas = tmp.resolve("deltas/db/delta");
            Dsynq dsynq = database.dsynq(tmp.resolve("deltas")).build();
            String deep = "[".repeat(32) + "]".repeat(32);
            String[][] refused = {
                {"j", "\"\\ud800\"", "has \\ud800, an escape of half a character (a surrogate without its other half)"},
                {"j", "{\"a\":\"x\\udc00\"}", "has \\udc00, an escape of half a character"},
                {"j", "[\"\\ud83d\\u0041\"]", "has \\ud83d, an escape of half a character"}
            };
            assertEachRefused(
                    dsynq, database, deltas, "doc", List.of("id", "j"), new String[] {"2", null}, refused, "1|[]\n");
            // too long to be shown whole: each is shown cut, with why
            for (String[] value : List.of(new String[] {deep, "32"}, new String[] {"{\"a\":" + deep + "}", "33"})) {
                write(
                        deltas.resolve("1700000001.000000/doc.i.csv"),
                        List.of("id", "j"),
                        List.<String[]>of(new String[] {"2", value[0]}));
                assertThatThrownBy(() -> dsynq.apply(ApplyRequest.latest()))
                        .isInstanceOf(DsynqException.class)
                        .hasMessageContaining("file doc.i.csv, line 2: column j, value '" + value[0].substring(0, 10))
                        .hasMessageContaining("…': has arrays or objects nested " + value[1]
                                + " deep, which MariaDB's JSON does not take (at most 31)");
                assertThat(contents(database, "doc")).isEqualTo("1|[]\n");
            }
            List<String> held = List.of(
                    "{\"a\":" + "[".repeat(30) + "1" + "]".repeat(30) + "}",
                    "[\"" + "[".repeat(40) + "\"]",
                    "\"\\ud83d\\ude00\"",
                    "\"\\\\ud800\"");
            List<String[]> rows = new ArrayList<>();
            StringBuilder applied = new StringBuilder("1|[]\n");
            for (int i = 0; i < held.size(); i++) {
                rows.add(new String[] {Integer.toString(i + 2), held.get(i)});
                applied.append(i + 2).append('|').append(held.get(i)).append('\n');
            }
            write(deltas.resolve("1700000001.000000/doc.i.csv"), List.of("id", "j"), rows);
            dsynq.apply(ApplyRequest.latest());
            assertThat(contents(database, "doc")).isEqualTo(applied.toString());
            dsynq.apply(ApplyRequest.to("0"));
            assertThat(contents(database, "doc")).isEqualTo("1|[]\n");
        }
    }

    /**
     * H2's JSON refuses an escape of half a character (a surrogate without its other half), JSON that dsynq takes:
     * the apply failed with H2's words about dsynq's own staging table and the value in hexadecimal ('Data conversion
     * error converting "X'225c…' (DSYNQ_STAGE_…: ""J"" JSON)'). Now such a value is refused by its line, saying why;
     * a character escaped as its two halves goes in, as H2 stores it.
     */
    @Test
    void h2JsonTakesNoEscapeOfHalfACharacter() throws Exception {
        try (TestDatabase database = TestServers.create(Engine.H2)) {
            database.execute("CREATE TABLE doc (id INT PRIMARY KEY, j JSON)", "INSERT INTO doc VALUES (1, JSON '[]')");
            Path deltas = tmp.resolve("deltas/db/delta");
            Dsynq dsynq = database.dsynq(tmp.resolve("deltas")).build();
            String[][] refused = {
                {
                    "j",
                    "\"\\ud800\"",
                    "has \\ud800, an escape of half a character (a surrogate without its other half),"
                            + " which H2's JSON does not take"
                },
                {"j", "[\"a\\udc00b\"]", "has \\udc00, an escape of half a character"},
                {"j", "{\"a\":\"\\ud83d\\n\"}", "has \\ud83d, an escape of half a character"}
            };
            assertEachRefused(
                    dsynq, database, deltas, "doc", List.of("id", "j"), new String[] {"2", null}, refused, "1|[]\n");
            write(
                    deltas.resolve("1700000001.000000/doc.i.csv"),
                    List.of("id", "j"),
                    List.<String[]>of(new String[] {"2", "\"\\ud83d\\ude00\""}, new String[] {"3", "\"\\\\ud800\""}));
            dsynq.apply(ApplyRequest.latest());
            assertThat(contents(database, "doc")).isEqualTo("1|[]\n2|\"\uD83D\uDE00\"\n3|\"\\\\ud800\"\n");
            dsynq.apply(ApplyRequest.to("0"));
            assertThat(contents(database, "doc")).isEqualTo("1|[]\n");
        }
    }

    /**
     * MariaDB stores a value its {@code ENUM} lacks, where a session is not strict, as its error value {@code ''}, no
     * member, which no strict session takes back: a delta deleting such a row applied, and its rollback was refused.
     * Now the delta is refused naming the row, nothing changed, as for MariaDB's zero dates.
     */
    @Test
    void aMariaDbEnumsErrorValueIsNotChanged() throws Exception {
        try (TestDatabase database = TestServers.create(Engine.MARIADB)) {
            database.execute(
                    "CREATE TABLE pick (id INT PRIMARY KEY, e ENUM('a', 'b'))",
                    "SET SESSION sql_mode = ''",
                    "INSERT INTO pick VALUES (1, 'zz'), (2, 'a')");
            assertThat(contents(database, "pick")).isEqualTo("1|\n2|a\n");
            Path deltas = tmp.resolve("deltas/db/delta");
            write(deltas.resolve("1700000001.000000/pick.d.csv"), List.of("id"), List.<String[]>of(new String[] {"1"}));
            assertThatThrownBy(
                            () -> database.dsynq(tmp.resolve("deltas")).build().apply(ApplyRequest.latest()))
                    .isInstanceOf(DsynqException.class)
                    .hasMessageContaining("file pick.d.csv")
                    .hasMessageContaining("the row id=1: column e holds '', MariaDB's error value of an enum, no member"
                            + " of enum('a','b'), which a rollback could not write back");
            assertThat(contents(database, "pick")).isEqualTo("1|\n2|a\n");
        }
    }

    /**
     * A MariaDB session in {@code NO_BACKSLASH_ESCAPES} (set by the server or the URL's {@code sessionVariables})
     * read the bulk load's {@code ESCAPED BY '\\'} as two characters, and every delta failed with "the database
     * refused a value: Field separator argument is not what is expected".
     */
    @Test
    void mariaDbWithoutBackslashEscapes() throws Exception {
        try (TestDatabase database = TestServers.create(Engine.MARIADB)) {
            database.execute(
                    "CREATE TABLE note (id INT PRIMARY KEY, t VARCHAR(40)) CHARACTER SET utf8mb4",
                    "INSERT INTO note VALUES (1, 'a\\\\b'), (2, 'two')");
            Path deltas = tmp.resolve("deltas/db/delta/1700000001.000000");
            write(deltas.resolve("note.i.csv"), List.of("id", "t"), List.<String[]>of(new String[] {
                "3", "back\\slash 'q' \"dq\" tab\there\nline \\N ä"
            }));
            write(deltas.resolve("note.u.csv"), List.of("id", "t"), List.<String[]>of(new String[] {"2", "\\"}));
            write(deltas.resolve("note.d.csv"), List.of("id"), List.<String[]>of(new String[] {"1"}));
            String url = database.url() + (database.url().contains("?") ? "&" : "?")
                    + "sessionVariables=sql_mode='NO_BACKSLASH_ESCAPES'";
            Dsynq dsynq = database.dsynq(tmp.resolve("deltas")).url(url).build();

            dsynq.apply(ApplyRequest.latest());
            assertThat(contents(database, "note")).isEqualTo("2|\\\n3|back\\slash 'q' \"dq\" tab\there\nline \\N ä\n");
            dsynq.apply(ApplyRequest.to("0"));
            assertThat(contents(database, "note")).isEqualTo("1|a\\b\n2|two\n");
        }
    }

    /**
     * A URL with {@code allowLocalInfile=false}, as one may write it to keep a server from reading the client's files,
     * failed every delta on MariaDB as if a value were wrong: "file note.i.csv, a row: the database refused a value:
     * Local infile is disabled by connector". It now says what turned the load off and that dsynq sends no file.
     */
    @Test
    void mariaDbWithoutLocalInfileSaysWhy() throws Exception {
        try (TestDatabase database = TestServers.create(Engine.MARIADB)) {
            database.execute("CREATE TABLE note (id INT PRIMARY KEY, t VARCHAR(40))");
            Path deltas = tmp.resolve("deltas/db/delta/1700000001.000000");
            write(deltas.resolve("note.i.csv"), List.of("id", "t"), List.<String[]>of(new String[] {"1", "one"}));
            String url = database.url() + (database.url().contains("?") ? "&" : "?") + "allowLocalInfile=false";

            assertThatThrownBy(() -> database.dsynq(tmp.resolve("deltas"))
                            .url(url)
                            .build()
                            .apply(ApplyRequest.latest()))
                    .isInstanceOf(DsynqException.class)
                    .hasMessageContaining("file note.i.csv, cannot be loaded: dsynq loads a delta's rows through LOAD"
                            + " DATA LOCAL INFILE, which the URL's allowLocalInfile=false turns off; remove it from the"
                            + " URL (dsynq sends the server only the rows it reads, from a stream, whatever file the"
                            + " server asks for, and the driver sends no file to any other statement) [Local infile is"
                            + " disabled by connector")
                    .hasMessageNotContaining("refused a value");
            assertThat(contents(database, "note")).isEmpty();
        }
    }

    /** The rows of a table as the database prints them, in key order: {@code id|value|…} a line. */
    /**
     * Each of {@code refused} (a column, a value, the words after it), written alone into {@code row} of an insert
     * file of {@code table}, is refused by its line, column and value, and leaves the table as {@code before}.
     */
    private static void assertEachRefused(
            Dsynq dsynq,
            TestDatabase database,
            Path deltas,
            String table,
            List<String> header,
            String[] row,
            String[][] refused,
            String before)
            throws Exception {
        for (String[] value : refused) {
            String[] one = row.clone();
            one[header.indexOf(value[0])] = value[1];
            write(deltas.resolve("1700000001.000000/" + table + ".i.csv"), header, List.<String[]>of(one));
            assertThatThrownBy(() -> dsynq.apply(ApplyRequest.latest()))
                    .isInstanceOf(DsynqException.class)
                    .hasMessageContaining("file " + table + ".i.csv, line 2: column " + value[0] + ", value '"
                            + value[1] + "': " + value[2]);
            assertThat(contents(database, table)).isEqualTo(before);
        }
    }

    private static String contents(TestDatabase database, String table) throws Exception {
        StringBuilder rows = new StringBuilder();
        try (Connection connection = database.connect();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT * FROM " + table + " ORDER BY 1")) {
            int columns = result.getMetaData().getColumnCount();
            while (result.next()) {
                for (int c = 1; c <= columns; c++) {
                    // an array as its elements; anything else as the database prints it (no BigDecimal holds NaN)
                    String value = result.getMetaData().getColumnType(c) == java.sql.Types.ARRAY
                                    && result.getObject(c) instanceof Object[] array
                            ? Arrays.toString(array)
                            : result.getString(c);
                    rows.append(c > 1 ? "|" : "").append(value);
                }
                rows.append('\n');
            }
        }
        return rows.toString();
    }

    private static long count(TestDatabase database, String table) throws Exception {
        try (Connection connection = database.connect();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT COUNT(*) FROM " + table)) {
            result.next();
            return result.getLong(1);
        }
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
