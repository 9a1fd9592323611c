package io.dsynq.core.jdbc;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A table's metadata: columns in table order, the key that identifies its rows, and its foreign keys.
 *
 * @param ref the table as the database names it
 * @param columns its columns, in table order
 * @param key the names of the key columns, in key order; empty when {@code keySource} is {@link KeySource#NONE}
 * @param keySource where the key comes from
 * @param foreignKeys the foreign keys this table holds
 * @param referencedBy the foreign keys of other tables (or this one) that reference it
 * @param autoUpdated the columns the database sets itself whenever a row is updated ({@code ON UPDATE
 *     CURRENT_TIMESTAMP})
 * @param uniques the unique indexes besides the key's that a delta may break: each over columns (no expression, no
 *     condition), not over all of the key's (which never breaks while the key holds) and checked before commit
 */
public record Table(
        TableRef ref,
        List<Column> columns,
        List<String> key,
        KeySource keySource,
        List<ForeignKey> foreignKeys,
        List<ForeignKey> referencedBy,
        List<String> autoUpdated,
        List<Unique> uniques) {

    /**
     * A unique index: no two rows hold the same values in its columns, but as {@code nulls} says for NULLs.
     *
     * @param name the index's name, or its constraint's
     * @param columns the names of its columns, in index order
     * @param perRow whether the database checks it as each row changes; else at the end of each statement (a
     *     PostgreSQL constraint {@code DEFERRABLE}), where one update may trade values between rows
     * @param nulls how it holds NULLs
     */
    public record Unique(String name, List<String> columns, boolean perRow, Nulls nulls) {

        public Unique {
            columns = List.copyOf(columns);
        }

        /** How a unique index holds NULLs, from the fewest rows it refuses to the most. */
        public enum Nulls {
            /** A row with a NULL among its values meets no other row's (the SQL standard's way). */
            DISTINCT,
            /** A row whose values are all NULL meets no other; in others NULL is a value (H2's, as Oracle's). */
            ALL_DISTINCT,
            /** NULL is a value like any other ({@code NULLS NOT DISTINCT}). */
            NOT_DISTINCT;

            /** Whether a row holding {@code values} of the index may meet another row's. */
            public boolean meet(String[] values) {
                return switch (this) {
                    case DISTINCT -> Arrays.stream(values).noneMatch(Objects::isNull);
                    case ALL_DISTINCT -> Arrays.stream(values).anyMatch(Objects::nonNull);
                    case NOT_DISTINCT -> true;
                };
            }
        }

        /** The indexes of {@code uniques} a delta may break while {@code key} identifies the rows. */
        public static List<Unique> besides(List<Unique> uniques, List<String> key) {
            return uniques.stream().filter(u -> !u.columns().containsAll(key)).toList();
        }
    }

    public Table {
        columns = List.copyOf(columns);
        key = List.copyOf(key);
        foreignKeys = List.copyOf(foreignKeys);
        referencedBy = List.copyOf(referencedBy);
        autoUpdated = List.copyOf(autoUpdated);
        uniques = List.copyOf(uniques);
    }

    /** A table without unique indexes besides its key's. */
    public Table(
            TableRef ref,
            List<Column> columns,
            List<String> key,
            KeySource keySource,
            List<ForeignKey> foreignKeys,
            List<ForeignKey> referencedBy,
            List<String> autoUpdated) {
        this(ref, columns, key, keySource, foreignKeys, referencedBy, autoUpdated, List.of());
    }

    /** This table with another key, such as a whole-row identity for a table that has none. */
    public Table withKey(List<String> key, KeySource source) {
        return new Table(
                ref, columns, key, source, foreignKeys, referencedBy, autoUpdated, Unique.besides(uniques, key));
    }

    /** The columns the database sets itself on update. */
    public List<Column> autoUpdatedColumns() {
        return autoUpdated.stream().map(c -> column(c).orElseThrow()).toList();
    }

    /** The column of that exact name, else the one named {@code name} ignoring case, if there is exactly one. */
    public Optional<Column> column(String name) {
        return column(columns, name);
    }

    /**
     * The column of {@code columns} named {@code name}: the one of that exact name, else the one named so ignoring
     * case if there is exactly one.
     */
    static Optional<Column> column(List<Column> columns, String name) {
        Column exact = null;
        Column folded = null;
        int foldedMatches = 0;
        for (Column column : columns) {
            if (column.name().equals(name)) {
                exact = column;
            }
            if (column.name().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                folded = column;
                foldedMatches++;
            }
        }
        if (exact != null) {
            return Optional.of(exact);
        }
        if (foldedMatches == 0) {
            // H2 upper-cases an unquoted name as English does, ß to SS: its Größe is GRÖSSE
            for (Column column : columns) {
                if (column.name().toUpperCase(Locale.ROOT).equals(name.toUpperCase(Locale.ROOT))) {
                    folded = column;
                    foldedMatches++;
                }
            }
        }
        return foldedMatches == 1 ? Optional.of(folded) : Optional.empty();
    }

    /** The key columns. */
    public List<Column> keyColumns() {
        return key.stream().map(k -> column(k).orElseThrow()).toList();
    }

    /** Whether a column is part of the key. */
    public boolean isKey(Column column) {
        return key.contains(column.name());
    }

    /** Whether rows are identified by all their values, so that identical rows may repeat. */
    public boolean rowsRepeat() {
        return keySource == KeySource.WHOLE_ROW;
    }

    /** Whether the database guarantees at most one row per key value. */
    public boolean keyIsUnique() {
        return keySource == KeySource.PRIMARY_KEY || keySource == KeySource.UNIQUE_INDEX;
    }
}
