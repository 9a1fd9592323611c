package io.dsynq.core.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/** The portable {@link StagingLoader}: a prepared {@code INSERT} sent in batches of a thousand rows. */
final class BatchStagingLoader implements StagingLoader {

    private static final int BATCH = 1000;

    private final Dialect dialect;

    private final List<Column> columns;

    private final PreparedStatement insert;

    private int pending;

    private long firstLine;

    private long lastLine;

    BatchStagingLoader(Connection connection, Dialect dialect, String staging, List<Column> columns)
            throws SQLException {
        this.dialect = dialect;
        this.columns = columns;
        this.insert = connection.prepareStatement("INSERT INTO " + staging + " (dsynq_line, "
                + dialect.columnList(null, columns) + ") VALUES (?" + ", ?".repeat(columns.size()) + ")");
    }

    @Override
    public void add(long line, Object[] values) throws SQLException {
        insert.setLong(1, line);
        for (int i = 0; i < columns.size(); i++) {
            dialect.bind(insert, i + 2, columns.get(i), values[i]);
        }
        insert.addBatch();
        if (pending++ == 0) {
            firstLine = line;
        }
        lastLine = line;
        if (pending == BATCH) {
            finish();
        }
    }

    @Override
    public void finish() throws SQLException {
        if (pending == 0) {
            return;
        }
        try {
            insert.executeBatch();
        } catch (SQLException e) {
            throw new SQLException(
                    "lines " + firstLine + " to " + lastLine + ": " + e.getMessage(), e.getSQLState(), e);
        }
        pending = 0;
    }

    @Override
    public void close() throws SQLException {
        insert.close();
    }
}
