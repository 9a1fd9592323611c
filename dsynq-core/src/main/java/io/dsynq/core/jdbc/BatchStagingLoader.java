package io.dsynq.core.jdbc;

import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/** The portable {@link StagingLoader}: a prepared {@code INSERT} sent in batches of a thousand rows. */
final class BatchStagingLoader implements StagingLoader {

    private static final int BATCH = 1000;

    /** How PostgreSQL's driver names the failed row of a batch, counting from 0. */
    private static final java.util.regex.Pattern BATCH_ENTRY = java.util.regex.Pattern.compile("Batch entry (\\d+)");

    private final Dialect dialect;

    private final List<Column> columns;

    private final PreparedStatement insert;

    private final long[] lines = new long[BATCH];

    private int pending;

    private final boolean withLine;

    private long rows;

    /**
     * @param table the table to load, named as SQL writes it
     * @param lineColumn the column to load each row's line into, or {@code null} for none
     */
    BatchStagingLoader(Connection connection, Dialect dialect, String table, String lineColumn, List<Column> columns)
            throws SQLException {
        this.dialect = dialect;
        this.columns = columns;
        this.withLine = lineColumn != null;
        String list = dialect.columnList(null, columns);
        String marks = "?, ".repeat(columns.size() - 1) + "?";
        this.insert = connection.prepareStatement(
                withLine
                        ? "INSERT INTO " + table + " (" + lineColumn + ", " + list + ") VALUES (?, " + marks + ")"
                        : "INSERT INTO " + table + " (" + list + ")" + dialect.overridingIdentity(columns) + " VALUES ("
                                + marks + ")");
    }

    @Override
    public boolean wantsValues() {
        return true;
    }

    @Override
    public void add(long line, String[] texts, Object[] values) throws SQLException {
        int first = 1;
        if (withLine) {
            insert.setLong(1, line);
            first = 2;
        }
        for (int i = 0; i < columns.size(); i++) {
            dialect.bind(insert, i + first, columns.get(i), values[i]);
        }
        insert.addBatch();
        lines[pending++] = line;
        if (pending == BATCH) {
            flush();
        }
    }

    @Override
    public long finish() throws SQLException {
        flush();
        return rows;
    }

    private void flush() throws SQLException {
        if (pending == 0) {
            return;
        }
        try {
            insert.executeBatch();
        } catch (BatchUpdateException e) {
            throw refused(line(e), e);
        } catch (SQLException e) {
            throw refused(0, e);
        }
        rows += pending;
        pending = 0;
    }

    /** The line of the row the batch failed on, where the driver tells which, else 0. */
    private long line(BatchUpdateException e) {
        java.util.regex.Matcher entry = BATCH_ENTRY.matcher(String.valueOf(e.getMessage()));
        if (entry.find() && Integer.parseInt(entry.group(1)) < pending) {
            return lines[Integer.parseInt(entry.group(1))];
        }
        int[] counts = e.getUpdateCounts();
        int failed = -1;
        if (counts != null) {
            for (int i = 0; i < counts.length && failed < 0; i++) {
                if (counts[i] == java.sql.Statement.EXECUTE_FAILED) {
                    failed = i;
                }
            }
            if (failed < 0 && counts.length < pending) {
                failed = counts.length; // the driver stopped at the failing row
            }
        }
        return failed >= 0 ? lines[failed] : 0;
    }

    /** The database's words, with the line of the row it refused, else the batch's lines. */
    private RefusedRowException refused(long line, SQLException e) {
        String where = line > 0 ? "line " + line : "lines " + lines[0] + " to " + lines[pending - 1];
        return new RefusedRowException(line, where, reason(e), e.getSQLState(), e);
    }

    /** The database's own words; PostgreSQL keeps them in the next exception. */
    private static String reason(SQLException e) {
        SQLException cause = e.getNextException() != null ? e.getNextException() : e;
        String message = cause.getMessage() == null ? cause.toString() : cause.getMessage();
        int newline = message.indexOf('\n');
        return (newline < 0 ? message : message.substring(0, newline)).strip();
    }

    @Override
    public void close() throws SQLException {
        insert.close();
    }
}
