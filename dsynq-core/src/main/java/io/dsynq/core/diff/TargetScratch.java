package io.dsynq.core.diff;

import io.dsynq.core.DsynqListener;
import io.dsynq.core.csv.CsvDialect;
import io.dsynq.core.csv.CsvReader;
import io.dsynq.core.csv.CsvRow;
import io.dsynq.core.jdbc.Column;
import io.dsynq.core.jdbc.Dialect;
import io.dsynq.core.jdbc.InternalNames;
import io.dsynq.core.jdbc.InvalidValueException;
import io.dsynq.core.jdbc.RefusedRowException;
import io.dsynq.core.jdbc.StagingLoader;
import io.dsynq.core.jdbc.TableRef;
import io.dsynq.core.jdbc.ValueCodec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;

/**
 * A second connection to a diff's target, outside the diff's read-only transaction (in which MariaDB creates no
 * temporary table), where rows the delta gives go into temporary tables of the target's columns, to be grouped as the
 * target's collations group them. Opened on first use; not thread-safe.
 *
 * <p>Where the target {@linkplain Dialect#stagesApart stages apart} (an H2 file database), the table is one of the
 * schema, which an apply drops as left by a process that died unless a session holds it: it is loaded and read in a
 * transaction of this connection, which holds it from the start, and is rolled back.
 */
final class TargetScratch implements AutoCloseable {

    /** Opens the connection, prepared for dsynq's statements. */
    @FunctionalInterface
    interface Opener {
        Connection open() throws SQLException;
    }

    private final Opener opener;

    private final Dialect dialect;

    private final DsynqListener listener;

    private final String token = UUID.randomUUID().toString().substring(0, 8);

    private Connection connection;

    private int tables;

    TargetScratch(Opener opener, Dialect dialect, DsynqListener listener) {
        this.opener = opener;
        this.dialect = dialect;
        this.listener = listener;
    }

    /**
     * Two rows of {@code file}, as {@code rows} makes them, that hold the same values in their first {@code grouped}
     * columns as the target compares them (the first and the last of one such group), in file order; {@code null}
     * where no two do.
     *
     * @param table the target's table whose columns {@code columns} are
     * @param rows makes the values of {@code columns} of a row of the file; {@code null} leaves the row out
     */
    List<String[]> twins(
            TableRef table, List<Column> columns, int grouped, Path file, Function<String[], String[]> rows)
            throws SQLException {
        Connection scratch = connection();
        try {
            return twins(scratch, table, columns, grouped, file, rows);
        } catch (Refused e) {
            throw e;
        } catch (SQLException e) {
            String why = dialect.readOnly(scratch);
            throw why == null ? e : new ReadOnly(why, e);
        }
    }

    private List<String[]> twins(
            Connection scratch,
            TableRef table,
            List<Column> columns,
            int grouped,
            Path file,
            Function<String[], String[]> rows)
            throws SQLException {
        InternalNames names = InternalNames.avoiding(columns);
        String staging = Dialect.STAGING_PREFIX + "twins_" + token + "_" + (++tables);
        boolean held = dialect.stagesApart();
        try (Statement statement = scratch.createStatement()) {
            statement.execute(dialect.createStaging(staging, names, table, columns));
            try {
                if (held) {
                    scratch.setAutoCommit(false);
                    statement.execute(dialect.emptyStaging(staging)); // locks it
                }
                long loaded = load(scratch, staging, names, columns, file, rows);
                listener.debug("-- " + loaded + (loaded == 1 ? " row" : " rows") + " loaded into " + staging);
                if (loaded < 2) {
                    return null;
                }
                List<Column> groupedColumns = columns.subList(0, grouped);
                List<String> quoted = groupedColumns.stream()
                        .map(c -> dialect.quote(c.name()))
                        .toList();
                // counted first: 0.1 s for 300,000 rows on MariaDB, where grouping them takes 1.9 s
                try (ResultSet counts = statement.executeQuery(
                        "SELECT COUNT(*), " + dialect.countDistinct(quoted) + " FROM " + staging)) {
                    if (counts.next() && counts.getLong(1) == counts.getLong(2)) {
                        return null;
                    }
                }
                // two lines of one group, found by them: a value read and bound again may not find its row (a
                // MariaDB FLOAT, a NaN, a NULL)
                String group = String.join(", ", quoted);
                long[] lines;
                try (ResultSet twice = statement.executeQuery("SELECT MIN(" + names.line() + "), MAX(" + names.line()
                        + ") FROM " + staging + " GROUP BY " + group + " HAVING COUNT(*) > 1")) {
                    if (!twice.next()) {
                        return null;
                    }
                    lines = new long[] {twice.getLong(1), twice.getLong(2)};
                }
                // as the delta gives them, not as the target holds them ('a' and 'a ', not 'a  ' twice in a CHAR(3))
                return List.of(rowAt(file, lines[0], rows), rowAt(file, lines[1], rows));
            } finally {
                if (held) {
                    scratch.rollback();
                    scratch.setAutoCommit(true);
                }
                statement.execute(dialect.dropStaging(staging));
            }
        }
    }

