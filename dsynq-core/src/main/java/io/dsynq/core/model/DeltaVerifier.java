package io.dsynq.core.model;

import io.dsynq.core.DsynqException;
import io.dsynq.core.csv.CsvDialect;
import io.dsynq.core.csv.CsvFormatException;
import io.dsynq.core.csv.CsvReader;
import io.dsynq.core.csv.CsvRow;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Checks a database's deltas without a database: the layout, unique ids, every file well-formed CSV with a usable
 * header, and the checksum a meta file records. Type and key checks need the database and happen on apply.
 * Thread-safe.
 */
public final class DeltaVerifier {

    /**
     * What was checked.
     *
     * @param deltas the deltas, in id order
     * @param files the CSV files read
     * @param rows the data rows read
     * @param problems one line per problem found; empty when all is well
     */
    public record Report(List<Delta> deltas, int files, long rows, List<String> problems) {}

    private DeltaVerifier() {}

    /**
     * Verifies the deltas of {@code database} under {@code directory}.
     *
     * @throws DsynqException when the layout itself is broken (a folder that is no delta id, an unknown file, two
     *     deltas with the same id); file problems are collected in the report instead
     */
    public static Report verify(DeltaDirectory directory, String database) {
        return verify(new DeltaSources(directory, List.of()), database);
    }

    /**
     * Verifies the deltas of {@code database} from every source, as one list ordered by id.
     *
     * @throws DsynqException when a layout is broken or two deltas, in one source or in two, have the same id; file
     *     problems are collected in the report instead
     */
    public static Report verify(DeltaSources sources, String database) {
        List<Delta> deltas = sources.deltas(database);
        List<String> problems = new ArrayList<>();
        int files = 0;
        long rows = 0;
        for (Delta delta : deltas) {
            String name = "delta " + sources.name(delta);
            if (delta.meta() != null
                    && delta.meta().id() != null
                    && !sameId(delta.meta().id(), delta.id())) {
                // the apply goes by the folder's name; a folder renamed or copied under a new id keeps its meta file
                problems.add(name + ": its meta file says id " + delta.meta().id() + ", but the delta's id is its"
                        + " folder's name: a folder renamed or copied under a new id keeps its meta file; set the"
                        + " meta file's id to " + delta.id().text());
            }
            boolean readable = true;
            for (DeltaFile file : delta.files()) {
                files++;
                try {
                    rows += check(file);
                } catch (CsvFormatException e) {
                    problems.add(name + ", file " + e.getMessage());
                    readable = false;
                } catch (DsynqException e) {
                    problems.add(name + ", file " + file.name() + ": " + e.getMessage());
                    readable = false;
                }
            }
            if (readable && delta.meta() != null && delta.meta().checksum() != null) {
                String actual = delta.checksum();
                if (!actual.equals(delta.meta().checksum())) {
                    problems.add(name + ": its content changed since its meta file recorded checksum "
                            + delta.meta().checksum() + " (now " + actual + ")");
                }
            }
        }
        return new Report(deltas, files, rows, List.copyOf(problems));
    }

    /** Reads a file through, returning its rows. */
    private static long check(DeltaFile file) {
        try (CsvReader reader = CsvDialect.reader(file.open(), file.name())) {
            Set<String> names = new HashSet<>();
            for (String name : reader.header()) {
                if (!names.add(name.toLowerCase(Locale.ROOT))) {
                    throw new CsvFormatException(file.name(), 1, "column '" + name + "' appears twice in the header");
                }
            }
            if (file.operation() == Operation.UPDATE && reader.header().size() == 1) {
                throw new CsvFormatException(
                        file.name(),
                        1,
                        "an update file names the key and at least one column to"
                                + " set, and this one names a single column");
            }
            long rows = 0;
            for (CsvRow row = reader.next(); row != null; row = reader.next()) {
                rows++;
            }
            return rows;
        } catch (IOException e) {
            throw new DsynqException("cannot read: " + DeltaFile.describe(e), e);
        } catch (UncheckedIOException e) {
            throw new DsynqException("cannot read: " + DeltaFile.describe(e.getCause()), e);
        }
    }

    private static boolean sameId(String text, DeltaId id) {
        return DeltaId.isValid(text) && DeltaId.parse(text).equals(id);
    }
}
