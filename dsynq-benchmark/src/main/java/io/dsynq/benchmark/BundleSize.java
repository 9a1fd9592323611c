package io.dsynq.benchmark;

import io.dsynq.core.archive.BundleRequest;
import io.dsynq.core.archive.BundleResult;
import io.dsynq.core.archive.DeltaBundle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The size of a delta bundle ({@code dsynq:package}) for the benchmark's data, next to the raw CSVs and to
 * {@code xz -6} of the same files, in one run:
 *
 * <pre>
 * ./mvnw -B -q -Pbundle-size verify [-Dbenchmark.rows=1000000] [-Dbenchmark.seed=42]
 * </pre>
 *
 * <p>Two bundles: the insert delta alone, and the three deltas (insert, update, delete) together.
 */
public final class BundleSize {

    private BundleSize() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            options.put(arg.substring(2, eq), arg.substring(eq + 1));
        }
        int rows = Integer.parseInt(options.getOrDefault("rows", "1000000"));
        long seed = Long.parseLong(options.getOrDefault("seed", "42"));
        Path work = Path.of(options.getOrDefault("work", "target/bundle-size"));
        DataSet data = DataSet.generate(work.resolve("data"), rows, seed);

        Path insertOnly = layout(work.resolve("insert-only"), Map.of("1700000001.000000", data.insert));
        Path all = layout(
                work.resolve("all"),
                Map.of(
                        "1700000001.000000", data.insert,
                        "1700000002.000000", data.update,
                        "1700000003.000000", data.delete));
        Instant time = Instant.parse("2026-01-01T00:00:00Z");
        long start = System.nanoTime();
        BundleResult one = DeltaBundle.write(new BundleRequest(insertOnly, work.resolve("insert-only.tar.xz"), time));
        double oneSeconds = (System.nanoTime() - start) / 1e9;
        start = System.nanoTime();
        BundleResult three = DeltaBundle.write(new BundleRequest(all, work.resolve("all.tar.xz"), time));
        double threeSeconds = (System.nanoTime() - start) / 1e9;

        System.out.printf("%nDelta bundle sizes, %,d rows (seed %d)%n%n", rows, seed);
        System.out.printf("| %-28s | %15s | %15s | %6s |%n", "what", "bytes", "xz -6 -k", "ratio");
        System.out.println("| ---------------------------- | --------------: | --------------: | -----: |");
        long rawAll = 0;
        long xzAll = 0;
        for (Path file : List.of(data.insert, data.update, data.delete)) {
            long raw = Files.size(file);
            long xz = xz(file);
            rawAll += raw;
            xzAll += xz;
            System.out.printf(
                    "| %-28s | %,15d | %,15d | %5.1f%% |%n", "raw " + file.getFileName(), raw, xz, 100.0 * xz / raw);
        }
        System.out.printf(
                "| %-28s | %,15d | %,15d | %5.1f%% |%n", "raw, all three", rawAll, xzAll, 100.0 * xzAll / rawAll);
        System.out.printf(
                "| %-28s | %,15d | %15s | %5.1f%% |%n",
                "bundle, insert delta", one.bytes(), "", 100.0 * one.bytes() / Files.size(data.insert));
        System.out.printf(
                "| %-28s | %,15d | %15s | %5.1f%% |%n",
                "bundle, all three deltas", three.bytes(), "", 100.0 * three.bytes() / rawAll);
        System.out.printf(
                "%nwritten in %.1f s (insert delta) and %.1f s (all three); ratio = size / raw CSV size%n",
                oneSeconds, threeSeconds);
    }

    /** A delta directory with database {@code bench} holding one delta per entry. */
    private static Path layout(Path root, Map<String, Path> deltas) throws IOException {
        for (Map.Entry<String, Path> delta : deltas.entrySet()) {
            Path folder = Files.createDirectories(root.resolve("bench/delta").resolve(delta.getKey()));
            Path target = folder.resolve(delta.getValue().getFileName());
            Files.deleteIfExists(target);
            try {
                Files.createLink(target, delta.getValue());
            } catch (IOException | UnsupportedOperationException e) {
                Files.copy(delta.getValue(), target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return root;
    }

    /** The size {@code xz -6 -k} compresses {@code file} to, or -1 without xz. */
    private static long xz(Path file) throws IOException, InterruptedException {
        Path compressed = file.resolveSibling(file.getFileName() + ".xz");
        Files.deleteIfExists(compressed);
        Process process;
        try {
            process = new ProcessBuilder("xz", "-6", "-k", "-T1", file.toString())
                    .inheritIO()
                    .start();
        } catch (IOException e) {
            return -1;
        }
        if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
            return -1;
        }
        long size = Files.size(compressed);
        Files.delete(compressed);
        return size;
    }
}
