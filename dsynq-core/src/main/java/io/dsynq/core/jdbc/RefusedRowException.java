package io.dsynq.core.jdbc;

import java.sql.SQLException;

/**
 * A row the database refused as a {@link StagingLoader} loaded it. The message names its line in the file, where the
 * database told which row, the value and its column, where the database told them, and gives the database's words.
 */
public final class RefusedRowException extends SQLException {

    private static final long serialVersionUID = 1L;

    private final long line;

    private final String reason;

    /** The column the database named without its value, or {@code null}. */
    private final String column;

    /** @param line the row's line in the file, or 0 where the database did not tell which row */
    RefusedRowException(long line, String reason, String sqlState, Throwable cause) {
        this(line, line > 0 ? "line " + line : "a row", reason, sqlState, cause);
    }

    /** @param where the lines the row is among, where the database did not tell which */
    RefusedRowException(long line, String where, String reason, String sqlState, Throwable cause) {
        this(where + ": the database refused a value: " + reason, line, reason, null, sqlState, cause);
    }

    private RefusedRowException(
            String message, long line, String reason, String column, String sqlState, Throwable cause) {
        // the cause's error code too: MariaDB tells a KILLed load by its code alone
        super(message, sqlState, cause instanceof SQLException sql ? sql.getErrorCode() : 0, cause);
        this.line = line;
        this.reason = reason;
        this.column = column;
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
                null,
                sqlState,
                cause);
    }

    /** A value on {@code line} of {@code column}, which the database named without the value ({@link #withValue}). */
    static RefusedRowException ofColumn(long line, String column, String reason, String sqlState, Throwable cause) {
        return new RefusedRowException(
                "line " + line + ": the database refused a value: " + reason, line, reason, column, sqlState, cause);
    }

    /** The refused row's line in the file, or 0 where the database did not tell which row. */
    public long line() {
        return line;
    }

    /** The database's words. */
    public String reason() {
        return reason;
    }

    /** The column the database named without its value, which the file holds on the {@link #line}, or null. */
    public String column() {
        return column;
    }

    /** The same refusal showing {@code value}, the {@link #column}'s on the {@link #line}. */
    public RefusedRowException withValue(String value) {
        return ofValue(line, column, value, reason, getSQLState(), getCause());
    }
}
