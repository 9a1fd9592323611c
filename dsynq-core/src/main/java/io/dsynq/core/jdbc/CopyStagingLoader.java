package io.dsynq.core.jdbc;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * PostgreSQL's bulk path into a table: {@code COPY … FROM STDIN} in text format through the driver's CopyManager,
 * the rows streamed as they are read. The texts were checked already and go as they are (the server parses them);
 * only binary values are turned from base64 into the hex form.
 */
final class CopyStagingLoader implements StagingLoader {

    private static final int BUFFER = 1 << 17;

    /** How much of a binary value's base64 is decoded at once: whole groups of four characters. */
    private static final int BASE64_PIECE = 1 << 16;

    private static final HexFormat HEX = HexFormat.of();

    /** Where PostgreSQL says which line of the copy data it refused. */
    private static final Pattern COPY_LINE = Pattern.compile("COPY [^,]+, line (\\d+)");

    /** Where PostgreSQL says which column's value it refused, and the value (cut after 100 bytes). */
    private static final Pattern COPY_VALUE =
            Pattern.compile("COPY [^,]+, line \\d+, column (.+?): \"(.*)\"\\s*$", Pattern.DOTALL);

    private final CopyIn copy;

    private final boolean withLine;

    private final boolean[] binary;

    /** Dates and timestamps, whose years beyond 9999 or before 1 PostgreSQL writes its own way. */
    private final boolean[] dated;

    private final StringBuilder text = new StringBuilder(BUFFER + 4096);

    private final LineNumbers lines = new LineNumbers();

    /**
     * @param table the table to load, named as SQL writes it
     * @param lineColumn the column to load each row's line into, or {@code null} for none
     */
    CopyStagingLoader(Connection connection, Dialect dialect, String table, String lineColumn, List<Column> columns)
            throws SQLException {
        this.withLine = lineColumn != null;
        this.binary = new boolean[columns.size()];
        this.dated = new boolean[columns.size()];
        for (int i = 0; i < binary.length; i++) {
            ValueKind kind = columns.get(i).kind();
            binary[i] = kind == ValueKind.BINARY;
            dated[i] = kind == ValueKind.DATE || kind == ValueKind.TIMESTAMP || kind == ValueKind.TIMESTAMP_TZ;
        }
        this.copy = connection
                .unwrap(PGConnection.class)
                .getCopyAPI()
                .copyIn("COPY " + table + " (" + (withLine ? lineColumn + ", " : "") + dialect.columnList(null, columns)
                        + ") FROM STDIN");
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
                flushIfFull();
                text.append('\t');
            }
            String value = texts[i];
            if (value == null) {
                text.append("\\N");
            } else if (binary[i]) {
                text.append("\\\\x");
                // a piece at a time, sent on once the buffer is full: a value of many megabytes was held again as
                // bytes, as hex, in the buffer grown to hold it, as its text and as that text's bytes
                for (int from = 0; from < value.length(); from += BASE64_PIECE) {
                    HEX.formatHex(
                            text,
                            Base64.getDecoder()
                                    .decode(value.substring(from, Math.min(value.length(), from + BASE64_PIECE))));
                    flushIfFull();
                }
            } else if (dated[i]) {
                TabSeparatedText.appendEscaped(text, PostgresText.serverYear(value));
            } else {
                for (int from = 0; from < value.length(); ) {
                    int to = Math.min(value.length(), from + BUFFER);
                    if (to < value.length() && Character.isHighSurrogate(value.charAt(to - 1))) {
                        to--; // a character's two halves are encoded together
                    }
                    TabSeparatedText.appendEscaped(text, value, from, to);
                    from = to;
                    flushIfFull();
                }
            }
        }
        text.append('\n');
        flushIfFull();
    }

    /** Sends the buffer on once it is full; the copy's data need not end at a row's end. */
    private void flushIfFull() throws SQLException {
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
            copy.writeToCopy(bytes, 0, bytes.length);
        } catch (SQLException e) {
            throw refused(e);
        }
    }

    @Override
    public long finish() throws SQLException {
        flush();
        try {
            return copy.endCopy();
        } catch (SQLException e) {
            throw refused(e);
        }
    }

    /** The database's words, with the file's line of the row it refused and, where it says so, the value. */
    private RefusedRowException refused(SQLException e) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        Matcher row = COPY_LINE.matcher(message);
        long line = row.find() ? lines.of(Long.parseLong(row.group(1))) : 0;
        int newline = message.indexOf('\n');
        String first = (newline < 0 ? message : message.substring(0, newline)).strip();
        Matcher value = COPY_VALUE.matcher(message);
        return line > 0 && value.find()
                ? RefusedRowException.ofValue(line, value.group(1), value.group(2), first, e.getSQLState(), e)
                : new RefusedRowException(line, first, e.getSQLState(), e);
    }

    @Override
    public void close() throws SQLException {
        if (copy.isActive()) {
            copy.cancelCopy();
        }
    }
}
