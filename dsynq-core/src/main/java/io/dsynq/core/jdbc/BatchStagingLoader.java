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

    /** The texts of the rows of the batch, to show the value the database refused. */
    private final String[][] texts = new String[BATCH][];

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
        this.texts[pending] = texts;
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
            throw refused(row(e), e);
        } catch (SQLException e) {
            throw refused(-1, e);
        }
        rows += pending;
        pending = 0;
    }

    /** The row of the batch it failed on, counting from 0, where the driver tells which, else -1. */
    private int row(BatchUpdateException e) {
        java.util.regex.Matcher entry = BATCH_ENTRY.matcher(String.valueOf(e.getMessage()));
        if (entry.find() && Integer.parseInt(entry.group(1)) < pending) {
            return Integer.parseInt(entry.group(1));
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
        return failed;
    }

    /**
     * The database's words, with the line of the row it refused ({@code row} of the batch, or -1 where the driver
     * does not tell), else the batch's lines; with the value and its column where the words quote the value of one
     * column only, as H2's do without naming the column ({@code Value not permitted for column "('a', 'b')": "zz"}).
     */
    private RefusedRowException refused(int row, SQLException e) {
        long line = row >= 0 ? lines[row] : 0;
        String where = line > 0 ? "line " + line : "lines " + lines[0] + " to " + lines[pending - 1];
        String reason = reason(e);
        int quoted = -1;
        for (int i = 0; row >= 0 && texts[row] != null && i < columns.size() && i < texts[row].length; i++) {
            String text = texts[row][i];
            if (text != null && !text.isEmpty() && reason.contains("\"" + text + "\"")) {
                quoted = quoted == -1 ? i : -2;
            }
        }
        return line > 0 && quoted >= 0
                ? RefusedRowException.ofValue(
                        line,
                        dialect.displayName(columns.get(quoted).name()),
                        texts[row][quoted],
                        reason,
                        e.getSQLState(),
                        e)
                : new RefusedRowException(line, where, reason, e.getSQLState(), e);
    }

    /** The database's own words; PostgreSQL keeps them in the next exception, H2 ends them with its statement. */
    private static String reason(SQLException e) {
        SQLException cause = e.getNextException() != null ? e.getNextException() : e;
        String message = cause.getMessage() == null ? cause.toString() : cause.getMessage();
        int newline = message.indexOf('\n');
        String first = (newline < 0 ? message : message.substring(0, newline)).strip();
        return first.endsWith("; SQL statement:")
                ? first.substring(0, first.length() - "; SQL statement:".length())
                : first;
    }

    @Override
    public void close() throws SQLException {
        insert.close();
    }
}
