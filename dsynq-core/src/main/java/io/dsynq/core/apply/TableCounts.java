package io.dsynq.core.apply;

/**
 * What applying a delta did to one table.
 *
 * @param table the table as the delta's files name it
 * @param inserted rows inserted
 * @param updated rows updated
 * @param deleted rows deleted
 */
public record TableCounts(String table, long inserted, long updated, long deleted) {

    TableCounts plus(long inserted, long updated, long deleted) {
        return new TableCounts(table, this.inserted + inserted, this.updated + updated, this.deleted + deleted);
    }
}
