package io.dsynq.core;

import io.dsynq.core.apply.TableCounts;
import io.dsynq.core.model.DeltaId;
import java.util.List;

/**
 * What an apply did to one database.
 *
 * @param database the database's name
 * @param steps the deltas applied and rolled back, in the order they ran
 * @param current the newest delta applied when it ended (in a dry run: would be), or {@code null} when none is
 * @param dryRun whether everything was rolled back at the end
 */
public record ApplyResult(String database, List<Step> steps, DeltaId current, boolean dryRun) {

    public ApplyResult {
        steps = List.copyOf(steps);
    }

    /**
     * One delta applied or rolled back, in its own transaction.
     *
     * @param kept whether it was committed; not in a dry run, which rolls every step back at the end
     */
    public record Step(
            boolean forward, DeltaId id, String description, List<TableCounts> tables, long millis, boolean kept) {

        public Step {
            tables = List.copyOf(tables);
        }

        public long inserted() {
            return tables.stream().mapToLong(TableCounts::inserted).sum();
        }

        public long updated() {
            return tables.stream().mapToLong(TableCounts::updated).sum();
        }

        public long deleted() {
            return tables.stream().mapToLong(TableCounts::deleted).sum();
        }
    }
}
