package io.dsynq.core.csv;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The one CSV dialect of dsynq (DESIGN.md section 3), used for every file it reads or writes.
 *
 * <ul>
 *   <li>RFC 4180: comma, double quote, quotes doubled inside quoted fields, embedded line breaks in quotes;
 *   <li>UTF-8, {@code \n} written; {@code \r\n} and a UTF-8 byte order mark accepted on reading;
 *   <li>a header row of column names;
 *   <li><b>NULL is an unquoted empty field; the empty string is {@code ""}</b>; so {@code "NULL"} is text;
 *   <li>nothing trimmed; blank lines are ignored (so a one-column row cannot hold NULL).
 * </ul>
 *
 * <p>Thread-safe: it has no state.
 */
public final class CsvDialect {

    private CsvDialect() {}

    /**
     * Opens a reader over {@code in}, which it closes.
     *
     * @param source the name errors give for the input, such as the file name
     */
    public static CsvReader reader(InputStream in, String source) {
        return new CsvReader(in, source);
    }

    /**
     * Opens a reader over a file dsynq wrote itself of a database's values, such as a reverse delta or a diff's scratch
     * file, which it closes: as {@link #reader}, but a row may be as large as the database's values are, which came
     * through the driver whole, rather than {@link CsvReader#MAX_ROW_CHARS}; rolling back a delta that deleted a row
     * of a large value puts it back.
     */
    public static CsvReader readerOfWritten(InputStream in, String source) {
        return new CsvReader(in, source, CsvReader.UNBOUNDED, CsvReader.MAX_COLUMNS);
    }

    /** Opens a writer onto {@code out}, which it closes, and writes the header. */
    public static CsvWriter writer(OutputStream out, java.util.List<String> header) {
        return new CsvWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8), header);
    }

    /** Quotes a value as the writer does: {@code null} is empty, the empty string is {@code ""}. */
    public static String format(String value) {
        java.io.StringWriter out = new java.io.StringWriter();
        try {
            CsvWriter.writeField(out, value);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e); // a StringWriter throws none
        }
        return out.toString();
    }
}
