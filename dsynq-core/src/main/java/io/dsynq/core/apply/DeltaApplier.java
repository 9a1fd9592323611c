package io.dsynq.core.apply;

import io.dsynq.core.DsynqException;
import io.dsynq.core.DsynqListener;
import io.dsynq.core.csv.CsvDialect;
import io.dsynq.core.csv.CsvFormatException;
import io.dsynq.core.csv.CsvReader;
import io.dsynq.core.csv.CsvRow;
import io.dsynq.core.csv.CsvWriter;
import io.dsynq.core.jdbc.Column;
import io.dsynq.core.jdbc.DatabaseCatalog;
import io.dsynq.core.jdbc.Dialect;
import io.dsynq.core.jdbc.ForeignKey;
import io.dsynq.core.jdbc.InternalNames;
import io.dsynq.core.jdbc.InvalidValueException;
import io.dsynq.core.jdbc.KeySource;
import io.dsynq.core.jdbc.RefusedRowException;
import io.dsynq.core.jdbc.StagingLoader;
import io.dsynq.core.jdbc.Table;
import io.dsynq.core.jdbc.TableRef;
import io.dsynq.core.jdbc.ValueCodec;
import io.dsynq.core.jdbc.ValueKind;
import io.dsynq.core.model.DeltaFile;
import io.dsynq.core.model.Operation;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Applies the files of one delta, or rolls one back, inside the caller's transaction (DESIGN.md section 4).
 *
 * <p>Every file is first loaded into a staging table of the target's column types, each value checked on the
 * way; then duplicates, collisions, missing rows and dangling references are found with set-based queries, the
 * before-images are read (locked) into the reverse delta, and each file becomes one set-based statement. Inserts
 * go parents first, then updates, then deletes children first; see {@link ChangeOrder} for self-references and
 * cycles. Once everything ran, the guard records what the delta left, for the drift check of a later rollback.
 *
 * <p>The staging tables are the caller's to drop once the transaction has ended ({@link StagingTables}). One
 * applier per delta; not thread-safe.
 */
final class DeltaApplier {

    private static final int CONFLICTS_SHOWN = 20;

    /**
     * How often a file that takes long to read says how far it got, as the diff does; and how long a statement runs
     * before it says what it changed. Not final: a test sets it to nothing.
     */
    static long progressNanos = 5_000_000_000L;

    /** What a set of files is for. */
    private enum Purpose {
        /** A delta to apply. */
        DELTA,
        /** The reverse delta of a rollback: a keyless table's rows are identified by all their columns. */
        REVERSE,
        /** What a forward delta left, to compare with the database before a rollback. */
        GUARD
    }

    private final JdbcTemplate jdbc;

    private final Connection connection;

    private final Dialect dialect;

    private final DatabaseCatalog catalog;

    private final StagingTables stagingTables;

    private final String where;

    private final String historyTable;

    private final DsynqListener listener;

    private final boolean fast;

    /** Whether this move rolls a delta back: rows that block it are someone else's, not the delta's to list. */
    private boolean rollingBack;

    /** What a rollback that meets a table or column a schema change took away advises. */
    private static final String UNDO_CHANGE =
            " for the delta to roll back (undo that change, roll the delta back, then make the change again)";

    private final Map<String, TableCounts> counts = new LinkedHashMap<>();

    private final Map<TableRef, List<Column>> identities = new LinkedHashMap<>();

    /** The staging tables this applier took, to {@linkplain StagingTables#release release} once it is done. */
    private final List<String> stagings = new ArrayList<>();

    /**
     * @param historyTable the history table's name: it and its companions cannot be changed by a delta
     * @param where what errors start with: the database and delta, such as {@code database hello, delta 1.000000}
     * @param fast whether to take the fast path where the delta allows: inserts straight into their tables, the
     *     database's own checks standing in for dsynq's, and {@link FastPathFailed} when it refuses anything
     */
    DeltaApplier(
            JdbcTemplate jdbc,
            Connection connection,
            DatabaseCatalog catalog,
            StagingTables stagingTables,
            String historyTable,
            String where,
            DsynqListener listener,
            boolean fast) {
        this.jdbc = jdbc;
        this.connection = connection;
        this.dialect = catalog.dialect();
        this.catalog = catalog;
        this.stagingTables = stagingTables;
        this.where = where;
        this.historyTable = historyTable;
        this.listener = listener;
        this.fast = fast;
    }

    /**
     * Applies a delta's files and writes its reverse and guard into {@code reverse}.
     *
     * @return what it did per table, in file order
     * @throws DsynqException naming the file, line and value when a file is bad or a row check fails
     */
    List<TableCounts> apply(List<DeltaFile> files, ReverseFolder reverse) {
        Map<DeltaFile, Table> tables = resolve(files);
        if (fast && fitsFastPath(tables)) {
            // its statements go back as they came, but where an update moves values rows reference, the rollback
            // may leave the fast path for the strict one, which orders the files anew
            boolean tryReverse =
                    runFast(tables, reverse, Map.of()).stream().anyMatch(DeltaApplier::changesReferencedValues);
            releaseStagings();
            if (tryReverse) {
                tryReverse(reverse);
            }
        } else {
            List<StagedFile> staged = stage(tables, Purpose.DELTA);
            run(staged, reverse, false);
            releaseStagings(); // the rollback tried next takes them again
            if (reverseMayBeRefused(staged)) {
                tryReverse(reverse);
            }
        }
        return List.copyOf(counts.values());
    }

    /**
     * Whether the reverse of a delta applied on the strict path might be refused where the delta was not: where it
     * updates values of a reference (its reverse orders the files anew, and takes back values that cascades carried),
     * or inserts or deletes rows of a table that references itself (its reverse deletes or inserts them in waves).
     * Inserts and deletes of other tables go parents first and children first both ways.
     */
    private boolean reverseMayBeRefused(List<StagedFile> files) {
        for (StagedFile file : files) {
            Table table = file.table();
            boolean update = file.file().operation() == Operation.UPDATE;
            for (ForeignKey reference : table.foreignKeys()) {
                if (update
                        ? columnsOf(table, reference.columns()).stream().anyMatch(file.values()::contains)
                        : reference.parent().equals(table.ref())) {
                    return true;
                }
            }
            if (changesReferencedValues(file)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code file} is an update that changes values of its table that a reference references. */
    private static boolean changesReferencedValues(StagedFile file) {
        Table table = file.table();
        return file.file().operation() == Operation.UPDATE
                && table.referencedBy().stream().anyMatch(r -> columnsOf(table, r.parentColumns()).stream()
                        .anyMatch(file.values()::contains));
    }

    /**
     * Rolls the delta just applied back in a savepoint, as a rollback would (the fast path first, where it fits, then
     * the strict one), and back to the savepoint: a delta whose rollback the database or dsynq would refuse is refused
     * itself, before anything of it stays, naming the reverse's file and line. Where the server stops the rollback (a
     * timeout, a cancel, resources it ran out of), the move stops, once, with the rollback's file and the server's
     * reason.
     */
    private void tryReverse(ReverseFolder reverse) {
        String rollback = where + ", its rollback";
        DsynqListener tryout = new DsynqListener() {
            @Override
            public void debug(String message) {
                listener.debug("(trying the rollback) " + message);
            }
        };
        listener.debug("-- trying the rollback in a savepoint");
        StagingTables.Mark staged = stagingTables.mark();
        Savepoint tried = savepoint();
        boolean ran = false;
        try {
            try {
                new DeltaApplier(jdbc, connection, catalog, stagingTables, historyTable, rollback, tryout, true)
                        .rollBack(reverse, false);
            } catch (FastPathFailed refused) {
                if (dialect.stoppedBy(refused)) { // the strict path would only meet the same
                    throw new DsynqException(refused.getMessage(), refused.getCause());
                }
                rollBackTo(tried);
                stagingTables.rollBackTo(staged);
                new DeltaApplier(jdbc, connection, catalog, stagingTables, historyTable, rollback, tryout, false)
                        .rollBack(reverse, false);
            }
            ran = true;
        } catch (DsynqException | DataAccessException e) {
            if (dialect.stoppedBy(e)) { // the server's doing, not the rollback's: named as the rollback met it
                throw e instanceof DataAccessException access
                        ? new DsynqException(rollback + theDatabase(access) + reason(access), access)
                        : e;
            }
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof TransientDataAccessException passing) {
                    throw passing; // a conflict or timeout of the moment, not the rollback's fault
                }
            }
            String reason = e.getMessage().startsWith(rollback)
                    ? e.getMessage().substring(rollback.length())
                    : ": " + e.getMessage();
            throw new DsynqException(
                    where + ": not applied, as its rollback would be refused. Its rollback" + reason, e);
        } finally {
            if (ran) {
                rollBackTo(tried);
            } else {
                try {
                    rollBackTo(tried);
                } catch (DsynqException lost) {
                    // the transaction is gone with the savepoint (a deadlock on MariaDB): the error in flight says why
                    listener.debug(lost.getMessage());
                }
            }
            stagingTables.rollBackTo(staged);
        }
    }

    /**
     * Rolls back with the reverse delta in {@code folder}, first checking, with the rows locked, that the rows it
     * touches still hold what the forward delta left.
     *
     * @param force whether to roll back over conflicts, overwriting what others changed
     * @throws DriftException when rows changed since the delta was applied and {@code force} is off
     */
    List<TableCounts> rollBack(ReverseFolder folder, boolean force) {
        rollingBack = true;
        Map<DeltaFile, Table> reverse = resolve(folder.reverseFiles());
        if (fast && !force && fitsFastPath(reverse)) {
            Set<TableRef> deleted = new HashSet<>();
            reverse.forEach((file, table) -> {
                if (file.operation() == Operation.DELETE) {
                    deleted.add(table.ref());
                }
            });
            Map<TableRef, StagedFile> inserted = new HashMap<>();
            // each guard compared as it is staged, its staging table then taken again by the next file of its table
            // and columns: a reverse file, or the next guard
            resolve(folder.guardFiles()).forEach((file, table) -> {
                StagedFile guard = stage(file, table, Purpose.GUARD);
                if (guard == null) {
                    return;
                }
                if (guard.file().operation() == Operation.INSERT
                        && deleted.contains(guard.table().ref())) {
                    inserted.put(guard.table().ref(), guard); // compared by the delete that takes the rows out
                } else {
                    lockAndCompare(guard);
                    done(guard);
                }
            });
            runFast(reverse, null, inserted);
            releaseStagings();
            return List.copyOf(counts.values());
        }
        // each guard compared as it is staged, its staging table then taken again by the next file of its table and
        // columns: a reverse file, or the next guard
        Conflicts conflicts = new Conflicts();
        List<DeltaFile> guarded = new ArrayList<>();
        List<StagedFile> guards = new ArrayList<>(); // of tables whose rows repeat, compared with the reverse below
        resolve(folder.guardFiles()).forEach((file, table) -> {
            StagedFile guard = load(file, table, Purpose.GUARD);
            if (guard == null) {
                return;
            }
            guarded.add(file);
            if (guard.table().rowsRepeat()) {
                guards.add(guard);
            } else {
                findChangedRows(guard, conflicts);
                done(guard);
            }
        });
        List<StagedFile> files = stage(reverse, Purpose.REVERSE);
        guarded.forEach(file -> counts.putIfAbsent( // after the reverse's, as they were
                file.table().toString(), new TableCounts(file.table().toString(), 0, 0, 0)));
        for (StagedFile file : files) {
            if (file.table().rowsRepeat()) {
                Operation forward = file.file().operation() == Operation.INSERT ? Operation.DELETE : Operation.INSERT;
                compareCopies(
                        file,
                        guards.stream()
                                .filter(g -> g.table().ref().equals(file.table().ref())
                                        && g.file().operation() == forward)
                                .findFirst()
                                .orElse(null),
                        conflicts);
            } else if (file.file().operation() == Operation.INSERT) {
                forEachMatch(
                        file,
                        true,
                        false,
                        (line, key) -> conflicts.add(file.file().table() + " " + key
                                + ": the delta deleted this row, but a row with this key exists again"));
            }
        }
        if (conflicts.total > 0) {
            String report = conflicts.report();
            if (!force) {
                throw new DriftException(where + ": " + conflicts.total + " row"
                        + (conflicts.total == 1 ? " was" : "s were")
                        + " changed by someone else since the delta was applied; rolling back would lose that:\n"
                        + report + "\nRun with -Ddsynq.force=true to roll back anyway.");
            }
            listener.warn(where + ": rolling back over " + conflicts.total + " conflicting row"
                    + (conflicts.total == 1 ? "" : "s") + " (forced):\n" + report);
        }
        run(files, null, force);
        releaseStagings();
        return List.copyOf(counts.values());
    }

    /** The identity columns that got explicit values, by table: their sequences want aligning. */
    Map<TableRef, List<Column>> insertedIdentities() {
        return identities;
    }

    // ------------------------------------------------------------------------------------------------- staging

    /** The tables of the files, in file order; two files doing the same to one table are an error. */
    private Map<DeltaFile, Table> resolve(List<DeltaFile> files) {
        Map<DeltaFile, Table> tables = new LinkedHashMap<>();
        Map<String, DeltaFile> seen = new HashMap<>();
        for (DeltaFile file : files) {
            Table table = resolve(file);
            DeltaFile twin = seen.put(table.ref() + "#" + file.operation(), file);
            if (twin != null) {
                throw new DsynqException(where + ": " + twin.name() + " and " + file.name() + " both "
                        + verb(file.operation()) + " table " + file.table() + "; merge them into one file");
            }
            tables.put(file, table);
        }
        return tables;
    }

    private List<StagedFile> stage(Map<DeltaFile, Table> tables, Purpose purpose) {
        List<StagedFile> staged = new ArrayList<>();
        tables.forEach((file, table) -> {
            StagedFile loaded = stage(file, table, purpose);
            if (loaded != null) {
                staged.add(loaded);
            }
        });
        return staged;
    }

    /** Loads a file, counting its table in the result where it holds rows; {@code null} where it holds none. */
    private StagedFile stage(DeltaFile file, Table table, Purpose purpose) {
        StagedFile loaded = load(file, table, purpose);
        if (loaded != null) {
            counts.putIfAbsent(
                    file.table().toString(), new TableCounts(file.table().toString(), 0, 0, 0));
        }
        return loaded;
    }

    private Table resolve(DeltaFile file) {
        Table table;
        try {
            table = catalog.table(file.table());
        } catch (DsynqException e) {
            throw new DsynqException(
                    where + ", file " + file.name() + ": " + e.getMessage()
                            + (rollingBack
                                    ? "; the delta was applied to it: a table renamed or dropped since must be back"
                                            + UNDO_CHANGE
                                    : ""),
                    e);
        }
        String name = table.ref().name();
        if (name.equalsIgnoreCase(historyTable)
                || name.equalsIgnoreCase(historyTable + "_reverse")
                || name.equalsIgnoreCase(historyTable + "_lock")) {
            throw new DsynqException(where + ", file " + file.name() + ": table " + file.table()
                    + " is dsynq's own bookkeeping; deltas cannot change it");
        }
        String nonTransactional = catalog.nonTransactional(table.ref());
        if (nonTransactional != null) {
            // refused before anything is written: nothing ever half-applied
            throw new DsynqException(where + ", file " + file.name() + ": table " + file.table() + " "
                    + nonTransactional + ": dsynq applies a delta in one transaction, and one that failed after"
                    + " writing there would stay half-applied; convert it to InnoDB (ALTER TABLE " + file.table()
                    + " ENGINE=InnoDB)");
        }
        String hiddenRows = catalog.hiddenRows(table.ref());
        if (hiddenRows != null) {
            throw new DsynqException(where + ", file " + file.name() + ": table " + file.table() + " " + hiddenRows
                    + ", which hides rows from dsynq: it could neither check nor restore them; apply deltas as a"
                    + " user it does not apply to (its owner where it is not forced, or one with BYPASSRLS)");
        }
        if (catalog.parentByInheritance(table.ref())) {
            // its DELETE would delete a child's row, which the reverse's INSERT would put back in it
            throw new DsynqException(where + ", file " + file.name() + ": table " + file.table() + " has child"
                    + " tables by inheritance, whose rows its statements reach too, so dsynq cannot change its own"
                    + " alone (a delete of a key a child table holds would delete the child's row, and a rollback"
                    + " would put it back in " + file.table() + "); name the child tables in files of their own");
        }
        return table;
    }

    /**
     * A staging table for {@code file} as {@code create} makes one of a name: one of the same table and columns that
     * is no longer needed, emptied, or a new one ({@link StagingTables#take}).
     */
    private String takeStaging(DeltaFile file, Function<String, String> create) {
        String name = stagingTables.take(create, (on, sql) -> execute(file, on, sql));
        stagings.add(name);
        return name;
    }

    /** Lets the staging table of {@code file} be taken again: its rows are no longer needed. */
    private void done(StagedFile file) {
        stagingTables.release(file.staging());
        stagings.remove(file.staging());
    }

    /** Lets every staging table this applier took be taken again, once it is done with them. */
    private void releaseStagings() {
        stagings.forEach(stagingTables::release);
        stagings.clear();
    }

    /** Loads a file into a new staging table; {@code null} when it holds no rows. */
    private StagedFile load(DeltaFile file, Table table, Purpose purpose) {
        return load(file, table, purpose, false, null);
    }

    /** Sees the texts of each row a file loads, to write the guard or reverse from the file itself. */
    private interface RowWriter extends AutoCloseable {
        void write(String[] texts);

        @Override
        void close();
    }

    /** Opens a {@link RowWriter} once the file's columns and key are known. */
    @FunctionalInterface
    private interface RowWriters {
        RowWriter open(List<Column> columns, Table keyed);
    }

    /**
     * Reads a file, checking each value, and loads its rows into a new staging table, or straight into the target
     * table when {@code direct}; {@code also}, if given, sees each row's texts. {@code null} when the file holds no
     * rows.
     */
    private StagedFile load(DeltaFile file, Table table, Purpose purpose, boolean direct, RowWriters also) {
        try (CsvReader reader = reader(file)) {
            if (reader.header().isEmpty()) {
                return null;
            }
            List<Column> columns = columns(file, table, reader.header());
            // a header-only file does nothing, so needs no key nor columns to set (as new writes stubs)
            CsvRow first = reader.next();
            if (first == null) {
                return null;
            }
            Table keyed = keyed(file, table, columns, purpose);
            String staging = null;
            String target = dialect.qualify(table.ref());
            InternalNames names = InternalNames.avoiding(table.columns());
            if (!direct) {
                staging = takeStaging(
                        file,
                        name -> keyed.rowsRepeat()
                                ? dialect.createWholeRowStaging(name, names, table.ref(), columns)
                                : dialect.createStaging(name, names, table.ref(), columns));
                target = staging;
            }
            long rows = 0;
            long taken;
            long started = System.nanoTime();
            long nextProgress = started + progressNanos;
            try (StagingLoader loader = dialect.loader(connection, target, direct ? null : names.line(), columns);
                    RowWriter writer = also == null ? null : also.open(columns, keyed)) {
                boolean typed = loader.wantsValues();
                for (CsvRow row = first; row != null; row = reader.next()) {
                    loader.add(row.line(), row.values(), check(file, reader.header(), columns, row, typed));
                    if (writer != null) {
                        writer.write(row.values());
                    }
                    if ((++rows & 0xFFF) == 0 && System.nanoTime() > nextProgress) {
                        nextProgress = System.nanoTime() + progressNanos;
                        listener.info(String.format(
                                Locale.ROOT,
                                "  %s: %,d rows read, %,.0f rows/s",
                                file.name(),
                                rows,
                                rows / Math.max((System.nanoTime() - started) / 1e9, 1e-3)));
                    }
                }
                taken = loader.finish();
                double seconds = (System.nanoTime() - started) / 1e9;
                if (seconds * 1e9 > progressNanos) {
                    listener.info(String.format(
                            Locale.ROOT,
                            "  %s: %,d rows loaded in %.1f s, %,.0f rows/s",
                            file.name(),
                            rows,
                            seconds,
                            rows / Math.max(seconds, 1e-3)));
                }
                listener.debug(String.format(
                        Locale.ROOT,
                        "-- %,d %s of %s loaded into %s",
                        rows,
                        rows == 1 ? "row" : "rows",
                        file.name(),
                        target));
            } catch (RefusedRowException e) {
                if (dialect.stopped(e)) { // a cancel or timeout as the rows streamed in: no row of the file's doing
                    throw refused(where + ", file " + file.name() + theDatabase(e) + e.reason(), e);
                }
                RefusedRowException shown = e.column() == null ? e : withValue(file, e);
                throw refused(where + ", file " + file.name() + ", " + shown.getMessage(), e);
            } catch (SQLException e) {
                throw refused(where + ", file " + file.name() + ", " + e.getMessage(), e);
            }
            if (taken >= 0 && taken != rows) {
                throw refused(
                        where + ", file " + file.name() + ": the database took " + taken + " of " + rows + " rows",
                        null);
            }
            String analyze = staging == null ? null : dialect.analyzeStaging(staging);
            if (analyze != null) {
                execute(file, analyze);
            }
            return new StagedFile(file, keyed, columns, staging, names, rows);
        } catch (IOException e) {
            throw new DsynqException(where + ", file " + file.name() + ": cannot read: " + DeltaFile.describe(e), e);
        } catch (UncheckedIOException e) {
            throw new DsynqException(
                    where + ", file " + file.name() + ": cannot read: " + DeltaFile.describe(e.getCause()), e);
        } catch (CsvFormatException e) {
            throw new DsynqException(where + ", file " + e.getMessage(), e);
        }
    }

