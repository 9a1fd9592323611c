package io.dsynq.core.apply;

import io.dsynq.core.jdbc.Column;
import io.dsynq.core.jdbc.InternalNames;
import io.dsynq.core.jdbc.Table;
import io.dsynq.core.model.DeltaFile;
import java.util.List;

/**
 * A delta file loaded into a staging table of the same column types, each row with its line number in the column
 * {@code names} give it.
 *
 * @param file the file
 * @param table the table it changes
 * @param columns the table's columns in the file's header order
 * @param staging the staging table's name
 * @param names the names of dsynq's own columns and aliases for this table
 * @param rows the number of data rows
 */
record StagedFile(DeltaFile file, Table table, List<Column> columns, String staging, InternalNames names, long rows) {

    /** The table's key columns. */
    List<Column> key() {
        return table.keyColumns();
    }

    /** The staging table's column of each row's line in the file, qualified by {@code alias}. */
    String line(String alias) {
        return alias + "." + names.line();
    }

    /** The file's columns that are not part of the key. */
    List<Column> values() {
        return columns.stream().filter(c -> !table.isKey(c)).toList();
    }
}
