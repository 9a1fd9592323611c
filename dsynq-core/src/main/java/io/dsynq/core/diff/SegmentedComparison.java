package io.dsynq.core.diff;

import io.dsynq.core.DsynqListener;
import io.dsynq.core.jdbc.Column;
import io.dsynq.core.jdbc.Dialect;
import io.dsynq.core.jdbc.ValueKind;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Compares one table by segment checksums (the idea data-diff made known): each server sums a hash of every row per
 * bucket of key values, both sides at once, and only the buckets whose count or sum differ are read and merged row by
 * row; a differing bucket of many rows is split again first. For tables with a single integer key the databases
 * keep, both sides on the same engine, since a row's hash is the same only where the server prints its values the
 * same. Not thread-safe: one per table.
 */
final class SegmentedComparison {

    /** Rows per bucket aimed at: what is read when a bucket differs. */
    private static final long BUCKET_ROWS = 250;

    /** A differing bucket of more rows is split again rather than read. */
    private static final long READ_AT_MOST = 2_000;

    private static final long MAX_BUCKETS = 200_000;

    /** Key ranges read by one query. */
    private static final int RANGES_PER_READ = 100;

    private record Checksum(long count, BigDecimal sum) {}

    /** A side's key range: both ends come from the key's index, without a scan. */
    private record Stats(BigInteger min, BigInteger max) {}

    /**
     * Keys from ±2^62 on, or ranges from 2^62 wide, are not divided into buckets: a bucket's end or a key's distance
     * from the range's start would overflow a {@code bigint}.
     */
    private static final BigInteger WIDEST = BigInteger.ONE.shiftLeft(62);

    private final TablePair pair;

    private final Connection target;

    private final Dialect targetDialect;

    private final Connection source;

    private final Dialect sourceDialect;

    private final TableDiffer differ;

    private final DsynqListener listener;

    /** Differing key ranges not read yet, in key order. */
    private final List<long[]> pending = new java.util.ArrayList<>();

    private long checksumQueries;

    private long rangesRead;

    private long targetRows;

    private long sourceRows;

    SegmentedComparison(
            TablePair pair,
            Connection target,
            Dialect targetDialect,
            Connection source,
            Dialect sourceDialect,
            TableDiffer differ,
            DsynqListener listener) {
        this.pair = pair;
        this.target = target;
        this.targetDialect = targetDialect;
        this.source = source;
        this.sourceDialect = sourceDialect;
        this.differ = differ;
        this.listener = listener;
    }

    /**
     * Why segment checksums cannot compare any table of these two engines, or {@code null} where they may: they hash
     * a row as its engine holds it, so both sides must be of one engine, one that has them.
     */
    static String unavailable(Dialect targetDialect, Dialect sourceDialect) {
        if (!targetDialect.name().equals(sourceDialect.name())) {
            return "the target is on " + targetDialect.name() + " and the source on " + sourceDialect.name()
                    + ", and segment checksums compare rows of one engine (both on PostgreSQL, or both on MariaDB)";
        }
        if (targetDialect.name().equals("H2")) {
            return "segment checksums work on PostgreSQL and MariaDB, not on H2";
        }
        return null;
    }

    /**
     * Why segment checksums cannot compare this table, or {@code null} where they can. Only for a key both databases
     * keep unique and NOT NULL: the checksums skip a row whose key is NULL, and two rows of one key cancel in a
     * bucket's sum, where a full comparison sees both.
     */
    static String unavailable(TablePair pair, Dialect targetDialect, Dialect sourceDialect) {
        String engines = unavailable(targetDialect, sourceDialect);
        if (engines != null) {
            return engines;
        }
        String need = "; segment checksums need a single integer key that both databases keep";
        if (pair.wholeRow()) {
            return "its rows are identified by all their values (dsynq.keys)" + need;
        }
        String key = String.join(
                ", ",
                pair.targetKey().stream()
                        .map(c -> targetDialect.displayName(c.name()))
                        .toList());
        if (pair.key().length != 1) {
            return "its key (" + key + ") has " + pair.key().length + " columns" + need;
        }
        // a source keeping another key, where the target's is declared (dsynq.keys) to compare by
        if (!pair.target().keyIsUnique()
                || !pair.source().keyIsUnique()
                || !pair.source().key().equals(List.of(pair.sourceKey().get(0).name()))) {
            return "its key (" + key + ") is one declared in dsynq.keys, not one both databases keep" + need;
        }
        Column column = pair.targetKey().get(0);
        if (column.kind() != ValueKind.INTEGER || pair.sourceKey().get(0).kind() != ValueKind.INTEGER) {
            return "its key (" + key + ") is no integer" + need;
        }
        if (targetDialect.segmentChecksums(pair.target().ref(), column, pair.targetColumns(), 0, 1, 0) == null
                || sourceDialect.segmentChecksums(
                                pair.source().ref(), pair.sourceKey().get(0), pair.sourceColumns(), 0, 1, 0)
                        == null) {
            return "segment checksums need PostgreSQL databases in UTF8";
        }
        return null;
    }

