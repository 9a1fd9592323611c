package io.dsynq.core.jdbc;

import java.util.List;
import java.util.Locale;

/**
 * The names dsynq gives its own columns in a table's staging tables and its own aliases in queries about the table's
 * rows: a prefix and a word, such as {@code dsynq_line}. The prefix is {@code dsynq_}, or where a column of the table
 * begins so (in any case, as MariaDB and H2 compare names), {@code dsynq1_}, {@code dsynq2_} and on, so that none of
 * them is one of the table's own.
 *
 * @param prefix what each name begins with
 */
public record InternalNames(String prefix) {

    /** The names for a table of {@code columns}. */
    public static InternalNames avoiding(List<Column> columns) {
        for (int i = 0; ; i++) {
            String prefix = i == 0 ? "dsynq_" : "dsynq" + i + "_";
            if (columns.stream()
                    .noneMatch(c -> c.name().toLowerCase(Locale.ROOT).startsWith(prefix))) {
                return new InternalNames(prefix);
            }
        }
    }

    /** The staging table's column of each row's line in the file. */
    public String line() {
        return name("line");
    }

    /** The staging table's column of each row's {@link Dialect#rowHash}, where it has one. */
    public String hash() {
        return name("hash");
    }

    /** The name made of the prefix and {@code word}. */
    public String name(String word) {
        return prefix + word;
    }
}
