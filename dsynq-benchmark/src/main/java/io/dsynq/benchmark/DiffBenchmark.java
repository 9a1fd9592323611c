package io.dsynq.benchmark;

import io.dsynq.core.Dsynq;
import io.dsynq.core.diff.DiffMode;
import io.dsynq.core.diff.DiffRequest;
import io.dsynq.core.diff.DiffResult;
import io.dsynq.core.jdbc.ConnectionSpec;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.postgresql.PGConnection;

/**
 * {@code dsynq:diff} next to the floor of any client-side diff (reading both tables in key order through JDBC, both
 * at once) and next to a {@code FULL OUTER JOIN} on one server, on the benchmark's rows differing in 1%: PostgreSQL
 * to PostgreSQL and PostgreSQL to MariaDB. Then segment checksums on a table of {@code segmentRows} rows differing
 * in 100 rows, next to reading every row. Databases of its own ({@code dsynq_diff_bench_*}).
 */
final class DiffBenchmark {

    /** One line of the table. */
    record Line(String pair, String operation, String tool, long rows, double seconds, long heap, String ratio) {}

    private static final String PG = "jdbc:postgresql://" + System.getProperty("benchmark.postgresql.host", "127.0.0.1")
            + ":" + System.getProperty("benchmark.postgresql.port", "5432") + "/";
    private static final String PG_USER = System.getProperty("benchmark.postgresql.user", "postgres");
    private static final String PG_PASSWORD = System.getProperty("benchmark.postgresql.password", "");
    private static final String MARIA = "jdbc:mariadb://" + System.getProperty("benchmark.mariadb.host", "127.0.0.1")
            + ":" + System.getProperty("benchmark.mariadb.port", "3306") + "/";
    private static final String MARIA_USER = System.getProperty("benchmark.mariadb.user", "root");
    private static final String MARIA_PASSWORD = System.getProperty("benchmark.mariadb.password", "");

    private static final String COLUMNS =
            "id BIGINT PRIMARY KEY, code INT, name VARCHAR(64), price NUMERIC(12,2)," + " updated_at ";

    private final Path work;
    private final int repeat;
    private final LiveHeap liveHeap;
    private final List<Line> lines = new ArrayList<>();

    DiffBenchmark(Path work, int repeat, LiveHeap liveHeap) {
        this.work = work;
        this.repeat = repeat;
        this.liveHeap = liveHeap;
    }

    /** The databases made, as server URL and name, to drop at the end. */
    private final List<String[]> created = new ArrayList<>();

    /** Measures and drops the databases it made, whatever happens. */
    List<Line> run(DataSet data, int segmentRows) throws Exception {
        try {
            return measure(data, segmentRows);
        } finally {
            for (String[] database : created) {
                drop(database[0], database[1]);
            }
        }
    }

