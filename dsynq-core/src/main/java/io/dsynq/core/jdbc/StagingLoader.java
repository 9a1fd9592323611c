package io.dsynq.core.jdbc;

import java.sql.SQLException;

/**
 * Loads the checked rows of one delta file into a table: a staging table, or the target table itself. This is where
 * an engine plugs in its bulk loader (PostgreSQL {@code COPY}, MariaDB {@code LOAD DATA}); the default sends JDBC
 * batches. Not thread-safe.
 */
public interface StagingLoader extends AutoCloseable {

    /**
     * Whether {@link #add} needs the values {@link ValueCodec#parse} makes; otherwise the texts, checked with
     * {@link ValueCodec#check}, are enough and {@code values} is {@code null}.
     */
    boolean wantsValues();

    /**
     * Adds a row.
     *
     * @param line the row's line in the file, loaded into the table's column for it where it has one
     * @param texts the fields as the file gives them, in column order
     * @param values the parsed values when {@link #wantsValues()}, else {@code null}
     * @throws SQLException when the database refuses; the message starts with the line it refused
     */
    void add(long line, String[] texts, Object[] values) throws SQLException;

    /**
     * Loads what is still buffered.
     *
     * @return the rows the database took, or -1 where it does not tell
     */
    long finish() throws SQLException;

    @Override
    void close() throws SQLException;
}
