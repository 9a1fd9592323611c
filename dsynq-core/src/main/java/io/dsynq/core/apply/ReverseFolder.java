package io.dsynq.core.apply;

import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
import io.dsynq.core.archive.TarArchive;
import io.dsynq.core.csv.CsvDialect;
import io.dsynq.core.csv.CsvWriter;
import io.dsynq.core.model.DeltaFile;
import io.dsynq.core.model.Operation;
import io.dsynq.core.model.TableName;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The reverse of an applied delta, as stored with its history entry: {@code reverse/} holds the reverse delta in the
 * layout of DESIGN.md section 2 (insert ↔ delete, update → old values); {@code guard/} holds what the forward delta
 * left (its inserted rows and updated values), which must still be there for a rollback to run without a conflict.
 *
 * <p>The plain files are under {@code plain/}; each is compressed as soon as it is written, on the given executor, so
 * that compressing overlaps the database's work, into {@code packed/}, which {@link #pack} stores as one tar.
 */
final class ReverseFolder {

    static final String REVERSE = "reverse";

    static final String GUARD = "guard";

    /** What compressed files end with; an entry stored by an earlier version may be gzip. */
    private static final String ZSTD = ".zst";

    private static final String GZIP = ".gz";

    /**
     * Whether zstd's native library loads here. zstd-jni unpacks it into the temporary folder, and where that is
     * mounted {@code noexec} it cannot load: reverses are then compressed with gzip, which every version reads.
     */
    static final boolean ZSTD_LOADS = zstdLoads();

    private final Path root;

    private final ExecutorService compressor;

    /** What compressed files end with: {@link #ZSTD} where it loads, else {@link #GZIP}. */
    private final String packedSuffix;

    private final List<Future<?>> compressing = new ArrayList<>();

    /**
     * @param compressor where to compress the files written; {@code null} when only reading
     */
    ReverseFolder(Path root, ExecutorService compressor) {
        this(root, compressor, ZSTD_LOADS);
    }

    /** @param zstd whether to compress with zstd rather than gzip */
    ReverseFolder(Path root, ExecutorService compressor, boolean zstd) {
        this.root = root;
        this.compressor = compressor;
        this.packedSuffix = zstd ? ZSTD : GZIP;
    }

    private static boolean zstdLoads() {
        try {
            com.github.luben.zstd.util.Native.load();
            return true;
        } catch (LinkageError | RuntimeException e) {
            return false;
        }
    }

    /** The plain reverse delta, for review. */
    Path reverse() {
        return root.resolve("plain").resolve(REVERSE);
    }

    /** Opens a reverse delta file. */
    CsvWriter reverse(TableName table, Operation operation, List<String> header) {
        return open(REVERSE, table, operation, header);
    }

    /** Opens a guard file. */
    CsvWriter guard(TableName table, Operation operation, List<String> header) {
        return open(GUARD, table, operation, header);
    }

    /** The reverse delta's files. */
    List<DeltaFile> reverseFiles() {
        return files(reverse());
    }

    /** The guard's files. */
    List<DeltaFile> guardFiles() {
        return files(root.resolve("plain").resolve(GUARD));
    }

    /**
     * Takes a delta file as a guard file as it is, since on the fast path the guard is exactly the file: an xz file
     * is copied, a plain one compressed in the background straight from disk. Nothing is written to {@code plain/}:
     * guards are only read back after {@link #unpack}.
     */
    void guardIs(DeltaFile file) {
        String name = DeltaFile.fileName(file.table(), file.operation());
        Path packed = root.resolve("packed").resolve(GUARD).resolve(name + (file.compressed() ? ".xz" : packedSuffix));
        compressing.add(compressor.submit(() -> {
            Files.createDirectories(packed.getParent());
            if (file.compressed()) {
                Files.copy(file.path(), packed);
            } else {
                try (OutputStream zstd = compressed(packed)) {
                    Files.copy(file.path(), zstd);
                }
            }
            return null;
        }));
    }

