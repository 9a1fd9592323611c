package io.dsynq.core.csv;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Streams the rows of one CSV file of the {@link CsvDialect}. Every row has exactly as many fields as the
 * header; anything else is a {@link CsvFormatException} naming the file and line. Not thread-safe.
 *
 * <p>It reads exactly what Commons CSV's RFC 4180 format reads with empty lines kept and an unquoted empty field as
 * {@code null} (whitespace after a closing quote skipped, a quote inside an unquoted field taken as it is; a test
 * compares the two on random input), but scans a block of characters at a time: Commons CSV's lexer, which reads and
 * appends one character at a time, was half of the client's processor time when applying a large delta.
 */
public final class CsvReader implements Closeable {

    private static final String NOT_CLOSED = "a quoted field is not closed: the file ends inside quotes";

    private static final String UNBALANCED =
            "unbalanced quotes: a closing quote must be followed by a comma or the end of the line";

    private final String source;

    private final StrictUtf8Reader in;

    private final char[] buffer = new char[1 << 16];

    private int position;

    private int limit;

    /** Line breaks consumed so far: the next record starts on the line after them. */
    private final LineBreaks lineBreaks = new LineBreaks();

    private boolean started;

    /** Whether the last record's first field was quoted, so that it cannot be a merge conflict marker. */
    private boolean firstQuoted;

    private final List<String> fields = new ArrayList<>();

    private final StringBuilder spanning = new StringBuilder();

    private final List<String> header;

    CsvReader(InputStream in, String source) {
        this.source = source;
        this.in = new StrictUtf8Reader(in);
        try {
            String[] first = nextRecord();
            if (blank(first)) {
                // an editor may save an empty file as a line break: blank lines alone hold nothing to do, as an
                // empty file does; a blank line before a header is the header's error below
                String[] next = nextRecord();
                while (blank(next)) {
                    next = nextRecord();
                }
                first = next == null ? null : first;
            }
            refuseConflictMarker(first, 1);
            this.header = first == null ? List.of() : Arrays.asList(first);
            for (int i = 0; i < header.size(); i++) {
                if (header.get(i) == null || header.get(i).isEmpty()) {
                    throw new CsvFormatException(source, 1, "header column " + (i + 1) + " is empty");
                }
            }
        } catch (RuntimeException e) {
            closeQuietly(this.in, e);
            throw e;
        }
    }

    /** Whether a record is a blank line: one field, NULL. */
    private static boolean blank(String[] record) {
        return record != null && record.length == 1 && record[0] == null;
    }