    /**
     * The refusal showing the value the database named the column of without it, as the file holds it on the refused
     * line; as it is where the file does not hold that column.
     */
    private RefusedRowException withValue(DeltaFile file, RefusedRowException refused) throws IOException {
        try (CsvReader reader = reader(file)) {
            int column = -1;
            for (int i = 0; i < reader.header().size(); i++) {
                if (reader.header().get(i).equalsIgnoreCase(refused.column())) {
                    column = i;
                }
            }
            for (CsvRow row = reader.next(); row != null && column >= 0; row = reader.next()) {
                if (row.line() == refused.line()) {
                    return refused.withValue(row.values()[column]);
                }
            }
        }
        return refused;
    }

    /**
     * What a header of one name that holds semicolons or tabs says: the file separates its fields so, as Excel
     * saves CSV where the decimal separator is a comma, or as text copied from a spreadsheet holds them.
     */
    private static String otherSeparator(List<String> header) {
        if (header.size() != 1) {
            return "";
        }
        String separator =
                header.get(0).contains(";") ? "semicolons" : header.get(0).contains("\t") ? "tabs" : null;
        return separator == null
                ? ""
                : " (fields are separated by commas; this header holds " + separator + ", as a spreadsheet may save"
                        + " CSV: save it with commas)";
    }

