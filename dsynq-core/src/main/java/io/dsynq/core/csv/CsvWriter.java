package io.dsynq.core.csv;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.List;

/**
 * Writes rows in the {@link CsvDialect}: a field is quoted only when it must be (a comma, quote or line break,
 * or the empty string) or when it begins or ends with white space, which a reviewer could not see otherwise and an
 * editor trimming lines would take away, or when it reads as a merge conflict marker ({@code =======}), which the
 * reader refuses unquoted; NULL is written as nothing. Not thread-safe.
 *
 * <p>Written here rather than with Commons CSV's printer because its minimal quoting cannot write an empty
 * string as {@code ""} anywhere but first on a line, which would make it NULL.
 */
public final class CsvWriter implements Closeable, Flushable {

    private final Writer out;

    private final int width;

    CsvWriter(Writer out, List<String> header) {
        this.out = new BufferedWriter(out, 1 << 16);
        this.width = header.size();
        write(header.toArray(String[]::new));
    }

    /**
     * Writes one row; it must have as many values as the header. The fields go straight to the buffered output, not
     * through a line of their own: a row holding a value of many megabytes was copied into a line that grew by
     * doubling, and kept at that size.
     */
    public void write(String... values) {
        if (values.length != width) {
            throw new IllegalArgumentException(
                    "a row of " + values.length + " values for a header of " + width + " columns");
        }
        if (width == 1 && values[0] == null) {
            throw new IllegalArgumentException("a one-column row cannot hold NULL in this CSV dialect");
        }
        try {
            for (int i = 0; i < values.length; i++) {
                if (i > 0) {
                    out.write(',');
                }
                writeField(out, values[i]);
            }
            out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void writeField(Writer out, String value) throws IOException {
        if (value == null) {
            return;
        }
        if (value.isEmpty()) {
            out.write("\"\"");
            return;
        }
        boolean quote = blank(value.charAt(0))
                || blank(value.charAt(value.length() - 1))
                || CsvReader.conflictMarker(value); // else read as a line Git left
        for (int i = 0; i < value.length() && !quote; i++) {
            quote = mustQuote(value.charAt(i));
        }
        if (!quote) {
            out.write(value);
            return;
        }
        out.write('"');
        int from = 0;
        for (int i = value.indexOf('"'); i >= 0; i = value.indexOf('"', i + 1)) {
            out.write(value, from, i + 1 - from); // the quote, doubled by writing it again next
            from = i;
        }
        out.write(value, from, value.length() - from);
        out.write('"');
    }

    private static boolean mustQuote(char c) {
        return c == ',' || c == '"' || c == '\n' || c == '\r';
    }

    /**
     * Whether {@code c} shows as nothing, or as a mere space: white space, a no-break space, a control or format
     * character (DEL, U+0085, a zero-width space, a byte order mark).
     */
    private static boolean blank(char c) {
        int type = Character.getType(c);
        return c <= ' '
                || Character.isWhitespace(c)
                || Character.isSpaceChar(c)
                || type == Character.CONTROL
                || type == Character.FORMAT;
    }

    @Override
    public void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
