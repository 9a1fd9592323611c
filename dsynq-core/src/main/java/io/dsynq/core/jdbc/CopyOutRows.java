package io.dsynq.core.jdbc;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads PostgreSQL's {@code COPY … TO STDOUT} text format as it streams in, and hands each row on as canonical text:
 * fields split at tabs, {@code \N} as NULL, the backslash escapes undone, each value turned canonical.
 */
final class CopyOutRows extends OutputStream {

    private final List<Column> columns;

    private final Consumer<String[]> rows;

    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);

    private long count;

    CopyOutRows(List<Column> columns, Consumer<String[]> rows) {
        this.columns = columns;
        this.rows = rows;
    }

    long rows() {
        return count;
    }

    @Override
    public void write(int b) {
        if (b == '\n') {
            row(line.toString(StandardCharsets.UTF_8));
            line.reset();
        } else {
            line.write(b);
        }
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        int start = offset;
        for (int i = offset; i < offset + length; i++) {
            if (bytes[i] == '\n') {
                line.write(bytes, start, i - start);
                row(line.toString(StandardCharsets.UTF_8));
                line.reset();
                start = i + 1;
            }
        }
        line.write(bytes, start, offset + length - start);
    }

    private void row(String text) {
        String[] values = new String[columns.size()];
        int field = 0;
        int start = 0;
        for (int i = 0; i <= text.length(); i++) {
            if (i == text.length() || text.charAt(i) == '\t') {
                values[field] = PostgresText.canonical(columns.get(field), unescape(text, start, i));
                field++;
                start = i + 1;
            }
        }
        count++;
        rows.accept(values);
    }

    private static String unescape(String text, int from, int to) {
        if (to - from == 2 && text.charAt(from) == '\\' && text.charAt(from + 1) == 'N') {
            return null;
        }
        int backslash = text.indexOf('\\', from);
        if (backslash < 0 || backslash >= to) {
            return text.substring(from, to);
        }
        StringBuilder value = new StringBuilder(to - from);
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c != '\\' || i + 1 == to) {
                value.append(c);
                continue;
            }
            char next = text.charAt(++i);
            value.append(
                    switch (next) {
                        case 't' -> '\t';
                        case 'n' -> '\n';
                        case 'r' -> '\r';
                        case 'b' -> '\b';
                        case 'f' -> '\f';
                        case 'v' -> '\u000B';
                        default -> next;
                    });
        }
        return value.toString();
    }
}