    /** Both sides' key values together, from {@code from} to {@code to}; empty when {@code to < from}. */
    record KeyRange(long from, long to) {

        /** As many keys as the range holds: 0 when both tables are empty. */
        long span() {
            return to - from + 1;
        }
    }

    /**
     * Both sides' key values together, to choose the mode by and compare in; {@code null} where segments cannot
     * divide them: a key of ±2^62 or beyond (near the least or greatest {@code bigint}, or an unsigned one above), or
     * a span of 2^62 or more.
     */
    static KeyRange keyRange(
            TablePair pair, Connection target, Dialect targetDialect, Connection source, Dialect sourceDialect)
            throws SQLException {
        Stats t = stats(target, targetDialect, pair, true);
        Stats s = stats(source, sourceDialect, pair, false);
        if (t == null && s == null) {
            return new KeyRange(0, -1);
        }
        BigInteger min = t == null ? s.min() : s == null ? t.min() : t.min().min(s.min());
        BigInteger max = t == null ? s.max() : s == null ? t.max() : t.max().max(s.max());
        BigInteger span = max.subtract(min).add(BigInteger.ONE);
        return min.negate().compareTo(WIDEST) >= 0 || max.compareTo(WIDEST) >= 0 || span.compareTo(WIDEST) >= 0
                ? null
                : new KeyRange(min.longValueExact(), max.longValueExact());
    }

    /** Compares the table over its {@link #keyRange} and writes its files through the differ. */
    DiffResult.TableDiff run(KeyRange range) throws SQLException {
        if (range.span() == 0) {
            return differ.result(0, 0);
        }
        // as many buckets as if the keys were dense; the counts come with the checksums
        compare(range.from(), range.to(), range.span(), true);
        flush();
        listener.debug(
                "  " + pair.name() + ": " + checksumQueries + " checksum queries, " + rangesRead + " key ranges read");
        return differ.result(targetRows, sourceRows);
    }

    private void compare(long from, long to, long rows, boolean top) throws SQLException {
        long span = to - from + 1; // keys and span below 2^62: keyRange
        long buckets = Math.max(1, Math.min(MAX_BUCKETS, rows / BUCKET_ROWS));
        long width = Math.max(1, (span + buckets - 1) / buckets);
        checksumQueries++;
        if (top) {
            listener.info(String.format(
                    Locale.ROOT,
                    "  %s: checksums of %,d key range%s on both servers at once",
                    pair.name(),
                    buckets,
                    buckets == 1 ? "" : "s"));
        }
        long started = System.nanoTime();
        long expected = rows;
        List<Map<Long, Checksum>> sums =
                both(target, source, connection -> checksums(connection, from, to, width, expected));
        listener.debug(String.format(
                Locale.ROOT,
                "  %s: checksums of %,d buckets of keys %d to %d in %,d ms",
                pair.name(),
                buckets,
                from,
                to,
                (System.nanoTime() - started) / 1_000_000));
        if (top) {
            targetRows =
                    sums.get(0).values().stream().mapToLong(Checksum::count).sum();
            sourceRows =
                    sums.get(1).values().stream().mapToLong(Checksum::count).sum();
        }
        TreeSet<Long> keys = new TreeSet<>(sums.get(0).keySet());
        keys.addAll(sums.get(1).keySet());
        for (long bucket : keys) {
            Checksum a = sums.get(0).get(bucket);
            Checksum b = sums.get(1).get(bucket);
            if (a != null && b != null && a.count() == b.count() && a.sum().compareTo(b.sum()) == 0) {
                continue;
            }
            long low = from + bucket * width;
            long high = Math.min(to, low + width - 1);
            long count = Math.max(a == null ? 0 : a.count(), b == null ? 0 : b.count());
            if (count > READ_AT_MOST && width > 1) {
                flush();
                compare(low, high, count, false);
            } else if (!pending.isEmpty() && pending.get(pending.size() - 1)[1] + 1 == low) {
                pending.get(pending.size() - 1)[1] = high;
            } else {
                if (pending.size() == RANGES_PER_READ) {
                    flush();
                }
                pending.add(new long[] {low, high});
            }
        }
    }

