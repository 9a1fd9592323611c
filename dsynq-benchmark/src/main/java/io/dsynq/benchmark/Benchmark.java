package io.dsynq.benchmark;

import io.dsynq.core.ApplyRequest;
import io.dsynq.core.Dsynq;
import io.dsynq.core.DsynqListener;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Times, in one run on the same generated data, what dsynq does next to each engine's own loader and next to
 * Liquibase and DbUnit, and prints one table: seconds, rows/s, the ratio to the native tool (or to the forward
 * apply, for rollbacks; or dsynq's advantage, for the peers), the peak live heap (in use after a collection) and
 * the part of it the operation itself needed, above the heap the JVM held idle before it (peers compare on that).
 *
 * <pre>
 * ./mvnw -B -Pbenchmark verify -pl dsynq-benchmark -am -DskipTests \
 *     [-Dbenchmark.rows=1000000] [-Dbenchmark.peerRows=100000] [-Dbenchmark.seed=42] [-Dbenchmark.repeat=3]
 *     [-Dbenchmark.engines=postgresql,mariadb,h2] [-Dbenchmark.only=all|apply|dsynq|diff] [-Dbenchmark.xmx=8g]
 *     [-Dbenchmark.segmentRows=10000000] [-Dbenchmark.trace=true]
 * </pre>
 */
public final class Benchmark {

    private static final String INSERT = "1700000001.000000";
    private static final String UPDATE = "1700000002.000000";
    private static final String DELETE = "1700000003.000000";

    /** One line of the table. */
    private record Line(
            String engine,
            String operation,
            String tool,
            long rows,
            double seconds,
            long heap,
            long ownHeap,
            String comparison) {}

    private final Map<String, String> options;
    private final int rows;
    private final int peerRows;
    private final int repeat;
    private final String only;
    private final Path work;
    private final List<Line> lines = new ArrayList<>();
    private final LiveHeap liveHeap = new LiveHeap();

    private Benchmark(Map<String, String> options) {
        this.options = options;
        this.rows = Integer.parseInt(options.getOrDefault("rows", "1000000"));
        this.peerRows = Math.min(rows, Integer.parseInt(options.getOrDefault("peer-rows", "100000")));
        this.repeat = Integer.parseInt(options.getOrDefault("repeat", "1"));
        this.only = options.getOrDefault("only", "all");
        this.work = Path.of(options.getOrDefault("work", "target/benchmark")).toAbsolutePath();
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            String[] pair = arg.replaceFirst("^--", "").split("=", 2);
            options.put(pair[0], pair.length > 1 ? pair[1] : "true");
        }
        new Benchmark(options).run();
    }

    private void run() throws Exception {
        long seed = Long.parseLong(options.getOrDefault("seed", "42"));
        System.out.printf(
                "dsynq benchmark: %,d rows (seed %d), peers on %,d rows, %s; %d cores, %.1f GiB RAM, Java %s,"
                        + " max heap %d MiB%n",
                rows,
                seed,
                peerRows,
                repeat == 1 ? "one run" : "median of " + repeat + " runs",
                Runtime.getRuntime().availableProcessors(),
                totalMemory() / 1073741824.0,
                System.getProperty("java.version"),
                Runtime.getRuntime().maxMemory() >> 20);
        Path dataFolder = work.resolve("data-" + rows + "-" + seed);
        long generated = System.nanoTime();
        DataSet data = DataSet.generate(dataFolder, rows, seed);
        System.out.printf("data in %s (%.1f s)%n", dataFolder, (System.nanoTime() - generated) / 1e9);

        for (Engine engine : only.equals("diff")
                ? List.<Engine>of()
                : Engine.of(options.getOrDefault("engines", "postgresql,mariadb,h2"))) {
            if (engine instanceof Engine.H2 h2) {
                Files.createDirectories(work.resolve("h2"));
                h2.folder(work.resolve("h2"));
            }
            engine.createDatabase();
            try {
                measure(engine, data);
            } finally {
                engine.dropDatabase();
            }
            print();
        }
        if (only.equals("all") || only.equals("diff")) {
            int segmentRows = Integer.parseInt(options.getOrDefault("segment-rows", Integer.toString(rows)));
            List<DiffBenchmark.Line> diffs = new DiffBenchmark(work, repeat, liveHeap).run(data, segmentRows);
            printDiff(diffs);
        }
    }

    private static void printDiff(List<DiffBenchmark.Line> diffs) {
        System.out.println();
        System.out.printf(
                "| %-24s | %-22s | %-20s | %10s | %8s | %9s | %-36s | %9s |%n",
                "engines (source → target)", "operation", "tool", "rows", "seconds", "rows/s", "ratio", "live heap");
        System.out.printf(
                "|%s|%s|%s|%s|%s|%s|%s|%s|%n",
                "-".repeat(26),
                "-".repeat(24),
                "-".repeat(22),
                "-".repeat(12),
                "-".repeat(10),
                "-".repeat(11),
                "-".repeat(38),
                "-".repeat(11));
        for (DiffBenchmark.Line line : diffs) {
            System.out.printf(
                    "| %-24s | %-22s | %-20s | %,10d | %8.2f | %,9.0f | %-36s | %6d MB |%n",
                    line.pair(),
                    line.operation(),
                    line.tool(),
                    line.rows(),
                    line.seconds(),
                    line.rows() / line.seconds(),
                    line.ratio(),
                    line.heap() >> 20);
        }
        System.out.println();
    }

    /** With {@code --trace=true}: each statement dsynq runs, after the seconds since the line before (its work's time). */
    private static final class Trace implements DsynqListener {
        private long last = System.nanoTime();

        @Override
        public void info(String message) {
            debug(message);
        }

        @Override
        public void debug(String message) {
            long now = System.nanoTime();
            System.out.printf(
                    "    %7.2f s  %s%n",
                    (now - last) / 1e9, message.length() > 160 ? message.substring(0, 160) + "…" : message);
            last = now;
        }
    }

    private void measure(Engine engine, DataSet data) throws Exception {
        Map<String, List<double[]>> samples = new LinkedHashMap<>();
        Path deltas = work.resolve("deltas-" + engine.name().toLowerCase(Locale.ROOT));
        link(data.insert, deltas.resolve("bench/delta/" + INSERT + "/item.i.csv"));
        link(data.update, deltas.resolve("bench/delta/" + UPDATE + "/item.u.csv"));
        link(data.delete, deltas.resolve("bench/delta/" + DELETE + "/item.d.csv"));
        for (int run = 0; run < repeat; run++) {
            if (!only.equals("dsynq")) {
                engine.resetTable();
                sample(samples, "native insert", () -> engine.nativeInsert(data.insert), engine, rows);
                sample(samples, "native update", () -> engine.nativeUpdate(data.update), engine, rows);
                sample(samples, "native delete", () -> engine.nativeDelete(data.delete), engine, 0);
                if (engine.batchTool() != null) {
                    engine.resetTable();
                    engine.nativeInsert(data.insert);
                    sample(samples, "batch update", () -> engine.batchUpdate(data.update), engine, rows);
                    sample(samples, "batch delete", () -> engine.batchDelete(data.delete), engine, 0);
                }
            }
            engine.resetTable();
            Dsynq dsynq = Dsynq.configure()
                    .database("bench")
                    .url(engine.url())
                    .username(engine.user())
                    .password(engine.password())
                    .deltaDirectory(deltas)
                    .exportDirectory(work.resolve("export"))
                    .listener(
                            options.getOrDefault("trace", "false").equals("true") ? new Trace() : DsynqListener.SILENT)
                    .build();
            sample(samples, "dsynq insert", () -> dsynq.apply(ApplyRequest.to(INSERT)), engine, rows);
            sample(samples, "dsynq update", () -> dsynq.apply(ApplyRequest.to(UPDATE)), engine, rows);
            sample(samples, "dsynq delete", () -> dsynq.apply(ApplyRequest.to(DELETE)), engine, 0);
            sample(samples, "rollback delete", () -> dsynq.apply(ApplyRequest.offset(-1)), engine, rows);
            sample(samples, "rollback update", () -> dsynq.apply(ApplyRequest.offset(-1)), engine, rows);
            sample(samples, "rollback insert", () -> dsynq.apply(ApplyRequest.offset(-1)), engine, 0);
            if (only.equals("all") || only.equals("apply")) {
                Path peers = Files.createDirectories(work.resolve("peers-" + peerRows));
                Path insert = DataSet.head(data.insert, peerRows, peers.resolve("insert.csv"));
                Path update = DataSet.head(data.update, peerRows, peers.resolve("update.csv"));
                Path dbunit = Peers.dbunitDataSet(insert, peers.resolve("dbunit"));
                engine.resetTable();
                sample(samples, "liquibase loadData", () -> Peers.liquibaseLoadData(engine, insert), engine, peerRows);
                sample(
                        samples,
                        "liquibase loadUpdateData",
                        () -> Peers.liquibaseLoadUpdateData(engine, update),
                        engine,
                        peerRows);
                engine.resetTable();
                sample(samples, "dbunit insert", () -> Peers.dbunitInsert(engine, dbunit), engine, peerRows);
            }
        }

        double nativeInsert = median(samples, "native insert");
        // where the engine has a second native way, the faster of the two is the reference
        double nativeUpdate = faster(median(samples, "native update"), median(samples, "batch update"));
        double nativeDelete = faster(median(samples, "native delete"), median(samples, "batch delete"));
        double insert = median(samples, "dsynq insert");
        double update = median(samples, "dsynq update");
        double delete = median(samples, "dsynq delete");
        String name = engine.name();
        if (!only.equals("dsynq")) {
            line(name, "insert", engine.nativeInsertTool(), rows, samples.get("native insert"), "1.00");
            line(name, "update 2 columns", engine.nativeStagedTool(), rows, samples.get("native update"), "1.00");
            line(name, "delete", engine.nativeStagedTool(), rows, samples.get("native delete"), "1.00");
            if (engine.batchTool() != null) {
                line(name, "update 2 columns", engine.batchTool(), rows, samples.get("batch update"), "1.00");
                line(name, "delete", engine.batchTool(), rows, samples.get("batch delete"), "1.00");
            }
        }
        line(name, "insert", "dsynq apply", rows, samples.get("dsynq insert"), ratio(insert, nativeInsert, "native"));
        String fasterNative = engine.batchTool() == null ? "native" : "best native";
        line(
                name,
                "update 2 columns",
                "dsynq apply",
                rows,
                samples.get("dsynq update"),
                ratio(update, nativeUpdate, fasterNative));
        line(
                name,
                "delete",
                "dsynq apply",
                rows,
                samples.get("dsynq delete"),
                ratio(delete, nativeDelete, fasterNative));
        line(
                name,
                "rollback of insert",
                "dsynq rollback",
                rows,
                samples.get("rollback insert"),
                ratio(median(samples, "rollback insert"), insert, "apply"));
        line(
                name,
                "rollback of update",
                "dsynq rollback",
                rows,
                samples.get("rollback update"),
                ratio(median(samples, "rollback update"), update, "apply"));
        line(
                name,
                "rollback of delete",
                "dsynq rollback",
                rows,
                samples.get("rollback delete"),
                ratio(median(samples, "rollback delete"), delete, "apply"));
        if (only.equals("all") || only.equals("apply")) {
            long dsynqHeap = Math.max(ownPeak(samples, "dsynq insert"), ownPeak(samples, "dsynq update"));
            peer(name, "insert", "liquibase loadData", samples, "liquibase loadData", insert, dsynqHeap);
            peer(
                    name,
                    "update 2 columns",
                    "liquibase loadUpdateData",
                    samples,
                    "liquibase loadUpdateData",
                    update,
                    dsynqHeap);
            peer(name, "insert", "dbunit INSERT (batched)", samples, "dbunit insert", insert, dsynqHeap);
        }
    }

    /** Runs one timed operation, checking the table's row count after it. */
    private void sample(
            Map<String, List<double[]>> samples,
            String key,
            Engine.ThrowingRunnable operation,
            Engine engine,
            long expectedRows)
            throws Exception {
        System.gc();
        liveHeap.reset();
        CpuUse before = CpuUse.now();
        double seconds = Engine.time(operation);
        CpuUse used = CpuUse.now().since(before);
        System.gc();
        long heap = liveHeap.peak();
        long ownHeap = Math.max(0, heap - liveHeap.idle());
        if (key.startsWith("native") || key.startsWith("dsynq") || key.startsWith("rollback")) {
            long count = engine.count();
            if (count != expectedRows) {
                throw new IllegalStateException(
                        engine.name() + " " + key + ": " + count + " rows, expected " + expectedRows);
            }
        }
        System.out.printf(
                "  %-11s %-26s %8.2f s   processor: client %6.2f s, server %6.2f s%n",
                engine.name(), key, seconds, used.client, used.server);
        samples.computeIfAbsent(key, k -> new ArrayList<>()).add(new double[] {seconds, heap, ownHeap});
    }

    private void peer(
            String engine,
            String operation,
            String tool,
            Map<String, List<double[]>> samples,
            String key,
            double dsynqSeconds,
            long dsynqHeap) {
        double seconds = median(samples, key);
        double dsynqRate = rows / dsynqSeconds;
        double peerRate = peerRows / seconds;
        long heap = ownPeak(samples, key);
        line(
                engine,
                operation,
                tool,
                peerRows,
                samples.get(key),
                String.format(
                        "dsynq %.1f× faster, %.1f× less heap",
                        dsynqRate / peerRate, (double) heap / Math.max(1, dsynqHeap)));
    }

    private void line(
            String engine, String operation, String tool, long rows, List<double[]> samples, String comparison) {
        double[] seconds = samples.stream().mapToDouble(s -> s[0]).sorted().toArray();
        long heap = (long) samples.stream().mapToDouble(s -> s[1]).max().orElse(0);
        long ownHeap = (long) samples.stream().mapToDouble(s -> s[2]).max().orElse(0);
        lines.add(new Line(engine, operation, tool, rows, seconds[seconds.length / 2], heap, ownHeap, comparison));
    }

    /** The smaller of two times, either of which may be missing ({@code NaN}). */
    private static double faster(double a, double b) {
        return Double.isNaN(a) ? b : Double.isNaN(b) ? a : Math.min(a, b);
    }

    private static double median(Map<String, List<double[]>> samples, String key) {
        List<double[]> values = samples.get(key);
        if (values == null) {
            return Double.NaN;
        }
        double[] seconds = values.stream().mapToDouble(s -> s[0]).sorted().toArray();
        return seconds[seconds.length / 2];
    }

    /** The most heap one of the samples needed beyond the idle live heap. */
    private static long ownPeak(Map<String, List<double[]>> samples, String key) {
        return (long) samples.get(key).stream().mapToDouble(s -> s[2]).max().orElse(0);
    }

    private static String ratio(double seconds, double baseline, String of) {
        return Double.isNaN(baseline) ? "" : String.format("%.2f × %s", seconds / baseline, of);
    }

    private void print() {
        System.out.println();
        System.out.printf(
                "| %-10s | %-18s | %-25s | %9s | %8s | %9s | %-36s | %9s | %9s |%n",
                "engine", "operation", "tool", "rows", "seconds", "rows/s", "ratio", "live heap", "own heap");
        System.out.printf(
                "|%s|%s|%s|%s|%s|%s|%s|%s|%s|%n",
                "-".repeat(12),
                "-".repeat(20),
                "-".repeat(27),
                "-".repeat(11),
                "-".repeat(10),
                "-".repeat(11),
                "-".repeat(38),
                "-".repeat(11),
                "-".repeat(11));
        for (Line line : lines) {
            System.out.printf(
                    "| %-10s | %-18s | %-25s | %,9d | %8.2f | %,9.0f | %-36s | %6d MB | %6d MB |%n",
                    line.engine(),
                    line.operation(),
                    line.tool(),
                    line.rows(),
                    line.seconds(),
                    line.rows() / line.seconds(),
                    line.comparison(),
                    line.heap() >> 20,
                    line.ownHeap() >> 20);
        }
        System.out.println();
    }

    private static void link(Path file, Path link) throws Exception {
        Files.createDirectories(link.getParent());
        Files.deleteIfExists(link);
        Files.createLink(link, file);
    }

    private static long totalMemory() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
    }
}
