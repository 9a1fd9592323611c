package io.dsynq.core.jdbc;

import java.sql.SQLException;

/**
 * Loads the checked rows of one delta file into its staging table. This is where an engine plugs in its bulk
 * loader (PostgreSQL {@code COPY}, MariaDB {@code LOAD DATA}); the default sends JDBC batches. Not thread-safe.
 */
public interface StagingLoader extends AutoCloseable {

    /**
     * Adds a row.
     *
     * @param line the row's line in the file
     * @param values the values {@link ValueCodec#parse} made, in column order
     * @throws SQLException when the database refuses a batch; the message says which lines it held
     */
    void add(long line, Object[] values) throws SQLException;

    /** Loads what is still buffered. */
    void finish() throws SQLException;

    @Override
    void close() throws SQLException;
}
