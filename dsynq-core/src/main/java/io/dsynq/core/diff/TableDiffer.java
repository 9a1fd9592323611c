package io.dsynq.core.diff;

import io.dsynq.core.DsynqException;
import io.dsynq.core.DsynqListener;
import io.dsynq.core.csv.CsvDialect;
import io.dsynq.core.csv.CsvReader;
import io.dsynq.core.csv.CsvRow;
import io.dsynq.core.csv.CsvWriter;
import io.dsynq.core.jdbc.Column;
import io.dsynq.core.jdbc.Dialect;
import io.dsynq.core.jdbc.ForeignKey;
import io.dsynq.core.jdbc.InvalidValueException;
import io.dsynq.core.jdbc.Table;
import io.dsynq.core.jdbc.ValueCodec;
import io.dsynq.core.jdbc.ValueKind;
import io.dsynq.core.model.DeltaFile;
import io.dsynq.core.model.Operation;
import io.dsynq.core.model.TemporaryFolder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Merges one table's two sorted row streams into the rows to insert, update and delete, and writes them as delta
 * files into a folder: inserts as whole rows, deletes as keys, updates as the key and the columns that differ in at
 * least one row (collected in a temporary file first, since which columns those are is known only at the end). Not
 * thread-safe: one per table.
 */
final class TableDiffer {

    private static final long PROGRESS_NANOS = 5_000_000_000L;

    /** Keys or values the checks after the merge ask the target about in one query. */
    private static final int VALUES_PER_QUERY = 100;

    private final TablePair pair;

    private final KeyOrder order;

    /** Per column: part of the key. */
    private final boolean[] keyColumn;

    /** Per column: a float the target holds {@code -0} of as {@code 0}, which the source's {@code -0} then equals. */
    private final boolean[] zeroWithoutSign;

    /** Per column: the target sets it itself on update ({@code ON UPDATE CURRENT_TIMESTAMP}). */
    private final boolean[] autoUpdated;

    /** Per column: equal text means the same value (not so for {@code CHAR}, whose padding does not count). */
    private final boolean[] textEqualMeansSame;

    /**
     * The columns, besides the key, of times or timestamps the source holds more fractional digits of than the
     * target: a value with such digits compares and is written cut to the target's ({@link ValueMeaning}), which
     * {@link #warnOfCutFractions} tells.
     */
    private final int[] cutColumns;

    /** Per column of {@link #cutColumns}: the source's values read that hold digits the target's column cannot. */
    private final long[] cut;

    /** Per column of {@link #cutColumns}: the first such value, with its row's key. */
    private final String[] firstCut;

    private final List<String> header;

    private final Path folder;

    private final DsynqListener listener;

    private final String targetName;

    private final Dialect targetDialect;

    private final String sourceName;

    private CsvWriter inserts;

    private CsvWriter updates;

    private CsvWriter deletes;

    /**
     * The updated rows whole, each column that does not change in the row as the target holds it: the update file is
     * a projection of them, made at the end and again where {@link #carry} adds rows or columns. In the folder, whose
     * CSV files alone make the delta.
     */
    private Path updatesTemp;

    /** A unique index of the target besides the key's, and what the merge notes of it for {@link #checkUniques}. */
    private static final class UniqueIndex {

        final Table.Unique unique;

        /** Its columns' positions among the pair's. */
        final int[] positions;

        /**
         * The rows the delta gives values of it: inserted or updated, key, values; {@code null} until one. Every row
         * an update gives other values of it is there, with a NULL too: it gives up the values it held.
         */
        Path claimFile;

        CsvWriter claims;

        /** The rows in {@link #claimFile}. */
        long claimed;

        /** The values the update moves from one row to another, found by {@link #checkUniques}. */
        List<Trade> moved = List.of();

        /** The keys of the rows the update gives a NULL among its values, found by {@link #checkUniques}. */
        List<String[]> nulled = new ArrayList<>();

        UniqueIndex(Table.Unique unique, int[] positions) {
            this.unique = unique;
            this.positions = positions;
        }
    }

    /** The target's unique indexes besides the key's, over columns the diff compares; none for a whole-row table. */
    private final List<UniqueIndex> uniques = new ArrayList<>();

    /** What a claim's first column says: the row is inserted, or updated. */
    private static final String INSERTED = "insert";

    private static final String UPDATED = "update";

    private final BitSet changed = new BitSet();

    private long inserted;

    private long updated;

    private long deleted;

    private long targetRead;

    private long sourceRead;

    /** The rows of each side, read or checked by checksum, and the time the table took, from {@link #result}. */
    private long targetRows;

    private long sourceRows;

    private long millis;

    private final long start = System.nanoTime();

    private long nextProgress = start + PROGRESS_NANOS;

    /**
     * @param header the column names as the delta files write them, in the pair's column order
     * @param folder where to write the files, or {@code null} to count only
     */
    TableDiffer(
            TablePair pair,
            List<String> header,
            Path folder,
            DsynqListener listener,
            String targetName,
            Dialect targetDialect,
            String sourceName) {
        this.pair = pair;
        this.order = KeyOrder.of(pair.name().toString(), pair.targetKey(), pair.sourceKey(), pair.wholeRow());
        int width = pair.targetColumns().size();
        this.keyColumn = new boolean[width];
        this.textEqualMeansSame = new boolean[width];
        this.autoUpdated = new boolean[width];
        this.zeroWithoutSign = new boolean[width];
        List<Column> bumped = pair.target().autoUpdatedColumns();
        for (int i = 0; i < width; i++) {
            keyColumn[i] = pair.isKey(i);
            autoUpdated[i] =
                    !keyColumn[i] && bumped.contains(pair.targetColumns().get(i));
            ValueKind kind = pair.targetColumns().get(i).kind();
            zeroWithoutSign[i] =
                    (kind == ValueKind.REAL || kind == ValueKind.DOUBLE) && !targetDialect.holdsNegativeZero();
            textEqualMeansSame[i] = ValueMeaning.textEqualMeansSame(
                    pair.targetColumns().get(i), pair.sourceColumns().get(i));
        }
        this.cutColumns = IntStream.range(0, width)
                .filter(i -> !keyColumn[i]
                        && ValueMeaning.cutsFractions(
                                pair.targetColumns().get(i),
                                pair.sourceColumns().get(i)))
                .toArray();
        this.cut = new long[cutColumns.length];
        this.firstCut = new String[cutColumns.length];
        if (!pair.wholeRow()) {
            for (Table.Unique unique : pair.target().uniques()) {
                int[] positions = unique.columns().stream()
                        .mapToInt(name -> indexOf(pair.targetColumns(), name))
                        .toArray();
                if (Arrays.stream(positions).allMatch(i -> i >= 0)) {
                    uniques.add(new UniqueIndex(unique, positions));
                }
            }
        }
        this.header = header;
        this.folder = folder;
        this.listener = listener;
        this.targetName = targetName;
        this.targetDialect = targetDialect;
        this.sourceName = sourceName;
    }

    /** Merges the two streams to their ends and writes the files; returns the counts. */
    DiffResult.TableDiff run(RowStream target, RowStream source) throws SQLException {
        try {
            merge(target, source);
            return result(targetRead, sourceRead);
        } finally {
            closeQuietly();
        }
    }

    /**
     * Merges two streams over one key range to their ends, after the ranges merged before; {@link #result} ends the
     * table.
     */
    void merge(RowStream target, RowStream source) throws SQLException {
        String[] t = target.next();
        String[] s = source.next();
        String[] tKey = t == null ? null : key(t);
        String[] sKey = s == null ? null : key(s);
        long steps = 0;
        long targetBefore = targetRead;
        long sourceBefore = sourceRead;
        while (t != null || s != null) {
            int c = t == null ? 1 : s == null ? -1 : order.compare(tKey, sKey);
            boolean advanceTarget = c <= 0;
            if (c < 0) {
                delete(tKey);
            } else if (c > 0) {
                insert(s);
            } else {
                update(tKey, t, s);
            }
            // identical rows of a whole-row table come one after the other: each pairs with one copy on the other
            // side, and the copies left over are inserted or deleted one by one
            if (advanceTarget) {
                t = target.next();
                String[] next = t == null ? null : key(t);
                checkOrder(targetName, tKey, next);
                tKey = next;
            }
            if (c >= 0) {
                s = source.next();
                String[] next = s == null ? null : key(s);
                checkOrder(sourceName, sKey, next);
                sKey = next;
            }
            if ((++steps & 0xFFF) == 0 && System.nanoTime() > nextProgress) {
                targetRead = targetBefore + target.rows();
                sourceRead = sourceBefore + source.rows();
                progress();
            }
        }
        targetRead = targetBefore + target.rows();
        sourceRead = sourceBefore + source.rows();
    }

