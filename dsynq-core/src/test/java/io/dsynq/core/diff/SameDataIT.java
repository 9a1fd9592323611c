package io.dsynq.core.diff;

import static org.assertj.core.api.Assertions.assertThat;

import io.dsynq.core.ApplyRequest;
import io.dsynq.core.Dsynq;
import io.dsynq.core.csv.CsvDialect;
import io.dsynq.core.csv.CsvWriter;
import io.dsynq.core.testing.ColumnType;
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

    /** Every supported type; a CHAR value shorter than its column, which engines return padded or not. */
    private static final List<ColumnType> TYPES = ColumnType.ALL.stream()
            .map(t -> t.column().equals("c_char") ? t.withValues(List.of("abcde", "äöü12", "ab")) : t)
            .toList();

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "target {0}, source {1}")
    @MethodSource("io.dsynq.core.diff.Databases#enginePairs")
    void theSameDataDiffsToNothing(Engine target, Engine source) throws Exception {
        List<ColumnType> types = TYPES.stream()
                .filter(t -> t.on(target) != null && t.on(source) != null)
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

    private void load(TestDatabase database, List<ColumnType> types, boolean first) throws Exception {
        Engine engine = database.engine();
        StringBuilder ddl = new StringBuilder("CREATE TABLE typed (id INT PRIMARY KEY");
        for (ColumnType type : types) {
            ddl.append(", ").append(type.column()).append(' ').append(type.on(engine));
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

    private static void write(Path file, List<String> header, List<String[]> rows) throws Exception {
        Files.createDirectories(file.getParent());
        try (OutputStream out = Files.newOutputStream(file);
                CsvWriter writer = CsvDialect.writer(out, header)) {
            rows.forEach(writer::write);
        }
    }
}