    private List<Line> measure(DataSet data, int segmentRows) throws Exception {
        Path target = changed(data.insert, work.resolve("diff-target-" + data.rows + ".csv"));
        String source = create(PG, "dsynq_diff_bench_s");
        String pgTarget = create(PG, "dsynq_diff_bench_t");
        String mariaTarget = create(MARIA, "dsynq_diff_bench_t") + "?allowLocalInfile=true";
        postgresLoad(source, "item", data.insert);
        postgresLoad(pgTarget, "item", target);
        postgresLoad(pgTarget, "item_source", data.insert); // for the FULL OUTER JOIN on one server
        mariaLoad(mariaTarget, target);
        long rows = data.rows;

        for (String[] pair : List.of(
                new String[] {"PostgreSQL → PostgreSQL", pgTarget},
                new String[] {"PostgreSQL → MariaDB", mariaTarget})) {
            boolean maria = pair[1].startsWith("jdbc:mariadb");
            String user = maria ? MARIA_USER : PG_USER;
            String password = maria ? MARIA_PASSWORD : PG_PASSWORD;
            Path deltas = Files.createDirectories(work.resolve("diff-deltas"));
            Map<String, Engine.ThrowingRunnable> operations = new LinkedHashMap<>();
            operations.put(pair[0] + " floor", () -> readBoth(pair[1], user, password, source));
            if (!maria) {
                operations.put(pair[0] + " join", () -> fullOuterJoin(pair[1]));
            }
            operations.put(pair[0] + " diff", () -> {
                DiffResult result = dsynq(pair[1], user, password, deltas).diff(request(source, DiffMode.FULL));
                check(result, rows / 100);
            });
            Turns turns = inTurns(operations);
            line(pair[0], "read both in key order", "JDBC, 2 threads", 2 * rows, turns, 0, "1.00 × floor");
            if (!maria) {
                line(pair[0], "FULL OUTER JOIN", "one server, count", 2 * rows, turns, 1, ratio(turns.ratio(1, 0)));
            }
            int diff = operations.size() - 1;
            line(pair[0], "diff 1% → delta", "dsynq diff FULL", 2 * rows, turns, diff, ratio(turns.ratio(diff, 0)));
        }

        // segment checksums: a large table differing in 100 rows
        String bigSource = create(PG, "dsynq_diff_bench_bs");
        String bigTarget = create(PG, "dsynq_diff_bench_bt");
        for (String url : List.of(bigSource, bigTarget)) {
            execute(
                    url,
                    PG_USER,
                    PG_PASSWORD,
                    "CREATE TABLE item (" + COLUMNS + "TIMESTAMP(6))",
                    "INSERT INTO item SELECT g, g % 1000, 'item ' || md5(g::text), (g % 100000) * 0.01,"
                            + " TIMESTAMP '2020-01-01' + g * INTERVAL '1 second' FROM generate_series(1, " + segmentRows
                            + ") g",
                    "VACUUM ANALYZE item");
        }
        long step = segmentRows / 40;
        execute(
                bigTarget,
                PG_USER,
                PG_PASSWORD,
                "UPDATE item SET price = price + 1 WHERE id % " + step + " = 7",
                "DELETE FROM item WHERE id % " + step + " = 11",
                "INSERT INTO item SELECT g, 1, 'extra', 1.00, NULL FROM generate_series(" + (segmentRows + 1) + ", "
                        + (segmentRows + 20) + ") g");
        Path deltas = Files.createDirectories(work.resolve("diff-deltas"));
        String pair = "PostgreSQL → PostgreSQL";
        Map<String, Engine.ThrowingRunnable> operations = new LinkedHashMap<>();
        operations.put("segments floor", () -> readBoth(bigTarget, PG_USER, PG_PASSWORD, bigSource));
        operations.put(
                "segments full",
                () -> check(
                        dsynq(bigTarget, PG_USER, PG_PASSWORD, deltas).diff(request(bigSource, DiffMode.FULL)), 100));
        operations.put(
                "segments",
                () -> check(
                        dsynq(bigTarget, PG_USER, PG_PASSWORD, deltas).diff(request(bigSource, DiffMode.SEGMENTS)),
                        100));
        Turns turns = inTurns(operations);
        long segmentTotal = 2L * segmentRows;
        line(pair, "read both in key order", "JDBC, 2 threads", segmentTotal, turns, 0, "1.00 × floor");
        line(pair, "diff 100 rows → delta", "dsynq diff FULL", segmentTotal, turns, 1, ratio(turns.ratio(1, 0)));
        line(
                pair,
                "diff 100 rows → delta",
                "dsynq diff SEGMENTS",
                segmentTotal,
                turns,
                2,
                String.format("%.2f × floor, %.1f× faster than FULL", turns.ratio(2, 0), 1 / turns.ratio(2, 1)));
        return lines;
    }

    /** The benchmark's rows with 1% changed: every 300th missing, every 300th updated, every 300th with a twin. */
    private static Path changed(Path insert, Path target) throws Exception {
        try (BufferedReader in = Files.newBufferedReader(insert, StandardCharsets.UTF_8);
                BufferedWriter out = Files.newBufferedWriter(target, StandardCharsets.UTF_8)) {
            out.write(in.readLine());
            out.write('\n');
            List<String> extra = new ArrayList<>();
            for (String line; (line = in.readLine()) != null; ) {
                int comma = line.indexOf(',');
                long id = Long.parseLong(line.substring(0, comma));
                long slot = id % 300;
                if (slot == 0) {
                    continue;
                }
                if (slot == 100) {
                    line = id + ",-1" + line.substring(line.indexOf(',', comma + 1));
                } else if (slot == 200) {
                    extra.add((id + 2_000_000_000L) + line.substring(comma));
                }
                out.write(line);
                out.write('\n');
            }
            for (String line : extra) {
                out.write(line);
                out.write('\n');
            }
        }
        return target;
    }

    private static DiffRequest request(String source, DiffMode mode) {
        return DiffRequest.against("source", new ConnectionSpec(source, PG_USER, PG_PASSWORD))
                .tables(List.of("item"), List.of())
                .mode(mode);
    }

    private static Dsynq dsynq(String url, String user, String password, Path deltas) {
        return Dsynq.configure()
                .database("bench")
                .url(url)
                .username(user)
                .password(password)
                .deltaDirectory(deltas)
                .build();
    }

    private static void check(DiffResult result, long expected) {
        DiffResult.TableDiff table = result.tables().get(0);
        long found = table.inserts() + table.updates() + table.deletes();
        if (Math.abs(found - expected) > expected / 10 + 1) {
            throw new IllegalStateException("the diff found " + table + ", expected about " + expected);
        }
    }

