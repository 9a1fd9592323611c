package io.dsynq.core.diff;

import io.dsynq.core.DsynqException;
import io.dsynq.core.jdbc.Column;
import io.dsynq.core.jdbc.Dialect;
import io.dsynq.core.jdbc.ValueCodec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One side of a diff: a query's rows as canonical text, read on a thread of its own and handed over in batches
 * through a bounded queue, so both sides stream at once and memory stays flat whatever the table's size. Each row's
 * key is checked to come after the one before. One consumer thread; {@link #close()} stops the reader.
 */
final class RowStream implements AutoCloseable {

    private static final int BATCH = 1000;

    private static final List<String[]> END = new ArrayList<>();

    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(8);

    private final Thread thread;

    private final String side;

    private volatile boolean closed;

    private List<String[]> batch = List.of();

    private int position;

    private long rows;

    /**
     * Starts reading.
     *
     * @param side {@code target} or {@code source}, for messages and the thread's name
     * @param columns the columns {@code sql} selects, in order
     */
    RowStream(String side, Connection connection, Dialect dialect, String sql, List<Column> columns) {
        this(side, connection, dialect, sql, columns, new int[0]);
    }

    /**
     * Starts reading.
     *
     * @param side {@code target} or {@code source}, for messages and the thread's name
     * @param columns the columns {@code sql} selects, in order
     * @param key the positions of the key's columns among them, which name a row whose value cannot be read
     * @param parameters bound to the query's parameters in order
     */
    RowStream(
            String side,
            Connection connection,
            Dialect dialect,
            String sql,
            List<Column> columns,
            int[] key,
            long... parameters) {
        this.side = side;
        thread = new Thread(() -> read(connection, dialect, sql, columns, key, parameters), "dsynq diff " + side);
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Whether a query is streamed out with the engine's {@link Dialect#copyOut} rather than read through a result
     * set: where the engine can, and the query has no parameters. On PostgreSQL that is binary {@code COPY}, which
     * costs the server a third less than printing the rows as text and skips the driver's result set.
     */
    static boolean copies(Dialect dialect, boolean parameters) {
        return !parameters && dialect.canCopyOut();
    }

    /** Thrown into the copy to end it early, once the consumer has closed the stream. */
    private static final class Stopped extends RuntimeException {
        Stopped() {
            super(null, null, false, false);
        }
    }

    private void read(
            Connection connection, Dialect dialect, String sql, List<Column> columns, int[] key, long[] parameters) {
        try {
            if (copies(dialect, parameters.length > 0)) {
                copy(connection, dialect, sql, columns);
                hand(END);
                return;
            }
            // PostgreSQL streams through a cursor only in a transaction; the diff's snapshot is one already
            boolean autoCommit = connection.getAutoCommit();
            if (autoCommit) {
                connection.setAutoCommit(false);
            }
            try (PreparedStatement statement =
                    connection.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
                statement.setFetchSize(BATCH * 10);
                for (int i = 0; i < parameters.length; i++) {
                    statement.setLong(i + 1, parameters[i]);
                }
                try (ResultSet result = statement.executeQuery()) {
                    List<String[]> rows = new ArrayList<>(BATCH);
                    int width = columns.size();
                    while (!closed && result.next()) {
                        String[] row = new String[width];
                        for (int i = 0; i < width; i++) {
                            try {
                                row[i] = dialect.read(result, i + 1, columns.get(i));
                            } catch (SQLException e) {
                                throw inRow(result, columns, key, e);
                            }
                        }
                        rows.add(row);
                        if (rows.size() == BATCH) {
                            hand(rows);
                            rows = new ArrayList<>(BATCH);
                        }
                    }
                    if (!rows.isEmpty()) {
                        hand(rows);
                    }
                }
            } finally {
                if (autoCommit) {
                    connection.rollback();
                    connection.setAutoCommit(true);
                }
            }
            hand(END);
        } catch (RowError e) {
            hand(e);
        } catch (SQLException e) { // the server refused or stopped the query, or the connection broke
            hand(new SQLException(
                    "reading the " + side + "'s rows: " + e.getMessage(), e.getSQLState(), e.getErrorCode(), e));
        } catch (Throwable e) { // an Error too: the consumer must hear of it rather than wait for rows forever
            hand(e);
        }
    }

    /** A value of one row that cannot be read: its message names the side and the row already. */
    private static final class RowError extends SQLException {
        RowError(String message, SQLException cause) {
            super(message, cause.getSQLState(), cause.getErrorCode(), cause);
        }
    }

    /** Streams the query out in batches; its select list is the dialect's {@link Dialect#copyOutList}. */
    private void copy(Connection connection, Dialect dialect, String sql, List<Column> columns) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        if (autoCommit) {
            connection.setAutoCommit(false);
        }
        List<List<String[]>> rows = new ArrayList<>(List.of(new ArrayList<>(BATCH)));
        try {
            dialect.copyOut(connection, sql, columns, row -> {
                if (closed) {
                    throw new Stopped();
                }
                List<String[]> current = rows.get(0);
                current.add(row);
                if (current.size() == BATCH) {
                    hand(current);
                    rows.set(0, new ArrayList<>(BATCH));
                }
            });
            if (!rows.get(0).isEmpty()) {
                hand(rows.get(0));
            }
        } catch (Stopped e) {
            // the consumer is gone
        } finally {
            if (autoCommit) {
                connection.rollback();
                connection.setAutoCommit(true);
            }
        }
    }

    /** {@code e}, a value of the current row that cannot be read, with the side and the row's key. */
    private SQLException inRow(ResultSet result, List<Column> columns, int[] key, SQLException e) throws SQLException {
        StringJoiner row = new StringJoiner(", ", "(", ")");
        for (int k : key) {
            row.add(columns.get(k).name() + "=" + ValueCodec.show(result.getString(k + 1)));
        }
        return new RowError(
                "the " + side + "'s row" + (key.length == 0 ? "" : " with key " + row) + ": " + e.getMessage(), e);
    }

    private void hand(Object item) {
        try {
            while (!closed) {
                if (queue.offer(item, 100, TimeUnit.MILLISECONDS)) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The next row, or {@code null} after the last.
     *
     * @throws SQLException when the read failed
     */
    String[] next() throws SQLException {
        if (position == batch.size()) {
            if (batch == END) {
                return null;
            }
            Object item = take();
            if (item instanceof SQLException e) {
                throw e;
            }
            if (item instanceof RuntimeException e) {
                throw e;
            }
            if (item instanceof Error e) {
                throw e;
            }
            if (item instanceof Throwable e) {
                throw new DsynqException("reading the " + side + "'s rows failed: " + e, e);
            }
            @SuppressWarnings("unchecked")
            List<String[]> next = (List<String[]>) item;
            batch = next;
            position = 0;
            if (batch == END) {
                return null;
            }
        }
        rows++;
        return batch.get(position++);
    }

    /** The next item of the queue; fails rather than waits when the reader is gone without handing one. */
    private Object take() {
        try {
            while (true) {
                Object item = queue.poll(100, TimeUnit.MILLISECONDS);
                if (item != null) {
                    return item;
                }
                if (!thread.isAlive()) {
                    item = queue.poll(); // handed just before it ended
                    if (item != null) {
                        return item;
                    }
                    throw new DsynqException("reading the " + side + "'s rows stopped without an error or an end");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DsynqException("interrupted while reading rows", e);
        }
    }

    /** The rows handed out so far. */
    long rows() {
        return rows;
    }

    @Override
    public void close() {
        closed = true;
        queue.clear();
        try {
            thread.join(60_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