    /** Writes every compressed file as one tar, once they are all compressed. */
    void pack(OutputStream out) throws IOException {
        for (Future<?> done : compressing) {
            try {
                done.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while compressing the reverse delta", e);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
            }
        }
        Path packed = Files.createDirectories(root.resolve("packed"));
        TarArchive.write(packed, out, Instant.EPOCH);
    }

    /** Reads what {@link #pack} wrote back into plain files. */
    void unpack(InputStream in, String source) throws IOException {
        Path packed = Files.createDirectories(root.resolve("packed"));
        TarArchive.extractWritten(in, packed, source);
        try (Stream<Path> files = Files.walk(packed)) {
            for (Path file : files.filter(
                            f -> f.toString().endsWith(ZSTD) || f.toString().endsWith(GZIP))
                    .toList()) {
                String name = packed.relativize(file).toString();
                if (name.endsWith(ZSTD) && !ZSTD_LOADS) {
                    throw new io.dsynq.core.DsynqException("the " + source + " is compressed with zstd, whose native"
                            + " library cannot load here (is the temporary folder "
                            + System.getProperty("java.io.tmpdir")
                            + " mounted noexec?); point -DZstdTempFolder at a folder programs may run from");
                }
                Path plain = root.resolve("plain").resolve(name.substring(0, name.lastIndexOf('.')));
                Files.createDirectories(plain.getParent());
                InputStream stored = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
                try (InputStream decompressed =
                        name.endsWith(ZSTD) ? new ZstdInputStream(stored) : new GZIPInputStream(stored, 1 << 16)) {
                    Files.copy(decompressed, plain);
                }
            }
        }
    }

    private CsvWriter open(String part, TableName table, Operation operation, List<String> header) {
        String name = DeltaFile.fileName(table, operation);
        Path file = root.resolve("plain").resolve(part).resolve(name);
        OutputStream out = null;
        try {
            Files.createDirectories(file.getParent());
            out = compressor == null
                    ? Files.newOutputStream(file)
                    : new Compressing(
                            Files.newOutputStream(file),
                            root.resolve("packed").resolve(part).resolve(name + packedSuffix));
            return CsvDialect.writer(out, header);
        } catch (IOException | RuntimeException e) {
            if (out != null) {
                try {
                    out.close();
                } catch (IOException closing) {
                    e.addSuppressed(closing);
                }
            }
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    /**
     * Writes the plain file and hands each block on to be compressed on the compressor's thread as it is written,
     * so that compressing overlaps reading and the database's work rather than following them.
     */
    private final class Compressing extends FilterOutputStream {

        private static final byte[] END = new byte[0];

        private final BlockingQueue<byte[]> blocks = new ArrayBlockingQueue<>(64);

        Compressing(OutputStream plain, Path packed) {
            super(plain);
            compressing.add(compressor.submit(() -> {
                Files.createDirectories(packed.getParent());
                try (OutputStream zstd = compressed(packed)) {
                    for (byte[] block = blocks.take(); block != END; block = blocks.take()) {
                        zstd.write(block);
                    }
                }
                return null;
            }));
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            out.write(bytes, offset, length);
            put(java.util.Arrays.copyOfRange(bytes, offset, offset + length));
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void close() throws IOException {
            try {
                super.close();
            } finally {
                put(END);
            }
        }

        private void put(byte[] block) throws IOException {
            try {
                blocks.put(block);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while compressing", e);
            }
        }
    }

    /**
     * Fast compression, since the reverse is written on every apply and usually never read: zstd at level 1 takes a
     * third of the time of gzip at its fastest level on a million rows and packs them smaller; gzip at its fastest
     * where zstd does not load. The file's name says which.
     */
    private static OutputStream compressed(Path file) throws IOException {
        OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
        if (file.getFileName().toString().endsWith(GZIP)) {
            return new GZIPOutputStream(out, 1 << 16) {
                {
                    def.setLevel(java.util.zip.Deflater.BEST_SPEED);
                }
            };
        }
        return new ZstdOutputStream(out, 1);
    }

    private static List<DeltaFile> files(Path folder) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> children = Files.list(folder)) {
            return children.sorted().map(DeltaFile::of).filter(Objects::nonNull).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
