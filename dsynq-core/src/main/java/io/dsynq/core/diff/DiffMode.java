package io.dsynq.core.diff;

/** How a diff reads a table. */
public enum DiffMode {
    /**
     * {@link #SEGMENTS} for tables whose key values span at least {@value DiffEngine#SEGMENTS_FROM_ROWS} where it
     * works, else
     * {@link #FULL}.
     */
    AUTO,
    /** Every row of both sides, merged in key order. */
    FULL,
    /**
     * Checksums of key ranges from each server, then only the rows of the ranges that differ: much less to read
     * when large tables differ in few rows. Works on tables with a single integer key the databases keep, both
     * sides on PostgreSQL or both on MariaDB (a row's hash is the same only on the same engine); other tables are
     * read in full.
     */
    SEGMENTS
}
