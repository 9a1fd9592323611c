package io.dsynq.core.jdbc;

import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * MariaDB's bulk path into a table: {@code LOAD DATA LOCAL INFILE} reading a stream the rows are written to as they
 * are read, on a thread of its own while this one parses. The texts were checked already; booleans go as 1 and 0,
 * binary values as base64 that the server decodes. {@code LOCAL} turns refusals into warnings, so any warning fails
 * the load.
 */
final class LoadDataStagingLoader implements StagingLoader {

    private static final int BUFFER = 1 << 17;

    /** Where MariaDB says which row of the load it refused. */
    private static final Pattern AT_ROW = Pattern.compile(" at row (\\d+)$");

    /** A column MariaDB names with its database and table: the table is dsynq's staging table. */
    private static final Pattern QUALIFIED_COLUMN = Pattern.compile("`[^`]*`\\.`[^`]*`\\.(`[^`]*`)");

    /**
     * A column MariaDB names without the value it refused ({@code Data truncated for column 'l'}), where its words
     * for others give it ({@code Incorrect integer value: 'x' for column ...}).
     */
    private static final Pattern COLUMN_WITHOUT_VALUE =
            Pattern.compile("^(?!.*value: ').* for column ['`]([^'`]+)['`]$");

    private final Connection connection;

    private final Dialect dialect;

    private final LineNumbers lines = new LineNumbers();

    private final boolean withLine;

    private final boolean[] bool;

    private final boolean[] real;

    private final PipedOutputStream out = new PipedOutputStream();

    private final StringBuilder text = new StringBuilder(BUFFER + 4096);

    private final Thread loading;

    private volatile long rows = -1;

    private volatile SQLException failure;

    /**
     * @param table the table to load, named as SQL writes it
     * @param lineColumn the column to load each row's line into, or {@code null} for none
     */
    LoadDataStagingLoader(Connection connection, Dialect dialect, String table, String lineColumn, List<Column> columns)
            throws SQLException {
        this.connection = connection;
        this.dialect = dialect;
        this.withLine = lineColumn != null;
        this.bool = new boolean[columns.size()];
        this.real = new boolean[columns.size()];
        List<String> targets = new ArrayList<>();
        List<String> conversions = new ArrayList<>();
        if (withLine) {
            targets.add(lineColumn);
        }
        for (int i = 0; i < columns.size(); i++) {
            Column column = columns.get(i);
            bool[i] = column.kind() == ValueKind.BOOLEAN;
            real[i] = column.kind() == ValueKind.REAL;
            if (column.kind() == ValueKind.BINARY) {
                targets.add("@dsynq_" + i);
                conversions.add(dialect.quote(column.name()) + " = FROM_BASE64(@dsynq_" + i + ")");
            } else if (column.typeName().equalsIgnoreCase("BIT")
                    || column.typeName().equalsIgnoreCase("YEAR")) {
                // text loads into BIT(n) as its characters' bits: '1' is 0x31, out of range for BIT(1); into YEAR as
                // a year of two digits where it has one or two: '0' is 2000, where the number 0 is the year 0
                targets.add("@dsynq_" + i);
                conversions.add(dialect.quote(column.name()) + " = CAST(@dsynq_" + i + " AS UNSIGNED)");
            } else {
                targets.add(dialect.quote(column.name()));
            }
        }
        String sql = "LOAD DATA LOCAL INFILE 'dsynq.tsv' INTO TABLE " + table + " CHARACTER SET utf8mb4 FIELDS"
                + " TERMINATED BY '\\t' ESCAPED BY '\\\\' LINES TERMINATED BY '\\n' (" + String.join(", ", targets)
                + ")"
                + (conversions.isEmpty() ? "" : " SET " + String.join(", ", conversions));
        PipedInputStream in;
        try {
            in = new PipedInputStream(out, 1 << 20);
        } catch (IOException e) {
            throw new SQLException(e);
        }
        Statement statement = connection.createStatement();
        statement.unwrap(org.mariadb.jdbc.Statement.class).setLocalInfileInputStream(in);
        this.loading = new Thread(
                () -> {
                    try (statement;
                            in) {
                        rows = statement.executeLargeUpdate(sql);
                    } catch (SQLException e) {
                        failure = e;
                    } catch (IOException e) {
                        failure = new SQLException(e);
                    }
                },
                "dsynq LOAD DATA");
        loading.setDaemon(true);
        loading.start();
    }

    @Override
    public boolean wantsValues() {
        return false;
    }

