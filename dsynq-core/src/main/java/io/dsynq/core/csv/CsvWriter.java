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
 * editor trimming lines would take away; NULL is written as nothing. Not thread-safe.
 *
 * <p>Written here rather than with Commons CSV's printer because its minimal quoting cannot write an empty
 * string as {@code ""} anywhere but first on a line, which would make it NULL.
 */
public final class CsvWriter implements Closeable, Flushable {

    private final Writer out;

    private final int width;

    private final StringBuilder line = new StringBuilder(256);

    CsvWriter(Writer out, List<String> header) {
        this.out = new BufferedWriter(out, 1 << 16);
        this.width = header.size();
        write(header.toArray(String[]::new));
    }

    /** Writes one row; it must have as many values as the header. */
    public void write(String... values) {
        if (values.length != width) {
            throw new IllegalArgumentException(
                    "a row of " + values.length + " values for a header of " + width + " columns");
        }
        if (width == 1 && values[0] == null) {
            throw new IllegalArgumentException("a one-column row cannot hold NULL in this CSV dialect");
        }
        line.setLength(0);
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                line.append(',');
            }
            appendField(line, values[i]);
        }
        line.append('\n');
        try {
            out.append(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void appendField(StringBuilder out, String value) {
        if (value == null) {
            return;
        }
        if (value.isEmpty()) {
            out.append("\"\"");
            return;
        }
        boolean quote = blank(value.charAt(0)) || blank(value.charAt(value.length() - 1));
        for (int i = 0; i < value.length() && !quote; i++) {
            char c = value.charAt(i);
            quote = c == ',' || c == '"' || c == '\n' || c == '\r';
        }
        if (!quote) {
            out.append(value);
            return;
        }
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"') {
                out.append('"');
            }
            out.append(c);
        }
        out.append('"');
    }

    /** Whether {@code c} shows as nothing, or as a mere space: white space, a no-break space, a control character. */
    private static boolean blank(char c) {
        return c <= ' ' || Character.isWhitespace(c) || Character.isSpaceChar(c);
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
