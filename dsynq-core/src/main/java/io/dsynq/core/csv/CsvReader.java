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
 *
 * <p>What one input can make it hold is bounded: a row's values may hold up to {@value #MAX_ROW_CHARS} characters in
 * all, and the header up to {@value #MAX_COLUMNS} columns; a data row's fields past the header's are counted, not
 * kept. Beyond these bounds it fails naming the line and column rather than run out of memory: a quote that is not
 * closed makes the rest of the file one value, and one compressed file may hold a line of any length.
 */
public final class CsvReader implements Closeable {

    private static final String NOT_CLOSED = "a quoted field is not closed: the file ends inside quotes";

    /**
     * The most characters a row's values may hold in all: 128 Mi (134,217,728), as a value of 96 MiB of binary data
     * (base64) or of 128 MiB of ASCII text takes. Reading a row takes up to three times its size in memory (six times
     * for text beyond Latin-1, which Java holds in two bytes a character): a row past the bound is refused before it
     * fills a heap of 1 GiB, or of 512 MiB where it is ASCII.
     */
    public static final int MAX_ROW_CHARS = 1 << 27;

    /** A row of any size Java can hold: the bound of {@link CsvDialect#readerOfWritten}. */
    static final int UNBOUNDED = Integer.MAX_VALUE - 8;

    /** The most columns a header may have: more than any table of the databases dsynq supports can hold. */
    public static final int MAX_COLUMNS = 1 << 16;

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

    /** The fields the record being read has, those not kept included. */
    private int fieldCount;

    /** The most fields the record being read keeps: the header's for a data row. */
    private int keptFields;

    private final int maxColumns;

    /** The characters the record's values held before the field being read. */
    private long recordChars;

    private final int maxRowChars;

    private StringBuilder spanning = new StringBuilder();

    private final List<String> header;

    CsvReader(InputStream in, String source) {
        this(in, source, MAX_ROW_CHARS, MAX_COLUMNS);
    }

    /** A reader with other bounds, for tests. */
    CsvReader(InputStream in, String source, int maxRowChars, int maxColumns) {
        this.source = source;
        this.in = new StrictUtf8Reader(in);
        this.maxRowChars = maxRowChars;
        this.maxColumns = maxColumns;
        try {
            String[] first = nextRecord();
            if (first != null && fieldCount > first.length) {
                throw new CsvFormatException(
                        source, 1, "the header has more than " + maxColumns + " columns, the most dsynq reads");
            }
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
            String[] record = nextRecord(header.size());
            if (record == null) {
                return null;
            }
            if (blank(record)) {
                continue; // a blank line
            }
            refuseConflictMarker(record, line);
            if (fieldCount != header.size()) {
                throw new CsvFormatException(
                        source,
                        line,
                        "the row has " + fieldCount + " field" + (fieldCount == 1 ? "" : "s") + " but the header has "
                                + header.size());
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

    /** The next record's fields, up to {@link #MAX_COLUMNS} (blank lines included); {@code null} at the end. */
    String[] nextRecord() {
        return nextRecord(maxColumns);
    }

    /** The next record's first {@code keep} fields; {@link #fieldCount} tells how many it has. */
    private String[] nextRecord(int keep) {
        keptFields = keep;
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
        fieldCount = 0;
        recordChars = 0;
        firstQuoted = buffer[position] == '"';
        while (true) {
            if (!fill()) {
                add(null); // the input ends after a comma
                return fields.toArray(new String[0]);
            }
            if (buffer[position] == '"') {
                position++;
                add(quoted());
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
                countUnquoted(i - start);
                add(text(start, i));
                position = i + 1;
                if (buffer[i] == ',') {
                    return false;
                }
                position = i;
                endOfLine();
                return true;
            }
            countUnquoted(end - start);
            append(start, end);
            position = end;
            if (!fill()) {
                add(spanning.isEmpty() ? null : spanning.toString());
                return true;
            }
        }
    }

    /** The field's text from the buffer, with what an earlier block held; {@code null} when empty. */
    private String text(int start, int end) {
        if (spanning.isEmpty()) {
            return start == end ? null : new String(buffer, start, end - start);
        }
        append(start, end);
        return spanning.toString();
    }

    /** Reads a quoted field after its opening quote, through its closing quote. */
    private String quoted() throws IOException {
        spanning.setLength(0);
        lineBreaks.interrupt(); // the opening quote
        long opened = lineBreaks.count() + 1;
        while (true) {
            if (!fill()) {
                throw new CsvFormatException(source, opened, NOT_CLOSED + " opened on this line, at " + column());
            }
            int start = position;
            int i = start;
            while (i < limit && buffer[i] != '"') {
                i++;
            }
            refusePastTheBound(i - start, opened);
            lineBreaks.scan(buffer, start, i);
            append(start, i);
            position = i;
            if (i == limit) {
                continue;
            }
            position++; // the quote
            lineBreaks.interrupt();
            if (fill() && buffer[position] == '"') {
                refusePastTheBound(1, opened);
                reserve(spanning.length() + 1);
                spanning.append('"');
                position++;
                continue;
            }
            return spanning.toString();
        }
    }

    /**
     * Appends {@code buffer[start, end)} to the value, growing it no further than the bound: where doubling would go
     * past it, the value would take twice the memory the bound allows.
     */
    private void append(int start, int end) {
        reserve(spanning.length() + end - start);
        spanning.append(buffer, start, end - start);
    }

    /** Makes room for {@code needed} characters in the value, growing it no further than the bound. */
    private void reserve(int needed) {
        if (needed > spanning.capacity()) {
            int capacity = (int) Math.min(Math.max(needed, 2L * spanning.capacity()), maxRowChars);
            spanning = new StringBuilder(capacity).append(spanning);
        }
    }

    /** Refuses a quoted value that would take its row past the bound with {@code n} more characters. */
    private void refusePastTheBound(int n, long opened) {
        if (recordChars + spanning.length() + n > maxRowChars) {
            throw new CsvFormatException(
                    source,
                    opened,
                    "the row's values run past " + maxRowChars + " characters, the most a row may hold, in the quoted"
                            + " value of " + column() + " that opens on this line: a closing quote is missing, or the"
                            + " value is too large for a delta");
        }
    }

    /** Counts {@code n} characters of an unquoted value, refusing a row that goes past the bound with them. */
    private void countUnquoted(int n) {
        if (recordChars + spanning.length() + n > maxRowChars) {
            throw new CsvFormatException(
                    source,
                    lineBreaks.count() + 1,
                    "the row's values run past " + maxRowChars + " characters, the most a row may hold, in "
                            + column());
        }
    }

    /** The field being read, as errors name it: its number, and its name once the header is read. */
    private String column() {
        int number = fieldCount + 1;
        return "column " + number
                + (header != null && number <= header.size() ? " (" + header.get(number - 1) + ")" : "");
    }

    /** Adds a field to the record, keeping it if the record may have that many. */
    private void add(String field) {
        if (fieldCount++ < keptFields) {
            fields.add(field);
        }
        recordChars += field == null ? 0 : field.length();
        if (spanning.capacity() > 1 << 20) {
            spanning = new StringBuilder(); // lets a large value go
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