    @Override
    public void add(long line, String[] texts, Object[] values) throws SQLException {
        lines.add(line);
        if (withLine) {
            text.append(line).append('\t');
        }
        for (int i = 0; i < texts.length; i++) {
            if (i > 0) {
                text.append('\t');
            }
            String value = texts[i];
            if (value == null) {
                text.append("\\N");
            } else if (bool[i]) {
                text.append(value.equals("true") ? '1' : '0');
            } else if (real[i]) {
                // the float's exact value: MariaDB reads the text as a double, and 3.4028235E38 would overflow
                text.append(Double.toString(Float.parseFloat(value)));
            } else {
                TabSeparatedText.appendEscaped(text, value);
            }
        }
        text.append('\n');
        if (text.length() >= BUFFER) {
            flush();
        }
    }

    private void flush() throws SQLException {
        if (text.length() == 0) {
            return;
        }
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        text.setLength(0);
        try {
            out.write(bytes);
        } catch (IOException e) {
            waitForLoad(); // the load ended early: its failure says why
            throw new SQLException("the load ended early", e);
        }
    }

    @Override
    public long finish() throws SQLException {
        flush();
        try {
            out.close();
        } catch (IOException e) {
            throw new SQLException(e);
        }
        waitForLoad();
        try (Statement statement = connection.createStatement();
                ResultSet warning = statement.executeQuery("SHOW WARNINGS LIMIT 1")) {
            if (warning.next()) {
                // its code tells a refused value from a KILL the load met ("Query execution was interrupted")
                throw refused(
                        warning.getString("Message"),
                        new SQLException(warning.getString("Message"), null, warning.getInt("Code")));
            }
        }
        return rows;
    }

    private void waitForLoad() throws SQLException {
        try {
            loading.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while loading", e);
        }
        if (failure != null) {
            boolean byUrl = failure.getMessage() != null && failure.getMessage().startsWith(OFF_BY_URL);
            throw byUrl || OFF_ON_SERVER.contains(failure.getErrorCode())
                    ? turnedOff(failure, byUrl)
                    : refused(failure.getMessage(), failure);
        }
    }

    /** The driver's words for a load the URL's {@code allowLocalInfile=false} stopped before it reached the server. */
    private static final String OFF_BY_URL = "Local infile is disabled by connector";

    /**
     * The server's error codes for {@code LOAD DATA LOCAL} turned off ({@code local_infile=OFF}): MariaDB's 4166 and,
     * before 10.5, 1148; MySQL's 3948 (its default from 8.0 on).
     */
    private static final List<Integer> OFF_ON_SERVER = List.of(4166, 1148, 3948);

    /**
     * Says where {@code LOAD DATA LOCAL} was turned off (by the URL, {@code byUrl}, else on the server) and what to
     * do: no row of the file is at fault. The URL's {@code allowLocalInfile=false} protects nothing here: the load
     * sends the rows dsynq writes to a stream, whatever file the server names, and the driver refuses a file to any
     * statement that is not a load naming it.
     */
    private SQLException turnedOff(SQLException e, boolean byUrl) {
        return new SQLException(
                "cannot be loaded: dsynq loads a delta's rows through LOAD DATA LOCAL INFILE, which "
                        + (byUrl
                                ? "the URL's allowLocalInfile=false turns off; remove it from the URL (dsynq sends the"
                                        + " server only the rows it reads, from a stream, whatever file the server"
                                        + " asks for, and the driver sends no file to any other statement)"
                                : "the server refuses (local_infile is OFF, MySQL's default from 8.0 on): turn it"
                                        + " on, SET GLOBAL local_infile = ON or local_infile = 1 in the server's"
                                        + " configuration")
                        + " [" + dialect.firstLine(e) + "]",
                e.getSQLState(),
                e.getErrorCode(),
                e);
    }

    /** The database's words, with the file's line of the row it refused and the column by its own name. */
    private RefusedRowException refused(String message, Throwable cause) {
        long line = 0;
        Matcher row = AT_ROW.matcher(message);
        if (row.find()) {
            line = lines.of(Long.parseLong(row.group(1)));
            message = message.substring(0, row.start());
        }
        message = QUALIFIED_COLUMN.matcher(message).replaceAll("$1");
        String state = cause instanceof SQLException sql ? sql.getSQLState() : null;
        Matcher column = COLUMN_WITHOUT_VALUE.matcher(message);
        return line > 0 && column.find()
                ? RefusedRowException.ofColumn(line, column.group(1), message, state, cause)
                : new RefusedRowException(line, message, state, cause);
    }

    @Override
    public void close() throws SQLException {
        try {
            out.close();
        } catch (IOException e) {
            // the load ends either way
        }
        try {
            loading.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
