package io.dsynq.core.model;

import java.util.Locale;

/**
 * A table as a delta file names it: {@code item} or schema-qualified {@code sales.item}. Matched to the
 * database's tables ignoring case.
 *
 * @param schema the schema (a database on MariaDB/MySQL), or {@code null} for the connection's default
 * @param name the table name
 */
public record TableName(String schema, String name) {

    public TableName {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a table name must not be empty");
        }
        if (schema != null && schema.isEmpty()) {
            throw new IllegalArgumentException("a schema name must not be empty");
        }
    }

    /** Parses {@code table} or {@code schema.table}; the first dot separates them. */
    public static TableName parse(String text) {
        int dot = text.indexOf('.');
        return dot < 0 ? new TableName(null, text) : new TableName(text.substring(0, dot), text.substring(dot + 1));
    }

    /** The name as a file name writes it. */
    @Override
    public String toString() {
        return schema == null ? name : schema + "." + name;
    }

    /** A form for comparing names ignoring case. */
    public String folded() {
        return toString().toLowerCase(Locale.ROOT);
    }
}