    /** Key ranges read so far where segment checksums differ; -1 where every row is read. */
    private long rangesRead = -1;

    /** Counts the key ranges whose segment checksums differ, read so far, for the progress lines. */
    void rangesRead(long ranges) {
        rangesRead = ranges;
    }

    /**
     * Prints the rows read so far of each side and the rate of both together; of segment checksums, the key ranges
     * they were read in, without a rate, which the checksums' time would make meaningless.
     */
    void progress() {
        nextProgress = System.nanoTime() + PROGRESS_NANOS;
        double seconds = (System.nanoTime() - start) / 1e9;
        listener.info(
                rangesRead < 0
                        ? String.format(
                                Locale.ROOT,
                                "  %s: %,d target and %,d source rows read, %,.0f rows/s",
                                pair.name(),
                                targetRead,
                                sourceRead,
                                (targetRead + sourceRead) / Math.max(seconds, 1e-3))
                        : String.format(
                                Locale.ROOT,
                                "  %s: %,d target and %,d source rows read in %,d key ranges that differ, so far",
                                pair.name(),
                                targetRead,
                                sourceRead,
                                rangesRead));
    }

    /** Whether a progress line is due. */
    boolean progressDue() {
        return System.nanoTime() > nextProgress;
    }

    /**
     * Closes the files and returns the counts.
     *
     * @param targetRows the target's rows, read or checked by checksum
     * @param sourceRows the source's rows, likewise
     */
    DiffResult.TableDiff result(long targetRows, long sourceRows) {
        try {
            finish();
        } finally {
            closeQuietly();
        }
        warnOfCutFractions();
        this.targetRows = targetRows;
        this.sourceRows = sourceRows;
        this.millis = (System.nanoTime() - start) / 1_000_000;
        return counts();
    }

    /** The counts of {@link #result}, with the rows {@link #carry} added since. */
    DiffResult.TableDiff counts() {
        return new DiffResult.TableDiff(
                pair.name().toString(),
                targetRows,
                sourceRows,
                inserted,
                updated,
                deleted,
                targetRead + sourceRead,
                millis);
    }

    /**
     * The checks against the target after {@link #result}, which only its database can answer: {@link
     * #checkInsertedKeys} and {@link #checkUniques}. Ends the table.
     *
     * @param targetRows the target's rows: none, and there is nothing to ask
     */
    void check(Connection target, TargetScratch scratch, long targetRows) throws SQLException {
        try {
            for (UniqueIndex u : uniques) {
                if (u.claims != null) {
                    u.claims.close();
                    u.claims = null;
                }
            }
            if (targetRows > 0) {
                checkInsertedKeys(target);
                checkTwinKeys(target);
                checkUniques(target);
            }
            checkDeltaTwins(scratch);
        } finally {
            deleteClaims();
        }
    }

    /**
     * Warns that {@code what} went unchecked, as the target cannot take the table they would be compared in; no twins
     * found. The delta is written: an apply, which checks them as it goes, refuses it whole where two meet.
     */
    private List<String[]> unchecked(String what, TargetScratch.ReadOnly e) {
        listener.warn("table " + pair.name() + ": " + what + " were not checked against one another as the "
                + targetName + " compares them: it cannot take the table they are compared in, as " + e.getMessage()
                + "; an apply refuses the delta if two of them meet");
        return null;
    }

    /**
     * Fails where two rows of the delta would hold one key, or the values of one unique index, as the target compares
     * them: keys the source tells apart and the target's collation takes for one ({@code 'A'} and {@code 'a'}, where
     * it ignores case), or values of an index the source does not have. The target can hold one of them only, and the
     * apply would fail. The rows go into a temporary table of the target's columns, which groups them as the
     * target's index would, on a connection of its own ({@link TargetScratch}): only inserted keys over text the
     * target compares loosely, and each index's values where the delta gives them to two rows or more.
     */
    private void checkDeltaTwins(TargetScratch scratch) throws SQLException {
        if (folder == null) {
            return;
        }
        List<Column> key = pair.targetKey();
        if (inserted > 1 && !pair.wholeRow() && key.stream().anyMatch(targetDialect::looseTextEquality)) {
            List<String[]> twins;
            try {
                twins = scratch.twins(
                        pair.target().ref(),
                        key,
                        key.size(),
                        folder.resolve(DeltaFile.fileName(pair.name(), Operation.INSERT)),
                        this::key);
            } catch (TargetScratch.ReadOnly e) {
                twins = unchecked("the keys of the rows the delta inserts", e);
            }
            if (twins != null) {
                throw new DsynqException("table " + pair.name() + ": the delta inserts rows " + describe(twins.get(0))
                        + " and " + describe(twins.get(1)) + ", whose keys the " + targetName + " takes for one, as"
                        + " its collation ignores case, accents or trailing spaces; "
                        + (pair.target().keyIsUnique()
                                ? "it cannot hold both"
                                : "the apply could not tell them apart (declared with dsynq.keys)")
                        + ". Give its key a collation that tells them apart, or leave one of the rows out of the"
                        + " source");
            }
        }
        for (UniqueIndex u : uniques) {
            if (u.claimed < 2 || sourceKeepsUnique(u)) {
                continue;
            }
            // the index's values, then the key's columns it does not hold, to name the rows by
            List<Integer> keyAlso = Arrays.stream(pair.key())
                    .filter(p -> Arrays.stream(u.positions).noneMatch(q -> q == p))
                    .boxed()
                    .toList();
            List<Column> columns = new ArrayList<>();
            Arrays.stream(u.positions)
                    .forEach(p -> columns.add(pair.targetColumns().get(p)));
            keyAlso.forEach(p -> columns.add(pair.targetColumns().get(p)));
            int width = u.positions.length;
            // the key of a row as staged
            Function<String[], String[]> keyOf = staged -> Arrays.stream(pair.key())
                    .mapToObj(p -> {
                        int at = indexOf(u.positions, p);
                        return staged[at >= 0 ? at : width + keyAlso.indexOf(p)];
                    })
                    .toArray(String[]::new);
            List<String[]> twins;
            try {
                twins = scratch.twins(pair.target().ref(), columns, width, u.claimFile, claim -> {
                    String[] staged = Arrays.copyOfRange(claim, 1 + key.size(), 1 + key.size() + columns.size());
                    if (!u.unique.nulls().meet(Arrays.copyOf(staged, width))) {
                        return null; // a NULL meets no other row's
                    }
                    for (int i = 0; i < keyAlso.size(); i++) {
                        staged[width + i] = claim[1 + indexOf(pair.key(), keyAlso.get(i))];
                    }
                    return staged;
                });
            } catch (TargetScratch.ReadOnly e) {
                twins = unchecked(
                        "the values the delta gives unique index " + targetDialect.displayName(u.unique.name()), e);
            } catch (TargetScratch.Refused e) {
                // a value its column's type does not take, such as a domain's CHECK
                throw new DsynqException(
                        "table " + pair.name() + ": the " + targetName + " refuses "
                                + (e.values() == null
                                        ? "a row the delta gives"
                                        : "the values " + describe(u.positions, Arrays.copyOf(e.values(), width))
                                                + " the delta gives row " + describe(keyOf.apply(e.values())))
                                + ": " + e.reason(),
                        e);
            }
            if (twins != null) {
                boolean text = columns.subList(0, width).stream().anyMatch(c -> c.kind() == ValueKind.TEXT);
                boolean padded = columns.subList(0, width).stream().anyMatch(ValueMeaning::isChar);
                String[][] rows = twins.stream().map(keyOf).toArray(String[][]::new);
                throw new DsynqException("table " + pair.name() + ": the delta gives rows " + describe(rows[0])
                        + " and " + describe(rows[1]) + " the values "
                        + describe(u.positions, Arrays.copyOf(twins.get(0), width)) + " and "
                        + describe(u.positions, Arrays.copyOf(twins.get(1), width)) + " of unique index "
                        + targetDialect.displayName(u.unique.name()) + ", which the " + targetName
                        + " holds in one row only"
                        + (padded
                                ? " (its type pads text with spaces to its length), so the apply would fail. Change"
                                        + " one of the source's rows"
                                : text
                                        ? " (its collation may ignore case, accents or trailing spaces), so the apply"
                                                + " would fail. Change one of the source's rows, or give the index's"
                                                + " columns a collation that tells them apart"
                                        : ", so the apply would fail. Change one of the source's rows"));
            }
        }
    }

