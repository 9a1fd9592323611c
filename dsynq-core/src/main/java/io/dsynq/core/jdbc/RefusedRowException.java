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
        super(where + ": the database refused a value: " + reason, sqlState, cause);
        this.line = line;
        this.reason = reason;
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