    /** The target cannot take the table, as its sessions cannot write ({@link Dialect#readOnly}). */
    static final class ReadOnly extends SQLException {

        private static final long serialVersionUID = 1L;

        ReadOnly(String why, SQLException cause) {
            super(why, cause.getSQLState(), cause);
        }
    }

    /** A row the target refused as it was loaded: its values as loaded, where the target told which row. */
    static final class Refused extends SQLException {

        private static final long serialVersionUID = 1L;

        private final transient String[] values;

        Refused(String[] values, RefusedRowException cause) {
            super(cause.getMessage(), cause.getSQLState(), cause);
            this.values = values;
        }

        /** The row's values as {@code rows} made them, or {@code null} where the target did not tell which row. */
        String[] values() {
            return values;
        }

        /** The target's words. */
        String reason() {
            return ((RefusedRowException) getCause()).reason();
        }
    }

    /**
     * Loads the rows {@code rows} makes of the file's into the staging table; returns how many.
     *
     * @throws Refused where the target refuses a row: a value its column's type does not take (a domain's CHECK)
     */
    private long load(
            Connection scratch,
            String staging,
            InternalNames names,
            List<Column> columns,
            Path file,
            Function<String[], String[]> rows)
            throws SQLException {
        long loaded = 0;
        try (InputStream in = Files.newInputStream(file);
                CsvReader reader = CsvDialect.readerOfWritten(in, file.toString());
                StagingLoader loader = dialect.loader(scratch, staging, names.line(), columns)) {
            for (CsvRow line; (line = reader.next()) != null; ) {
                String[] values = rows.apply(line.values());
                if (values != null) {
                    loader.add(line.line(), values, loader.wantsValues() ? parse(columns, values) : null);
                    loaded++;
                }
            }
            loader.finish();
        } catch (RefusedRowException e) {
            throw new Refused(e.line() > 0 ? rowAt(file, e.line(), rows) : null, e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return loaded;
    }

    /** The values {@code rows} makes of the file's row at {@code line}. */
    private static String[] rowAt(Path file, long line, Function<String[], String[]> rows) {
        CsvRow row = TableDiffer.firstRow(file, r -> r.line() == line);
        return row == null ? null : rows.apply(row.values());
    }

    private static Object[] parse(List<Column> columns, String[] texts) {
        Object[] values = new Object[texts.length];
        for (int i = 0; i < texts.length; i++) {
            try {
                values[i] = ValueCodec.parse(columns.get(i), texts[i]);
            } catch (InvalidValueException e) {
                throw new IllegalStateException("a value checked as it was written: " + e.getMessage(), e);
            }
        }
        return values;
    }

    private Connection connection() throws SQLException {
        if (connection == null) {
            connection = Objects.requireNonNull(opener.open());
        }
        return connection;
    }

    @Override
    public void close() throws SQLException {
        if (connection != null) {
            connection.close();
        }
    }
}