    /**
     * Whether the source keeps the values of index {@code u} unique as the target compares them, so that no two rows
     * of the delta give the same: a primary key or unique index of the source over some of its columns, each of the
     * same type on both sides, none of text the target compares loosely.
     */
    private boolean sourceKeepsUnique(UniqueIndex u) {
        List<String> columns = new ArrayList<>();
        for (int p : u.positions) {
            Column target = pair.targetColumns().get(p);
            Column source = pair.sourceColumns().get(p);
            if (targetDialect.looseTextEquality(target) || !target.displayType().equals(source.displayType())) {
                return false;
            }
            columns.add(source.name().toLowerCase(Locale.ROOT));
        }
        List<List<String>> kept = new ArrayList<>();
        pair.source().uniques().stream()
                // where the target's refuses rows with NULLs, the source's must refuse them too, or hold none; one
                // that refuses them unless all its values are NULL, over fewer columns, refuses fewer
                .filter(unique -> (unique.nulls() == Table.Unique.Nulls.ALL_DISTINCT
                                                        && unique.columns().size() < u.positions.length
                                                ? Table.Unique.Nulls.DISTINCT
                                                : unique.nulls())
                                        .compareTo(u.unique.nulls())
                                >= 0
                        || unique.columns().stream().allMatch(name -> pair.source()
                                .column(name)
                                .map(c -> !c.nullable())
                                .orElse(false)))
                .forEach(unique -> kept.add(unique.columns()));
        if (pair.source().keyIsUnique()) {
            kept.add(pair.source().key());
        }
        return kept.stream()
                .anyMatch(names -> names.stream().allMatch(name -> columns.contains(name.toLowerCase(Locale.ROOT))));
    }

