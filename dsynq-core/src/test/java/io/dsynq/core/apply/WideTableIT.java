package io.dsynq.core.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.dsynq.core.ApplyRequest;
import io.dsynq.core.testing.Engine;
import io.dsynq.core.testing.TestDatabase;
import io.dsynq.core.testing.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL: a table of 300 columns. Without statistics PostgreSQL takes a staging table that wide for one row, and
 * where the target has none either (rows an earlier delta of the same apply inserted) it joined them by scanning the
 * staging table once for every row of the target: 5,000 rows updated in a table of 20,000 took 16 minutes.
 */
class WideTableIT {

    private static final int COLUMNS = 299;

    @TempDir
    Path tmp;

    @Test
    void anUpdateOfAWideTableReadsItsStagedRowsOnce() throws Exception {
        String names = IntStream.rangeClosed(1, COLUMNS).mapToObj(i -> "c" + i).collect(Collectors.joining(","));
        StringBuilder insert = new StringBuilder("id," + names + "\n");
        StringBuilder update = new StringBuilder("id," + names + "\n");
        for (int id = 1; id <= 2_000; id++) {
            int row = id;
            insert.append(id)
                    .append(',')
                    .append(IntStream.rangeClosed(1, COLUMNS)
                            .mapToObj(i -> "v" + row + "_" + i)
                            .collect(Collectors.joining(",")))
                    .append('\n');
            if (id % 4 == 0) {
                update.append(id)
                        .append(',')
                        .append(IntStream.rangeClosed(1, COLUMNS)
                                .mapToObj(i -> "u" + row + "_" + i)
                                .collect(Collectors.joining(",")))
                        .append('\n');
            }
        }
        delta("1700000001.000000", "wide.i.csv", insert.toString());
        delta("1700000002.000000", "wide.u.csv", update.toString());
        try (TestDatabase database = TestServers.create(Engine.POSTGRESQL)) {
            database.execute(
                    // no statistics for the target, as for rows an earlier delta of the same apply inserted
                    "CREATE TABLE wide (id INT PRIMARY KEY, "
                            + IntStream.rangeClosed(1, COLUMNS)
                                    .mapToObj(i -> "c" + i + " VARCHAR(20)")
                                    .collect(Collectors.joining(", "))
                            + ") WITH (autovacuum_enabled = false)",
                    "CREATE TABLE staged_rows_read (n BIGINT)",
                    // the rows read from temporary tables (the staging tables) in the transaction so far
                    "CREATE FUNCTION count_staged_rows_read() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                            + " INSERT INTO staged_rows_read SELECT COALESCE(SUM(seq_tup_read), 0)"
                            + " FROM pg_stat_xact_user_tables WHERE schemaname LIKE 'pg_temp%'; RETURN NULL; END $$",
                    "CREATE TRIGGER count_staged_rows_read AFTER UPDATE ON wide"
                            + " FOR EACH STATEMENT EXECUTE FUNCTION count_staged_rows_read()");

            database.dsynq(tmp.resolve("deltas")).build().apply(ApplyRequest.latest());

            assertThat(single(database, "SELECT COUNT(*) FROM wide WHERE c7 LIKE 'u%'"))
                    .isEqualTo(500);
            // the 500 staged rows loaded and read a few times, not once for each of the table's 2,000 rows
            assertThat(single(database, "SELECT MAX(n) FROM staged_rows_read")).isLessThan(10_000);
        }
    }

    private void delta(String id, String file, String content) throws Exception {
        Path folder = Files.createDirectories(tmp.resolve("deltas/db/delta/" + id));
        Files.writeString(folder.resolve(file), content);
    }

    private static long single(TestDatabase database, String sql) throws Exception {
        try (Connection connection = database.connect();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
