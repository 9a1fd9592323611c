package io.dsynq.core.jdbc;

import java.sql.SQLException;

/**
 * A row the database refused as a {@link StagingLoader} loaded it. The message names its line in the file, where the
 * database told which row, and gives the database's words.
 */
public final class RefusedRowException extends SQLException {

    private static final long serialVersionUID = 1L;

    private final long line;

    private final String reason;

    /** @param line the row's line in the file, or 0 where the database did not tell which row */
    RefusedRowException(long line, String reason, String sqlState, Throwable cause) {
        this(line, line > 0 ? "line " + line : "a row", reason, sqlState, cause);
    }

    /** @param where the lines the row is among, where the database did not tell which */
    RefusedRowException(long line, String where, String reason, String sqlState, Throwable cause) {
        this(where + ": the database refused a value: " + reason, line, reason, sqlState, cause);
    }

    private RefusedRowException(String message, long line, String reason, String sqlState, Throwable cause) {
        super(message, sqlState, cause);
        this.line = line;
        this.reason = reason;
    }

    /**
     * A value on {@code line} that the database told the column of, such as a text of a type the server parses (an
     * enum, an array): the message shows it.
     */
    static RefusedRowException ofValue(
            long line, String column, String value, String reason, String sqlState, Throwable cause) {
        return new RefusedRowException(
                "line " + line + ": the database refused the value " + ValueCodec.show(value) + " of column " + column
                        + ": " + reason,
                line,
                reason,
                sqlState,
                cause);
    }

    /** The refused row's line in the file, or 0 where the database did not tell which row. */
    public long line() {
        return line;
    }

    /** The database's words. */
    public String reason() {
        return reason;
    }
}