    private static void closeQuietly(Closeable closeable, Exception failure) {
        try {
            closeable.close();
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }

    /** The header's column names as written; empty for an empty file, which holds nothing to do. */
    public List<String> header() {
        return header;
    }

    /** The file name or other name errors give. */
    public String source() {
        return source;
    }

    /** The next data row, or {@code null} at the end. Blank lines are skipped. */
    public CsvRow next() {
        if (header.isEmpty()) {
            return null;
        }
        while (true) {
            long line = lineBreaks.count() + 1;
            String[] record = nextRecord();
            if (record == null) {
                return null;
            }
            if (blank(record)) {
                continue; // a blank line
            }
            refuseConflictMarker(record, line);
            if (record.length != header.size()) {
                throw new CsvFormatException(
                        source,
                        line,
                        "the row has " + record.length + " field" + (record.length == 1 ? "" : "s")
                                + " but the header has " + header.size());
            }
            return new CsvRow(line, record);
        }
    }

    /**
     * Refuses a line Git left where it could not merge the file: read as a row, {@code <<<<<<< HEAD} of a
     * one-column file would be a value to insert or delete, and both sides of the conflict rows of the delta.
     */
    private void refuseConflictMarker(String[] record, long line) {
        if (record != null && !firstQuoted && conflictMarker(record[0])) {
            throw new CsvFormatException(
                    source,
                    line,
                    "'"
                            + String.join(
                                    ",",
                                    Arrays.stream(record)
                                            .map(f -> f == null ? "" : f)
                                            .toList())
                            + "' is a merge conflict marker, which Git leaves in a file it could not merge: resolve"
                            + " the conflict (keep the rows wanted, remove the marker lines)");
        }
    }

    /**
     * Whether {@code text}, unquoted at the start of a line, is a merge conflict marker as Git writes them: seven of
     * {@code <}, {@code >} or {@code |}, alone or followed by a space and a name, or {@code =======} alone. {@link
     * CsvWriter} quotes such a value.
     */
    static boolean conflictMarker(String text) {
        if (text == null || text.length() < 7) {
            return false;
        }
        char c = text.charAt(0);
        boolean named = c == '<' || c == '>' || c == '|';
        if (!(named || c == '=') || (text.length() > 7 && !(named && text.charAt(7) == ' '))) {
            return false;
        }
        for (int i = 1; i < 7; i++) {
            if (text.charAt(i) != c) {
                return false;
            }
        }
        return true;
    }

    /** The line the next record starts on. */
    long nextLine() {
        return lineBreaks.count() + 1;
    }

    /** The next record's fields, whatever their number (blank lines included); {@code null} at the end. */
    String[] nextRecord() {
        long line = lineBreaks.count() + 1;
        try {
            return record(line);
        } catch (StrictUtf8Reader.MalformedLineException e) {
            throw new CsvFormatException(source, e.line(), e.problem(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // the callers say what a truncated or corrupt file is
        }
    }

    /** One record's fields, or {@code null} at the end of the input. */
    private String[] record(long line) throws IOException {
        if (!started) {
            started = true;
            if (fill() && buffer[position] == '\uFEFF') {
                position++; // a byte order mark
            }
        }
        if (!fill()) {
            return null;
        }
        fields.clear();
        firstQuoted = buffer[position] == '"';
        while (true) {
            if (!fill()) {
                fields.add(null); // the input ends after a comma
                return fields.toArray(new String[0]);
            }
            if (buffer[position] == '"') {
                position++;
                fields.add(quoted(line));
                // as Commons CSV: whitespace may follow the closing quote, then a comma or the end of the line
                while (fill()
                        && buffer[position] != '\n'
                        && buffer[position] != '\r'
                        && buffer[position] != ','
                        && Character.isWhitespace(buffer[position])) {
                    position++;
                }
                if (!fill()) {
                    return fields.toArray(new String[0]);
                }
                char c = buffer[position];
                if (c == ',') {
                    position++;
                    continue;
                }
                if (c == '\n' || c == '\r') {
                    endOfLine();
                    return fields.toArray(new String[0]);
                }
                throw new CsvFormatException(source, line, UNBALANCED);
            }
            if (unquoted()) {
                return fields.toArray(new String[0]);
            }
        }
    }

    /**
     * Reads an unquoted field up to a comma (consumed) or the end of the line (consumed) or of the input.
     *
     * @return whether the record ended with it
     */
    private boolean unquoted() throws IOException {
        spanning.setLength(0);
        while (true) {
            int start = position;
            int end = limit;
            int i = start;
            while (i < end) {
                char c = buffer[i];
                if (c == ',' || c == '\n' || c == '\r') {
                    break;
                }
                i++;
            }
            if (i < end) {
                fields.add(text(start, i));
                position = i + 1;
                if (buffer[i] == ',') {
                    return false;
                }
                position = i;
                endOfLine();
                return true;
            }
            spanning.append(buffer, start, end - start);
            position = end;
            if (!fill()) {
                fields.add(spanning.isEmpty() ? null : spanning.toString());
                return true;
            }
        }
    }

    /** The field's text from the buffer, with what an earlier block held; {@code null} when empty. */
    private String text(int start, int end) {
        if (spanning.isEmpty()) {
            return start == end ? null : new String(buffer, start, end - start);
        }
        spanning.append(buffer, start, end - start);
        return spanning.toString();
    }

    /** Reads a quoted field after its opening quote, through its closing quote. */
    private String quoted(long line) throws IOException {
        spanning.setLength(0);
        lineBreaks.interrupt(); // the opening quote
        while (true) {
            if (!fill()) {
                throw new CsvFormatException(source, line, NOT_CLOSED);
            }
            int start = position;
            int i = start;
            while (i < limit && buffer[i] != '"') {
                i++;
            }
            lineBreaks.scan(buffer, start, i);
            spanning.append(buffer, start, i - start);
            position = i;
            if (i == limit) {
                continue;
            }
            position++; // the quote
            lineBreaks.interrupt();
            if (fill() && buffer[position] == '"') {
                spanning.append('"');
                position++;
                continue;
            }
            return spanning.toString();
        }
    }

    /** Consumes one line break: {@code \n}, {@code \r\n} or a lone {@code \r}. */
    private void endOfLine() throws IOException {
        lineBreaks.add();
        if (buffer[position++] == '\r' && fill() && buffer[position] == '\n') {
            position++;
        }
    }

    /** Makes sure a character is there to read; {@code false} at the end of the input. */
    private boolean fill() throws IOException {
        if (position < limit) {
            return true;
        }
        int n;
        do {
            n = in.read(buffer, 0, buffer.length);
        } while (n == 0);
        position = 0;
        limit = Math.max(n, 0);
        return n > 0;
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
