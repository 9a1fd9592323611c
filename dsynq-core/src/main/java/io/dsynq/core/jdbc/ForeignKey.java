package io.dsynq.core.jdbc;

import java.util.List;

/**
 * A foreign key of a table.
 *
 * @param name the constraint name
 * @param parent the table it references
 * @param columns the referencing columns, in key order
 * @param parentColumns the referenced columns, in the same order
 */
public record ForeignKey(String name, TableRef parent, List<String> columns, List<String> parentColumns) {

    public ForeignKey {
        columns = List.copyOf(columns);
        parentColumns = List.copyOf(parentColumns);
    }
}