    /** Reads and merges the pending key ranges, in one query per side. */
    private void flush() throws SQLException {
        if (pending.isEmpty()) {
            return;
        }
        rangesRead += pending.size();
        differ.rangesRead(rangesRead);
        long[] bounds = new long[pending.size() * 2];
        for (int i = 0; i < pending.size(); i++) {
            bounds[2 * i] = pending.get(i)[0];
            bounds[2 * i + 1] = pending.get(i)[1];
        }
        String targetSql = DiffEngine.select(
                targetDialect, pair.target().ref(), pair.targetColumns(), pair.targetKey(), pending.size());
        String sourceSql = DiffEngine.select(
                sourceDialect, pair.source().ref(), pair.sourceColumns(), pair.sourceKey(), pending.size());
        pending.clear();
        try (RowStream t = new RowStream(
                        "target", target, targetDialect, targetSql, pair.targetColumns(), pair.key(), bounds);
                RowStream s = new RowStream(
                        "source", source, sourceDialect, sourceSql, pair.sourceColumns(), pair.key(), bounds)) {
            differ.merge(t, s);
        }
        if (differ.progressDue()) {
            differ.progress();
        }
    }

    private Map<Long, Checksum> checksums(Connection connection, long from, long to, long width, long expected)
            throws SQLException {
        boolean isTarget = connection == target;
        Dialect dialect = isTarget ? targetDialect : sourceDialect;
        Column key = (isTarget ? pair.targetKey() : pair.sourceKey()).get(0);
        List<Column> columns = isTarget ? pair.targetColumns() : pair.sourceColumns();
        String sql = dialect.segmentChecksums(
                (isTarget ? pair.target() : pair.source()).ref(), key, columns, from, width, to);
        Map<Long, Checksum> sums = new HashMap<>();
        // the settings last until the end of a transaction of its own, or of a savepoint in the diff's snapshot
        boolean autoCommit = connection.getAutoCommit();
        java.sql.Savepoint savepoint = null;
        if (autoCommit) {
            connection.setAutoCommit(false);
        } else {
            savepoint = connection.setSavepoint();
        }
        try {
            try (java.sql.Statement settings = connection.createStatement()) {
                for (String setting : dialect.segmentSettings(expected)) {
                    settings.execute(setting);
                }
            }
            try (PreparedStatement statement = connection.prepareStatement(sql);
                    ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    sums.put(
                            rows.getLong(1),
                            new Checksum(
                                    rows.getLong(2),
                                    Objects.requireNonNullElse(rows.getBigDecimal(3), BigDecimal.ZERO)));
                }
            }
        } finally {
            if (autoCommit) {
                connection.rollback();
                connection.setAutoCommit(true);
            } else {
                connection.rollback(savepoint);
            }
        }
        return sums;
    }

    private static Stats stats(Connection connection, Dialect dialect, TablePair pair, boolean isTarget)
            throws SQLException {
        Column key = (isTarget ? pair.targetKey() : pair.sourceKey()).get(0);
        String k = dialect.quote(key.name());
        // as decimals: MariaDB sends the least BIT(n) as text, which its driver reads as bits ("7" as 0x37)
        String sql = "SELECT CAST(MIN(" + k + ") AS DECIMAL(20, 0)), CAST(MAX(" + k + ") AS DECIMAL(20, 0)) FROM "
                + dialect.qualify((isTarget ? pair.target() : pair.source()).ref());
        try (PreparedStatement statement = connection.prepareStatement(sql);
                ResultSet row = statement.executeQuery()) {
            row.next();
            BigDecimal min = row.getBigDecimal(1);
            BigDecimal max = row.getBigDecimal(2);
            return min == null ? null : new Stats(min.toBigIntegerExact(), max.toBigIntegerExact());
        }
    }

    @FunctionalInterface
    interface Query<T> {
        T run(Connection connection) throws SQLException;
    }

    /**
     * Runs a query on both sides at once: the source's on a thread of its own. Returns [target, source]; a failure
     * names its side.
     */
    static <T> List<T> both(Connection target, Connection source, Query<T> query) throws SQLException {
        CompletableFuture<T> other = CompletableFuture.supplyAsync(() -> {
            try {
                return query.run(source);
            } catch (SQLException e) {
                throw new CompletionException(onSide("source", e));
            }
        });
        T mine;
        try {
            mine = query.run(target);
        } catch (SQLException e) {
            throw onSide("target", e);
        }
        try {
            return java.util.Arrays.asList(mine, other.join());
        } catch (CompletionException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw sql;
            }
            throw e;
        }
    }

    private static SQLException onSide(String side, SQLException e) {
        return new SQLException(
                "the " + side + "'s segment checksums: " + e.getMessage(), e.getSQLState(), e.getErrorCode(), e);
    }
}
