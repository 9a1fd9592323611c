package io.dsynq.core.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.dsynq.core.archive.TarArchive;
import io.dsynq.core.csv.CsvDialect;
import io.dsynq.core.csv.CsvReader;
import io.dsynq.core.csv.CsvRow;
import io.dsynq.core.csv.CsvWriter;
import io.dsynq.core.model.DeltaFile;
import io.dsynq.core.model.Operation;
import io.dsynq.core.model.TableName;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReverseFolderTest {

    @TempDir
    Path temp;

    @Test
    void whatIsWrittenAndPackedUnpacksToTheSameRows() throws Exception {
        ExecutorService compressor = Executors.newSingleThreadExecutor();
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        List<String[]> rows = new ArrayList<>();
        for (int i = 0; i < 50_000; i++) {
            rows.add(new String[] {Integer.toString(i), i % 7 == 0 ? null : "name " + i + " ünï"});
        }
        try {
            ReverseFolder written = new ReverseFolder(temp.resolve("written"), compressor);
            try (CsvWriter out = written.reverse(TableName.parse("item"), Operation.INSERT, List.of("id", "name"))) {
                rows.forEach(out::write);
            }
            written.pack(tar);
        } finally {
            compressor.shutdown();
        }

        ReverseFolder read = new ReverseFolder(temp.resolve("read"), null);
        read.unpack(new ByteArrayInputStream(tar.toByteArray()), "history");

        assertThat(read.reverseFiles()).extracting(DeltaFile::name).containsExactly("item.i.csv");
        assertThat(rows(read.reverseFiles().get(0))).containsExactlyElementsOf(rows);
    }

    /**
     * A table named with a backslash, which PostgreSQL, MariaDB and H2 allow: its reverse was stored under a folder
     * named before the backslash, which the rollback did not read, so it changed nothing and said nothing.
     */
    @Test
    void aReverseOfATableNamedWithABackslashUnpacksUnderItsName() throws Exception {
        ExecutorService compressor = Executors.newSingleThreadExecutor();
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        Path guardFile = Files.createDirectories(temp.resolve("delta")).resolve("back\\slash.i.csv");
        Files.writeString(guardFile, "id\n1\n");
        try {
            ReverseFolder written = new ReverseFolder(temp.resolve("written"), compressor);
            try (CsvWriter out = written.reverse(TableName.parse("back\\slash"), Operation.DELETE, List.of("id"))) {
                out.write(new String[] {"1"});
            }
            written.guardIs(DeltaFile.of(guardFile));
            written.pack(tar);
        } finally {
            compressor.shutdown();
        }

        ReverseFolder read = new ReverseFolder(temp.resolve("read"), null);
        read.unpack(new ByteArrayInputStream(tar.toByteArray()), "history");

        assertThat(read.reverseFiles()).extracting(DeltaFile::name).containsExactly("back\\slash.d.csv");
        assertThat(rows(read.reverseFiles().get(0))).containsExactly(new String[] {"1"});
        assertThat(read.guardFiles()).extracting(DeltaFile::name).containsExactly("back\\slash.i.csv");
    }

    @Test
    void whereZstdDoesNotLoadTheReverseIsGzipAndUnpacksTheSame() throws Exception {
        assertThat(roundTrip(temp.resolve("gzip"), false))
                .containsExactly("guard/item.d.csv.gz", "reverse/item.i.csv.gz");
        assertThat(roundTrip(temp.resolve("zstd"), true))
                .containsExactly("guard/item.d.csv.zst", "reverse/item.i.csv.zst");
    }

    /**
     * Writes a reverse and a guard, packs, unpacks and compares them with what was written; returns the names of the
     * packed entries.
     */
    static List<String> roundTrip(Path folder, boolean zstd) throws Exception {
        ExecutorService compressor = Executors.newSingleThreadExecutor();
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        Path guardFile = Files.createDirectories(folder.resolve("delta")).resolve("item.d.csv");
        Files.writeString(guardFile, "id\n1\n2\n");
        try {
            ReverseFolder written = new ReverseFolder(folder.resolve("written"), compressor, zstd);
            try (CsvWriter out = written.reverse(TableName.parse("item"), Operation.INSERT, List.of("id", "name"))) {
                out.write(new String[] {"1", "ünï"});
                out.write(new String[] {"2", null});
            }
            written.guardIs(DeltaFile.of(guardFile));
            written.pack(tar);
        } finally {
            compressor.shutdown();
        }
        ReverseFolder read = new ReverseFolder(folder.resolve("read"), null, zstd);
        read.unpack(new ByteArrayInputStream(tar.toByteArray()), "history");
        assertThat(rows(read.reverseFiles().get(0)))
                .containsExactly(new String[] {"1", "ünï"}, new String[] {"2", null});
        assertThat(rows(read.guardFiles().get(0))).containsExactly(new String[] {"1"}, new String[] {"2"});
        try (var files = Files.walk(folder.resolve("read/packed"))) {
            return files.filter(Files::isRegularFile)
                    .map(f -> folder.resolve("read/packed").relativize(f).toString())
                    .sorted()
                    .toList();
        }
    }

    @Test
    void aReverseStoredGzipByAnEarlierVersionStillUnpacks() throws Exception {
        Path packed = Files.createDirectories(temp.resolve("old/reverse"));
        try (GZIPOutputStream gzip = new GZIPOutputStream(Files.newOutputStream(packed.resolve("item.d.csv.gz")))) {
            gzip.write("id\n1\n2\n".getBytes(StandardCharsets.UTF_8));
        }
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        TarArchive.write(temp.resolve("old"), tar, Instant.EPOCH);

        ReverseFolder read = new ReverseFolder(temp.resolve("read"), null);
        read.unpack(new ByteArrayInputStream(tar.toByteArray()), "history");

        assertThat(rows(read.reverseFiles().get(0))).containsExactly(new String[] {"1"}, new String[] {"2"});
    }

    private static List<String[]> rows(DeltaFile file) throws IOException {
        List<String[]> rows = new ArrayList<>();
        try (CsvReader reader = CsvDialect.reader(file.open(), file.name())) {
            for (CsvRow row; (row = reader.next()) != null; ) {
                rows.add(Arrays.copyOf(row.values(), row.values().length));
            }
        }
        return rows;
    }
}