    /** The table's columns in header order; an unknown, repeated or generated column is an error. */
    private List<Column> columns(DeltaFile file, Table table, List<String> header) {
        List<Column> columns = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String name : header) {
            Column column = table.column(name)
                    .orElseThrow(() -> lineError(
                            file,
                            1,
                            "unknown column '" + name + "' in table " + file.table() + "; its columns are "
                                    + table.columns().stream()
                                            .map(c -> dialect.displayName(c.name()))
                                            .collect(Collectors.joining(", "))
                                    + otherSeparator(header)
                                    + (rollingBack
                                            ? "; the delta was applied when the table had it: a column dropped or"
                                                    + " renamed since must be back" + UNDO_CHANGE
                                            : "")));
            if (!seen.add(column.name())) {
                throw lineError(file, 1, "column '" + name + "' appears twice in the header");
            }
            if (column.generated()) {
                throw lineError(file, 1, "column '" + name + "' is computed by the database and cannot be written");
            }
            columns.add(column);
        }
        return columns;
    }

    /**
     * The table with the key its rows are identified by in this file, after checking what each operation requires
     * of the header (DESIGN.md section 4, "Keys"). Rows of a table without key are identified by all the columns an
     * insert file lists (and its reverse, the delete of a rollback); updating or deleting them is an error.
     */
    private Table keyed(DeltaFile file, Table table, List<Column> columns, Purpose purpose) {
        if (purpose == Purpose.GUARD) {
            return table.keySource() == KeySource.NONE ? wholeRow(table, columns) : table;
        }
        if (table.keySource() == KeySource.NONE) {
            boolean identifiedByValue = file.operation() == Operation.INSERT
                    || (purpose == Purpose.REVERSE && file.operation() == Operation.DELETE);
            if (!identifiedByValue) {
                throw lineError(
                        file,
                        1,
                        "table " + file.table() + " has no primary key and no unique index over NOT NULL columns, so"
                                + " dsynq cannot identify its rows to " + verb(file.operation()) + " them; declare a"
                                + " key: <keys><key>" + file.table() + ":col1+col2</key></keys> or -Ddsynq.keys="
                                + file.table() + ":col1+col2"
                                + (file.operation() == Operation.DELETE
                                        ? ", or " + file.table() + ":* to identify rows by all their values, as the"
                                                + " deletes of a diff made with it do"
                                        : ""));
            }
            return wholeRow(table, columns);
        }
        List<String> missing = table.keyColumns().stream()
                .filter(k -> !columns.contains(k))
                .map(c -> dialect.displayName(c.name()))
                .toList();
        if (!missing.isEmpty() && purpose == Purpose.REVERSE && table.keySource() == KeySource.WHOLE_ROW) {
            // columns added since the apply to a table identified by all its values (table:*): the reverse lists those
            // it had, which identify its rows as they do a table without key
            return wholeRow(table, columns);
        }
        if (!missing.isEmpty()) {
            throw lineError(
                    file,
                    1,
                    "the header lacks key column" + (missing.size() == 1 ? " " : "s ") + String.join(", ", missing)
                            + "; " + verb(file.operation()) + " files list the whole key " + keyNames(table));
        }
        List<Column> values = columns.stream().filter(c -> !table.isKey(c)).toList();
        if (file.operation() == Operation.UPDATE && values.isEmpty()) {
            throw lineError(
                    file,
                    1,
                    "an update file names the columns to set besides the key " + keyNames(table)
                            + ", and this one names none");
        }
        if (file.operation() == Operation.DELETE && !values.isEmpty()) {
            throw lineError(
                    file,
                    1,
                    "a delete file lists the key columns " + keyNames(table) + " only; '"
                            + dialect.displayName(values.get(0).name()) + "' is not part of the key");
        }
        return table;
    }

    /**
     * A keyless table whose rows this file identifies by the values of the columns it lists: when those are all the
     * columns, identical rows are copies of one row (a multiset), else a match must be one row.
     */
    private static Table wholeRow(Table table, List<Column> columns) {
        boolean every = table.columns().stream().filter(c -> !c.generated()).allMatch(columns::contains);
        return table.withKey(
                columns.stream().map(Column::name).toList(), every ? KeySource.WHOLE_ROW : KeySource.DECLARED);
    }

    /**
     * Checks every value of a row; returns the parsed values when {@code typed}, else {@code null} (the loader takes
     * the texts).
     */
    private Object[] check(DeltaFile file, List<String> header, List<Column> columns, CsvRow row, boolean typed) {
        Object[] values = typed ? new Object[columns.size()] : null;
        for (int i = 0; i < columns.size(); i++) {
            String text = row.values()[i];
            try {
                if (typed) {
                    values[i] = ValueCodec.parse(columns.get(i), text);
                } else {
                    ValueCodec.check(columns.get(i), text);
                }
                String refused = dialect.cannotHold(columns.get(i), text);
                if (refused != null) {
                    throw new InvalidValueException(refused);
                }
            } catch (InvalidValueException e) {
                throw lineError(
                        file,
                        row.line(),
                        "column " + header.get(i) + ", value " + ValueCodec.show(text) + ": " + e.getMessage());
            }
        }
        return values;
    }

    // ------------------------------------------------------------------------------------------------- applying

    /**
     * Runs the files. Forced, a reverse insert overwrites a row that exists again, and a reverse update or delete
     * skips a row that is gone; the other checks stay.
     */
    private void run(List<StagedFile> files, ReverseFolder reverse, boolean force) {
        for (StagedFile file : files) {
            if (!file.table().rowsRepeat()) {
                checkDuplicates(file);
            }
        }
        ChangeOrder order = ChangeOrder.of(files.stream()
                .map(StagedFile::table)
                .collect(Collectors.toMap(Table::ref, t -> t, (a, b) -> a))
                .values());
        List<StagedFile> inserts = sorted(files, Operation.INSERT, order.parentsFirst());
        List<StagedFile> updates = sorted(files, Operation.UPDATE, order.parentsFirst());
        List<StagedFile> deletes = sorted(files, Operation.DELETE, order.childrenFirst());

        Map<StagedFile, List<Column>> late = new HashMap<>();
        List<StagedFile> afterUpdates = movedForUpdates(inserts, updates, deletes, List.of());
        List<StagedFile> inPlace = new ArrayList<>(inserts);
        inPlace.removeAll(afterUpdates);
        List<StagedFile> beforeUpdates = movedForUpdates(deletes, updates, inserts, inPlace);
        Map<StagedFile, Repointed> repointed = repointed(updates, afterUpdates, beforeUpdates, inPlace);
        // the updates run without the references repointed, set before the deletes moved before them are out or
        // once the inserts moved after them are in
        List<StagedFile> running = inNeededOrder(updates.stream()
                .map(file -> without(
                        file, repointed.containsKey(file) ? repointed.get(file).columns() : List.of()))
                .filter(file -> !file.values().isEmpty())
                .toList());
        for (StagedFile file : running) {
            checkNotTakenFromMoved(file, afterUpdates);
        }
        insertAll(inPlace, order, updates, deletes, reverse, force, late);

        // every update's rows as they were, before any update: a parent's can change a child's (ON UPDATE CASCADE),
        // all the columns of a reference that carries it where the file sets some, which the reverse's parent
        // update changes again before the reverse sets them; and before the references repointed are cleared
        if (reverse != null) {
            for (StagedFile file : updates) {
                List<Column> before = new ArrayList<>(file.columns());
                file.table().autoUpdatedColumns().stream()
                        .filter(c -> !before.contains(c))
                        .forEach(before::add);
                for (ForeignKey reference : file.table().foreignKeys()) {
                    List<Column> columns = columnsOf(file.table(), reference.columns());
                    if (reference.updateChangesChildren() && columns.stream().anyMatch(file.values()::contains)) {
                        columns.stream().filter(c -> !before.contains(c)).forEach(before::add);
                    }
                }
                writeRows(
                        file,
                        reverse.reverse(file.file().table(), Operation.UPDATE, names(before)),
                        joined(file, before, true),
                        before);
            }
        }
        Map<StagedFile, Long> setAhead = new HashMap<>();
        for (Map.Entry<StagedFile, Repointed> entry : repointed.entrySet()) {
            StagedFile file = entry.getKey();
            if (!force) {
                checkPresent(file, "update");
            }
            setAhead.put(file, setDeferred(file, order, entry.getValue().ahead()));
            clear(file, entry.getValue().cleared());
        }
        delete(beforeUpdates, order, reverse, force, Set.of());
        List<StagedFile> afterInserts = new ArrayList<>(deletes);
        afterInserts.removeAll(beforeUpdates);

        Set<StagedFile> readBefore = new HashSet<>();
        for (StagedFile file : afterInserts) {
            List<Column> cleared = givenUpByUpdates(file, updates);
            if (!cleared.isEmpty()) {
                if (reverse != null) {
                    writeDeleteReverse(file, reverse, null);
                }
                readBefore.add(file);
                clear(file, cleared);
            }
        }
        List<StagedFile> left = new ArrayList<>(running);
        while (!left.isEmpty()) {
            StagedFile file = left.remove(0);
            if (!force) {
                if (!repointed.containsKey(ofTable(file, updates))) { // else checked before they were cleared
                    checkPresent(file, "update");
                }
                checkUniques(file, file, ofTable(file, deletes), ofTable(file, inserts));
            }
            checkReferencesExist(file, order, c -> true);
            checkNoReferenceDropped(file, running);
            checkOwnReferencesKept(file);
            pointAtTakers(file, running);
            List<Held> held = heldThrough(file);
            List<Table.Unique> chained = chainedUniques(file);
            long updated = chained.isEmpty()
                    ? updateByLines(file, assignments(file.values(), List.of()))
                    : updateInWaves(file, chained);
            // the last held first: a row held by two references was copied the second time after the first cleared
            // it, which changed the columns the database sets as a row changes
            for (int h = held.size() - 1; h >= 0; h--) {
                giveBack(file, held.get(h));
            }
            if (!force) {
                expect(file, updated, "updated");
            }
            count(file, 0, updated, 0);
            if (!left.isEmpty() && carriesOn(file)) {
                // the order was found on the values before this file's update, whose database's change of other
                // tables' rows can change the order the files left need
                left = inNeededOrder(sorted(left, Operation.UPDATE, order.parentsFirst()));
            }
        }
        for (Map.Entry<StagedFile, List<Column>> file : late.entrySet()) {
            setDeferred(file.getKey(), order, file.getValue());
        }
        insertAll(afterUpdates, order, updates, deletes, reverse, force, null);
        for (Map.Entry<StagedFile, Repointed> entry : repointed.entrySet()) {
            StagedFile file = entry.getKey();
            List<Column> after = entry.getValue().late();
            long set = after.isEmpty() ? setAhead.get(file) : setDeferred(file, order, after);
            if (ofTable(file, running) == null) { // it set nothing else
                if (!force) {
                    expect(file, set, "updated");
                }
                count(file, 0, set, 0);
            }
        }
        delete(afterInserts, order, reverse, force, readBefore);

        if (reverse != null) {
            // the guard is what the delta left: its rows' final values (a row it also deleted is not there); of a
            // table whose rows repeat, every copy left of each row it inserted or deleted
            for (StagedFile file : files) {
                if (file.table().rowsRepeat()) {
                    writeRows(
                            file,
                            reverse.guard(file.file().table(), file.file().operation(), names(file.key())),
                            copiesLeft(file),
                            file.key());
                    continue;
                }
                if (file.file().operation() == Operation.DELETE) {
                    continue;
                }
                List<Column> columns = new ArrayList<>(file.columns());
                if (file.file().operation() == Operation.UPDATE) {
                    file.table().autoUpdatedColumns().stream()
                            .filter(c -> !columns.contains(c))
                            .forEach(columns::add);
                }
                writeRows(
                        file,
                        reverse.guard(file.file().table(), file.file().operation(), names(columns)),
                        joined(file, columns, false),
                        columns);
            }
        }
    }

    /** Inserts {@code files}' rows ({@link #insert}), then sets the columns they inserted {@link #deferred} NULL. */
    private void insertAll(
            List<StagedFile> files,
            ChangeOrder order,
            List<StagedFile> updates,
            List<StagedFile> deletes,
            ReverseFolder reverse,
            boolean force,
            Map<StagedFile, List<Column>> late) {
        for (StagedFile file : files) {
            insert(file, order, updates, deletes, reverse, force, late);
        }
        for (StagedFile file : files) {
            setDeferred(file, order, deferred(file, order));
        }
    }

    /**
     * Inserts {@code file}'s rows, its columns {@link #deferred} NULL and, where rows take values only {@code
     * updates} give, their columns of such references too, which are put in {@code late} to be set after the
     * updates; {@code late} is {@code null} once the updates have run.
     */
    private void insert(
            StagedFile file,
            ChangeOrder order,
            List<StagedFile> updates,
            List<StagedFile> deletes,
            ReverseFolder reverse,
            boolean force,
            Map<StagedFile, List<Column>> late) {
        List<Column> deferred = new ArrayList<>(deferred(file, order));
        List<Column> afterUpdates = late == null ? List.of() : takenFromUpdates(file, updates, deferred);
        if (!afterUpdates.isEmpty()) {
            late.put(file, afterUpdates);
            deferred.addAll(afterUpdates);
        }
        if (force) {
            // rows put back by someone else get the old values instead of a second row
            List<Column> values = file.values();
            if (!values.isEmpty()) {
                updateByLines(file, assignments(values, deferred));
            }
        } else if (!file.table().rowsRepeat()) { // a row identical to others is one more copy
            forEachMatch(file, true, true, (line, key) -> {
                throw lineError(
                        file.file(),
                        line,
                        "a row with key " + key + " already exists in table "
                                + file.file().table());
            });
        }
        if (!force) {
            checkUniques(file, late == null ? null : ofTable(file, updates), ofTable(file, deletes), null);
        }
        checkReferencesExist(file, order, c -> !deferred.contains(c));
        if (reverse != null) {
            writeRows(
                    file,
                    reverse.reverse(file.file().table(), Operation.DELETE, names(file.key())),
                    staged(file, file.key()),
                    file.key());
        }
        String select = file.columns().stream()
                .map(c -> deferred.contains(c) ? "NULL" : "s." + dialect.quote(c.name()))
                .collect(Collectors.joining(", "));
        String insert = "INSERT INTO " + dialect.qualify(file.table().ref()) + " ("
                + dialect.columnList(null, file.columns()) + ")"
                + dialect.overridingIdentity(file.columns()) + " SELECT " + select + " FROM "
                + file.staging() + " s";
        List<ForeignKey> selfReferences = orderedSelfReferences(file, order);
        long inserted = selfReferences.isEmpty()
                ? executeByLines(
                        file,
                        lines -> insert + " WHERE " + lines
                                + (force && !file.table().rowsRepeat() ? " AND NOT " + exists(file) : "")
                                + " ORDER BY " + file.line("s"))
                : insertParentsFirst(file, insert, selfReferences);
        if (!force) {
            expect(file, inserted, "inserted");
        }
        count(file, inserted, 0, 0);
        List<Column> identity =
                file.columns().stream().filter(Column::autoIncrement).toList();
        if (!identity.isEmpty() && inserted > 0) {
            identities.put(file.table().ref(), identity);
        }
    }

    /**
     * Deletes the rows of {@code files}, children first: the reverse of each file read first (unless {@code
     * readBefore}, read before the updates), then the references they hold in a cycle cleared, then the rows.
     */
    private void delete(
            List<StagedFile> files,
            ChangeOrder order,
            ReverseFolder reverse,
            boolean force,
            Set<StagedFile> readBefore) {
        Map<StagedFile, String> numbered = new HashMap<>();
        for (StagedFile file : files) {
            boolean copies = file.table().rowsRepeat();
            if (copies) {
                numbered.put(file, numberCopies(file));
            }
            if (!force) {
                if (copies) {
                    checkCopiesPresent(file, numbered.get(file));
                } else {
                    checkPresent(file, "delete");
                }
            }
            if (reverse != null && !readBefore.contains(file)) {
                writeDeleteReverse(file, reverse, numbered.get(file));
            }
        }
        for (StagedFile file : files) {
            List<Column> deferred = deferred(file, order);
            if (!deferred.isEmpty()) {
                clear(file, deferred);
            }
        }
        for (StagedFile file : files) {
            checkNotReferenced(file, order, false);
            List<ForeignKey> selfReferences = orderedSelfReferences(file, order);
            long deleted = file.table().rowsRepeat()
                    ? deleteCopies(file, numbered.get(file))
                    : selfReferences.isEmpty()
                            ? executeByLines(
                                    file,
                                    lines -> dialect.deleteMatching(
                                            file.table().ref(),
                                            file.staging(),
                                            dialect.keyMatch(file.key()) + " AND " + lines))
                            : deleteChildrenFirst(file, selfReferences);
            if (!force) {
                expect(file, deleted, "deleted");
            }
            count(file, 0, 0, deleted);
        }
    }

    // ------------------------------------------------------------------------------------------------- fast path

    /**
     * Whether the fast path can run these files: each table in one file only (so a guard written from the file is
     * what the delta leaves), every key enforced by the database, no references to defer, no columns the database
     * sets on update, no table whose updates change other rows ({@code ON UPDATE CASCADE}: the reverse is written
     * before any update), no table referencing itself on an engine that checks each row as it changes (its rows go
     * in order, in waves).
     */
    private boolean fitsFastPath(Map<DeltaFile, Table> tables) {
        Set<TableRef> seen = new HashSet<>();
        for (Table table : tables.values()) {
            if (!seen.add(table.ref())
                    || !table.keyIsUnique()
                    || !table.autoUpdated().isEmpty()
                    || table.referencedBy().stream().anyMatch(ForeignKey::updateChangesChildren)
                    || dialect.checksEachRow()
                            && table.foreignKeys().stream()
                                    .anyMatch(k -> k.parent().equals(table.ref()))) {
                return false;
            }
        }
        ChangeOrder order = ChangeOrder.of(distinct(tables.values()));
        return seen.stream().allMatch(ref -> order.deferred(ref).isEmpty());
    }

    /**
     * The fast path: inserts go straight into their tables, updates and deletes through a staging table and one
     * statement each; the database's own keys and constraints stand in for dsynq's checks, and a count that does not
     * add up throws {@link FastPathFailed}. The guard is written from the files as they are read.
     *
     * @param reverse where to write the reverse and guard; {@code null} when rolling back
     * @param inserted when rolling back, the guards of inserted rows by table, which the reverse's deletes compare
     */
    private List<StagedFile> runFast(
            Map<DeltaFile, Table> tables, ReverseFolder reverse, Map<TableRef, StagedFile> inserted) {
        ChangeOrder order = ChangeOrder.of(distinct(tables.values()));
        List<DeltaFile> files = new ArrayList<>(tables.keySet());
        files.sort(Comparator.comparingInt(
                f -> (f.operation() == Operation.DELETE ? order.childrenFirst() : order.parentsFirst())
                        .indexOf(tables.get(f).ref())));
        List<StagedFile> updates = new ArrayList<>();
        for (Operation operation : Operation.values()) {
            for (DeltaFile file : files) {
                if (file.operation() != operation) {
                    continue;
                }
                counts.putIfAbsent(
                        file.table().toString(), new TableCounts(file.table().toString(), 0, 0, 0));
                Table table = tables.get(file);
                switch (operation) {
                    case INSERT -> insertFast(file, table, reverse);
                    case UPDATE -> {
                        StagedFile staged = updateFast(file, table, reverse);
                        if (staged != null) {
                            updates.add(staged);
                        }
                    }
                    case DELETE -> {
                        StagedFile guard = inserted.get(table.ref());
                        if (guard == null) {
                            deleteFast(file, table, reverse, order);
                        } else {
                            deleteThroughGuard(file, guard, order);
                        }
                    }
                }
            }
        }
        return updates;
    }

    private void insertFast(DeltaFile file, Table table, ReverseFolder reverse) {
        if (reverse != null) {
            reverse.guardIs(file);
        }
        StagedFile loaded = load(
                file,
                table,
                Purpose.DELTA,
                true,
                reverse == null
                        ? null
                        : (columns, keyed) -> {
                            int[] key = keyed.keyColumns().stream()
                                    .mapToInt(columns::indexOf)
                                    .toArray();
                            CsvWriter keys = reverse.reverse(file.table(), Operation.DELETE, names(keyed.keyColumns()));
                            String[] keyTexts = new String[key.length];
                            return new RowWriter() {
                                @Override
                                public void write(String[] texts) {
                                    for (int i = 0; i < key.length; i++) {
                                        keyTexts[i] = texts[key[i]];
                                    }
                                    keys.write(keyTexts);
                                }

                                @Override
                                public void close() {
                                    keys.close();
                                }
                            };
                        });
        if (loaded != null) {
            count(loaded, loaded.rows(), 0, 0);
            List<Column> identity =
                    loaded.columns().stream().filter(Column::autoIncrement).toList();
            if (!identity.isEmpty()) {
                identities.put(table.ref(), identity);
            }
        }
    }

    /** Runs an update file on the fast path; returns it as staged, {@code null} for a file without rows. */
    private StagedFile updateFast(DeltaFile file, Table table, ReverseFolder reverse) {
        if (reverse != null) {
            reverse.guardIs(file);
        }
        StagedFile staged = load(file, table, Purpose.DELTA, false, null);
        if (staged == null) {
            return null;
        }
        checkDuplicatesWhereNeeded(staged);
        String update = dialect.updateFromStaging(
                table.ref(), staged.staging(), staged.key(), assignments(staged.values(), List.of()));
        if (reverse != null) {
            writeRows(
                    staged,
                    reverse.reverse(file.table(), Operation.UPDATE, names(staged.columns())),
                    joinedFast(staged, staged.columns()),
                    staged.columns());
        }
        long updated = execute(file, update);
        expect(staged, updated, "updated");
        count(staged, 0, updated, 0);
        done(staged);
        return staged;
    }

    private void deleteFast(DeltaFile file, Table table, ReverseFolder reverse, ChangeOrder order) {
        StagedFile staged = load(file, table, Purpose.DELTA, false, null);
        if (staged == null) {
            return;
        }
        checkDuplicatesWhereNeeded(staged);
        checkNotReferenced(staged, order, true);
        String delete = dialect.deleteUsingStaging(table.ref(), staged.staging(), staged.key());
        List<Column> all = table.columns().stream().filter(c -> !c.generated()).toList();
        long deleted;
        if (reverse != null && dialect.canCopyOut()) {
            // one pass: the deleted rows stream out as they go
            deleted = copyOut(
                    file,
                    delete + " RETURNING " + dialect.copyOutList("t", all),
                    all,
                    reverse.reverse(file.table(), Operation.INSERT, names(all)));
        } else {
            if (reverse != null) {
                writeRows(
                        staged,
                        reverse.reverse(file.table(), Operation.INSERT, names(all)),
                        joinedFast(staged, all),
                        all);
            }
            deleted = execute(file, delete);
        }
        expect(staged, deleted, "deleted");
        count(staged, 0, 0, deleted);
        done(staged);
    }

    /**
     * Rolls back an insert: deletes the rows the guard lists where they still hold what the delta inserted, comparing
     * and deleting in one statement instead of a locking read before the delete. A row that changed or is gone leaves
     * the count short, and the strict path then reports it. The reverse file lists exactly the guard's keys (both were
     * written from the same rows), so it is only counted.
     */
    private void deleteThroughGuard(DeltaFile file, StagedFile guard, ChangeOrder order) {
        long rows = countRows(file);
        if (rows != guard.rows()) {
            throw refused(
                    where + ", file " + file.name() + ": deletes " + rows + " rows where the guard lists "
                            + guard.rows(),
                    null);
        }
        try {
            checkNotReferenced(guard, order, true);
        } catch (DsynqException e) {
            throw refused(e.getMessage(), e); // the strict path names the reverse file's line
        }
        List<Column> values = guard.values();
        String match = dialect.keyMatch(guard.key()) + (values.isEmpty() ? "" : " AND " + sameValues(guard));
        long deleted = execute(file, dialect.deleteMatching(guard.table().ref(), guard.staging(), match));
        expect(guard, deleted, "deleted");
        count(guard, 0, 0, deleted);
    }

    /**
     * Opens a file's reader: a rollback's files are the reverse and guard dsynq wrote of the database's rows, whose
     * values may be larger than a delta's may.
     */
    private CsvReader reader(DeltaFile file) throws IOException {
        InputStream in = file.open();
        return rollingBack ? CsvDialect.readerOfWritten(in, file.name()) : CsvDialect.reader(in, file.name());
    }

    /** The data rows of a file. */
    private long countRows(DeltaFile file) {
        try (CsvReader reader = reader(file)) {
            long rows = 0;
            if (!reader.header().isEmpty()) {
                while (reader.next() != null) {
                    rows++;
                }
            }
            return rows;
        } catch (IOException | UncheckedIOException | CsvFormatException e) {
            throw refused(where + ", file " + file.name() + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** SQL true when the target row {@code t} holds the values of the guard's row {@code s}. */
    private String sameValues(StagedFile guard) {
        return sameValues(guard.values(), "t", "s", false);
    }

    /**
     * The condition a row {@code a} of a table identified by whole rows and a row {@code b} of {@code file}'s staging
     * table (or of {@link #copies} of it) join on: all values alike, and where the engine needs it to find them by an
     * index, the {@link Dialect#rowHash} of {@code a} equal to {@code b}'s {@link InternalNames#hash}.
     */
    private String sameRows(StagedFile file, String a, String b) {
        List<Column> columns = file.key();
        String hash = dialect.rowHash(a, columns);
        return sameValues(columns, a, b, true)
                + (hash == null ? "" : " AND " + b + "." + file.names().hash() + " = " + hash);
    }

    /**
     * SQL true when rows {@code a} and {@code b} hold the same values in {@code columns}, NULL matching NULL; with
     * {@code join}, as a join condition (see {@link Dialect#nullSafeJoin}).
     */
    private String sameValues(List<Column> columns, String a, String b, boolean join) {
        return columns.stream()
                .map(c -> {
                    String left = dialect.comparable(a + "." + dialect.quote(c.name()), c);
                    String right = dialect.comparable(b + "." + dialect.quote(c.name()), c);
                    // plain equality where NULL cannot occur lets the planner hash the join
                    if (!c.nullable()) {
                        return left + " = " + right;
                    }
                    return join ? dialect.nullSafeJoin(left, right, c) : dialect.nullSafeEquals(left, right);
                })
                .collect(Collectors.joining(" AND "));
    }

    /** Streams a query's rows, as canonical text, into {@code out}; returns the rows. */
    private long copyOut(DeltaFile file, String query, List<Column> columns, CsvWriter out) {
        listener.debug("COPY (" + query + ") TO STDOUT");
        try (out) {
            return dialect.copyOut(connection, query, columns, out::write);
        } catch (SQLException e) {
            throw refused(where + ", file " + file.name() + theDatabase(e) + e.getMessage(), e);
        }
    }

    /**
     * Where the engine's set-based update or delete would change a row once per staged duplicate, and so keep the
     * count right, duplicates are looked for here.
     */
    private void checkDuplicatesWhereNeeded(StagedFile staged) {
        if (!dialect.countsDuplicatesOnce()) {
            checkDuplicates(staged);
        }
    }

    /**
     * Locks the rows a guard lists and compares them with it in one pass; a row that changed or is gone (its key
     * joins no row, so fewer rows come back than the guard lists) throws {@link FastPathFailed}, and the strict path
     * then reports the conflicts.
     */
    private void lockAndCompare(StagedFile guard) {
        String same = guard.values().isEmpty() ? "1 = 1" : sameValues(guard);
        long[] found = {0, 0};
        query(
                guard.file(),
                "SELECT CASE WHEN " + same + " THEN 0 ELSE 1 END FROM " + guard.staging() + " s JOIN "
                        + dialect.qualify(guard.table().ref()) + " t ON " + dialect.keyMatch(guard.key())
                        + dialect.lockRows(),
                rows -> {
                    found[0]++;
                    found[1] += rows.getInt(1);
                });
        if (found[0] != guard.rows()) {
            throw refused(
                    where + ": " + (guard.rows() - found[0]) + " rows of "
                            + guard.file().table() + " are gone",
                    null);
        }
        if (found[1] > 0) {
            throw refused(where + ": " + found[1] + " rows of " + guard.file().table() + " changed", null);
        }
    }

    private static List<Table> distinct(java.util.Collection<Table> tables) {
        Map<TableRef, Table> byRef = new LinkedHashMap<>();
        tables.forEach(t -> byRef.putIfAbsent(t.ref(), t));
        return new ArrayList<>(byRef.values());
    }

    private static List<StagedFile> sorted(List<StagedFile> files, Operation operation, List<TableRef> order) {
        return files.stream()
                .filter(f -> f.file().operation() == operation)
                .sorted(Comparator.comparingInt(f -> order.indexOf(f.table().ref())))
                .toList();
    }

    /**
     * {@code updates} in an order the references between their tables allow, else parents first. A parent's update
     * that changes values (not of its key) which rows of a child table reference goes before the child's where the
     * reference cascades (the child's own values come after) or a row of the child's update takes a value only the
     * parent's gives; after it where the reference is checked as rows or statements change ({@code NO ACTION},
     * {@code RESTRICT}) and a row of the child's update moves off a value the parent's gives up: the database would
     * refuse the parent's while the row still references it (and a delta's reverse needs just that order where the
     * delta's child takes the parent's new values). Refused where a file must go both before and after another.
     */
    private List<StagedFile> inNeededOrder(List<StagedFile> updates) {
        Map<StagedFile, Set<StagedFile>> before = new HashMap<>(); // each file's files that go before it
        for (StagedFile parent : updates) {
            Table table = parent.table();
            for (ForeignKey reference : table.referencedBy()) {
                List<Column> parentColumns = columnsOf(table, reference.parentColumns());
                if (!reference.deferred() && parentColumns.stream().anyMatch(parent.values()::contains)) {
                    leavingFurtherOn(parent, reference, updates)
                            .forEach(g -> before.computeIfAbsent(parent, f -> new HashSet<>())
                                    .add(g));
                }
                StagedFile child = ofTable(reference.child(), updates);
                if (child == null
                        || child == parent
                        || reference.deferred()
                        || parentColumns.stream().noneMatch(parent.values()::contains)) {
                    continue;
                }
                List<Column> columns = columnsOf(child.table(), reference.columns());
                if (columns.stream().noneMatch(child.values()::contains)) {
                    continue; // the database's change of the child's rows is the only one
                }
                String line = child.line("s");
                String rows = withValues(child, columns) + " s";
                if (reference.updateChangesChildren()) {
                    // the parent's first where the child's rows, as its update leaves them, still reference values
                    // the parent's update changes (the database's change would come after theirs), or take a value
                    // only it gives; else either order (rows moved off first are not changed)
                    String stays = first(
                            child,
                            "SELECT " + line + " FROM " + rows + changing(parent, reference, "s", columns),
                            result -> result.getString(1));
                    if (stays != null || takesOnlyFrom(child, rows, columns, parent, reference) != null) {
                        before.computeIfAbsent(child, f -> new HashSet<>()).add(parent);
                    } else if (leaves(child, rows, columns, parent, reference, false) != null) {
                        // the child's first: moved off, its rows are not changed, nor rows that reference them
                        before.computeIfAbsent(parent, f -> new HashSet<>()).add(child);
                    }
                    continue;
                }
                String[] takes = takesOnlyFrom(child, rows, columns, parent, reference);
                // a row moving off a value that moves to another row of the parent's can go after, held meanwhile
                String leaves =
                        leaves(child, rows, columns, parent, reference, mayBeHeld(child.table(), reference, columns));
                if (takes != null && leaves != null) {
                    throw lineError(
                            child.file(),
                            Long.parseLong(takes[0]),
                            takes[1] + " is a value of "
                                    + dialect.displayName(table.ref().name()) + " that only "
                                    + parent.file().name() + " gives, so that file must go first, but "
                                    + (leaves.equals(takes[0]) ? "the row" : "line " + leaves) + " moves off a value"
                                    + " it gives up, so this one must (" + reference.name() + "): no order of the two"
                                    + " files applies; give those values over two deltas");
                }
                if (takes != null) {
                    before.computeIfAbsent(child, f -> new HashSet<>()).add(parent);
                } else if (leaves != null) {
                    before.computeIfAbsent(parent, f -> new HashSet<>()).add(child);
                }
            }
        }
        // the first file, in parents-first order, whose files to go before it have gone
        List<StagedFile> ordered = new ArrayList<>();
        List<StagedFile> left = new ArrayList<>(updates);
        while (!left.isEmpty()) {
            StagedFile next = left.stream()
                    .filter(f -> ordered.containsAll(before.getOrDefault(f, Set.of())))
                    .findFirst()
                    .orElse(null);
            if (next == null) {
                throw refused(
                        where + ": the update files "
                                + left.stream().map(f -> f.file().name()).collect(Collectors.joining(", "))
                                + " change values that rows of the others reference, each such that it must go"
                                + " before another, and no order of them applies; give those values over two deltas",
                        null);
            }
            ordered.add(next);
            left.remove(next);
        }
        return ordered;
    }

    /**
     * Whether {@code file}'s update makes the database change rows of other tables: {@code ON UPDATE CASCADE},
     * {@code SET NULL} or {@code SET DEFAULT} references to values it changes.
     */
    private boolean carriesOn(StagedFile file) {
        return file.table().referencedBy().stream()
                .anyMatch(r -> r.updateChangesChildren()
                        && !r.child().equals(file.table().ref())
                        && columnsOf(file.table(), r.parentColumns()).stream().anyMatch(file.values()::contains));
    }

    /**
     * The references of a file's table to itself that the rows of one statement must respect in order, on an engine
     * that checks each row as it changes ({@link Dialect#checksEachRow}): those not deferred (a NOT NULL column, or one
     * of the key), of which an insert file gives every column.
     */
    private List<ForeignKey> orderedSelfReferences(StagedFile file, ChangeOrder order) {
        Table table = file.table();
        if (!dialect.checksEachRow() || table.rowsRepeat()) {
            return List.of();
        }
        List<Column> deferred = order.deferred(table.ref());
        return table.foreignKeys().stream()
                .filter(reference -> reference.parent().equals(table.ref()))
                .filter(reference -> {
                    List<Column> columns = columnsOf(table, reference.columns());
                    return columns.stream().noneMatch(deferred::contains)
                            && (file.file().operation() == Operation.DELETE
                                    || file.columns().containsAll(columns));
                })
                .toList();
    }

    /**
     * Inserts the rows of a table that references itself in waves, each of the rows whose references are NULL, point
     * at the row itself or at a row the table holds: parents before children, in line order within a wave. A row
     * left over references no row, or rows that reference each other round a cycle; the error names its line, as it
     * does for a row the database refuses in a wave.
     */
    private long insertParentsFirst(StagedFile file, String insert, List<ForeignKey> selfReferences) {
        Table table = file.table();
        StringBuilder ready = new StringBuilder(" WHERE NOT " + exists(file));
        for (ForeignKey reference : selfReferences) {
            List<Column> columns = columnsOf(table, reference.columns());
            String anyNull = columns.stream()
                    .map(c -> "s." + dialect.quote(c.name()) + " IS NULL")
                    .collect(Collectors.joining(" OR "));
            ready.append(" AND (")
                    .append(anyNull)
                    .append(" OR ")
                    .append(referenceMatch("s", reference.parentColumns(), "s", columns))
                    .append(" OR EXISTS (SELECT 1 FROM ")
                    .append(dialect.qualify(table.ref()))
                    .append(" p WHERE ")
                    .append(referenceMatch("p", reference.parentColumns(), "s", columns))
                    .append("))");
        }
        long inserted = 0;
        // at most the file's rows, should the engine store a row under another key (a trigger, say)
        for (long rows = 1; rows > 0 && inserted < file.rows(); ) {
            rows = executeByLines(file, lines -> insert + ready + " AND " + lines + " ORDER BY " + file.line("s"));
            inserted += rows;
        }
        if (inserted == file.rows()) {
            return inserted;
        }
        String line = file.line("s");
        String left =
                "SELECT " + line + " FROM " + file.staging() + " s WHERE NOT " + exists(file) + " ORDER BY " + line;
        String[] first = first(file, left, rows -> new String[] {rows.getString(1)});
        if (first != null) {
            throw lineError(
                    file.file(),
                    Long.parseLong(first[0]),
                    "the row references no row of table "
                            + dialect.displayName(table.ref().name())
                            + " that it holds or that this file inserts, or rows that reference each other round a"
                            + " cycle, which " + dialect.name() + " cannot insert: it checks each row as it is"
                            + " inserted");
        }
        return inserted;
    }

    /**
     * Deletes the rows of a table that references itself in waves, each of the rows no other row references any
     * longer: children before parents. A row that references itself goes in a wave of its own with the engine's
     * checks off where the engine refuses it (MariaDB does); rows of other tables reference none of the file's rows
     * ({@link #checkNotReferenced} ran first), so no reference is left dangling. A row still there once no wave
     * deletes any is named with a row that references it.
     */
    private long deleteChildrenFirst(StagedFile file, List<ForeignKey> selfReferences) {
        Table table = file.table();
        StringBuilder match = new StringBuilder(dialect.keyMatch(file.key()));
        StringBuilder notItsOwn = new StringBuilder();
        String sameRow = sameColumns("c", "t", file.key());
        for (ForeignKey reference : selfReferences) {
            List<Column> columns = columnsOf(table, reference.columns());
            Set<Column> read = new LinkedHashSet<>(file.key());
            read.addAll(columns);
            // the table read through a derived table: MariaDB refuses a DELETE that reads its own table otherwise
            match.append(" AND NOT EXISTS (SELECT 1 FROM (SELECT ")
                    .append(dialect.columnList(null, List.copyOf(read)))
                    .append(" FROM ")
                    .append(dialect.qualify(table.ref()))
                    .append(") c WHERE ")
                    .append(referenceMatch("t", reference.parentColumns(), "c", columns))
                    .append(" AND NOT (")
                    .append(sameRow)
                    .append("))");
            // the columns are NOT NULL or the key's: never unknown
            notItsOwn
                    .append(" AND NOT (")
                    .append(referenceMatch("t", reference.parentColumns(), "t", columns))
                    .append(")");
        }
        long deleted = deleteInWaves(
                file.file(),
                dialect.deleteMatching(table.ref(), file.staging(), match.toString() + notItsOwn),
                dialect.deleteMatching(table.ref(), file.staging(), match.toString()),
                file.rows());
        if (deleted == file.rows()) {
            return deleted;
        }
        for (ForeignKey reference : selfReferences) {
            List<Column> columns = columnsOf(table, reference.columns());
            String line = file.line("s");
            String listed = listed(file, "c");
            // a row the delta keeps first: it is why; rows it deletes are left only round a cycle
            String sql = "SELECT " + line + ", CASE WHEN " + listed + " THEN 1 ELSE 0 END, "
                    + dialect.selectList("s", file.key()) + ", " + dialect.selectList("c", file.key()) + " FROM "
                    + file.staging() + " s JOIN " + dialect.qualify(table.ref()) + " t ON "
                    + dialect.keyMatch(file.key()) + " JOIN " + dialect.qualify(table.ref()) + " c ON "
                    + referenceMatch("t", reference.parentColumns(), "c", columns) + " AND NOT (" + sameRow
                    + ") ORDER BY 2, " + line;
            String[] found = first(file, sql, rows -> new String[] {
                rows.getString(1),
                rows.getString(2),
                keyText(rows, 3, file.key()),
                keyText(rows, 3 + file.key().size(), file.key())
            });
            if (found != null) {
                throw lineError(
                        file.file(),
                        Long.parseLong(found[0]),
                        "row " + found[2] + " is still referenced by "
                                + dialect.displayName(table.ref().name())
                                + " " + found[3] + " (" + reference.name() + ")"
                                + (found[1].equals("0")
                                        ? ", which the delta keeps; delete or update that row in this delta too"
                                        : ", which the delta deletes too, but the rows reference each other round a"
                                                + " cycle that no order of deletes breaks"));
            }
        }
        return deleted;
    }

    /**
     * Runs {@code wave} (rows no other row references, a row referencing itself left out) until it deletes nothing,
     * then {@code ownWave} (those rows too) with the engine's reference checks off, which MariaDB needs to delete a
     * row referencing itself, and so on until that deletes nothing either or {@code rows} are deleted.
     *
     * @return the rows deleted
     */
    private long deleteInWaves(DeltaFile file, String wave, String ownWave, long rows) {
        List<String> unchecked = dialect.withoutForeignKeyChecks();
        long deleted = 0;
        for (long own = 1; own > 0; ) {
            for (long done = 1; done > 0 && deleted < rows; ) {
                done = execute(file, wave);
                deleted += done;
            }
            if (deleted == rows) {
                break;
            }
            if (!unchecked.isEmpty()) {
                execute(file, unchecked.get(0));
            }
            try {
                own = execute(file, ownWave);
                deleted += own;
            } finally {
                if (!unchecked.isEmpty()) {
                    execute(file, unchecked.get(1));
                }
            }
        }
        return deleted;
    }

    /**
     * The unique indexes besides the key, checked as each row changes, whose values a row of the update {@code file}
     * takes ({@link #indexColumns}) from another row of it, which gives them up ({@link #checkUniques} refused any
     * other holder): a chain, which one statement applies only where the database happens to update the giver first
     * (and its rollback, the chain backwards, never did). Not an index whose values the file gives up where other
     * rows reference them {@code ON UPDATE NO ACTION} on an engine that checks references as each statement ends
     * (PostgreSQL): between waves the value would be no row's, where one statement may end with another row holding it.
     */
    private List<Table.Unique> chainedUniques(StagedFile file) {
        Table table = file.table();
        List<Table.Unique> chained = new ArrayList<>();
        for (Table.Unique unique : table.uniques()) {
            List<Column> columns = indexColumns(file, unique);
            if (!unique.perRow() || columns == null || referencedAsGivenUp(file, unique)) {
                continue;
            }
            String sql = "SELECT " + file.line("s") + " FROM " + withValues(file, columns) + " s JOIN "
                    + dialect.qualify(table.ref()) + " o ON " + heldByAnother(file, unique, columns);
            if (first(file, sql, rows -> rows.getString(1)) != null) {
                chained.add(unique);
            }
        }
        return chained;
    }

    /**
     * The columns of {@code unique} whose values the rows of {@code file} take, else null: where an insert lists them
     * all, or an update lists some besides the key and the rows keep the others' values (not a generated column, nor
     * one the database sets as the row changes); not an index over an expression.
     */
    private static List<Column> indexColumns(StagedFile file, Table.Unique unique) {
        List<Column> columns = unique.columns().stream()
                .map(name -> file.table().column(name).orElse(null))
                .toList();
        if (columns.contains(null)) {
            return null;
        }
        boolean taken = file.file().operation() == Operation.UPDATE
                ? columns.stream().anyMatch(file.values()::contains)
                        && columns.stream()
                                .filter(c -> !file.columns().contains(c))
                                .noneMatch(c -> c.generated()
                                        || file.table().autoUpdatedColumns().contains(c))
                : file.columns().containsAll(columns);
        return taken ? columns : null;
    }

    /**
     * The staging table of {@code file}, with the values of the {@code columns} it does not list (an update's) that
     * the table's rows keep, joined by key.
     */
    private String withValues(StagedFile file, java.util.Collection<Column> columns) {
        List<Column> kept = columns.stream()
                .filter(c -> !file.columns().contains(c))
                .distinct()
                .toList();
        return kept.isEmpty()
                ? file.staging()
                : "(SELECT x.*, " + dialect.columnList("k", kept) + " FROM " + file.staging() + " x JOIN "
                        + dialect.qualify(file.table().ref()) + " k ON " + dialect.keyMatch("x", "k", file.key())
                        + dialect.unmerged() + ")";
    }

    /**
     * Whether rows reference values of {@code unique} that {@code file} gives up, {@code ON UPDATE NO ACTION}, on an
     * engine that checks such references once each statement is done.
     */
    private boolean referencedAsGivenUp(StagedFile file, Table.Unique unique) {
        if (dialect.checksEachRow()) {
            return false;
        }
        Table table = file.table();
        for (ForeignKey reference : table.referencedBy()) {
            List<Column> changing = columnsOf(table, reference.parentColumns()).stream()
                    .filter(c ->
                            unique.columns().contains(c.name()) && file.values().contains(c))
                    .toList();
            if (reference.updateRule() != DatabaseMetaData.importedKeyNoAction || changing.isEmpty()) {
                continue;
            }
            Table child = reference.child().equals(table.ref()) ? table : catalog.table(reference.child());
            String sql = "SELECT " + file.line("s") + " FROM " + file.staging() + " s JOIN "
                    + dialect.qualify(table.ref()) + " t ON " + dialect.keyMatch(file.key()) + " JOIN "
                    + dialect.qualify(child.ref()) + " c ON "
                    + referenceMatch("t", reference.parentColumns(), "c", columnsOf(child, reference.columns()))
                    + " WHERE " + changes("s", "t", changing);
            if (first(file, sql, rows -> rows.getString(1)) != null) {
                return true;
            }
        }
        return false;
    }

    /**
     * Updates {@code file}'s rows in waves, each the rows not updated yet whose values of the {@code chained} unique
     * indexes no other row holds any longer: the first wave every such row, the next the rows it freed the values
     * of, and so on. A wave's rows are found by one query, which the unique index answers, and updated by their
     * lines, so that each row is updated once whatever the database makes of its values. Rows left when no row is
     * free trade values in a cycle, which no order applies where the database checks each row: the first is named by
     * its line.
     */
    private long updateInWaves(StagedFile file, List<Table.Unique> chained) {
        Table table = file.table();
        String line = file.line("s");
        String taking = withValues(
                file,
                chained.stream()
                        .flatMap(unique -> columnsOf(table, unique.columns()).stream())
                        .toList());
        StringBuilder free = new StringBuilder("SELECT " + line + " FROM " + taking + " s WHERE 1 = 1");
        for (Table.Unique unique : chained) {
            List<Column> columns = columnsOf(table, unique.columns());
            free.append(" AND NOT EXISTS (SELECT 1 FROM ")
                    .append(dialect.qualify(table.ref()))
                    .append(" o WHERE ")
                    .append(heldByAnother(file, unique, columns))
                    .append(")");
        }
        List<String[]> assignments = assignments(file.values(), List.of());
        String index = dialect.indexLines(file.staging(), file.names().line());
        if (index != null) { // each wave picks its rows by line
            execute(file.file(), index);
            stagingTables.changed(file.staging());
        }
        BitSet pending = new BitSet();
        query(
                file.file(),
                "SELECT " + line + " FROM " + file.staging() + " s",
                rows -> pending.set(Math.toIntExact(rows.getLong(1))));
        long updated = 0;
        for (boolean first = true; ; first = false) {
            // after the first wave only the rows left are asked about, where their lines make few runs
            List<String> left = first ? List.of() : lineRanges(line, pending);
            String asked = free + (left.size() == 1 ? " AND (" + left.get(0) + ")" : "");
            BitSet wave = new BitSet();
            query(file.file(), asked, rows -> {
                int next = Math.toIntExact(rows.getLong(1));
                if (pending.get(next)) {
                    wave.set(next);
                }
            });
            if (wave.isEmpty()) {
                break;
            }
            for (String ranges : lineRanges(line, wave)) {
                updated += updateByLines(file, "(" + ranges + ")", assignments);
            }
            pending.andNot(wave);
        }
        for (Table.Unique unique : pending.isEmpty() ? List.<Table.Unique>of() : chained) {
            List<Column> columns = columnsOf(table, unique.columns());
            // under force, a row the delta does not change may hold them: named first
            String sql = "SELECT " + line + ", CASE WHEN " + listed(file, "o") + " THEN 1 ELSE 0 END, "
                    + dialect.selectList("s", columns) + ", " + dialect.selectList("o", file.key()) + " FROM " + taking
                    + " s JOIN " + dialect.qualify(table.ref()) + " o ON "
                    + heldByAnother(file, unique, columns) + " ORDER BY 2, " + line;
            String[] held = first(file, sql, rows -> new String[] {
                rows.getString(1),
                rows.getString(2),
                keyText(rows, 3, columns),
                keyText(rows, 3 + columns.size(), file.key())
            });
            if (held != null) {
                throw lineError(
                        file.file(),
                        Long.parseLong(held[0]),
                        "the values " + held[2] + " of unique index " + dialect.displayName(unique.name())
                                + " are held by the row with"
                                + " key " + held[3]
                                + (held[1].equals("1")
                                        ? ", which this file gives other values, and the rows trade them in a cycle:"
                                                + " the database checks the index as each row changes, so no order"
                                                + " applies them. Change one of the rows in a delta of its own first"
                                        : ", which the delta does not change"));
            }
        }
        return updated;
    }

    /** Conditions on {@code line} that hold for {@code lines}, as runs of consecutive lines, 500 a piece. */
    private static List<String> lineRanges(String line, BitSet lines) {
        List<String> conditions = new ArrayList<>();
        List<String> runs = new ArrayList<>();
        for (int start = lines.nextSetBit(0); start >= 0; start = lines.nextSetBit(lines.nextClearBit(start))) {
            runs.add(line + " BETWEEN " + start + " AND " + (lines.nextClearBit(start) - 1));
            if (runs.size() == 500) {
                conditions.add(String.join(" OR ", runs));
                runs.clear();
            }
        }
        if (!runs.isEmpty()) {
            conditions.add(String.join(" OR ", runs));
        }
        return conditions;
    }

    /**
     * The line and values of the first of {@code child}'s rows ({@code rows}, as its update leaves them) that take,
     * through {@code reference}, a value no row of the parent holds and {@code parent}'s update gives; or {@code
     * null}.
     */
    private String[] takesOnlyFrom(
            StagedFile child, String rows, List<Column> columns, StagedFile parent, ForeignKey reference) {
        String line = child.line("s");
        List<Column> parentColumns = columnsOf(parent.table(), reference.parentColumns());
        return first(
                child,
                "SELECT " + line + ", " + dialect.selectList("s", columns) + " FROM " + rows
                        + " WHERE NOT EXISTS (SELECT 1 FROM "
                        + dialect.qualify(parent.table().ref()) + " pt WHERE "
                        + referenceMatch("pt", reference.parentColumns(), "s", columns)
                        + ") AND EXISTS (SELECT 1 FROM " + withValues(parent, parentColumns) + " ps WHERE "
                        + referenceMatch("ps", reference.parentColumns(), "s", columns) + ") ORDER BY " + line,
                result -> new String[] {result.getString(1), keyText(result, 2, columns)});
    }

    /**
     * The update files of tables that reference, {@code ON UPDATE NO ACTION} or {@code RESTRICT}, a table whose rows
     * the database changes through {@code reference} (it cascades, sets NULL or a default) as {@code parent}'s update
     * changes the values they reference, and whose rows move off the values so changed: they go before the parent's,
     * or the database's change of the rows in between would meet theirs.
     */
    private List<StagedFile> leavingFurtherOn(StagedFile parent, ForeignKey reference, List<StagedFile> updates) {
        if (!reference.updateChangesChildren()
                || reference.child().equals(parent.table().ref())) {
            return List.of();
        }
        Table child = catalog.table(reference.child());
        List<Column> columns = columnsOf(child, reference.columns());
        List<StagedFile> leaving = new ArrayList<>();
        for (ForeignKey next : child.referencedBy()) {
            StagedFile further = ofTable(next.child(), updates);
            if (further == null
                    || further == parent
                    || next.updateChangesChildren()
                    || next.deferred()
                    || next.parentColumns().stream().noneMatch(reference.columns()::contains)) {
                continue;
            }
            List<Column> furtherColumns = columnsOf(further.table(), next.columns());
            if (furtherColumns.stream().noneMatch(further.values()::contains)) {
                continue;
            }
            String line = further.line("s");
            String leaves = "SELECT " + line + " FROM " + withValues(further, furtherColumns) + " s JOIN "
                    + dialect.qualify(further.table().ref()) + " t ON " + dialect.keyMatch("s", "t", further.key())
                    + " JOIN " + dialect.qualify(child.ref()) + " ct ON "
                    + referenceMatch("ct", next.parentColumns(), "t", furtherColumns)
                    + changing(parent, reference, "ct", columns) + " WHERE (" + changes("s", "t", furtherColumns)
                    + ") ORDER BY " + line;
            if (first(further, leaves, result -> result.getString(1)) != null) {
                leaving.add(further);
            }
        }
        return leaving;
    }

    /**
     * The line of the first of {@code child}'s rows ({@code rows}, as its update leaves them) that moves off, through
     * {@code reference}, a value {@code parent}'s update changes; or {@code null}. {@code unlessMoved}, not a value
     * that another of the parent's rows takes ({@link #heldThrough}).
     */
    private String leaves(
            StagedFile child,
            String rows,
            List<Column> columns,
            StagedFile parent,
            ForeignKey reference,
            boolean unlessMoved) {
        String line = child.line("s");
        String moved = unlessMoved
                ? " AND NOT EXISTS (SELECT 1 FROM "
                        + withValues(parent, columnsOf(parent.table(), reference.parentColumns())) + " n WHERE "
                        + referenceMatch("n", reference.parentColumns(), "t", columns) + ")"
                : "";
        return first(
                child,
                "SELECT " + line + " FROM " + rows + " JOIN "
                        + dialect.qualify(child.table().ref()) + " t ON "
                        + dialect.keyMatch("s", "t", child.key()) + changing(parent, reference, "t", columns)
                        + " WHERE ("
                        + changes("s", "t", columns) + ")" + moved + " ORDER BY " + line,
                result -> result.getString(1));
    }

    /**
     * Joins to rows {@code alias} (by their {@code columns} of {@code reference}) the row {@code pt} of {@code
     * parent}'s table they reference and its staged row {@code ps}, where that changes the values they reference.
     */
    private String changing(StagedFile parent, ForeignKey reference, String alias, List<Column> columns) {
        return " JOIN " + dialect.qualify(parent.table().ref()) + " pt ON "
                + referenceMatch("pt", reference.parentColumns(), alias, columns) + " JOIN " + parent.staging()
                + " ps ON " + changedBy(parent, reference);
    }

    /**
     * SQL true where {@code parent}'s staged row {@code ps} is the row {@code pt} of its table and changes values of
     * it that {@code reference} references.
     */
    private String changedBy(StagedFile parent, ForeignKey reference) {
        List<Column> changing = columnsOf(parent.table(), reference.parentColumns()).stream()
                .filter(parent.values()::contains)
                .toList();
        return dialect.keyMatch("ps", "pt", parent.key()) + " AND (" + changes("ps", "pt", changing) + ")";
    }

    /**
     * Sets {@code columns} of the rows {@code file} inserted as the file gives them, after they were inserted NULL
     * ({@code columns} deferred), and checks their references first; columns the database bumps on update keep the
     * values the file gave them.
     */
    private long setDeferred(StagedFile file, ChangeOrder order, List<Column> columns) {
        if (columns.isEmpty()) {
            return 0;
        }
        checkReferencesExist(file, order, columns::contains);
        List<Column> set = new ArrayList<>(columns);
        file.table().autoUpdatedColumns().stream()
                .filter(c -> file.columns().contains(c) && !set.contains(c))
                .forEach(set::add);
        return updateByLines(file, assignments(set, List.of()));
    }

    /**
     * The reverse of a delete: the rows as they are, whole; of a table whose rows repeat, the copies {@code numbered}
     * counts.
     */
    private void writeDeleteReverse(StagedFile file, ReverseFolder reverse, String numbered) {
        List<Column> all =
                file.table().columns().stream().filter(c -> !c.generated()).toList();
        writeRows(
                file,
                reverse.reverse(file.file().table(), Operation.INSERT, names(all)),
                file.table().rowsRepeat()
                        ? "SELECT " + dialect.selectList("n", all) + " FROM " + numbered + " n WHERE " + file.line("n")
                                + " <= 0"
                        : joined(file, all, true),
                all);
    }

    /**
     * The columns of an insert's references to another table whose values, in some row, only that table's update
     * ({@code updates}) gives, or, where the reference does not cascade, a row holds that the update then changes:
     * inserted before the updates run, the row would reference no row, or stop the update. They are inserted
     * NULL and set after the updates, where {@link #mayHoldNull} and they are not deferred already, and where the
     * reverse can do the same the other way ({@link #givenUpByUpdates}), or does not need to: the reference cascades.
     */
    private List<Column> takenFromUpdates(StagedFile file, List<StagedFile> updates, List<Column> deferred) {
        Table table = file.table();
        List<Column> late = new ArrayList<>();
        boolean carried = carriesChange(table, updates);
        for (ForeignKey reference : table.foreignKeys()) {
            List<Column> columns = columnsOf(table, reference.columns());
            StagedFile parent = ofTable(reference.parent(), updates);
            if (parent == null
                    || !file.columns().containsAll(columns)
                    || !mayHoldNull(table, reference, columns)
                    || !(cascades(reference) || !carried)
                    || columns.stream().anyMatch(c -> deferred.contains(c) || late.contains(c))) {
                continue;
            }
            if (takesFrom(file, reference, parent)) {
                late.addAll(columns);
            }
        }
        return late;
    }

    /**
     * Whether a row of the insert {@code file} references, by {@code reference}, a value that only {@code parent}'s
     * update gives, or, where the reference does not cascade, one a row holds that the update then changes.
     */
    private boolean takesFrom(StagedFile file, ForeignKey reference, StagedFile parent) {
        List<Column> columns = columnsOf(file.table(), reference.columns());
        List<Column> parentColumns = columnsOf(parent.table(), reference.parentColumns());
        if (parentColumns.stream().noneMatch(parent.values()::contains)) {
            return false;
        }
        // a value a row holds that the update then changes counts as one the update gives, where the reference
        // does not cascade: the row that gives it up would meet the insert, or set it NULL
        String keeps = cascades(reference)
                ? ""
                : " AND NOT EXISTS (SELECT 1 FROM " + parent.staging() + " ps WHERE " + changedBy(parent, reference)
                        + ")";
        String takes = "SELECT 1 FROM " + file.staging() + " s WHERE NOT EXISTS (SELECT 1 FROM "
                + dialect.qualify(parent.table().ref()) + " pt WHERE "
                + referenceMatch("pt", reference.parentColumns(), "s", columns) + keeps
                + ") AND EXISTS (SELECT 1 FROM " + withValues(parent, parentColumns) + " ps WHERE "
                + referenceMatch("ps", reference.parentColumns(), "s", columns) + ")";
        return first(file, takes, rows -> Boolean.TRUE) != null;
    }

    /**
     * The inserts that go in after the updates, or the deletes out before them ({@code files}, all of one operation),
     * whole: those where a row references, by columns that may not hold NULL for a while ({@link #mayHoldNull}), a
     * value only a parent's update gives (an insert), or one that the update changes ({@code NO ACTION},
     * {@code RESTRICT}: a delete, or an insert, which would stop the update); and with them those whose rows
     * reference rows of a file so moved, which an insert would not find before the updates, and a delete would still
     * reference. Only where the file's table is {@link #movable}, no other file of the table lists a row of its
     * keys, and no row that stays where it is references the file's rows: a row of an insert of the delta not so
     * moved, or a row of the table that no delete so moved takes (the file's own rows move with it).
     * A row so moved references a value after the updates that it would not have had before them (or the reverse),
     * which the database checks as it goes in; so does the reverse's, which moves it the other way.
     *
     * @param others the inserts where {@code files} are deletes, and the reverse: a key the delta both deletes and
     *     inserts stays where it meets the row
     * @param inserted the inserts that go in before the updates, where {@code files} are deletes: an update's row
     *     can move onto a row they give before a delete so moved ({@link #thereBefore})
     */
    private List<StagedFile> movedForUpdates(
            List<StagedFile> files, List<StagedFile> updates, List<StagedFile> others, List<StagedFile> inserted) {
        Set<TableRef> changed = changedByUpdates(updates);
        Set<StagedFile> moved = new HashSet<>();
        for (StagedFile file : files) {
            if (movable(file.table(), changed) && needsMoving(file, updates) && sharesNoKey(file, updates, others)) {
                moved.add(file);
            }
        }
        if (moved.isEmpty()) {
            return List.of();
        }
        List<StagedFile> candidates = files.stream()
                .filter(f -> !moved.contains(f) && movable(f.table(), changed) && sharesNoKey(f, updates, others))
                .toList();
        for (boolean grew = true; grew; ) {
            grew = false;
            for (StagedFile file : candidates) {
                if (!moved.contains(file) && moved.stream().anyMatch(parent -> references(file, parent))) {
                    moved.add(file);
                    grew = true;
                }
            }
        }
        // a file that a row staying where it is references stays, and so may, in turn, a file its rows reference; the
        // files it took along can still move, their rows going in after its rows (or out before them) either way
        boolean shrank;
        do {
            shrank = moved.removeIf(file -> heldBack(file, files, updates, moved, inserted));
        } while (shrank);
        return files.stream().filter(moved::contains).toList();
    }

    /**
     * Whether a row of {@code file} references, by columns that may not hold NULL for a while, a value a parent's
     * update gives (an insert) or changes (a delete).
     */
    private boolean needsMoving(StagedFile file, List<StagedFile> updates) {
        Table table = file.table();
        // the queries ask only where a parent has an update
        return table.foreignKeys().stream().anyMatch(reference -> {
            StagedFile parent = ofTable(reference.parent(), updates);
            List<Column> columns = columnsOf(table, reference.columns());
            return parent != null
                    && !reference.deferred()
                    && !mayHoldNull(table, reference, columns)
                    && (file.file().operation() == Operation.INSERT
                            ? file.columns().containsAll(columns) && takesFrom(file, reference, parent)
                            : leavesFor(file, reference, parent));
        });
    }

    /**
     * Whether an insert or delete of {@code table} can go in after the updates, or out before them: where none of its
     * references carries to its rows a change of a table whose rows the updates change ({@code changed}), which would
     * reach rows inserted before the update, and rows deleted after it; in a table with a key.
     */
    private static boolean movable(Table table, Set<TableRef> changed) {
        return !table.rowsRepeat()
                && table.foreignKeys().stream()
                        .noneMatch(k -> k.updateChangesChildren() && changed.contains(k.parent()));
    }

    /**
     * The tables whose rows {@code updates} change: their own, and those of the references that carry a change of
     * such a table's rows to theirs ({@code ON UPDATE CASCADE}, {@code SET NULL}, {@code SET DEFAULT}), in turn.
     */
    private Set<TableRef> changedByUpdates(List<StagedFile> updates) {
        Set<TableRef> changed = new HashSet<>();
        List<TableRef> next =
                new ArrayList<>(updates.stream().map(file -> file.table().ref()).toList());
        while (!next.isEmpty()) {
            TableRef table = next.remove(next.size() - 1);
            if (changed.add(table)) {
                catalog.table(table).referencedBy().stream()
                        .filter(ForeignKey::updateChangesChildren)
                        .forEach(reference -> next.add(reference.child()));
            }
        }
        return changed;
    }

    /** Whether no other file of {@code file}'s table ({@code updates}, {@code others}) lists a row of its keys. */
    private boolean sharesNoKey(StagedFile file, List<StagedFile> updates, List<StagedFile> others) {
        return !sharesKey(file, ofTable(file, updates)) && !sharesKey(file, ofTable(file, others));
    }

    /**
     * Whether a row of the insert or delete {@code child} references a row of {@code parent}, a file of the same
     * operation of another table ({@link #referencesRows}).
     */
    private boolean references(StagedFile child, StagedFile parent) {
        return child.table().foreignKeys().stream()
                .filter(reference -> reference.parent().equals(parent.table().ref()))
                .anyMatch(reference -> referencesRows(child, reference, parent));
    }

    /**
     * Whether a row of {@code child} references, by {@code reference}, a row of {@code parent}'s file: where that is
     * an insert, a row it gives, with the values {@code child} gives (an insert or update), or may (it leaves a column
     * of the reference to its default, or the parent's insert does); where a delete, a row it finds, as {@code
     * child}'s row (a delete's or an update's) is now.
     */
    private boolean referencesRows(StagedFile child, ForeignKey reference, StagedFile parent) {
        Table table = child.table();
        List<Column> columns = columnsOf(table, reference.columns());
        boolean insert = parent.file().operation() == Operation.INSERT;
        if (insert
                && !(child.columns().containsAll(columns)
                        && parent.columns().containsAll(columnsOf(parent.table(), reference.parentColumns())))) {
            return true;
        }
        String match = referenceMatch("t", reference.parentColumns(), "r", columns);
        String referencing = insert
                ? "SELECT 1 FROM " + child.staging() + " r JOIN " + parent.staging() + " t ON " + match
                : "SELECT 1 FROM " + child.staging() + " cs JOIN " + dialect.qualify(table.ref()) + " r ON "
                        + dialect.keyMatch("r", "cs", child.key()) + " JOIN "
                        + dialect.qualify(parent.table().ref()) + " t ON " + match + " JOIN " + parent.staging()
                        + " s ON " + dialect.keyMatch(parent.key());
        return first(child, referencing, rows -> Boolean.TRUE) != null;
    }

    /**
     * Whether a row that stays where it is references a row of {@code file}, which {@link #movedForUpdates} moves:
     * a row of an insert among {@code files} not {@code moved}, or, for a delete, a row of the table that no delete
     * {@code moved} takes. The file's own rows move with it.
     */
    private boolean heldBack(
            StagedFile file,
            List<StagedFile> files,
            List<StagedFile> updates,
            Set<StagedFile> moved,
            List<StagedFile> inserted) {
        for (ForeignKey reference : file.table().referencedBy()) {
            StagedFile child = ofTable(reference.child(), files);
            if (file.file().operation() == Operation.INSERT) {
                if (child != null && !moved.contains(child) && references(child, file)) {
                    return true;
                }
                continue;
            }
            Table table = catalog.table(reference.child());
            // rows a delete so moved takes, or an update moves off first (repointed), are gone
            List<StagedFile> gone = new ArrayList<>();
            if (child != null && moved.contains(child)) {
                gone.add(child);
            }
            StagedFile update = ofTable(reference.child(), updates);
            if (update != null
                    && (mayRepoint(update, reference)
                            || (keepsReferencing(update, reference, updates)
                                    && thereBefore(update, reference, file, inserted)))) {
                gone.add(update);
            }
            String held = "SELECT 1 FROM " + file.staging() + " s JOIN "
                    + dialect.qualify(file.table().ref())
                    + " t ON " + dialect.keyMatch(file.key()) + " JOIN " + dialect.qualify(reference.child()) + " r ON "
                    + referenceMatch("t", reference.parentColumns(), "r", columnsOf(table, reference.columns()))
                    + gone.stream()
                            .map(f -> " AND NOT EXISTS (SELECT 1 FROM " + f.staging() + " g WHERE "
                                    + dialect.keyMatch("r", "g", f.key()) + ")")
                            .collect(Collectors.joining());
            if (first(file, held, rows -> Boolean.TRUE) != null) {
                return true;
            }
        }
        return false;
    }

    /**
     * How an update's reference columns go around the inserts moved after the updates and the deletes moved before
     * them ({@link #repointed}): set before those deletes ({@code ahead}), or after those inserts, where they are
     * cleared first ({@code cleared}) or keep their values until then ({@code behind}).
     */
    private record Repointed(List<Column> ahead, List<Column> cleared, List<Column> behind) {

        /** The columns the update leaves to these. */
        List<Column> columns() {
            return Stream.of(ahead, cleared, behind).flatMap(List::stream).toList();
        }

        /** The columns set after the moved inserts. */
        List<Column> late() {
            return Stream.of(cleared, behind).flatMap(List::stream).toList();
        }
    }

    /**
     * The columns of each update's references that a row of it is to take from a row an insert gives after the
     * updates ({@code afterUpdates}), or to give up from a row a delete takes out before them ({@code
     * beforeUpdates}): neither side of the updates finds both rows. Where the reference keeps its values as the
     * updates run ({@link #keepsReferencing}), rows that only take such a row keep their values until those inserts
     * are in and are set then, and rows that only give such a row up are set to the file's values before those
     * deletes, where each row they are to reference is there already ({@link #thereBefore}): neither holds NULL.
     * Otherwise, where the columns may hold NULL for a while ({@link #mayRepoint}), they are cleared before those
     * deletes and set after those inserts; so are those of an update whose rows both take a value only a parent's
     * update gives and move off one it gives up ({@link #crosses}): neither goes first. The update runs without them;
     * the reverse does the same the other way.
     */
    private Map<StagedFile, Repointed> repointed(
            List<StagedFile> updates,
            List<StagedFile> afterUpdates,
            List<StagedFile> beforeUpdates,
            List<StagedFile> inPlace) {
        Map<StagedFile, Repointed> repointed = new LinkedHashMap<>();
        for (StagedFile file : updates) {
            Repointed columns = new Repointed(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
            for (ForeignKey reference : file.table().foreignKeys()) {
                List<Column> referencing = columnsOf(file.table(), reference.columns());
                if (!file.values().containsAll(referencing)
                        || referencing.stream().anyMatch(columns.columns()::contains)) {
                    continue;
                }
                StagedFile insert = ofTable(reference.parent(), afterUpdates);
                StagedFile delete = ofTable(reference.parent(), beforeUpdates);
                StagedFile parent = ofTable(reference.parent(), updates);
                boolean takes = insert != null && referencesRows(file, reference, insert);
                boolean leaves = delete != null && referencesRows(file, reference, delete);
                boolean keeps = keepsReferencing(file, reference, updates);
                if (keeps && takes && !leaves) {
                    columns.behind().addAll(referencing);
                } else if (keeps && leaves && !takes && thereBefore(file, reference, delete, inPlace)) {
                    columns.ahead().addAll(referencing);
                } else if (mayRepoint(file, reference)
                        && (takes || leaves || (parent != null && crosses(file, reference, parent)))) {
                    columns.cleared().addAll(referencing);
                }
            }
            if (!columns.columns().isEmpty()) {
                repointed.put(file, columns);
            }
        }
        return repointed;
    }

    /**
     * Whether the update {@code file}, which sets all the columns of {@code reference}, may set them before or after
     * the other updates without NULL meanwhile: the values they reference are not changed by those updates, and the
     * columns are not part of the key, referenced by another table or held by a unique index (which a row could meet
     * before another row of the file moves on); a reference to another table, checked as rows change.
     */
    private static boolean keepsReferencing(StagedFile file, ForeignKey reference, List<StagedFile> updates) {
        Table table = file.table();
        List<Column> columns = columnsOf(table, reference.columns());
        StagedFile parent = ofTable(reference.parent(), updates);
        return file.values().containsAll(columns)
                && mayChangeApart(table, reference, columns)
                && table.uniques().stream().noneMatch(u -> columns.stream()
                        .anyMatch(c -> u.columns().contains(c.name())))
                && (parent == null
                        || columnsOf(parent.table(), reference.parentColumns()).stream()
                                .noneMatch(parent.values()::contains));
    }

    /**
     * Whether each row of the update {@code file} is to reference, by {@code reference}, a row of the table now that
     * the delete {@code delete} does not take, or one an insert of {@code inserted}, which go in before the updates,
     * gives: so it can be set before the delete (a row an insert moved after the updates gives is not there yet).
     */
    private boolean thereBefore(StagedFile file, ForeignKey reference, StagedFile delete, List<StagedFile> inserted) {
        List<Column> columns = columnsOf(file.table(), reference.columns());
        String match = referenceMatch("t", reference.parentColumns(), "s", columns);
        StagedFile insert = ofTable(reference.parent(), inserted);
        String given =
                insert != null && insert.columns().containsAll(columnsOf(insert.table(), reference.parentColumns()))
                        ? " AND NOT EXISTS (SELECT 1 FROM " + insert.staging() + " t WHERE " + match + ")"
                        : "";
        String missing =
                "SELECT 1 FROM " + file.staging() + " s WHERE " + notNull("s", columns) + "NOT EXISTS (SELECT 1 FROM "
                        + dialect.qualify(reference.parent()) + " t WHERE " + match + " AND NOT EXISTS (SELECT 1 FROM "
                        + delete.staging() + " d WHERE " + dialect.keyMatch("t", "d", delete.key()) + "))" + given;
        return first(file, missing, rows -> Boolean.TRUE) == null;
    }

    /** Whether the update {@code file} sets all the columns of {@code reference}, which {@link #mayHoldNull}. */
    private static boolean mayRepoint(StagedFile file, ForeignKey reference) {
        List<Column> columns = columnsOf(file.table(), reference.columns());
        return file.values().containsAll(columns) && mayHoldNull(file.table(), reference, columns);
    }

    /**
     * Whether rows of the update {@code child} take, by {@code reference}, a value only {@code parent}'s update gives,
     * and move off one it gives up, checked as rows change: {@link #inNeededOrder} finds no order of the two files.
     */
    private boolean crosses(StagedFile child, ForeignKey reference, StagedFile parent) {
        List<Column> columns = columnsOf(child.table(), reference.columns());
        if (reference.updateChangesChildren()
                || columnsOf(parent.table(), reference.parentColumns()).stream().noneMatch(parent.values()::contains)) {
            return false;
        }
        String rows = withValues(child, columns) + " s";
        return takesOnlyFrom(child, rows, columns, parent, reference) != null
                && leaves(child, rows, columns, parent, reference, mayBeHeld(child.table(), reference, columns))
                        != null;
    }

    /** {@code file} without {@code columns}. */
    private static StagedFile without(StagedFile file, List<Column> columns) {
        return columns.isEmpty()
                ? file
                : new StagedFile(
                        file.file(),
                        file.table(),
                        file.columns().stream()
                                .filter(c -> !columns.contains(c))
                                .toList(),
                        file.staging(),
                        file.names(),
                        file.rows());
    }

    /** Whether two files of one table list a row of the same key; not where {@code b} is {@code null}. */
    private boolean sharesKey(StagedFile a, StagedFile b) {
        return b != null
                && first(
                                a,
                                "SELECT 1 FROM " + a.staging() + " s JOIN " + b.staging() + " t ON "
                                        + dialect.keyMatch(a.key()),
                                rows -> Boolean.TRUE)
                        != null;
    }

    /**
     * Points rows that reference, {@code ON UPDATE CASCADE} by columns that cannot hold NULL, a value of a row of
     * {@code parent}'s that its update sets NULL, and that the child's update ({@code updates}) gives a value the
     * parent's update moves to another of its rows (or keeps them on, where the value moves), at that row, right
     * before the update: the database then carries them to the value with that row. Left on the row that takes
     * NULL, they would be carried to the NULL, which the database cannot write, whatever order the rows change in
     * (where that row takes another value, the child's update after the parent's sets theirs). Only where the row
     * taking the value holds no NULL now; the rows' reverse is read before. The columns are not the key, and no
     * other table references them, nor does another reference of the child's or a unique index of it hold them,
     * which the move to and fro would change or meet. Copied into a staging table with the child update's lines,
     * which a row the database refuses is named by.
     */
    private void pointAtTakers(StagedFile parent, List<StagedFile> updates) {
        for (ForeignKey reference : parent.table().referencedBy()) {
            StagedFile listing = ofTable(reference.child(), updates);
            if (listing == null
                    || !cascades(reference)
                    || reference.child().equals(parent.table().ref())) {
                continue;
            }
            Table child = listing.table();
            List<Column> columns = columnsOf(child, reference.columns());
            Predicate<List<String>> holds = names -> names.stream().anyMatch(reference.columns()::contains);
            List<Column> given = columnsOf(parent.table(), reference.parentColumns()).stream()
                    .filter(parent.values()::contains)
                    .toList();
            if (given.isEmpty()
                    || !listing.columns().containsAll(columns)
                    || child.rowsRepeat()
                    || !child.keyIsUnique()
                    || columns.stream().anyMatch(c -> c.nullable() || child.isKey(c))
                    || child.referencedBy().stream().anyMatch(k -> holds.test(k.parentColumns()))
                    || child.foreignKeys().stream().anyMatch(k -> !k.equals(reference) && holds.test(k.columns()))
                    || child.uniques().stream().anyMatch(u -> holds.test(u.columns()))) {
                continue;
            }
            List<Column> key = child.keyColumns();
            String taker = reference.parentColumns().stream()
                    .map(c -> "pn." + dialect.quote(c))
                    .collect(Collectors.joining(", "));
            String rows = " FROM " + listing.staging() + " s JOIN " + dialect.qualify(child.ref()) + " t ON "
                    + dialect.keyMatch(key) + changing(parent, reference, "t", columns) + " JOIN "
                    + withValues(parent, columnsOf(parent.table(), reference.parentColumns())) + " n ON "
                    + referenceMatch("n", reference.parentColumns(), "s", columns) + " JOIN "
                    + dialect.qualify(parent.table().ref()) + " pn ON " + dialect.keyMatch("n", "pn", parent.key())
                    + " WHERE ("
                    + given.stream()
                            .map(c -> "ps." + dialect.quote(c.name()) + " IS NULL")
                            .collect(Collectors.joining(" OR "))
                    + ") AND "
                    + reference.parentColumns().stream()
                            .map(c -> "pn." + dialect.quote(c) + " IS NOT NULL")
                            .collect(Collectors.joining(" AND "));
            if (first(listing, "SELECT 1" + rows, result -> Boolean.TRUE) == null) {
                continue;
            }
            List<Column> both = new ArrayList<>(key);
            both.addAll(columns);
            updateByLines(
                    stageRows(
                            listing.file(),
                            child,
                            both,
                            "SELECT " + listing.line("s") + ", " + dialect.columnList("t", key) + ", " + taker + rows),
                    assignments(columns, List.of()));
        }
    }

    /**
     * Sets NULL, for the time of {@code parent}'s update, the references of rows that reference, {@code ON UPDATE NO
     * ACTION} or {@code RESTRICT}, values the update changes, which would stop it: where the update moves such a
     * value from one of its rows to another, whatever order it takes its rows in, the row giving the value up would
     * meet them before the row taking it had it. Where {@link #mayHoldNull} and the database keeps the table's key
     * unique, their keys and references as they are now (after the updates before) are copied into staging tables,
     * each row with the line of the update that changes its value, which are returned for the references to be given
     * back once the update is done, with the columns the database sets as a row changes: a row ends as it was, and
     * needs no reverse. A value no row takes is no row's when they are given back, which the database refuses,
     * naming that line.
     */
    private List<Held> heldThrough(StagedFile parent) {
        List<Held> held = new ArrayList<>();
        for (ForeignKey reference : parent.table().referencedBy()) {
            if (reference.child().equals(parent.table().ref())) {
                continue;
            }
            Table child = catalog.table(reference.child());
            List<Column> columns = columnsOf(child, reference.columns());
            if (!mayBeHeld(child, reference, columns)
                    || columnsOf(parent.table(), reference.parentColumns()).stream()
                            .noneMatch(parent.values()::contains)) {
                continue;
            }
            List<Column> kept = new ArrayList<>(child.keyColumns());
            kept.addAll(columns);
            child.autoUpdatedColumns().stream().filter(c -> !kept.contains(c)).forEach(kept::add);
            StagedFile rowsHeld = stageRows(
                    parent.file(),
                    child,
                    kept,
                    "SELECT " + parent.line("ps") + ", " + dialect.columnList("t", kept) + " FROM "
                            + dialect.qualify(child.ref()) + " t" + changing(parent, reference, "t", columns));
            if (rowsHeld.rows() > 0) {
                clear(rowsHeld, columns);
                held.add(new Held(rowsHeld, reference, columns));
            }
        }
        return held;
    }

    /**
     * A staging table of {@code table}'s {@code columns}, filled by {@code select}, which gives each row's line (of
     * {@code file}, which names a row the database refuses) and then the columns' values.
     */
    private StagedFile stageRows(DeltaFile file, Table table, List<Column> columns, String select) {
        InternalNames names = InternalNames.avoiding(table.columns());
        String staging = takeStaging(file, name -> dialect.createStaging(name, names, table.ref(), columns));
        long rows = execute(
                file,
                "INSERT INTO " + staging + " (" + names.line() + ", " + dialect.columnList(null, columns) + ") "
                        + select);
        return new StagedFile(file, table, columns, staging, names, rows);
    }

    /** Rows {@link #heldThrough} holds by {@code reference}, whose columns are {@code columns}. */
    private record Held(StagedFile rows, ForeignKey reference, List<Column> columns) {}

    /**
     * Gives the rows held through {@code parent}'s update their references back, once it is done; refuses, naming the
     * line, a value that update gave up and no row of its table took.
     */
    private void giveBack(StagedFile parent, Held held) {
        StagedFile rows = held.rows();
        List<Column> key = rows.table().keyColumns();
        String[] lost = first(
                parent,
                "SELECT " + rows.line("s") + ", " + dialect.selectList("s", key) + ", "
                        + dialect.selectList("s", held.columns()) + " FROM " + rows.staging() + " s WHERE NOT EXISTS"
                        + " (SELECT 1 FROM " + dialect.qualify(parent.table().ref()) + " pt WHERE "
                        + referenceMatch("pt", held.reference().parentColumns(), "s", held.columns()) + ") ORDER BY "
                        + rows.line("s"),
                result -> new String[] {
                    result.getString(1), keyText(result, 2, key), keyText(result, 2 + key.size(), held.columns())
                });
        if (lost != null) {
            String child = dialect.displayName(rows.table().ref().name());
            throw lineError(
                    parent.file(),
                    Long.parseLong(lost[0]),
                    "the row gives up " + lost[2] + ", which " + child + " " + lost[1] + " references ("
                            + held.reference().name() + ", " + held.reference().updateRuleName() + "), and no row of "
                            + dialect.displayName(parent.table().ref().name()) + " takes it"
                            + (rollingBack
                                    ? "; someone else's rows reference it since the delta was applied: delete or"
                                            + " change them, then roll back"
                                    : "; update or delete that row in this delta too (" + child + ".u.csv or " + child
                                            + ".d.csv)"));
        }
        updateByLines(rows, assignments(rows.values(), List.of()));
    }

    /**
     * Whether {@link #heldThrough} holds rows of {@code child} by {@code reference}, whose columns are {@code
     * columns}.
     */
    private static boolean mayBeHeld(Table child, ForeignKey reference, List<Column> columns) {
        return !reference.updateChangesChildren() && child.keyIsUnique() && mayHoldNull(child, reference, columns);
    }

    /**
     * The columns of a delete's references to another table ({@code ON UPDATE NO ACTION}, {@code RESTRICT}, {@code
     * SET NULL}, {@code SET DEFAULT}) whose values, in some row, that table's update ({@code updates}) changes: the
     * update runs first and would meet the row, or change it. They are set to NULL before the updates, the rows'
     * reverse read before that, where {@link #mayHoldNull} and no reference of the table cascades: a change that
     * reaches its rows, through any table, comes by one of them, and the reverse must then be read after it. A
     * rollback, which writes no reverse, clears them under a cascading reference too.
     */
    private List<Column> givenUpByUpdates(StagedFile file, List<StagedFile> updates) {
        Table table = file.table();
        if (!rollingBack && carriesChange(table, updates)) {
            return List.of();
        }
        List<Column> cleared = new ArrayList<>();
        for (ForeignKey reference : table.foreignKeys()) {
            StagedFile parent = ofTable(reference.parent(), updates);
            List<Column> columns = columnsOf(table, reference.columns());
            if (parent == null
                    || !mayHoldNull(table, reference, columns)
                    || columns.stream().anyMatch(cleared::contains)) {
                continue;
            }
            if (leavesFor(file, reference, parent)) {
                cleared.addAll(columns);
            }
        }
        return cleared;
    }

    /**
     * Whether a row of the delete {@code file} references, by {@code reference}, a value {@code parent}'s update
     * changes.
     */
    private boolean leavesFor(StagedFile file, ForeignKey reference, StagedFile parent) {
        if (columnsOf(parent.table(), reference.parentColumns()).stream().noneMatch(parent.values()::contains)) {
            return false;
        }
        String leaves = "SELECT 1 FROM " + file.staging() + " s JOIN "
                + dialect.qualify(file.table().ref())
                + " t ON " + dialect.keyMatch(file.key())
                + changing(parent, reference, "t", columnsOf(file.table(), reference.columns()));
        return first(file, leaves, rows -> Boolean.TRUE) != null;
    }

    /**
     * Whether {@code reference}'s columns of {@code table} may hold NULL for a while as the delta applies: another
     * table's, checked as rows change, in a table whose rows have a key ({@code rowsRepeat} tables are matched by
     * every value), not part of the key (its rows are found by it), and referenced by no other table.
     */
    private static boolean mayHoldNull(Table table, ForeignKey reference, List<Column> columns) {
        return mayChangeApart(table, reference, columns) && columns.stream().allMatch(Column::nullable);
    }

    /**
     * Whether {@code reference}'s columns of {@code table} may take their values at another time than the rest of the
     * delta's: another table's reference, checked as rows change, in a table whose rows have a key, not part of the
     * key and referenced by no other table ({@link #mayHoldNull}, {@link #keepsReferencing}).
     */
    private static boolean mayChangeApart(Table table, ForeignKey reference, List<Column> columns) {
        return !table.rowsRepeat()
                && !reference.parent().equals(table.ref())
                && !reference.deferred()
                && columns.stream().noneMatch(table::isKey)
                && table.referencedBy().stream()
                        .noneMatch(k -> k.parentColumns().stream().anyMatch(reference.columns()::contains));
    }

    /** Whether a reference of {@code table} carries to its rows a change {@code updates} make ({@link #cascades}). */
    private boolean carriesChange(Table table, List<StagedFile> updates) {
        Set<TableRef> changed = changedByUpdates(updates);
        return table.foreignKeys().stream().anyMatch(k -> cascades(k) && changed.contains(k.parent()));
    }

    /** Whether a change of the values {@code reference} references is carried to its rows. */
    private static boolean cascades(ForeignKey reference) {
        return reference.updateChangesChildren() && !reference.updateDropsReferences();
    }

    /** The deferred columns of a file's table that the file writes (inserts) or that may hold a value (deletes). */
    private static List<Column> deferred(StagedFile file, ChangeOrder order) {
        List<Column> deferred = order.deferred(file.table().ref());
        if (file.file().operation() == Operation.DELETE) {
            return deferred;
        }
        return deferred.stream().filter(file.columns()::contains).toList();
    }

    /** Sets {@code columns} NULL in the rows {@code file} lists. */
    private long clear(StagedFile file, List<Column> columns) {
        if (columns.isEmpty()) {
            return 0;
        }
        return updateByLines(
                file, columns.stream().map(c -> new String[] {c.name(), "NULL"}).toList());
    }

    /**
     * {@code alias.column IS NOT NULL AND } for each of {@code columns}: a reference with a NULL among them references
     * nothing (MATCH SIMPLE).
     */
    private String notNull(String alias, List<Column> columns) {
        return columns.stream()
                .map(c -> alias + "." + dialect.quote(c.name()) + " IS NOT NULL AND ")
                .collect(Collectors.joining());
    }

    /** {@code column = s.column} for each column not excluded. */
    private List<String[]> assignments(List<Column> columns, List<Column> excluded) {
        return columns.stream()
                .filter(c -> !excluded.contains(c))
                .map(c -> new String[] {c.name(), "s." + dialect.quote(c.name())})
                .toList();
    }

    // ------------------------------------------------------------------------------------------------- checks

    /**
     * Fails, naming the line, on a row of the file that takes values of a unique index besides the key which a row
     * of the table holds, or which another line takes too: the database would refuse the statement without saying
     * which line. The applier inserts, then updates, then deletes, so a row the delta updates ({@code updated}, the
     * file itself for an update) or deletes ({@code deleted}) later holds its values still, which the message says;
     * for an update, a holder the same file gives new values may give them up first, as the database goes, and is
     * left to it; for an update, a holder the delta inserted ({@code inserted}, run before) is named as such. Only
     * indexes whose values the file's rows take ({@link #indexColumns}); a NULL meets no other row's value, but in an
     * index that holds NULLs as values.
     */
    private void checkUniques(StagedFile file, StagedFile updated, StagedFile deleted, StagedFile inserted) {
        boolean update = updated == file;
        for (Table.Unique unique : file.table().uniques()) {
            List<Column> columns = indexColumns(file, unique);
            if (columns == null) {
                continue;
            }
            String line = file.line("s");
            String sameValues = valuesMeet("t", "s", unique, columns);
            // the holder t: deleted later (2), giving the values up in a later update (1), or kept in this one (1)
            String givenUp = updated == null ? null : givesUp(updated, "t", columns);
            String fate = (deleted == null ? "" : " WHEN " + listed(deleted, "t") + " THEN 2")
                    + (update ? " WHEN " + listed(file, "t") + " THEN 1" : "")
                    + (!update && givenUp != null ? " WHEN " + givenUp + " THEN 1" : "")
                    + (inserted != null ? " WHEN " + listed(inserted, "t") + " THEN 3" : "");
            fate = fate.isEmpty() ? "0" : "CASE" + fate + " ELSE 0 END";
            String[] held = first(
                    file,
                    "SELECT " + line + ", " + fate + ", " + dialect.selectList("s", columns) + ", "
                            + dialect.selectList("t", file.key()) + " FROM " + withValues(file, columns) + " s JOIN "
                            + dialect.qualify(file.table().ref()) + " t ON " + sameValues
                            + (update ? " AND NOT (" + dialect.keyMatch(file.key()) + ") AND NOT " + givenUp : "")
                            + " ORDER BY " + line,
                    rows -> new String[] {
                        rows.getString(1),
                        rows.getString(2),
                        keyText(rows, 3, columns),
                        keyText(rows, 3 + columns.size(), file.key())
                    });
            if (held != null) {
                throw lineError(
                        file.file(),
                        Long.parseLong(held[0]),
                        "the values " + held[2] + " of unique index " + dialect.displayName(unique.name())
                                + " are held by the row with key " + held[3] + " of table "
                                + file.file().table()
                                + switch (held[1]) {
                                    case "2" -> " (a delta inserts and updates before it deletes)";
                                    case "1" -> update
                                            ? ", which keeps them in this file"
                                            : " (a delta inserts before it updates)";
                                    case "3" -> ", which " + inserted.file().name()
                                            + " inserts (a delta inserts before it updates)";
                                    default -> ", which the delta does not change";
                                });
            }
            String[] twice = listedTwice(file, columns, unique.nulls());
            if (twice != null) {
                throw lineError(
                        file.file(),
                        Long.parseLong(twice[1]),
                        "the values " + twice[0] + " of unique index " + dialect.displayName(unique.name())
                                + " are listed twice in the" + " file (also on line " + twice[2] + ")");
            }
        }
    }

    /**
     * SQL true where the update {@code file} gives the row {@code alias} of its table other values of
     * {@code columns}, to NULL too (those it lists: it keeps the others'); {@code null} where it lists none.
     */
    private String givesUp(StagedFile file, String alias, List<Column> columns) {
        List<Column> listed = columns.stream().filter(file.columns()::contains).toList();
        return listed.isEmpty()
                ? null
                : "EXISTS (SELECT 1 FROM " + file.staging() + " o WHERE " + dialect.keyMatch("o", alias, file.key())
                        + " AND NOT ("
                        + listed.stream()
                                .map(c -> dialect.nullSafeEquals(
                                        "o." + dialect.quote(c.name()), alias + "." + dialect.quote(c.name())))
                                .collect(Collectors.joining(" AND "))
                        + "))";
    }

    /** The file of {@code file}'s table among {@code files}, or {@code null}. */
    private static StagedFile ofTable(StagedFile file, List<StagedFile> files) {
        return ofTable(file.table().ref(), files);
    }

    /** The file of {@code table} among {@code files}, or {@code null}. */
    private static StagedFile ofTable(TableRef table, List<StagedFile> files) {
        return files.stream()
                .filter(f -> f.table().ref().equals(table))
                .findFirst()
                .orElse(null);
    }

    private void checkDuplicates(StagedFile file) {
        String[] duplicate = listedTwice(file, file.key(), Table.Unique.Nulls.NOT_DISTINCT);
        if (duplicate != null) {
            throw lineError(
                    file.file(),
                    Long.parseLong(duplicate[1]),
                    "key " + duplicate[0] + " is listed twice in the file (also on line " + duplicate[2] + ")");
        }
    }

    /**
     * The first values of {@code columns} more than one line of the file gives, that meet as {@code nulls} says: the
     * values as the first line spells them, the first line, and the last with its spelling where it differs (a
     * collation that ignores case, accents or trailing spaces takes {@code 'a'} for {@code 'A'}); or {@code null}.
     */
    private String[] listedTwice(StagedFile file, List<Column> columns, Table.Unique.Nulls nulls) {
        String[] twice = firstListedTwice(file, columns, nulls);
        if (twice == null) {
            return null;
        }
        String line = file.names().line();
        String[] spelled = new String[2];
        query(
                file.file(),
                "SELECT " + line + ", " + dialect.selectList(null, columns) + " FROM " + withValues(file, columns)
                        + " v WHERE " + line + " IN (" + Long.parseLong(twice[1]) + ", " + Long.parseLong(twice[2])
                        + ")",
                rows -> spelled[rows.getString(1).equals(twice[1]) ? 0 : 1] = keyText(rows, 2, columns));
        return new String[] {
            spelled[0],
            twice[1],
            spelled[1].equals(spelled[0])
                    ? twice[2]
                    : twice[2] + ", as " + spelled[1] + ", which the table's collation takes for the same"
        };
    }

    private String[] firstListedTwice(StagedFile file, List<Column> columns, Table.Unique.Nulls nulls) {
        String line = file.names().line();
        String meet =
                switch (nulls) {
                    case DISTINCT -> " WHERE "
                            + columns.stream()
                                    .map(c -> dialect.quote(c.name()) + " IS NOT NULL")
                                    .collect(Collectors.joining(" AND "));
                    case ALL_DISTINCT -> " WHERE NOT ("
                            + columns.stream()
                                    .map(c -> dialect.quote(c.name()) + " IS NULL")
                                    .collect(Collectors.joining(" AND "))
                            + ")";
                    case NOT_DISTINCT -> "";
                };
        String sql = "SELECT " + dialect.selectList(null, columns) + ", MIN(" + line + "), MAX(" + line + ") FROM "
                + withValues(file, columns) + " v" + meet
                + " GROUP BY " + dialect.columnList(null, columns) + " HAVING COUNT(*) > 1 ORDER BY MIN(" + line + ")";
        return first(file, sql, rows -> new String[] {
            keyText(rows, 1, columns), rows.getString(columns.size() + 1), rows.getString(columns.size() + 2)
        });
    }

    /** Every row of an update or delete file must match exactly one row of the table. */
    private void checkPresent(StagedFile file, String verb) {
        forEachMatch(file, false, true, (line, key) -> {
            throw lineError(
                    file.file(),
                    line,
                    "no row with key " + key + " in table " + file.file().table() + " to " + verb);
        });
        if (!file.table().keyIsUnique()) {
            String line = file.line("s");
            String multiple = "SELECT " + line + ", COUNT(*) FROM " + file.staging() + " s JOIN "
                    + dialect.qualify(file.table().ref()) + " t ON " + dialect.keyMatch(file.key())
                    + " GROUP BY " + line + " HAVING COUNT(*) > 1 ORDER BY " + line;
            String[] several = first(file, multiple, rows -> new String[] {rows.getString(1), rows.getString(2)});
            if (several != null) {
                throw lineError(
                        file.file(),
                        Long.parseLong(several[0]),
                        "the key " + keyNames(file.table()) + " of table "
                                + file.file().table() + " matches " + several[1]
                                + " rows here; a key must identify one row");
            }
        }
    }

    /**
     * Refuses an update whose rows are to reference a row that an insert moved after the updates ({@code
     * afterUpdates}) gives, by columns it sets as it runs ({@code file} is without those {@link #repointed}): the row
     * is not there yet, nor can the reference wait for it. Names both lines, where the check of references would call
     * the row missing; before any update runs, which the database could refuse first, as this row keeps a row the
     * update's parent gives up.
     */
    private void checkNotTakenFromMoved(StagedFile file, List<StagedFile> afterUpdates) {
        for (ForeignKey reference : file.table().foreignKeys()) {
            List<Column> columns = columnsOf(file.table(), reference.columns());
            StagedFile insert = ofTable(reference.parent(), afterUpdates);
            if (insert == null
                    || !file.values().containsAll(columns)
                    || !insert.columns().containsAll(columnsOf(insert.table(), reference.parentColumns()))) {
                continue;
            }
            String line = file.line("s");
            String sql = "SELECT " + line + ", " + insert.line("i") + ", " + dialect.selectList("s", columns) + " FROM "
                    + file.staging() + " s JOIN " + insert.staging() + " i ON "
                    + referenceMatch("i", reference.parentColumns(), "s", columns) + " ORDER BY " + line;
            String[] taken = first(
                    file, sql, rows -> new String[] {rows.getString(1), rows.getString(2), keyText(rows, 3, columns)});
            if (taken != null) {
                throw lineError(
                        file.file(),
                        Long.parseLong(taken[0]),
                        taken[2] + " references the row " + insert.file().name() + " inserts at line " + taken[1]
                                + ", which goes in after the updates, as it references a value only an update gives;"
                                + " this reference (" + reference.name() + ") cannot wait for it, as NULL (a column"
                                + " NOT NULL, part of the key or referenced by another table, a reference of the table"
                                + " to itself, or one the database checks at commit) or with the value the row holds"
                                + " (a column a unique index holds, or a row a moved delete takes or an update"
                                + " changes), so no order applies both: give those rows over two deltas");
            }
        }
    }

    /**
     * Refuses rows whose references (among the columns {@code which} accepts) point at no row of the parent table,
     * naming the line: the database would refuse them too, without saying where. A reference within a group of
     * tables that cannot be deferred is left to the database, since its parent may come later in the same delta.
     */
    private void checkReferencesExist(StagedFile file, ChangeOrder order, Predicate<Column> which) {
        Table table = file.table();
        for (ForeignKey reference : table.foreignKeys()) {
            List<Column> columns = columnsOf(table, reference.columns());
            if (!file.columns().containsAll(columns) || !columns.stream().allMatch(which)) {
                continue;
            }
            if (order.sameGroup(table.ref(), reference.parent())
                    && columns.stream().noneMatch(order.deferred(table.ref())::contains)) {
                continue;
            }
            Table parent = catalog.table(reference.parent());
            // an update of a table referencing itself may give the referenced values too, where the engine checks
            // the references once the statement is done
            String given = file.file().operation() == Operation.UPDATE
                            && parent.ref().equals(table.ref())
                            && !dialect.checksEachRow()
                            && file.columns().containsAll(columnsOf(table, reference.parentColumns()))
                    ? " AND NOT EXISTS (SELECT 1 FROM " + file.staging() + " n WHERE "
                            + referenceMatch("n", reference.parentColumns(), "s", columns) + ")"
                    : "";
            String line = file.line("s");
            String sql = "SELECT " + line + ", " + dialect.selectList("s", columns) + " FROM " + file.staging()
                    + " s WHERE " + notNull("s", columns) + "NOT EXISTS (SELECT 1 FROM " + dialect.qualify(parent.ref())
                    + " p WHERE "
                    + referenceMatch("p", reference.parentColumns(), "s", columns) + ")" + given + " ORDER BY " + line;
            String[] missing = first(file, sql, rows -> new String[] {rows.getString(1), keyText(rows, 2, columns)});
            if (missing != null) {
                throw lineError(
                        file.file(),
                        Long.parseLong(missing[0]),
                        missing[1] + " references no row of table "
                                + dialect.displayName(parent.ref().name()) + " (" + reference.name() + ")");
            }
        }
    }

    /**
     * Refuses to delete rows that other rows still reference: the database would refuse too (a plain message
     * instead), or, with {@code ON DELETE CASCADE} or {@code SET NULL}, change rows the delta does not list and the
     * reverse delta could not restore. Runs after the group's deferred references are cleared and children's rows
     * are deleted, so only references from rows the delta keeps are left.
     */
    private void checkNotReferenced(StagedFile file, ChangeOrder order, boolean cascadingOnly) {
        Table table = file.table();
        for (ForeignKey reference : table.referencedBy()) {
            if (cascadingOnly && !reference.deleteChangesChildren()) {
                continue; // the database refuses the delete itself
            }
            boolean self = reference.child().equals(table.ref());
            Table child = self ? table : catalog.table(reference.child());
            List<Column> childColumns = columnsOf(child, reference.columns());
            if (self && childColumns.stream().noneMatch(order.deferred(table.ref())::contains)) {
                continue; // a self-reference that could not be cleared first: the rows may reference each other
            }
            List<Column> childKey = child.keyColumns().isEmpty() ? childColumns : child.keyColumns();
            String line = file.line("s");
            String sql = "SELECT " + line + ", " + dialect.selectList("s", file.key()) + ", "
                    + dialect.selectList("c", childKey) + " FROM " + file.staging() + " s JOIN "
                    + dialect.qualify(table.ref()) + " t ON " + dialect.keyMatch(file.key()) + " JOIN "
                    + dialect.qualify(child.ref()) + " c ON "
                    + referenceMatch("t", reference.parentColumns(), "c", childColumns) + " ORDER BY " + line;
            String[] found = first(file, sql, rows -> new String[] {
                rows.getString(1),
                keyText(rows, 2, file.key()),
                keyText(rows, 2 + file.key().size(), childKey)
            });
            if (found != null) {
                String childName = dialect.displayName(child.ref().name());
                throw lineError(
                        file.file(),
                        Long.parseLong(found[0]),
                        "row " + found[1] + " is still referenced by " + childName + " " + found[2] + " ("
                                + reference.name() + ", " + reference.deleteRuleName() + ")"
                                + (reference.deleteChangesChildren()
                                        ? "; deleting it would change rows the delta does not list, which its"
                                                + " reverse could not restore"
                                        : "")
                                + (rollingBack
                                        ? "; someone else's rows reference it since the delta was applied: delete or"
                                                + " change them, then roll back"
                                        : "; delete or update those rows in this delta too (" + childName + ".d.csv or "
                                                + childName + ".u.csv)"));
            }
        }
    }

    /**
     * Refuses to change values that rows of the file's own table reference {@code ON UPDATE CASCADE}, {@code SET
     * NULL} or {@code SET DEFAULT}, where such a row is to reference the value after the update (the value the file
     * gives its reference, or the one it keeps): the database changes that reference as the update runs, and in a
     * table that references itself no later update sets it back. A row the file moves off the value is not met.
     */
    private void checkOwnReferencesKept(StagedFile file) {
        Table table = file.table();
        if (table.rowsRepeat()) {
            return;
        }
        for (ForeignKey reference : table.foreignKeys()) {
            if (!reference.parent().equals(table.ref()) || !reference.updateChangesChildren()) {
                continue;
            }
            List<Column> changing = columnsOf(table, reference.parentColumns()).stream()
                    .filter(file.values()::contains)
                    .toList();
            if (changing.isEmpty()) {
                continue;
            }
            List<Column> columns = columnsOf(table, reference.columns());
            List<String> kept = new ArrayList<>();
            for (int i = 0; i < columns.size(); i++) {
                String column = dialect.quote(columns.get(i).name());
                String value = file.columns().contains(columns.get(i))
                        ? "CASE WHEN " + file.line("x") + " IS NULL THEN r." + column + " ELSE x." + column + " END"
                        : "r." + column;
                kept.add("t." + dialect.quote(reference.parentColumns().get(i)) + " = " + value);
            }
            String line = file.line("s");
            String sql = "SELECT " + line + ", " + dialect.selectList("s", file.key()) + ", "
                    + dialect.selectList("r", file.key()) + " FROM " + file.staging() + " s JOIN "
                    + dialect.qualify(table.ref()) + " t ON " + dialect.keyMatch(file.key()) + " JOIN "
                    + dialect.qualify(table.ref()) + " r ON 1 = 1 LEFT JOIN " + file.staging() + " x ON "
                    + dialect.keyMatch("x", "r", file.key()) + " WHERE (" + changes("s", "t", changing) + ") AND "
                    + String.join(" AND ", kept) + " ORDER BY " + line + ", " + dialect.columnList("r", file.key());
            String[] found = first(file, sql, rows -> new String[] {
                rows.getString(1),
                keyText(rows, 2, file.key()),
                keyText(rows, 2 + file.key().size(), file.key())
            });
            if (found != null) {
                throw lineError(
                        file.file(),
                        Long.parseLong(found[0]),
                        "row " + found[1] + " changes " + String.join(", ", names(changing)) + ", which row "
                                + found[2] + " of the same table references (" + reference.name() + ", "
                                + reference.updateRuleName() + ") and is to reference after the update; the database"
                                + " would change that reference as the update runs, which no update of a table"
                                + " referencing itself can set back: give the value up in one delta and the"
                                + " references to it in another");
            }
        }
    }

    /**
     * Refuses to change values that rows reference {@code ON UPDATE SET NULL} or {@code SET DEFAULT}, directly or
     * through references that cascade the change, unless the delta updates those rows' references too ({@code
     * updates}): the database would change rows the delta does not list, and neither the update's reverse nor that
     * of a child's delete, written after the update, gives them their reference back. A cascade alone is undone by
     * the update's reverse. A value changes where the engine's foreign keys see a change ({@link
     * Dialect#foreignKeyImage}).
     */
    private void checkNoReferenceDropped(StagedFile file, List<StagedFile> updates) {
        Table table = file.table();
        for (ForeignKey reference : table.referencedBy()) {
            List<Column> changing = columnsOf(table, reference.parentColumns()).stream()
                    .filter(file.values()::contains)
                    .toList();
            if (changing.isEmpty()) {
                continue;
            }
            String joins = file.staging() + " s JOIN " + dialect.qualify(table.ref()) + " t ON "
                    + dialect.keyMatch(file.key());
            findDroppedReferences(
                    file,
                    updates,
                    names(changing),
                    table,
                    "t",
                    reference,
                    joins,
                    " WHERE (" + changes("s", "t", changing) + ")",
                    List.of(),
                    false);
        }
    }

    /**
     * Refuses the first row of {@code file} whose change {@code reference} carries to a row of its child table that
     * the delta does not update with its reference: set to NULL or to its default, or cascaded on to the next. A
     * row the delta does update with it still passes the NULL or default on to the rows that reference it in turn,
     * under any rule (a cascade too): its own update sets its reference again, which changes no row holding the
     * NULL; so those rows must be updated too.
     *
     * @param changing the file's columns whose change is carried, for the message
     * @param parent the table {@code reference} references, joined as {@code alias} by {@code joins}
     * @param changes the condition on the staged rows whose values change
     * @param through the references that carried the change to {@code parent}
     * @param dropped whether one of them set it to NULL or a default
     */
    private void findDroppedReferences(
            StagedFile file,
            List<StagedFile> updates,
            List<String> changing,
            Table parent,
            String alias,
            ForeignKey reference,
            String joins,
            String changes,
            List<ForeignKey> through,
            boolean dropped) {
        if (!reference.updateChangesChildren() || through.contains(reference)) {
            return;
        }
        Table child = reference.child().equals(parent.ref()) ? parent : catalog.table(reference.child());
        List<Column> childColumns = columnsOf(child, reference.columns());
        String childAlias = "c" + through.size();
        String joined = joins + " JOIN " + dialect.qualify(child.ref()) + " " + childAlias + " ON "
                + referenceMatch(alias, reference.parentColumns(), childAlias, childColumns);
        List<ForeignKey> path = new ArrayList<>(through);
        path.add(reference);
        boolean drops = dropped || reference.updateDropsReferences();
        if (drops) {
            refuseUnlisted(file, updates, changing, child, childAlias, reference, joined, changes, through);
        }
        for (ForeignKey next : child.referencedBy()) {
            if (next.parentColumns().stream().anyMatch(reference.columns()::contains)) {
                findDroppedReferences(file, updates, changing, child, childAlias, next, joined, changes, path, drops);
            }
        }
    }

    /** The refusal of {@link #findDroppedReferences}, for rows of {@code child} it reaches. */
    private void refuseUnlisted(
            StagedFile file,
            List<StagedFile> updates,
            List<String> changing,
            Table child,
            String childAlias,
            ForeignKey reference,
            String joined,
            String changes,
            List<ForeignKey> through) {
        List<Column> childColumns = columnsOf(child, reference.columns());
        List<Column> childKey = child.keyColumns().isEmpty() ? childColumns : child.keyColumns();
        String updatedToo = updates.stream()
                .filter(u -> u.table().ref().equals(child.ref())
                        && !u.table().rowsRepeat()
                        && u.values().containsAll(childColumns))
                .map(u -> " AND NOT " + listed(u, childAlias))
                .collect(Collectors.joining());
        String line = file.line("s");
        String sql = "SELECT " + line + ", " + dialect.selectList("s", file.key()) + ", "
                + dialect.selectList(childAlias, childKey) + " FROM " + joined + changes + updatedToo + " ORDER BY "
                + line + ", " + dialect.columnList(childAlias, childKey);
        String[] found = first(file, sql, rows -> new String[] {
            rows.getString(1),
            keyText(rows, 2, file.key()),
            keyText(rows, 2 + file.key().size(), childKey)
        });
        if (found != null) {
            String childName = dialect.displayName(child.ref().name());
            String via = through.stream()
                    .map(k -> dialect.displayName(k.child().name()) + " (" + k.name() + ", " + k.updateRuleName() + ")")
                    .collect(Collectors.joining(" and "));
            throw lineError(
                    file.file(),
                    Long.parseLong(found[0]),
                    "row " + found[1] + " changes " + String.join(", ", changing) + ", which " + childName + " "
                            + found[2] + " references" + (via.isEmpty() ? "" : " through " + via) + " ("
                            + reference.name() + ", " + reference.updateRuleName() + "); the database would change"
                            + " that row, and no reverse could give it its reference back; update the reference of"
                            + " that row in this delta too (" + childName + ".u.csv with "
                            + String.join(", ", names(childColumns)) + ")");
        }
    }

    /**
     * SQL true where a staged row ({@code staged}) changes one of {@code columns} of its table's row ({@code row}), as
     * the engine's foreign keys see a change ({@link Dialect#foreignKeyImage}).
     */
    private String changes(String staged, String row, List<Column> columns) {
        return columns.stream()
                .map(c -> "NOT " + dialect.nullSafeEquals(image(staged, c), image(row, c)))
                .collect(Collectors.joining(" OR "));
    }

    /** {@code alias.column} as {@link Dialect#foreignKeyImage} makes it. */
    private String image(String alias, Column column) {
        return dialect.foreignKeyImage(alias + "." + dialect.quote(column.name()), column);
    }

    /** SQL true where {@code file} lists the row {@code alias} of its table, by key. */
    private String listed(StagedFile file, String alias) {
        return "EXISTS (SELECT 1 FROM " + file.staging() + " x WHERE " + dialect.keyMatch("x", alias, file.key()) + ")";
    }

    /**
     * SQL true where a row {@code o} other than the staged row {@code s}'s holds its values of {@code unique}'s
     * {@code columns}: its NULLs too where it holds NULLs as values. A declared key may hold NULL, which must not make
     * another row's key unknown.
     */
    private String heldByAnother(StagedFile file, Table.Unique unique, List<Column> columns) {
        return valuesMeet("o", "s", unique, columns) + " AND NOT (" + dialect.keyMatch("o", "s", file.key()) + ")";
    }

    /**
     * SQL true where rows {@code a} and {@code b} hold values of {@code unique}'s {@code columns} that meet. A NULL
     * that meets another is matched as {@code a.c = b.c OR (a.c IS NULL AND b.c IS NULL)}, which PostgreSQL finds
     * through the index, where it finds {@code IS NOT DISTINCT FROM} by reading the whole table.
     */
    private String valuesMeet(String a, String b, Table.Unique unique, List<Column> columns) {
        String same = columns.stream()
                .map(c -> {
                    String left = a + "." + dialect.quote(c.name());
                    String right = b + "." + dialect.quote(c.name());
                    return unique.nulls() != Table.Unique.Nulls.DISTINCT && c.nullable()
                            ? "(" + left + " = " + right + " OR (" + left + " IS NULL AND " + right + " IS NULL))"
                            : left + " = " + right;
                })
                .collect(Collectors.joining(" AND "));
        return unique.nulls() == Table.Unique.Nulls.ALL_DISTINCT
                ? same + " AND NOT ("
                        + columns.stream()
                                .map(c -> b + "." + dialect.quote(c.name()) + " IS NULL")
                                .collect(Collectors.joining(" AND "))
                        + ")"
                : same;
    }

    private void expect(StagedFile file, long actual, String what) {
        if (actual != file.rows()) {
            throw refused(
                    where + ", file " + file.file().name() + ": " + what + " " + actual + " rows where the file"
                            + " has " + file.rows() + "; nothing was applied",
                    null);
        }
    }

    // ------------------------------------------------------------------------------------------------- copies

    /**
     * The identical rows of {@code file}'s staging table counted, as a subquery: the columns (as
     * {@link Dialect#comparable} makes them, so they group), the count ({@code copies} of {@link InternalNames}), the
     * first line, and where the engine has a {@link Dialect#rowHash}, the hash: grouped by, so that H2 can look a
     * group up by it.
     */
    private String copies(StagedFile file) {
        List<Column> columns = file.key();
        InternalNames names = file.names();
        String hash = dialect.rowHash("r", columns) == null ? "" : ", r." + names.hash();
        return "(SELECT " + namedValues(columns) + hash + ", COUNT(*) AS " + names.name("copies") + ", MIN(r."
                + names.line() + ") AS " + names.line() + " FROM " + file.staging() + " r GROUP BY "
                + String.join(", ", comparableValues(columns)) + hash + ")";
    }

    /**
     * Each row's copies in several sets of rows counted at once: {@code sets} ({@link #rowsOf}) joined by
     * {@code UNION ALL} and grouped by their values, which compares them as a join on every value would, NULL
     * matching NULL, without an index on any engine. Selects {@code aggregates}, then the values; ends in
     * {@code GROUP BY}.
     */
    private String tally(String aggregates, List<Column> columns, List<String> sets) {
        return "SELECT " + aggregates + ", " + dialect.selectList(null, columns) + " FROM ("
                + String.join(" UNION ALL ", sets) + ") u GROUP BY " + dialect.columnList(null, columns);
    }

    /**
     * The rows {@code r} of {@code table} that {@code where} (which may be empty) lets through, as their
     * {@link Dialect#comparable} values named after their columns, then {@code more}.
     */
    private String rowsOf(String table, String where, List<Column> columns, String more) {
        return "SELECT " + namedValues(columns) + ", " + more + " FROM " + table + " r" + where;
    }

    /** The {@link Dialect#comparable} values of {@code columns} of row {@code r}. */
    private List<String> comparableValues(List<Column> columns) {
        return columns.stream()
                .map(c -> dialect.comparable("r." + dialect.quote(c.name()), c))
                .toList();
    }

    /** {@link #comparableValues}, each named after its column. */
    private String namedValues(List<Column> columns) {
        List<String> values = comparableValues(columns);
        return IntStream.range(0, columns.size())
                .mapToObj(i ->
                        values.get(i) + " AS " + dialect.quote(columns.get(i).name()))
                .collect(Collectors.joining(", "));
    }

    /**
     * Numbers the copies the table holds of each row a whole-row delete file lists, into a new staging table whose
     * line is the copy's number less the file's count of the row: the copies up to 0 are the ones to
     * delete, and their values, as the table holds them, the reverse; those above 0 stay. Returns its name. Copies are
     * numbered within the file's row they match, told apart by its first line: partitioning by the values themselves
     * would compare only the first 1,024 bytes of a text on MariaDB ({@code max_sort_length}). Numbered outside the
     * join, which H2 would otherwise run by comparing every pair of rows.
     */
    private String numberCopies(StagedFile file) {
        List<Column> columns = file.key();
        String line = file.names().line();
        String copies = file.names().name("copies");
        String numbered = takeStaging(
                file.file(),
                name -> dialect.createStaging(name, file.names(), file.table().ref(), columns));
        execute(
                file.file(),
                "INSERT INTO " + numbered + " (" + line + ", " + dialect.columnList(null, columns) + ") SELECT"
                        + " ROW_NUMBER() OVER (PARTITION BY m." + line + ") - m." + copies + ", "
                        + dialect.columnList("m", columns) + " FROM (SELECT s." + line + ", s." + copies + ", "
                        + dialect.columnList("t", columns) + " FROM "
                        + dialect.qualify(file.table().ref()) + " t JOIN "
                        + copies(file) + " s ON " + sameRows(file, "t", "s") + ") m");
        return numbered;
    }

    /** A whole-row delete file may list a row as often as the table holds it ({@code numbered} copies), no more. */
    private void checkCopiesPresent(StagedFile file, String numbered) {
        List<Column> columns = file.key();
        String line = file.names().line();
        String listed = file.names().name("listed");
        String held = file.names().name("held");
        List<String> sets = List.of(
                rowsOf(
                        file.staging(),
                        "",
                        columns,
                        "r." + line + " AS " + line + ", 1 AS " + listed + ", 0 AS " + held),
                rowsOf(numbered, "", columns, "NULL, 0, 1"));
        String sql = tally("MIN(" + line + "), SUM(" + listed + "), SUM(" + held + ")", columns, sets) + " HAVING SUM("
                + held + ") < SUM(" + listed + ") ORDER BY 1";
        String[] missing = first(file, sql, rows ->
                new String[] {rows.getString(1), rows.getString(2), rows.getString(3), keyText(rows, 4, columns)});
        if (missing != null) {
            throw lineError(
                    file.file(),
                    Long.parseLong(missing[0]),
                    "the file deletes the row " + missing[3] + " " + times(missing[1]) + ", and table "
                            + file.file().table() + " holds it " + times(missing[2]));
        }
    }

    /**
     * Deletes as many copies of each row as the file lists: every copy goes, and those {@code numbered} beyond the
     * file's count are put back (no engine here can address one of several identical rows portably). Returns the
     * rows deleted net.
     */
    private long deleteCopies(StagedFile file, String numbered) {
        List<Column> columns = file.key();
        Table table = file.table();
        String match = sameRows(file, "t", "s");
        long deleted = 0;
        if (dialect.checksEachRow()) {
            // a table referencing itself, on an engine that checks each row as it goes, children first: in waves
            // of the rows no other row references (their copies do not count), then of those referencing themselves
            // too, which MariaDB refuses to delete unless its checks are off
            StringBuilder unreferenced = new StringBuilder(match);
            StringBuilder notItsOwn = new StringBuilder();
            for (ForeignKey reference : table.foreignKeys()) {
                if (reference.parent().equals(table.ref())) {
                    List<Column> referencing = columnsOf(table, reference.columns());
                    // the table read through a derived table: MariaDB refuses a DELETE that reads its own table
                    unreferenced
                            .append(" AND NOT EXISTS (SELECT 1 FROM (SELECT ")
                            .append(dialect.columnList(null, columns))
                            .append(" FROM ")
                            .append(dialect.qualify(table.ref()))
                            .append(") c WHERE ")
                            .append(referenceMatch("t", reference.parentColumns(), "c", referencing))
                            .append(" AND NOT (")
                            .append(sameValues(columns, "c", "t", false))
                            .append("))");
                    // a reference column may hold NULL here: never unknown
                    notItsOwn
                            .append(" AND CASE WHEN ")
                            .append(referenceMatch("t", reference.parentColumns(), "t", referencing))
                            .append(" THEN 1 ELSE 0 END = 0");
                }
            }
            if (!notItsOwn.isEmpty()) {
                // every copy of a row goes, the surplus ones put back below: no count to stop at
                deleted = deleteInWaves(
                        file.file(),
                        dialect.deleteWholeRows(table.ref(), file.staging(), unreferenced + notItsOwn.toString()),
                        dialect.deleteWholeRows(table.ref(), file.staging(), unreferenced.toString()),
                        Long.MAX_VALUE);
            }
        }
        // what is left: all of it, or rows still referenced, which the database refuses
        deleted += execute(file.file(), dialect.deleteWholeRows(table.ref(), file.staging(), match));
        long putBack = execute(
                file.file(),
                "INSERT INTO " + dialect.qualify(file.table().ref()) + " (" + dialect.columnList(null, columns) + ")"
                        + dialect.overridingIdentity(columns) + " SELECT " + dialect.columnList("n", columns)
                        + " FROM " + numbered + " n WHERE " + file.line("n") + " > 0");
        return deleted - putBack;
    }

    /** Every copy the table holds of the rows a whole-row file inserted or deleted, for the guard. */
    private String copiesLeft(StagedFile file) {
        return "SELECT " + dialect.selectList("t", file.key()) + " FROM "
                + dialect.qualify(file.table().ref()) + " t" + listedIn(file, "t");
    }

    /** A filter on the table's rows {@code alias}: those whose values a row of {@code file}'s staging table holds. */
    private String listedIn(StagedFile file, String alias) {
        return " WHERE EXISTS (SELECT 1 FROM " + file.staging() + " s WHERE " + sameRows(file, alias, "s") + ")";
    }

    /**
     * Before a whole-row reverse file runs: each of its rows must have as many copies as the forward delta left
     * ({@code guard}'s copies of it, none when there is no guard).
     */
    private void compareCopies(StagedFile file, StagedFile guard, Conflicts conflicts) {
        List<Column> columns = file.key();
        String line = file.names().line();
        String left = file.names().name("left");
        String present = file.names().name("found");
        List<String> sets = new ArrayList<>();
        sets.add(rowsOf(
                file.staging(), "", columns, "r." + line + " AS " + line + ", 0 AS " + left + ", 0 AS " + present));
        if (guard != null) {
            sets.add(rowsOf(guard.staging(), "", columns, "NULL, 1, 0"));
        }
        sets.add(rowsOf(dialect.qualify(file.table().ref()), listedIn(file, "r"), columns, "NULL, 0, 1"));
        String sql = tally("SUM(" + left + "), SUM(" + present + ")", columns, sets) + " HAVING COUNT(" + line
                + ") > 0 AND SUM(" + left + ") <> SUM(" + present + ") ORDER BY MIN(" + line + ")";
        query(file.file(), sql, rows -> {
            long expected = rows.getLong(1);
            long found = rows.getLong(2);
            conflicts.add(file.file().table() + " " + keyText(rows, 3, columns) + ": the delta left "
                    + copyCount(expected) + " of this row, and there " + (found == 1 ? "is " : "are ")
                    + copyCount(found) + " now");
        });
    }

    private static String times(String count) {
        return switch (count) {
            case "1" -> "once";
            case "2" -> "twice";
            default -> count + " times";
        };
    }

    private static String copyCount(long count) {
        return count + (count == 1 ? " copy" : " copies");
    }

    // ------------------------------------------------------------------------------------------------- drift

    /** The rows found changed by others, a few of them described. */
    private static final class Conflicts {

        private final List<String> shown = new ArrayList<>();
        private long total;

        void add(String conflict) {
            total++;
            if (shown.size() < CONFLICTS_SHOWN) {
                shown.add("  " + conflict);
            }
        }

        String report() {
            return String.join("\n", shown)
                    + (total > shown.size() ? "\n  … and " + (total - shown.size()) + " more" : "");
        }
    }

    /**
     * Rows that no longer hold what the forward delta left, locked so nothing changes them until the rollback (a key's
     * alone too, where there are no values to compare), then the rows gone: looked for once the others are locked, so
     * that a row someone deletes meanwhile is one of them.
     */
    private void findChangedRows(StagedFile guard, Conflicts conflicts) {
        lockAndFindChanged(guard, guard.key(), guard.values(), conflicts);
        forEachMatch(
                guard,
                false,
                false,
                (line, keyText) ->
                        conflicts.add(guard.file().table() + " " + keyText + ": the row is gone (someone deleted it)"));
    }

    private void lockAndFindChanged(StagedFile guard, List<Column> key, List<Column> values, Conflicts conflicts) {
        String sql = "SELECT " + dialect.selectList("s", key)
                + (values.isEmpty()
                        ? ""
                        : ", " + dialect.selectList("s", values) + ", " + dialect.selectList("t", values))
                + " FROM " + guard.staging() + " s JOIN "
                + dialect.qualify(guard.table().ref()) + " t ON " + dialect.keyMatch(key) + " ORDER BY "
                + guard.line("s")
                + dialect.lockRows();
        query(guard.file(), sql, rows -> {
            List<String> differences = new ArrayList<>();
            for (int i = 0; i < values.size(); i++) {
                String expected = dialect.read(rows, key.size() + 1 + i, values.get(i));
                String found = dialect.read(rows, key.size() + values.size() + 1 + i, values.get(i));
                if (!Objects.equals(expected, found)) {
                    differences.add(dialect.displayName(values.get(i).name()) + " expected " + ValueCodec.show(expected)
                            + ", found " + ValueCodec.show(found));
                }
            }
            if (!differences.isEmpty()) {
                conflicts.add(
                        guard.file().table() + " " + keyText(rows, 1, key) + ": " + String.join("; ", differences));
            }
        });
    }

    // ------------------------------------------------------------------------------------------------- SQL

    /** {@code EXISTS} a row of the target table matching the staged row {@code s} on the key. */
    private String exists(StagedFile file) {
        return "EXISTS (SELECT 1 FROM " + dialect.qualify(file.table().ref()) + " t WHERE "
                + dialect.keyMatch(file.key()) + ")";
    }

    /** Staged rows in line order: {@code columns} as the file gave them. */
    private String staged(StagedFile file, List<Column> columns) {
        return "SELECT " + dialect.selectList("s", columns) + " FROM " + file.staging() + " s ORDER BY "
                + file.line("s");
    }

    /** Target rows matching the staged rows, in line order, locked when {@code lock}. */
    private String joined(StagedFile file, List<Column> columns, boolean lock) {
        return "SELECT " + dialect.selectList("t", columns) + " FROM " + file.staging() + " s JOIN "
                + dialect.qualify(file.table().ref()) + " t ON " + dialect.keyMatch(file.key())
                + " ORDER BY " + file.line("s")
                + (lock ? dialect.lockRows() : "");
    }

    /** Target rows matching the staged rows, in no particular order, as the fast path reads its before-images. */
    private String joinedFast(StagedFile file, List<Column> columns) {
        return "SELECT " + dialect.selectList("t", columns) + " FROM " + file.staging() + " s JOIN "
                + dialect.qualify(file.table().ref()) + " t ON " + dialect.keyMatch(file.key())
                + dialect.fastPathLockRows();
    }

    /** {@code a.x = b.x AND …} over {@code columns}. */
    private String sameColumns(String a, String b, List<Column> columns) {
        return referenceMatch(a, columns.stream().map(Column::name).toList(), b, columns);
    }

    /** {@code alias.parentColumn = other.column} for each column of a reference. */
    private String referenceMatch(String parentAlias, List<String> parentColumns, String alias, List<Column> columns) {
        StringBuilder match = new StringBuilder();
        for (int i = 0; i < columns.size(); i++) {
            match.append(i == 0 ? "" : " AND ")
                    .append(parentAlias)
                    .append('.')
                    .append(dialect.quote(parentColumns.get(i)))
                    .append(" = ")
                    .append(alias)
                    .append('.')
                    .append(dialect.quote(columns.get(i).name()));
        }
        return match.toString();
    }

    /** What to do with a staged row that matches (or does not match) a target row. */
    @FunctionalInterface
    private interface MatchHandler {
        void handle(long line, String key);
    }

    /**
     * Calls {@code handler} for the staged rows that {@code match} (or do not match) a target row on the key, in
     * line order: each of them, or only the first when {@code firstOnly}.
     */
    private void forEachMatch(StagedFile file, boolean match, boolean firstOnly, MatchHandler handler) {
        String line = file.line("s");
        String sql = "SELECT " + line + ", " + dialect.selectList("s", file.key()) + " FROM " + file.staging()
                + " s WHERE " + (match ? "" : "NOT ") + exists(file) + " ORDER BY " + line;
        if (firstOnly) {
            String[] found = first(file, sql, rows -> new String[] {rows.getString(1), keyText(rows, 2, file.key())});
            if (found != null) {
                handler.handle(Long.parseLong(found[0]), found[1]);
            }
        } else {
            query(file.file(), sql, rows -> handler.handle(rows.getLong(1), keyText(rows, 2, file.key())));
        }
    }

    // ------------------------------------------------------------------------------------------------- plumbing

    @FunctionalInterface
    private interface RowReader<T> {
        T read(ResultSet rows) throws SQLException;
    }

    @FunctionalInterface
    private interface RowHandler {
        void handle(ResultSet rows) throws SQLException;
    }

    private <T> T first(StagedFile file, String sql, RowReader<T> reader) {
        listener.debug(sql);
        try {
            return jdbc.query(sql, rows -> rows.next() ? reader.read(rows) : null);
        } catch (DataAccessException e) {
            throw refused(where + ", file " + file.file().name() + ": " + reason(e), e);
        }
    }

    private void query(DeltaFile file, String sql, RowHandler handler) {
        listener.debug(sql);
        try {
            jdbc.query(sql, handler::handle);
        } catch (DataAccessException e) {
            throw refused(where + ", file " + file.name() + ": " + reason(e), e);
        }
    }

    /** Sets {@code assignments} in the rows the file lists, by key; a row the database refuses is named by its line. */
    private long updateByLines(StagedFile file, List<String[]> assignments) {
        return updateByLines(file, "1 = 1", assignments);
    }

    /** {@link #updateByLines} in the staged rows where {@code condition} holds. */
    private long updateByLines(StagedFile file, String condition, List<String[]> assignments) {
        return executeByLines(
                file,
                lines -> dialect.updateMatching(
                        file.table().ref(),
                        file.staging(),
                        dialect.keyMatch(file.key()) + " AND " + condition + " AND " + lines,
                        assignments));
    }

    /**
     * Runs a statement over {@code file}'s staged rows, which {@code statement} makes of a condition on them (alias
     * {@code s}). Where the database refuses it for a rule dsynq does not check itself (a {@code CHECK} constraint, a
     * trigger, an index over an expression), its error names no line: the first line it refuses is found by halves,
     * each try rolled back to a savepoint, and named with the database's reason. On the fast path a refusal sends the
     * move to the strict path, which finds it.
     */
    private long executeByLines(StagedFile file, Function<String, String> statement) {
        String all = statement.apply("1 = 1");
        if (fast) {
            return execute(file.file(), all);
        }
        listener.debug(all);
        Savepoint before = savepoint();
        try {
            long rows = jdbc.update(all);
            release(before);
            return rows;
        } catch (DataAccessException e) {
            RuntimeException plain = refused(where + ", file " + file.file().name() + theDatabase(e) + reason(e), e);
            if (!refusesRows(e)) {
                throw plain; // a lock, a deadlock: no line to look for, and the transaction may be gone
            }
            rollBackTo(before);
            long[] range = jdbc.query(
                    "SELECT MIN(" + file.line("s") + "), MAX(" + file.line("s") + ") FROM " + file.staging() + " s",
                    rows -> rows.next() ? new long[] {rows.getLong(1), rows.getLong(2)} : new long[] {0, 0});
            // the least line whose rows up to it the database refuses: rows up to the last one it refuses
            String reason = refusal(statement.apply(file.line("s") + " <= " + range[1]));
            if (reason == null) {
                throw plain;
            }
            long low = range[0];
            long high = range[1];
            while (low < high) {
                long middle = low + (high - low) / 2;
                String refused = refusal(statement.apply(file.line("s") + " <= " + middle));
                if (refused == null) {
                    low = middle + 1;
                } else {
                    high = middle;
                    reason = refused;
                }
            }
            throw lineError(file.file(), high, "the database refused the row: " + reason);
        }
    }

    /**
     * Whether the database refused rows of a statement, rather than the statement or the transaction: an integrity
     * constraint or a value (SQLSTATE classes 23 and 22), a trigger raising an error (PostgreSQL's P0, MariaDB's
     * 45), or a refusal the engine gives no such class (MariaDB's row without a NOT NULL column that has no default).
     */
    private boolean refusesRows(DataAccessException e) {
        Throwable cause = e.getMostSpecificCause();
        String state = cause instanceof SQLException sql ? sql.getSQLState() : null;
        return state != null
                && (List.of("22", "23", "P0", "45").contains(state.substring(0, Math.min(2, state.length())))
                        || dialect.refusedRow((SQLException) cause));
    }

    /** Why the database refuses {@code sql}, tried and rolled back to a savepoint; {@code null} where it takes it. */
    private String refusal(String sql) {
        Savepoint before = savepoint();
        try {
            jdbc.update(sql);
            return null;
        } catch (DataAccessException e) {
            return reason(e);
        } finally {
            rollBackTo(before);
        }
    }

    private Savepoint savepoint() {
        try {
            return connection.setSavepoint();
        } catch (SQLException e) {
            throw new DsynqException(where + ": cannot set a savepoint: " + e.getMessage(), e);
        }
    }

    private void release(Savepoint savepoint) {
        try {
            connection.releaseSavepoint(savepoint);
        } catch (SQLException e) {
            throw new DsynqException(where + ": cannot release a savepoint: " + e.getMessage(), e);
        }
    }

    private void rollBackTo(Savepoint savepoint) {
        try {
            connection.rollback(savepoint);
        } catch (SQLException e) {
            throw new DsynqException(where + ": cannot roll back to a savepoint: " + e.getMessage(), e);
        }
    }

    private long execute(DeltaFile file, String sql) {
        return execute(file, jdbc, sql);
    }

    /** {@link #execute(DeltaFile, String)} on the connection of {@code on}. */
    private long execute(DeltaFile file, JdbcTemplate on, String sql) {
        listener.debug(sql);
        try {
            long started = System.nanoTime();
            long changed = on.update(sql);
            long nanos = System.nanoTime() - started;
            if (nanos > progressNanos && changed > 0) {
                listener.info(String.format(
                        Locale.ROOT,
                        "  %s: %,d rows changed in one statement in %.1f s, %,.0f rows/s",
                        file.name(),
                        changed,
                        nanos / 1e9,
                        changed / (nanos / 1e9)));
            }
            return changed;
        } catch (DataAccessException e) {
            throw refused(where + ", file " + file.name() + theDatabase(e) + reason(e), e);
        }
    }

    /**
     * What a database error's message goes on with: the user lacks a privilege, the database stopped the change (a
     * cancel, a statement or lock timeout, a session it ended, which running it again only meets again) or refused it.
     */
    private String theDatabase(Throwable e) {
        if (dialect.deniedBy(e)) { // the user's rights, not the delta's rows
            // the user is not named: one from settings.xml never reaches the output
            return ": its user lacks a privilege this change needs; grant it, or apply as a user who has it: ";
        }
        return dialect.stoppedBy(e) ? ": the database stopped the change: " : ": the database refused the change: ";
    }

    /**
     * What the database refusing something becomes: on the fast path a {@link FastPathFailed}, so the move runs
     * again strictly; on the strict path the error for the user.
     */
    private RuntimeException refused(String message, Throwable cause) {
        return fast ? new FastPathFailed(message, cause) : new DsynqException(message, cause);
    }

    /**
     * Writes the rows {@code sql} selects, {@code columns} of them, for the reverse delta of {@code file}; a value
     * that cannot be read is named by its row's key, where the columns hold it.
     */
    private void writeRows(StagedFile file, CsvWriter out, String sql, List<Column> columns) {
        listener.debug(sql);
        try (out) {
            String[] values = new String[columns.size()];
            jdbc.query(sql, rows -> {
                for (int i = 0; i < values.length; i++) {
                    try {
                        values[i] = dialect.read(rows, i + 1, columns.get(i));
                    } catch (SQLException e) {
                        if (!columns.containsAll(file.key())) {
                            throw e;
                        }
                        List<String> key = new ArrayList<>();
                        for (Column column : file.key()) {
                            key.add(keyPart(column, rows.getString(columns.indexOf(column) + 1)));
                        }
                        // the reason names the row in its own words
                        throw new SQLException("the row " + String.join(", ", key) + ": " + e.getMessage());
                    }
                }
                out.write(values);
            });
        } catch (DataAccessException e) {
            throw refused(
                    where + ", file " + file.file().name() + ": cannot read the rows for the reverse delta: "
                            + reason(e),
                    e);
        }
    }

    private void count(StagedFile file, long inserted, long updated, long deleted) {
        counts.compute(
                file.file().table().toString(),
                (name, old) -> (old == null ? new TableCounts(name, 0, 0, 0) : old).plus(inserted, updated, deleted));
    }

    private String keyText(ResultSet rows, int first, List<Column> key) throws SQLException {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < key.size(); i++) {
            parts.add(keyPart(key.get(i), dialect.read(rows, first + i, key.get(i))));
        }
        return key.size() == 1 ? parts.get(0) : "(" + String.join(", ", parts) + ")";
    }

    /** {@code column=value} as messages show a key's part: a number as it is, other values quoted. */
    private String keyPart(Column column, String value) {
        boolean number = value != null && (column.kind() == ValueKind.INTEGER || column.kind() == ValueKind.DECIMAL);
        return dialect.displayName(column.name()) + "=" + (number ? value : ValueCodec.show(value));
    }

    private static List<Column> columnsOf(Table table, List<String> names) {
        return names.stream().map(c -> table.column(c).orElseThrow()).toList();
    }

    private List<String> names(List<Column> columns) {
        return columns.stream().map(c -> dialect.displayName(c.name())).toList();
    }

    private String keyNames(Table table) {
        return "(" + String.join(", ", names(table.keyColumns())) + ")";
    }

    private DsynqException lineError(DeltaFile file, long line, String problem) {
        return new DsynqException(where + ", file " + file.name() + ", line " + line + ": " + problem);
    }

    private static String verb(Operation operation) {
        return operation.name().toLowerCase(Locale.ROOT);
    }

    private String reason(DataAccessException e) {
        String message = e.getMostSpecificCause().getMessage();
        return message == null ? e.getMostSpecificCause().toString() : dialect.message(message);
    }
}