    private static int indexOf(int[] positions, int position) {
        for (int i = 0; i < positions.length; i++) {
            if (positions[i] == position) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Fails where the target would take a key the delta inserts for a key it holds: a collation that ignores case,
     * accents or trailing spaces finds its row {@code 'usd'} under the source's {@code 'USD'}, which the merge,
     * comparing by code point, saw as two keys. The applier inserts before it deletes, so the insert would collide
     * with the row, whether the delta deletes it or not. Asks the target for the keys of the written inserts, where a
     * key column's {@link Dialect#looseTextEquality}.
     */
    private void checkInsertedKeys(Connection target) throws SQLException {
        List<Column> columns = pair.targetKey();
        if (folder == null
                || inserted == 0
                || pair.wholeRow()
                || columns.stream().noneMatch(targetDialect::looseTextEquality)) {
            return;
        }
        forEachBatch(folder.resolve(DeltaFile.fileName(pair.name(), Operation.INSERT)), rows -> {
            List<String[]> keys = rows.stream().map(this::key).toList();
            // a declared key's NULL is in no IN list: such keys are asked about NULL-safely, all at once first
            List<String[]> withNull =
                    keys.stream().filter(k -> Arrays.asList(k).contains(null)).toList();
            List<String[]> asked = anyHeld(target, columns, keys)
                    ? keys
                    : anyHeldNullSafe(target, columns, withNull) ? withNull : List.of();
            for (String[] key : asked) {
                String[] held = firstHeld(target, select() + equalTo(columns), columns, List.<String[]>of(key));
                if (held != null) {
                    throw new DsynqException("table " + pair.name() + ": the " + targetName + " takes the source's"
                            + " key " + describe(key) + " for its own " + describe(held) + ", as its collation ignores"
                            + " case, accents or trailing spaces; a delta cannot insert the one beside the other."
                            + (deletes(held)
                                    ? " Give the target's row the source's key first, or its key a collation that"
                                            + " tells them apart"
                                    // a row the delta keeps is one the source holds too
                                    : " The source holds both: change one of them there, or give the target's key a"
                                            + " collation that tells them apart"));
                }
            }
        });
    }

    /** Whether the written delta deletes the target's row of {@code key}. */
    private boolean deletes(String[] key) throws SQLException {
        Path file = folder.resolve(DeltaFile.fileName(pair.name(), Operation.DELETE));
        boolean[] found = {false};
        if (Files.exists(file)) {
            forEachBatch(file, rows -> found[0] |= rows.stream().anyMatch(row -> Arrays.equals(row, key)));
        }
        return found[0];
    }

    /** A row that takes values of a unique index from another row the same update gives other values. */
    private record Trade(String[] holder, String[] values) {}

    /**
     * Fails where the delta gives a row values of a unique index that another of the target's rows holds while the
     * apply gives them: the applier inserts, then updates, then deletes, so a row that moves to another key with its
     * {@code code} meets the row the delta deletes later, and an update meets a row that keeps the values. Rows of
     * one update that trade values in a cycle fail too where the index is checked as each row changes: whichever
     * goes first meets the next. A chain (one row takes what another gives up for new values) applies: the applier
     * updates such rows in waves. Asks the target about the values the delta gives,
     * {@value #VALUES_PER_QUERY} per query, and where it finds one, per row which other row holds them.
     */
    private void checkUniques(Connection target) throws SQLException {
        // each updated row, the rows it waits for over every index checked as each row changes
        Map<List<String>, List<Wait>> waits = new LinkedHashMap<>();
        for (UniqueIndex u : uniques) {
            if (u.claimFile == null) {
                continue;
            }
            Map<List<String>, Trade> trades = new LinkedHashMap<>();
            forEachBatch(u.claimFile, rows -> findHolders(target, u, rows, trades));
            checkHoldersUpdated(u, trades);
            u.moved = List.copyOf(trades.values());
            if (!u.unique.perRow()) {
                continue;
            }
            Map<List<String>, List<Wait>> own = new LinkedHashMap<>();
            trades.forEach((row, trade) -> own.put(row, List.of(new Wait(row, u, trade))));
            checkCycle(own);
            own.forEach((row, wait) ->
                    waits.computeIfAbsent(row, r -> new ArrayList<>()).addAll(wait));
        }
        // each index alone may hold a chain, and the rows wait for each other in a cycle over two or more
        checkCycle(waits);
    }

    /** Row {@code row} of the update waits for the row {@code trade.holder()} to give up values of {@code u}. */
    private record Wait(List<String> row, UniqueIndex u, Trade trade) {}

    /**
     * Fails where rows of the update wait for each other in a cycle: the database checks each index as each row
     * changes, so whichever row goes first meets the next, and no order applies. Depth first, without recursion.
     */
    private void checkCycle(Map<List<String>, List<Wait>> waits) {
        Set<List<String>> done = new HashSet<>();
        for (List<String> start : waits.keySet()) {
            if (done.contains(start)) {
                continue;
            }
            // the path's rows, each with the next of its waits to follow, and the waits between them
            List<List<String>> path = new ArrayList<>(List.of(start));
            List<Integer> next = new ArrayList<>(List.of(0));
            List<Wait> taken = new ArrayList<>();
            Set<List<String>> onPath = new HashSet<>(List.of(start));
            while (!path.isEmpty()) {
                int top = path.size() - 1;
                List<Wait> out = waits.get(path.get(top));
                if (next.get(top) == out.size()) {
                    done.add(path.get(top));
                    onPath.remove(path.remove(top));
                    next.remove(top);
                    if (!taken.isEmpty()) {
                        taken.remove(taken.size() - 1);
                    }
                    continue;
                }
                Wait wait = out.get(next.get(top));
                next.set(top, next.get(top) + 1);
                List<String> holder = Arrays.asList(wait.trade().holder());
                if (onPath.contains(holder)) {
                    taken.add(wait);
                    List<String> indexes = taken.subList(path.indexOf(holder), taken.size()).stream()
                            .map(w -> targetDialect.displayName(w.u().unique.name()))
                            .distinct()
                            .sorted()
                            .toList();
                    throw uniqueError(
                            wait.u(),
                            wait.row().toArray(String[]::new),
                            wait.trade(),
                            indexes.size() == 1
                                    ? "; the rows of the update trade values among them, and the database checks the"
                                            + " index as each row changes, so whichever goes first meets another."
                                            + " Change one of the target's rows first, then diff again"
                                    : "; the rows of the update trade values among them across unique indexes "
                                            + String.join(" and ", indexes) + ", which the database checks as each"
                                            + " row changes, so whichever goes first meets another. Change one of the"
                                            + " target's rows first, then diff again");
                }
                if (!done.contains(holder) && waits.containsKey(holder)) {
                    path.add(holder);
                    next.add(0);
                    taken.add(wait);
                    onPath.add(holder);
                }
            }
        }
    }

    /**
     * Asks the target about one batch of claims (whether inserted or updated, the row's key, then the values of
     * unique index {@code u} it takes): one query for all, and where it finds one, a query per claim.
     */
    private void findHolders(Connection target, UniqueIndex u, List<String[]> claims, Map<List<String>, Trade> trades)
            throws SQLException {
        List<Column> key = pair.targetKey();
        List<Column> columns =
                Arrays.stream(u.positions).mapToObj(pair.targetColumns()::get).toList();
        // a value no parameter binds (PostgreSQL's decimal NaN and infinities) is left to the apply, which names it
        claims = claims.stream()
                .filter(c -> bindable(columns, Arrays.copyOfRange(c, 1 + key.size(), c.length)))
                .toList();
        List<String[]> values = claims.stream()
                .map(c -> Arrays.copyOfRange(c, 1 + key.size(), c.length))
                .toList();
        Table.Unique.Nulls nulls = u.unique.nulls();
        // values without a NULL are asked about all at once first; a NULL that meets another claim by claim, as IS NULL
        List<String[]> whole = values.stream().filter(v -> !holdsNull(v)).toList();
        boolean wholeHeld = !whole.isEmpty() && anyHeld(target, columns, whole);
        for (int i = 0; i < claims.size(); i++) {
            String[] claim = claims.get(i);
            if (claim[0].equals(UPDATED) && holdsNull(values.get(i))) {
                u.nulled.add(Arrays.copyOfRange(claim, 1, 1 + key.size()));
            }
            if (!nulls.meet(values.get(i)) || (!holdsNull(values.get(i)) && !wholeHeld)) {
                continue; // an update to NULL, which meets no other row; or no row holds any of the values
            }
            String[] claimer = Arrays.copyOfRange(claim, 1, 1 + key.size());
            String[] holder = holderOf(target, columns, values.get(i), claimer);
            if (holder == null) {
                continue;
            }
            Trade trade = new Trade(holder, values.get(i));
            if (!claim[0].equals(UPDATED)) {
                checkHoldersUpdated(u, trades); // a row before it may fail first
                throw heldError(u, claimer, trade);
            }
            trades.put(Arrays.asList(claimer), trade); // the holder must give the values up: checkHoldersUpdated
        }
    }

    private static boolean holdsNull(String[] values) {
        return Arrays.stream(values).anyMatch(Objects::isNull);
    }

    /**
     * The key of a row of the target other than {@code claimer}'s that holds {@code values} of {@code columns} (a
     * NULL as {@code IS NULL}, which the index finds), or {@code null}. The claimer's own row holds them where an
     * update changes only their case.
     */
    private String[] holderOf(Connection target, List<Column> columns, String[] values, String[] claimer)
            throws SQLException {
        List<Column> key = pair.targetKey();
        StringJoiner held = new StringJoiner(" AND ");
        List<Column> bound = new ArrayList<>();
        List<String> row = new ArrayList<>();
        for (int c = 0; c < columns.size(); c++) {
            String name = targetDialect.quote(columns.get(c).name());
            if (values[c] == null) {
                held.add(name + " IS NULL");
            } else {
                held.add(name + " = " + targetDialect.parameter(columns.get(c)));
                bound.add(columns.get(c));
                row.add(values[c]);
            }
        }
        bound.addAll(key);
        row.addAll(Arrays.asList(claimer));
        // a declared key may hold NULL, which must not make another row's key unknown
        String own = key.stream()
                .map(c -> targetDialect.nullSafeEquals(targetDialect.quote(c.name()), targetDialect.parameter(c)))
                .collect(Collectors.joining(" AND "));
        return firstHeld(
                target,
                select() + held + " AND NOT (" + own + ")",
                bound,
                List.<String[]>of(row.toArray(String[]::new)));
    }

    /**
     * Fails unless the holder of each trade is a row the update gives other values of the index: one more pass over
     * the claims, which hold every such row, so that memory grows with the trades, not with the rows updated.
     */
    private void checkHoldersUpdated(UniqueIndex u, Map<List<String>, Trade> trades) throws SQLException {
        if (trades.isEmpty()) {
            return;
        }
        int keyWidth = pair.key().length;
        Set<List<String>> kept = new HashSet<>();
        trades.values().forEach(trade -> kept.add(Arrays.asList(trade.holder())));
        forEachBatch(u.claimFile, rows -> {
            for (String[] claim : rows) {
                if (claim[0].equals(UPDATED)) {
                    kept.remove(Arrays.asList(claim).subList(1, 1 + keyWidth));
                }
            }
        });
        for (Map.Entry<List<String>, Trade> trade : trades.entrySet()) {
            if (kept.contains(Arrays.asList(trade.getValue().holder()))) {
                throw heldError(u, trade.getKey().toArray(String[]::new), trade.getValue());
            }
        }
    }

    /**
     * Rows of a table that the database changes while the delta applies, as the target holds them (or the delta
     * inserts them), by key: {@code kept} keep a value that a parent row's update changes, whose change the
     * database carries to them until their own update sets it back; {@code nulled} are deleted after the database
     * set their value NULL for good.
     */
    record Carried(NavigableMap<String[], String[]> kept, NavigableMap<String[], String[]> nulled) {

        int size() {
            return kept.size() + nulled.size();
        }

        /**
         * The rows as the child's update file lists them: {@code nulled} with the reference at {@code columns} NULL,
         * but for columns that cannot hold it ({@code nullable} clear), which keep their value: one NULL among a
         * reference's columns is a reference to no row.
         */
        NavigableMap<String[], String[]> listed(BitSet columns, BitSet nullable) {
            NavigableMap<String[], String[]> rows = new TreeMap<>(kept);
            nulled.forEach((key, row) -> {
                String[] copy = row.clone();
                columns.stream().filter(nullable::get).forEach(i -> copy[i] = null);
                rows.put(key, copy);
            });
            return rows;
        }
    }

    /** The positions of {@code reference}'s columns among {@code child}'s, as a set. */
    static BitSet columnsOf(ForeignKey reference, TableDiffer child) {
        BitSet columns = new BitSet();
        Arrays.stream(child.positions(reference.columns())).forEach(columns::set);
        return columns;
    }

    /**
     * The rows of {@code child}, the target's and those the delta inserts, which reference, through {@code
     * reference}, values the update moves from one of this table's rows to another ({@link UniqueIndex#moved}): the
     * row giving them up changes them, and the database would carry that change to rows that keep them; and those
     * {@link #carryNulled} finds. Asks the target {@value #VALUES_PER_QUERY} values at a time. {@code null} where
     * the reference's columns are not all compared, or no unique index over them moves or sets NULL a value.
     */
    Carried referencing(Connection target, ForeignKey reference, TableDiffer child) throws SQLException {
        List<String> parentColumns = reference.parentColumns();
        UniqueIndex u = uniques.stream()
                .filter(i -> (!i.moved.isEmpty() || !i.nulled.isEmpty())
                        && i.unique.columns().size() == parentColumns.size()
                        && i.unique.columns().containsAll(parentColumns))
                .findFirst()
                .orElse(null);
        int[] referencing = child.positions(reference.columns());
        if (u == null || referencing == null) {
            return null;
        }
        // the moved values in the reference's order, bound as the parent's columns hold them
        int[] order =
                parentColumns.stream().mapToInt(u.unique.columns()::indexOf).toArray();
        List<Column> bound = Arrays.stream(order)
                .mapToObj(k -> pair.targetColumns().get(u.positions[k]))
                .toList();
        List<String[]> values = u.moved.stream()
                .map(trade ->
                        Arrays.stream(order).mapToObj(k -> trade.values()[k]).toArray(String[]::new))
                .toList();
        NavigableMap<String[], String[]> nulled = new TreeMap<>(child.order::compare);
        carryNulled(target, reference, child, u, referencing, nulled);
        return new Carried(child.holding(target, referencing, bound, values), nulled);
    }

    /**
     * The rows of {@code child} that reference, through {@code reference}, rows of this table in {@code rows}, which
     * the database changes meanwhile: those that reference {@code rows.kept()}, the target's and those the delta
     * inserts; and the rows the delta deletes that reference {@code rows.nulled()}, whose NULL the database carries
     * on to them (under any rule) before the delete. {@code null} where the reference's columns are not all compared.
     */
    Carried reaching(Connection target, ForeignKey reference, TableDiffer child, Carried rows) throws SQLException {
        int[] referencing = child.positions(reference.columns());
        int[] referenced = positions(reference.parentColumns());
        if (referencing == null || referenced == null) {
            return null;
        }
        List<Column> bound =
                Arrays.stream(referenced).mapToObj(pair.targetColumns()::get).toList();
        NavigableMap<String[], String[]> kept =
                child.holding(target, referencing, bound, valuesAt(rows.kept(), referenced));
        NavigableMap<String[], String[]> nulled = new TreeMap<>(child.order::compare);
        if (!rows.nulled().isEmpty() && Files.exists(child.deletes())) {
            nulled = child.deleted(child.holding(target, referencing, bound, valuesAt(rows.nulled(), referenced)));
        }
        return new Carried(kept, nulled);
    }

    /** The delete file this table's delta would have. */
    private Path deletes() {
        return folder.resolve(DeltaFile.fileName(pair.name(), Operation.DELETE));
    }

    /** Those of {@code rows} of this table that its delete file lists. */
    private NavigableMap<String[], String[]> deleted(NavigableMap<String[], String[]> rows) {
        NavigableMap<String[], String[]> kept = new TreeMap<>(rows);
        removeListed(deletes(), kept, keyPositions());
        NavigableMap<String[], String[]> deleted = new TreeMap<>(rows);
        deleted.keySet().removeAll(kept.keySet());
        return deleted;
    }

    /** The values of {@code rows} at {@code positions}. */
    private static List<String[]> valuesAt(NavigableMap<String[], String[]> rows, int[] positions) {
        return rows.values().stream()
                .map(row -> Arrays.stream(positions).mapToObj(i -> row[i]).toArray(String[]::new))
                .toList();
    }

    /** The positions of the {@code columns} named among this table's; {@code null} where one is not compared. */
    private int[] positions(List<String> columns) {
        int[] positions = columns.stream()
                .mapToInt(name -> indexOf(pair.targetColumns(), name))
                .toArray();
        return Arrays.stream(positions).anyMatch(i -> i < 0) ? null : positions;
    }

    /** The positions of the key's columns in a row of this table. */
    private int[] keyPositions() {
        int[] positions = new int[pair.key().length];
        Arrays.setAll(positions, i -> i);
        return positions;
    }

    /**
     * The rows of this table, the target's and those the delta inserts, whose columns at {@code referencing} hold
     * one of {@code values} (bound as {@code bound}); values with a NULL, or that no parameter binds, are left out.
     */
    private NavigableMap<String[], String[]> holding(
            Connection target, int[] referencing, List<Column> bound, List<String[]> values) throws SQLException {
        values =
                values.stream().filter(v -> !holdsNull(v) && bindable(bound, v)).toList();
        NavigableMap<String[], String[]> rows = new TreeMap<>(order::compare);
        if (values.isEmpty()) {
            return rows;
        }
        List<Column> columns = pair.targetColumns();
        // rows the delta inserts with them too: inserted before the parent's update, they would follow its change
        Path inserts = folder.resolve(DeltaFile.fileName(pair.name(), Operation.INSERT));
        if (Files.exists(inserts)) {
            Set<List<String>> held = new HashSet<>();
            values.forEach(v -> held.add(Arrays.asList(v)));
            String[] referenced = new String[referencing.length];
            forEachBatch(inserts, batch -> {
                for (String[] row : batch) {
                    for (int c = 0; c < referencing.length; c++) {
                        referenced[c] = row[referencing[c]];
                    }
                    if (held.contains(Arrays.asList(referenced))) {
                        rows.put(key(row), row);
                    }
                }
            });
        }
        List<String> names = Arrays.stream(referencing)
                .mapToObj(i -> targetDialect.quote(columns.get(i).name()))
                .toList();
        for (int from = 0; from < values.size(); from += VALUES_PER_QUERY) {
            List<String[]> batch = values.subList(from, Math.min(values.size(), from + VALUES_PER_QUERY));
            String sql = "SELECT " + targetDialect.selectList(null, columns) + " FROM "
                    + targetDialect.qualify(pair.target().ref()) + " WHERE " + in(names, bound, batch.size());
            for (String[] row : read(target, sql, bound, batch, columns, Integer.MAX_VALUE)) {
                rows.put(key(row), row);
            }
        }
        return rows;
    }

    /**
     * Adds to {@code rows} the rows of {@code child} the delta deletes that reference, {@code ON UPDATE CASCADE},
     * values of rows whose update gives them a NULL ({@link UniqueIndex#nulled}): the cascade sets their reference
     * NULL before the delete, whose reverse would hold it, and no change of the parent's back carries a NULL on.
     * Listed with their reference NULL, the row's update's reverse gives it its value back.
     */
    private void carryNulled(
            Connection target,
            ForeignKey reference,
            TableDiffer child,
            UniqueIndex u,
            int[] referencing,
            NavigableMap<String[], String[]> rows)
            throws SQLException {
        List<Column> childColumns = child.pair.targetColumns();
        if (u.nulled.isEmpty()
                || reference.updateDropsReferences()
                || !Files.exists(child.deletes())
                || Arrays.stream(referencing).noneMatch(i -> childColumns.get(i).nullable())) {
            return;
        }
        List<Column> key = pair.targetKey();
        NavigableMap<String[], String[]> found = new TreeMap<>(child.order::compare);
        for (int from = 0; from < u.nulled.size(); from += VALUES_PER_QUERY) {
            List<String[]> batch = u.nulled.subList(from, Math.min(u.nulled.size(), from + VALUES_PER_QUERY));
            StringJoiner match = new StringJoiner(" AND ");
            for (int c = 0; c < referencing.length; c++) {
                match.add("p." + targetDialect.quote(reference.parentColumns().get(c)) + " = c."
                        + targetDialect.quote(childColumns.get(referencing[c]).name()));
            }
            String sql = "SELECT " + targetDialect.selectList("c", childColumns) + " FROM "
                    + targetDialect.qualify(child.pair.target().ref()) + " c JOIN "
                    + targetDialect.qualify(pair.target().ref()) + " p ON " + match + " WHERE "
                    + in(
                            key.stream()
                                    .map(k -> "p." + targetDialect.quote(k.name()))
                                    .toList(),
                            key,
                            batch.size());
            for (String[] row : read(target, sql, key, batch, childColumns, Integer.MAX_VALUE)) {
                found.put(child.key(row), row);
            }
        }
        // only the rows the delta deletes: those it keeps reference a value the source's parent does not hold, so
        // they differ in it and their update sets it
        rows.putAll(child.deleted(found));
    }

    /**
     * A row of the delta takes values the target's row {@code trade.holder()} holds: the apply would fail, which the
     * advice explains by what the delta does with that row (in a summary, which writes no delta, as if it deleted
     * it).
     */
    private DsynqException heldError(UniqueIndex u, String[] claimer, Trade trade) {
        String[] holder = trade.holder();
        Path deletes = folder == null ? null : folder.resolve(DeltaFile.fileName(pair.name(), Operation.DELETE));
        if (deletes != null && !anyRow(deletes, row -> Arrays.equals(row, holder))) {
            int keyWidth = pair.key().length;
            boolean updated = anyRow(
                    u.claimFile,
                    claim -> claim[0].equals(UPDATED) && Arrays.equals(claim, 1, 1 + keyWidth, holder, 0, keyWidth));
            return uniqueError(
                    u,
                    claimer,
                    trade,
                    updated
                            ? " until the delta updates it; a delta inserts before it updates, so the apply would fail."
                                    + " Change the target's row first, then diff again"
                            : " and the delta keeps, so the target would hold them twice. Change one of the source's"
                                    + " rows");
        }
        return uniqueError(
                u,
                claimer,
                trade,
                "; a delta inserts and updates before it deletes, so the apply would fail. Delete the target's row"
                        + " or change its values first, then diff again");
    }

    /** Whether a row of the CSV file {@code file}, if there is one, is as {@code wanted} wants. */
    private static boolean anyRow(Path file, Predicate<String[]> wanted) {
        return Files.exists(file) && firstRow(file, row -> wanted.test(row.values())) != null;
    }

    /** The first row of the CSV file {@code file} that is as {@code wanted} wants, or {@code null}. */
    static CsvRow firstRow(Path file, Predicate<CsvRow> wanted) {
        try (InputStream in = Files.newInputStream(file);
                CsvReader reader = CsvDialect.readerOfWritten(in, file.toString())) {
            for (CsvRow row; (row = reader.next()) != null; ) {
                if (wanted.test(row)) {
                    return row;
                }
            }
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private DsynqException uniqueError(UniqueIndex u, String[] claimer, Trade trade, String why) {
        return new DsynqException("table " + pair.name() + ": the delta gives row " + describe(claimer)
                + " the values " + describe(u.positions, trade.values()) + " of unique index "
                + targetDialect.displayName(u.unique.name()) + ", which row " + describe(trade.holder()) + " of the "
                + targetName
                + " holds" + why);
    }

    @FunctionalInterface
    private interface Batch {
        void handle(List<String[]> rows) throws SQLException;
    }

    /** Hands the rows of a CSV file on, {@value #VALUES_PER_QUERY} at a time. */
    private static void forEachBatch(Path file, Batch batch) throws SQLException {
        List<String[]> rows = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file);
                CsvReader reader = CsvDialect.readerOfWritten(in, file.toString())) {
            for (CsvRow line; (line = reader.next()) != null; ) {
                rows.add(line.values());
                if (rows.size() == VALUES_PER_QUERY) {
                    batch.handle(rows);
                    rows.clear();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!rows.isEmpty()) {
            batch.handle(rows);
        }
    }

    /**
     * Fails where the delta updates or deletes a row by a key that the target's collation takes for another row's
     * too: a key declared with {@code dsynq.keys}, which no index of the target keeps unique, over text it compares
     * loosely ({@code 'A'} and {@code 'a'} on MariaDB). The apply would find two rows for the key and refuse. Such a
     * key has no index, so the target is asked once whether it holds a key twice at all, counting them (0.16 s for
     * 300,000 rows on MariaDB, where grouping them takes 1.8 s; not where a nullable key column is not text); only
     * then for the keys it holds twice and their spellings, among which the written updates' and deletes' keys are
     * looked up.
     */
    private void checkTwinKeys(Connection target) throws SQLException {
        List<Column> columns = pair.targetKey();
        if (folder == null
                || updated + deleted == 0
                || pair.wholeRow()
                || pair.target().keyIsUnique()
                || columns.stream().noneMatch(targetDialect::looseTextEquality)) {
            return;
        }
        if (columns.stream().allMatch(c -> !c.nullable() || c.kind() == ValueKind.TEXT)) {
            List<String> distinct = new ArrayList<>();
            for (Column c : columns) {
                String name = targetDialect.quote(c.name());
                if (c.nullable()) { // a NULL counts as a value of its own, where COUNT(DISTINCT) would skip the row
                    distinct.add("COALESCE(" + name + ", '')");
                    distinct.add("CASE WHEN " + name + " IS NULL THEN 1 ELSE 0 END");
                } else {
                    distinct.add(name);
                }
            }
            try (java.sql.Statement statement = target.createStatement();
                    ResultSet counts = statement.executeQuery(
                            "SELECT COUNT(*), " + targetDialect.countDistinct(distinct) + " FROM "
                                    + targetDialect.qualify(pair.target().ref()))) {
                if (counts.next() && counts.getLong(1) == counts.getLong(2)) {
                    return;
                }
            }
        }
        String names = columns.stream().map(c -> targetDialect.quote(c.name())).collect(Collectors.joining(", "));
        List<String[]> twice = held(
                target,
                "SELECT " + names + " FROM "
                        + targetDialect.qualify(pair.target().ref()) + " GROUP BY " + names + " HAVING COUNT(*) > 1",
                columns,
                List.of(),
                Integer.MAX_VALUE);
        if (twice.isEmpty()) {
            return;
        }
        String spellings = select()
                + columns.stream()
                        .map(c ->
                                targetDialect.nullSafeEquals(targetDialect.quote(c.name()), targetDialect.parameter(c)))
                        .collect(Collectors.joining(" AND "));
        Map<List<String>, String[]> twinOf = new HashMap<>();
        for (String[] key : twice) {
            List<String[]> all = held(target, spellings, columns, List.<String[]>of(key), Integer.MAX_VALUE);
            for (String[] spelling : all) {
                all.stream()
                        .filter(other -> !Arrays.equals(other, spelling))
                        .findFirst()
                        .ifPresent(other -> twinOf.put(Arrays.asList(spelling), other));
            }
        }
        for (Operation operation : List.of(Operation.UPDATE, Operation.DELETE)) {
            Path file = folder.resolve(DeltaFile.fileName(pair.name(), operation));
            if (!Files.exists(file)) {
                continue;
            }
            forEachBatch(file, rows -> {
                for (String[] row : rows) {
                    String[] key = Arrays.copyOf(row, columns.size());
                    String[] twin = twinOf.get(Arrays.asList(key));
                    if (twin != null) {
                        throw new DsynqException("table " + pair.name() + ": the delta "
                                + operation.name().toLowerCase(Locale.ROOT) + "s"
                                + " row " + describe(key) + ", and the " + targetName + " holds " + describe(twin)
                                + " too, which its collation takes for the same key (declared with dsynq.keys), as it"
                                + " ignores case, accents or trailing spaces; the apply could not tell them apart."
                                + " Declare a key that tells them apart, or give its columns a collation that does");
                    }
                }
            });
        }
    }

    /** Whether each of {@code values} can be bound as a parameter of its column. */
    private static boolean bindable(List<Column> columns, String[] values) {
        for (int i = 0; i < values.length; i++) {
            try {
                ValueCodec.parse(columns.get(i), values[i]);
            } catch (InvalidValueException e) {
                return false;
            }
        }
        return true;
    }

    /** Whether the target holds any of {@code values} in {@code columns}: one query ({@code IN}). */
    private boolean anyHeld(Connection target, List<Column> columns, List<String[]> values) throws SQLException {
        String in = in(columns.stream().map(c -> targetDialect.quote(c.name())).toList(), columns, values.size());
        return firstHeld(target, select() + in, columns, values) != null;
    }

    /**
     * {@code x IN (?, ?)} or {@code (x, y) IN ((?, ?), (?, ?))}: {@code expressions} among {@code rows} rows of
     * parameters of the columns {@code bound}.
     */
    private String in(List<String> expressions, List<Column> bound, int rows) {
        String parameters = bound.stream().map(targetDialect::parameter).collect(Collectors.joining(", "));
        boolean one = bound.size() == 1;
        return (one ? expressions.get(0) : "(" + String.join(", ", expressions) + ")") + " IN ("
                + String.join(", ", Collections.nCopies(rows, one ? parameters : "(" + parameters + ")")) + ")";
    }

    /** Whether the target holds any of {@code values} of {@code columns}, NULL-safely; {@code false} for none. */
    private boolean anyHeldNullSafe(Connection target, List<Column> columns, List<String[]> values)
            throws SQLException {
        return !values.isEmpty()
                && firstHeld(
                                target,
                                select() + "("
                                        + String.join(") OR (", Collections.nCopies(values.size(), equalTo(columns)))
                                        + ")",
                                columns,
                                values)
                        != null;
    }

    /** The target's key columns of its rows where (the condition that follows). */
    private String select() {
        return "SELECT " + targetDialect.selectList(null, pair.targetKey()) + " FROM "
                + targetDialect.qualify(pair.target().ref()) + " WHERE ";
    }

    /** {@code a = ? AND b = ?} over {@code columns}, NULL-safe where a column may hold NULL (a declared key's). */
    private String equalTo(List<Column> columns) {
        return columns.stream()
                .map(c -> c.nullable()
                        ? targetDialect.nullSafeEquals(targetDialect.quote(c.name()), targetDialect.parameter(c))
                        : targetDialect.quote(c.name()) + " = " + targetDialect.parameter(c))
                .collect(Collectors.joining(" AND "));
    }

    /**
     * The key of the first row {@code sql} finds with {@code values} bound, each row of them against
     * {@code columns}, or {@code null}.
     */
    private String[] firstHeld(Connection target, String sql, List<Column> columns, List<String[]> values)
            throws SQLException {
        List<String[]> held = held(target, sql, columns, values, 1);
        return held.isEmpty() ? null : held.get(0);
    }

    /** The keys of the first {@code limit} rows {@code sql} finds, bound as {@link #firstHeld} binds them. */
    private List<String[]> held(Connection target, String sql, List<Column> columns, List<String[]> values, int limit)
            throws SQLException {
        return read(target, sql, columns, values, pair.targetKey(), limit);
    }

    /**
     * The values of {@code read} of the first {@code limit} rows {@code sql} selects, with {@code values} bound, each
     * row of them against {@code columns}.
     */
    private List<String[]> read(
            Connection target, String sql, List<Column> columns, List<String[]> values, List<Column> read, int limit)
            throws SQLException {
        try (PreparedStatement statement = target.prepareStatement(sql)) {
            int index = 1;
            for (String[] row : values) {
                for (int c = 0; c < row.length; c++) {
                    try {
                        targetDialect.bind(
                                statement, index++, columns.get(c), ValueCodec.parse(columns.get(c), row[c]));
                    } catch (InvalidValueException e) {
                        throw new IllegalStateException("a value checked as it was written: " + e.getMessage(), e);
                    }
                }
            }
            List<String[]> found = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (found.size() < limit && rows.next()) {
                    String[] row = new String[read.size()];
                    for (int c = 0; c < row.length; c++) {
                        row[c] = targetDialect.read(rows, c + 1, read.get(c));
                    }
                    found.add(row);
                }
            }
            return found;
        }
    }

    /** {@code -0}, {@code -0.0}: parsed only when it begins so, since every float of a row goes through here. */
    private static boolean isNegativeZero(String value) {
        return value != null && value.startsWith("-0") && Double.parseDouble(value) == 0;
    }

    /** Stops writing after a failure; the folder is dropped by the caller. */
    void abandon() {
        closeQuietly();
        deleteClaims();
    }

    private void deleteClaims() {
        for (UniqueIndex u : uniques) {
            if (u.claims != null) {
                try {
                    u.claims.close();
                } catch (RuntimeException e) {
                    // already failing
                }
                u.claims = null;
            }
            if (u.claimFile != null) {
                try {
                    Files.deleteIfExists(u.claimFile);
                    TemporaryFolder.removed(u.claimFile);
                } catch (IOException e) {
                    // a temporary file
                }
                u.claimFile = null;
            }
        }
    }

    private static int indexOf(List<Column> columns, String name) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private String[] key(String[] row) {
        String[] key = new String[pair.key().length];
        for (int i = 0; i < key.length; i++) {
            key[i] = row[pair.key()[i]];
        }
        return key;
    }

    /** Fails unless {@code next} comes after {@code previous}: a wrong order would make a wrong delta. */
    private void checkOrder(String side, String[] previous, String[] next) {
        if (previous == null || next == null) {
            return;
        }
        int c = order.compare(previous, next);
        boolean declared = !(side.equals(targetName) ? pair.target() : pair.source()).keyIsUnique();
        if (c == 0 && declared && !pair.wholeRow()) {
            throw new DsynqException("table " + pair.name() + ": the " + side + " holds two rows with key "
                    + describe(next) + ", which does not identify its rows; declare a key that does with -Ddsynq.keys="
                    + pair.name() + ":col1+col2, or " + pair.name() + ":* to identify rows by all their values");
        }
        if (c > 0 || (c == 0 && !pair.wholeRow())) {
            throw new DsynqException("table " + pair.name() + ": the " + side + " database returned key "
                    + describe(next) + " after " + describe(previous) + (c == 0 ? ", twice" : ", out of order")
                    + "; dsynq compares keys by code point and value and cannot diff a table whose server orders"
                    + " them otherwise" + (c == 0 ? " or whose key does not identify its rows" : ""));
        }
    }

    private void insert(String[] source) {
        inserted++;
        noteCutFractions(source);
        if (folder == null) {
            return;
        }
        if (inserts == null) {
            inserts = open(Operation.INSERT, header);
        }
        String[] row = new String[source.length];
        for (int i = 0; i < row.length; i++) {
            row[i] = forTarget(i, source[i], source);
        }
        if (row.length == 1 && row[0] == null) {
            throw new DsynqException("table " + pair.name() + ", row with key " + describe(key(row))
                    + ": a delta cannot insert it: a CSV row of one NULL is a blank line, which dsynq skips");
        }
        inserts.write(row);
        claim(row, key(row), null);
    }

    private void delete(String[] targetKey) {
        deleted++;
        if (folder == null) {
            return;
        }
        if (targetKey.length == 1 && targetKey[0] == null) {
            throw new DsynqException("table " + pair.name() + ", row with key " + describe(targetKey)
                    + ": a delta cannot delete it: its file lists the key alone, and a CSV row of one NULL is a blank"
                    + " line, which dsynq skips"
                    + (header.size() > 1
                            ? "; declare a key of more columns with -Ddsynq.keys=" + pair.name() + ":col1+col2"
                            : ""));
        }
        if (deletes == null) {
            deletes = open(Operation.DELETE, keyHeader());
        }
        deletes.write(targetKey);
    }

    private void update(String[] targetKey, String[] target, String[] source) {
        noteCutFractions(source);
        boolean differs = false;
        java.util.BitSet here = null;
        for (int i = 0; i < target.length; i++) {
            if (keyColumn[i]) {
                continue;
            }
            String a = target[i];
            String b = zeroWithoutSign[i] && isNegativeZero(source[i]) ? "0" : source[i];
            if (a == null ? b == null : textEqualMeansSame[i] && a.equals(b)) {
                continue; // the common case, without a call
            }
            if (!same(i, targetKey, a, b)) {
                changed.set(i);
                if (here == null) {
                    here = new java.util.BitSet(target.length);
                }
                here.set(i);
                differs = true;
            }
        }
        if (!differs) {
            return;
        }
        for (int i = 0; i < autoUpdated.length; i++) {
            if (autoUpdated[i]) { // set as the source holds it, or the update would set it to now
                changed.set(i);
                here.set(i);
            }
        }
        updated++;
        if (folder == null) {
            return;
        }
        if (updates == null) {
            try {
                updatesTemp = Files.createTempFile(folder, "updates", ".tmp");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            updates = writer(updatesTemp, header);
        }
        // a column that differs only in other rows keeps the target's value: equal by meaning is not equal as text
        // (a timestamp(6) against a timestamp(3)), and the update must not change what the diff found equal
        String[] row = new String[target.length];
        for (int i = 0; i < row.length; i++) {
            row[i] = pair.isKey(i) || !here.get(i) ? target[i] : forTarget(i, source[i], source);
        }
        // the key as the target holds it, so the applier finds the row
        for (int k = 0; k < targetKey.length; k++) {
            row[pair.key()[k]] = targetKey[k];
        }
        updates.write(row);
        claim(row, targetKey, here);
    }

    /**
     * Whether the values of column {@code i} mean the same; a value that cannot be read as its column's type (which
     * the engines' own text should never give) stops the diff naming the row, not with a parser's exception.
     */
    private boolean same(int i, String[] targetKey, String target, String source) {
        try {
            return ValueMeaning.same(
                    pair.targetColumns().get(i), target, pair.sourceColumns().get(i), source);
        } catch (RuntimeException e) {
            throw new DsynqException(
                    "table " + pair.name() + ", row with key " + describe(targetKey) + ": cannot"
                            + " compare the target's value " + ValueCodec.show(target) + " of column " + header.get(i)
                            + " with the source's " + ValueCodec.show(source) + ": " + e.getMessage(),
                    e);
        }
    }

    /**
     * Notes the values of each unique index the delta gives a row: all of an inserted row's, an updated row's where
     * it changes one of them ({@code changed}); an inserted row's none whose NULLs meet no other row's
     * ({@link Table.Unique.Nulls#meet}). An updated row that changes them, to NULL too, gives up its old values.
     */
    private void claim(String[] row, String[] key, BitSet changed) {
        for (UniqueIndex u : uniques) {
            int[] columns = u.positions;
            if (changed != null && Arrays.stream(columns).noneMatch(changed::get)) {
                continue;
            }
            String[] values = new String[columns.length];
            for (int c = 0; c < columns.length; c++) {
                values[c] = row[columns[c]];
            }
            if (changed == null && !u.unique.nulls().meet(values)) {
                continue;
            }
            String[] claim = new String[1 + key.length + columns.length];
            claim[0] = changed == null ? INSERTED : UPDATED;
            System.arraycopy(key, 0, claim, 1, key.length);
            System.arraycopy(values, 0, claim, 1 + key.length, values.length);
            if (u.claims == null) {
                try {
                    u.claimFile = TemporaryFolder.createFile("dsynq-diff-unique", ".csv");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                List<String> names = new ArrayList<>(List.of("change"));
                names.addAll(keyHeader());
                Arrays.stream(columns).mapToObj(header::get).forEach(names::add);
                u.claims = writer(u.claimFile, names);
            }
            u.claims.write(claim);
            u.claimed++;
        }
    }

    /**
     * The source's value as the delta writes it for the target's column, checked as the applier will check it: a
     * value the column cannot hold fails here, naming the row.
     */
    private String forTarget(int index, String value, String[] sourceRow) {
        Column column = pair.targetColumns().get(index);
        try {
            String written = ValueMeaning.forTarget(column, pair.sourceColumns().get(index), value);
            ValueCodec.check(column, written);
            String refused = targetDialect.cannotHold(column, written);
            if (refused != null) {
                throw new InvalidValueException(refused);
            }
            return written;
        } catch (InvalidValueException e) {
            throw new DsynqException("table " + pair.name() + ", row with key " + describe(key(sourceRow)) + ": "
                    + (value == null
                            ? "the source holds NULL in column " + header.get(index) + ", which the " + targetName
                                    + " does not allow"
                            : "the source's value " + ValueCodec.show(value) + " of column " + header.get(index) + " "
                                    + e.getMessage()));
        }
    }

    /** Counts the source row's values of {@link #cutColumns} whose fractional digits the target cannot hold. */
    private void noteCutFractions(String[] source) {
        for (int c = 0; c < cutColumns.length; c++) {
            String value = source[cutColumns[c]];
            if (value != null
                    && ValueMeaning.dropsFraction(
                            value, pair.targetColumns().get(cutColumns[c]).scale())
                    && cut[c]++ == 0) {
                firstCut[c] = "the first in the row with key " + describe(key(source)) + ": " + value;
            }
        }
    }

    /**
     * Warns of the source's values whose fractional digits the target's column cannot hold: equal to the target's
     * cut, or written cut, they leave the target unlike the source, which the delta does not show. The rows of key
     * ranges whose segment checksums agree are not read, but such a value makes its range's checksum differ: the
     * count is of all of them.
     */
    private void warnOfCutFractions() {
        for (int c = 0; c < cutColumns.length; c++) {
            if (cut[c] == 0) {
                continue;
            }
            Column target = pair.targetColumns().get(cutColumns[c]);
            listener.warn(String.format(
                    Locale.ROOT,
                    "  %s: %,d source %s of column %s %s more fractional digits of a second than the target's %s(%d)"
                            + " holds (%s): the diff compares and writes %s cut to %d digits",
                    pair.name(),
                    cut[c],
                    cut[c] == 1 ? "value" : "values",
                    header.get(cutColumns[c]),
                    cut[c] == 1 ? "holds" : "hold",
                    target.displayType(),
                    target.scale(),
                    firstCut[c],
                    cut[c] == 1 ? "it" : "them",
                    target.scale()));
        }
    }

    /** Closes the files; the update file keeps the key and the columns that changed in some row. */
    private void finish() {
        if (inserts != null) {
            inserts.close();
            inserts = null;
        }
        if (deletes != null) {
            deletes.close();
            deletes = null;
        }
        if (updates == null) {
            return;
        }
        updates.close();
        updates = null;
        project();
        if (pair.target().foreignKeys().stream().noneMatch(ForeignKey::updateChangesChildren)) {
            try { // no parent's update changes its rows: no row is carried to it
                Files.delete(updatesTemp);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            updatesTemp = null;
        }
    }

    /**
     * Writes the update file from {@link #updatesTemp}: the key and the columns that change in some row; of a
     * reference that carries a parent's change to the table's rows ({@code ON UPDATE CASCADE}, {@code SET NULL},
     * {@code SET DEFAULT}), all its columns where one changes. A parent's update runs first and may change the others
     * of a row's, which keep their values so, and the update's reverse restores them all.
     */
    private void project() {
        BitSet listed = (BitSet) changed.clone();
        for (ForeignKey reference : pair.target().foreignKeys()) {
            int[] columns = reference.columns().stream()
                    .mapToInt(name -> indexOf(pair.targetColumns(), name))
                    .toArray();
            if (reference.updateChangesChildren()
                    && Arrays.stream(columns).allMatch(i -> i >= 0)
                    && Arrays.stream(columns).anyMatch(changed::get)) {
                Arrays.stream(columns).forEach(listed::set);
            }
        }
        List<Integer> kept = new ArrayList<>();
        for (int k : pair.key()) {
            kept.add(k);
        }
        listed.stream().forEach(kept::add);
        List<String> keptHeader = kept.stream().map(header::get).toList();
        try (InputStream in = Files.newInputStream(updatesTemp);
                CsvReader reader = CsvDialect.readerOfWritten(in, updatesTemp.toString());
                CsvWriter out = open(Operation.UPDATE, keptHeader)) {
            String[] row = new String[kept.size()];
            for (CsvRow line; (line = reader.next()) != null; ) {
                for (int i = 0; i < row.length; i++) {
                    row[i] = line.values()[kept.get(i)];
                }
                out.write(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Lists in the update file {@code rows}, whole rows by key as the target holds them or the delta inserts them,
     * with the values of {@code columns} they hold: a parent's update would change them through a reference that
     * carries its change ({@code ON UPDATE CASCADE}, {@code SET NULL}, {@code SET DEFAULT}), and the apply sets them
     * after it. Rows the file lists already keep their own values of those columns. A row the delta deletes is listed
     * too: the database would change it before the delete, whose reverse, read after the updates, would hold what it
     * set; the update's reverse gives the row its value back. Returns how many rows it added. Runs after {@link
     * #result}.
     */
    long carry(NavigableMap<String[], String[]> rows, BitSet columns) {
        boolean listed = updatesTemp != null && removeListed(updatesTemp, rows, pair.key());
        BitSet widened = (BitSet) columns.clone();
        widened.andNot(changed);
        if (rows.isEmpty() && (!listed || widened.isEmpty())) {
            return 0;
        }
        changed.or(columns);
        if (!rows.isEmpty()) {
            for (int i = 0; i < autoUpdated.length; i++) {
                if (autoUpdated[i]) { // as the row holds it, or the update would set it to now
                    changed.set(i);
                }
            }
            try {
                Path more = Files.createTempFile(folder, "updates", ".tmp");
                try (CsvWriter out = writer(more, header)) {
                    if (updatesTemp != null) {
                        try (InputStream in = Files.newInputStream(updatesTemp);
                                CsvReader reader = CsvDialect.readerOfWritten(in, updatesTemp.toString())) {
                            for (CsvRow line; (line = reader.next()) != null; ) {
                                out.write(line.values());
                            }
                        }
                        Files.delete(updatesTemp);
                    }
                    for (String[] row : rows.values()) {
                        out.write(row);
                    }
                }
                updatesTemp = more;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            updated += rows.size();
        }
        project();
        return rows.size();
    }

    /**
     * Removes from {@code rows} those whose key a row of the CSV {@code file} holds at {@code positions}; returns
     * whether it removed any.
     */
    private boolean removeListed(Path file, NavigableMap<String[], String[]> rows, int[] positions) {
        boolean removed = false;
        try (InputStream in = Files.newInputStream(file);
                CsvReader reader = CsvDialect.readerOfWritten(in, file.toString())) {
            String[] key = new String[positions.length];
            for (CsvRow line; (line = reader.next()) != null && !rows.isEmpty(); ) {
                for (int k = 0; k < key.length; k++) {
                    key[k] = line.values()[positions[k]];
                }
                removed |= rows.remove(key) != null;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return removed;
    }

    private List<String> keyHeader() {
        return Arrays.stream(pair.key()).mapToObj(header::get).toList();
    }

    private CsvWriter open(Operation operation, List<String> columns) {
        return writer(folder.resolve(DeltaFile.fileName(pair.name(), operation)), columns);
    }

    private static CsvWriter writer(Path file, List<String> columns) {
        try {
            OutputStream out = Files.newOutputStream(file);
            return CsvDialect.writer(out, columns);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Values of the columns at {@code positions}, named as the header names them. */
    private String describe(int[] positions, String[] values) {
        StringJoiner joiner = new StringJoiner(", ", "(", ")");
        for (int c = 0; c < positions.length; c++) {
            joiner.add(header.get(positions[c]) + "=" + ValueCodec.show(values[c]));
        }
        return joiner.toString();
    }

    private String describe(String[] key) {
        StringJoiner joiner = new StringJoiner(", ", "(", ")");
        for (int k = 0; k < key.length; k++) {
            joiner.add(header.get(pair.key()[k]) + "=" + (key[k] == null ? "NULL" : "'" + key[k] + "'"));
        }
        return joiner.toString();
    }

    private void closeQuietly() {
        for (CsvWriter writer : new CsvWriter[] {inserts, updates, deletes}) {
            if (writer != null) {
                try {
                    writer.close();
                } catch (RuntimeException e) {
                    // already failing
                }
            }
        }
    }
}
