package io.dsynq.benchmark;

import java.io.BufferedWriter;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;

/**
 * The benchmark's data, generated from a seed: table {@code item(id bigint primary key, code int, name varchar(64),
 * price numeric(12,2), updated_at timestamp)}. One CSV of rows to insert, one that changes two columns of every row,
 * one with every key to delete; plain values that every native loader reads as they are.
 */
final class DataSet {

    static final String TABLE_COLUMNS = "id, code, name, price, updated_at";

    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS");

    final Path insert;
    final Path update;
    final Path delete;
    final int rows;

    private DataSet(Path folder, int rows) {
        this.insert = folder.resolve("item.i.csv");
        this.update = folder.resolve("item.u.csv");
        this.delete = folder.resolve("item.d.csv");
        this.rows = rows;
    }

    /** Writes {@code rows} rows into {@code folder}, unless the same data is already there. */
    static DataSet generate(Path folder, int rows, long seed) throws IOException {
        DataSet data = new DataSet(folder, rows);
        Path marker = folder.resolve("generated-" + rows + "-" + seed);
        if (Files.exists(marker)) {
            return data;
        }
        Files.createDirectories(folder);
        SplittableRandom random = new SplittableRandom(seed);
        LocalDateTime start = LocalDateTime.of(2020, 1, 1, 0, 0);
        try (BufferedWriter insert = writer(data.insert);
                BufferedWriter update = writer(data.update);
                BufferedWriter delete = writer(data.delete)) {
            insert.write("id,code,name,price,updated_at\n");
            update.write("id,price,updated_at\n");
            delete.write("id\n");
            StringBuilder line = new StringBuilder(128);
            for (long id = 1; id <= rows; id++) {
                line.setLength(0);
                line.append(id)
                        .append(',')
                        .append(random.nextInt(1_000_000))
                        .append(",item ")
                        .append(id)
                        .append(' ')
                        .append(Long.toString(random.nextLong() & Long.MAX_VALUE, 36))
                        .append(',')
                        .append(price(random))
                        .append(',')
                        .append(TIMESTAMP.format(start.plusNanos(random.nextLong(150_000_000_000_000L) * 1000)))
                        .append('\n');
                insert.append(line);
                line.setLength(0);
                line.append(id)
                        .append(',')
                        .append(price(random))
                        .append(',')
                        .append(TIMESTAMP.format(start.plusNanos(random.nextLong(150_000_000_000_000L) * 1000)))
                        .append('\n');
                update.append(line);
                delete.append(Long.toString(id)).append('\n');
            }
        }
        Files.writeString(marker, "");
        return data;
    }

    /** The first {@code rows} rows of a file, for the slow peers. */
    static Path head(Path file, int rows, Path target) throws IOException {
        try (var lines = Files.lines(file, StandardCharsets.UTF_8);
                BufferedWriter out = writer(target)) {
            for (String line : (Iterable<String>) lines.limit(rows + 1L)::iterator) {
                out.write(line);
                out.write('\n');
            }
        }
        return target;
    }

    private static String price(SplittableRandom random) {
        return BigDecimal.valueOf(random.nextLong(10_000_000_000L), 2).toPlainString();
    }

    private static BufferedWriter writer(Path file) throws IOException {
        return Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    }
}
