package io.dsynq.core.csv;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Streams the rows of one CSV file of the {@link CsvDialect}. Every row has exactly as many fields as the
 * header; anything else is a {@link CsvFormatException} naming the file and line. Not thread-safe.
 */
public final class CsvReader implements Closeable {

    private final String source;

    private final CSVParser parser;

    private final Iterator<CSVRecord> records;

    private final List<String> header;

    /** The number of line breaks consumed up to the end of the last record: the next record starts after it. */
    private long linesBefore;

    CsvReader(InputStream in, String source) {
        this.source = source;
        try {
            this.parser = CsvDialect.FORMAT.parse(skipByteOrderMark(new StrictUtf8Reader(in)));
        } catch (IOException e) {
            closeQuietly(in, e);
            throw new UncheckedIOException(e);
        }
        this.records = parser.iterator();
        try {
            CSVRecord first = nextRecord();
            this.header = first == null ? List.of() : first.toList();
            for (int i = 0; i < header.size(); i++) {
                if (header.get(i) == null || header.get(i).isEmpty()) {
                    throw new CsvFormatException(source, 1, "header column " + (i + 1) + " is empty");
                }
            }
        } catch (RuntimeException e) {
            closeQuietly(parser, e);
            throw e;
        }
    }

    private static void closeQuietly(java.io.Closeable closeable, Exception failure) {
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
            long line = linesBefore + 1;
            CSVRecord record = nextRecord();
            if (record == null) {
                return null;
            }
            if (record.size() == 1 && record.get(0) == null) {
                continue; // a blank line
            }
            if (record.size() != header.size()) {
                throw new CsvFormatException(
                        source,
                        line,
                        "the row has " + record.size() + " field" + (record.size() == 1 ? "" : "s")
                                + " but the header has " + header.size());
            }
            return new CsvRow(line, record.values());
        }
    }

    private CSVRecord nextRecord() {
        long line = linesBefore + 1;
        try {
            if (!records.hasNext()) {
                return null;
            }
            CSVRecord record = records.next();
            linesBefore = parser.getCurrentLineNumber();
            return record;
        } catch (UncheckedIOException e) {
            throw translate(e.getCause(), line);
        } catch (IllegalStateException e) {
            // Commons CSV wraps some IOExceptions this way
            if (e.getCause() instanceof IOException io) {
                throw translate(io, line);
            }
            throw e;
        }
    }

    private CsvFormatException translate(IOException e, long line) {
        if (e instanceof StrictUtf8Reader.MalformedLineException malformed) {
            return new CsvFormatException(source, malformed.line(), "the file is not valid UTF-8", e);
        }
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        if (message.contains("EOF reached before encapsulated token finished")) {
            return new CsvFormatException(source, line, "a quoted field is not closed: the file ends inside quotes", e);
        }
        if (message.contains("Invalid character between encapsulated token and delimiter")
                || message.contains("invalid char between encapsulated token and delimiter")) {
            return new CsvFormatException(
                    source,
                    line,
                    "unbalanced quotes: a closing quote must be followed by a comma or the end of the line",
                    e);
        }
        return new CsvFormatException(source, line, "cannot read the file: " + message, e);
    }

    private static Reader skipByteOrderMark(Reader reader) throws IOException {
        PushbackReader pushback = new PushbackReader(reader, 1);
        int first = pushback.read();
        if (first != -1 && first != '\uFEFF') {
            pushback.unread(first);
        }
        return pushback;
    }

    @Override
    public void close() {
        try {
            parser.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
