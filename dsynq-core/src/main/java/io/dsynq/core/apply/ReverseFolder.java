package io.dsynq.core.apply;

import io.dsynq.core.csv.CsvDialect;
import io.dsynq.core.csv.CsvWriter;
import io.dsynq.core.model.DeltaFile;
import io.dsynq.core.model.Operation;
import io.dsynq.core.model.TableName;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The reverse of an applied delta, as stored with its history entry: {@code reverse/} holds the reverse delta
 * in the layout of DESIGN.md section 2 (insert ↔ delete, update → old values); {@code guard/} holds what the
 * forward delta left (its inserted rows and updated values), which must still be there for a rollback to run
 * without a conflict.
 */
final class ReverseFolder {

    static final String REVERSE = "reverse";

    static final String GUARD = "guard";

    private final Path root;

    ReverseFolder(Path root) {
        this.root = root;
    }

    Path root() {
        return root;
    }

    Path reverse() {
        return root.resolve(REVERSE);
    }

    /** Opens a reverse delta file. */
    CsvWriter reverse(TableName table, Operation operation, List<String> header) {
        return open(reverse(), table, operation, header);
    }

    /** Opens a guard file. */
    CsvWriter guard(TableName table, Operation operation, List<String> header) {
        return open(root.resolve(GUARD), table, operation, header);
    }

    /** The reverse delta's files. */
    List<DeltaFile> reverseFiles() {
        return files(reverse());
    }

    /** The guard's files. */
    List<DeltaFile> guardFiles() {
        return files(root.resolve(GUARD));
    }

    private static CsvWriter open(Path folder, TableName table, Operation operation, List<String> header) {
        OutputStream out = null;
        try {
            Files.createDirectories(folder);
            out = Files.newOutputStream(folder.resolve(DeltaFile.fileName(table, operation)));
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