    /** Seconds to read both tables in key order, every column as text, both at once. */
    private static void readBoth(String target, String user, String password, String source) throws Exception {
        CompletableFuture<Long> other = CompletableFuture.supplyAsync(() -> {
            try {
                return read(source, PG_USER, PG_PASSWORD);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        read(target, user, password);
        other.join();
    }

    private static long read(String url, String user, String password) throws SQLException {
        long count = 0;
        try (Connection connection = DriverManager.getConnection(url, user, password)) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.setFetchSize(10_000);
                try (ResultSet rows =
                        statement.executeQuery("SELECT id, code, name, price, updated_at FROM item ORDER BY id")) {
                    while (rows.next()) {
                        for (int c = 1; c <= 5; c++) {
                            rows.getString(c);
                        }
                        count++;
                    }
                }
            }
            connection.rollback();
        }
        return count;
    }

    private static void fullOuterJoin(String url) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, PG_USER, PG_PASSWORD);
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM item t FULL OUTER JOIN item_source s"
                        + " ON t.id = s.id WHERE t.id IS NULL OR s.id IS NULL OR (t.code, t.name, t.price,"
                        + " t.updated_at) IS DISTINCT FROM (s.code, s.name, s.price, s.updated_at)")) {
            rows.next();
        }
    }

    /** The seconds of each operation in each round, and each operation's peak live heap. */
    private record Turns(double[][] seconds, long[] heaps) {

        double median(int operation) {
            double[] sorted = seconds[operation].clone();
            Arrays.sort(sorted);
            return sorted[sorted.length / 2];
        }

        /** The median over the rounds of one operation's seconds to another's of the same round. */
        double ratio(int operation, int to) {
            double[] ratios = new double[seconds[operation].length];
            for (int round = 0; round < ratios.length; round++) {
                ratios[round] = seconds[operation][round] / seconds[to][round];
            }
            Arrays.sort(ratios);
            return ratios[ratios.length / 2];
        }
    }

    /**
     * Runs each operation once untimed, so that each is measured with its code compiled, as in the floor's few lines
     * of reading (whose driver code dsynq's readers share); then {@code repeat} rounds of every operation in turn.
     * The machine's speed drifts: the same work can take half as long again for a minute. Run in turns, such a spell
     * falls on the operations of a round together rather than on the runs of one, and a ratio is taken within each
     * round (its median over the rounds). The untimed run's seconds are printed too: a diff in a fresh JVM, as
     * {@code mvn dsynq:diff} runs it, takes about that long.
     */
    private Turns inTurns(Map<String, Engine.ThrowingRunnable> operations) throws Exception {
        List<String> names = new ArrayList<>(operations.keySet());
        for (String name : names) {
            System.out.printf(
                    "  %-36s %8.2f s   (untimed: compiles the code)%n", name, Engine.time(operations.get(name)));
        }
        double[][] seconds = new double[names.size()][repeat];
        long[] heaps = new long[names.size()];
        for (int round = 0; round < repeat; round++) {
            for (int i = 0; i < names.size(); i++) {
                System.gc();
                liveHeap.reset();
                seconds[i][round] = Engine.time(operations.get(names.get(i)));
                System.gc();
                heaps[i] = Math.max(heaps[i], liveHeap.peak());
                System.out.printf("  %-36s %8.2f s%n", names.get(i), seconds[i][round]);
            }
        }
        return new Turns(seconds, heaps);
    }

    private void line(String pair, String operation, String tool, long rows, Turns turns, int measured, String ratio) {
        lines.add(new Line(pair, operation, tool, rows, turns.median(measured), turns.heaps()[measured], ratio));
    }

    private static String ratio(double toFloor) {
        return String.format("%.2f × floor", toFloor);
    }

    /** Drops and creates a database; returns its URL. */
    private String create(String server, String name) throws SQLException {
        drop(server, name);
        onServer(server, "CREATE DATABASE " + name);
        created.add(new String[] {server, name});
        return server + name;
    }

    private static void drop(String server, String name) throws SQLException {
        onServer(
                server, "DROP DATABASE IF EXISTS " + name + (server.startsWith("jdbc:mariadb") ? "" : " WITH (FORCE)"));
    }

    private static void onServer(String server, String sql) throws SQLException {
        boolean maria = server.startsWith("jdbc:mariadb");
        try (Connection connection = DriverManager.getConnection(
                        maria ? server : server + "postgres",
                        maria ? MARIA_USER : PG_USER,
                        maria ? MARIA_PASSWORD : PG_PASSWORD);
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static void execute(String url, String user, String password, String... statements) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, user, password);
                Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    private static void postgresLoad(String url, String table, Path csv) throws Exception {
        execute(url, PG_USER, PG_PASSWORD, "CREATE TABLE " + table + " (" + COLUMNS + "TIMESTAMP(6))");
        try (Connection connection = DriverManager.getConnection(url, PG_USER, PG_PASSWORD);
                Reader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            connection
                    .unwrap(PGConnection.class)
                    .getCopyAPI()
                    .copyIn("COPY " + table + " FROM STDIN (FORMAT csv, HEADER true)", in);
        }
        execute(url, PG_USER, PG_PASSWORD, "VACUUM ANALYZE " + table);
    }

    private static void mariaLoad(String url, Path csv) throws Exception {
        execute(
                url,
                MARIA_USER,
                MARIA_PASSWORD,
                "CREATE TABLE item (" + COLUMNS + "DATETIME(6))",
                "LOAD DATA LOCAL INFILE '" + csv + "' INTO TABLE item FIELDS TERMINATED BY ','"
                        + " OPTIONALLY ENCLOSED BY '\"' LINES TERMINATED BY '\\n' IGNORE 1 LINES");
    }
}
