package io.dsynq.core.diff;

import io.dsynq.core.model.DeltaId;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@link io.dsynq.core.Dsynq#diff} found and wrote.
 *
 * @param tables the compared tables, in the order they were compared
 * @param id the new delta's id, or {@code null} when nothing differs or only a summary was asked for
 * @param folder the new delta's folder, or {@code null} likewise
 */
public record DiffResult(List<TableDiff> tables, DeltaId id, Path folder) {

    public DiffResult {
        tables = List.copyOf(tables);
    }

    /** Whether any compared table differs. */
    public boolean differs() {
        return tables.stream().anyMatch(TableDiff::differs);
    }

    /**
     * One table's comparison.
     *
     * @param table the table as the delta's file names write it
     * @param targetRows the rows read from the target
     * @param sourceRows the rows read from the source
     * @param inserts rows to insert into the target
     * @param updates rows of the target to update
     * @param deletes rows to delete from the target
     * @param rowsRead rows read from both sides; less than their sum where segment checksums left ranges unread
     * @param millis how long the comparison took
     */
    public record TableDiff(
            String table,
            long targetRows,
            long sourceRows,
            long inserts,
            long updates,
            long deletes,
            long rowsRead,
            long millis) {

        /** Whether the table differs. */
        public boolean differs() {
            return inserts + updates + deletes > 0;
        }
    }
}
