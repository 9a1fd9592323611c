package io.dsynq.core.diff;

import io.dsynq.core.DatabaseSettings;
import io.dsynq.core.DsynqException;
import io.dsynq.core.DsynqListener;
import io.dsynq.core.jdbc.Column;
import io.dsynq.core.jdbc.DatabaseCatalog;
import io.dsynq.core.jdbc.DatabaseConnector;
import io.dsynq.core.jdbc.Dialect;
import io.dsynq.core.jdbc.ForeignKey;
import io.dsynq.core.jdbc.KeySource;
import io.dsynq.core.jdbc.Table;
import io.dsynq.core.jdbc.TableRef;
import io.dsynq.core.jdbc.ValueKind;
import io.dsynq.core.model.DeltaDirectory;
import io.dsynq.core.model.DeltaFile;
import io.dsynq.core.model.DeltaId;
import io.dsynq.core.model.DeltaMeta;
import io.dsynq.core.model.TableName;
import io.dsynq.core.model.TemporaryFolder;
import io.dsynq.core.model.Words;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
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
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Compares the configured database (the target) with a source database, on any two engines, and writes the
 * difference as a new delta that makes the target's compared tables equal to the source's (DESIGN.md section 8).
 *
 * <p>Every table is checked first (present on both sides, same columns, same key), so bad input writes nothing.
 * Then each table is read from both servers in key order at once, each side on a thread of its own, and merged as
 * the rows stream: memory stays flat whatever the tables' sizes. The files are written into a temporary folder and
 * moved into a new delta folder only when something differs. Internal: use {@link io.dsynq.core.Dsynq#diff}.
 * Thread-safe: each call opens its own connections.
 */
public final class DiffEngine {

    /** What {@code -Ddsynq.keys=table:*} declares: every column together identifies a row, duplicates allowed. */
    public static final String WHOLE_ROW = "*";

    /**
     * The span of key values (as many rows where keys are dense) from which {@link DiffMode#AUTO} compares a table by
     * segment checksums where it can.
     */
    public static final long SEGMENTS_FROM_ROWS = 100_000;

    private final DatabaseSettings settings;

    private final DsynqListener listener;

    private final Clock clock;

    public DiffEngine(DatabaseSettings settings, Clock clock) {
        this.settings = settings;
        this.listener = settings.listener();
        this.clock = clock;
    }

    /**
     * Compares and, unless only a summary is asked for or nothing differs, writes the delta.
     *
     * @throws DsynqException when a server cannot be reached, or the two databases' tables cannot be compared
     */
    public DiffResult diff(DiffRequest request) {
        Map<String, List<String>> declared = new HashMap<>(settings.keys());
        Set<String> wholeRow = new TreeSet<>();
        declared.entrySet().removeIf(e -> {
            if (e.getValue().equals(List.of(WHOLE_ROW))) {
                wholeRow.add(e.getKey());
                return true;
            }
            return false;
        });
        DatabaseConnector connector = new DatabaseConnector(settings.driverLoader());
        // the connector adds the URL: a source named by its URL is not named twice
        String sourceLabel = request.sourceName().startsWith("jdbc:") ? "source" : "source " + request.sourceName();
        try (Connection target = connector.connect(settings.name(), settings.connection());
                Connection source = connector.connectSource(sourceLabel, request.source())) {
            Dialect targetDialect = Dialect.of(target);
            Dialect sourceDialect = Dialect.of(source);
            targetDialect.prepare(target);
            sourceDialect.prepare(source);
            // each side's tables as of one moment: a parent and its children read at different times could differ
            // by rows neither side ever held together
            targetDialect.beginSnapshot(target);
            sourceDialect.beginSnapshot(source);
            DatabaseCatalog targetCatalog = new DatabaseCatalog(target, targetDialect, declared, listener);
            // a declaration in vain is told of once, by the target's
            DatabaseCatalog sourceCatalog = new DatabaseCatalog(source, sourceDialect, declared, DsynqListener.SILENT);
            // a key declared for public.item is item's, where public is a side's current schema, as includes match
            Set<String> current = new HashSet<>();
            for (DatabaseCatalog catalog : List.of(targetCatalog, sourceCatalog)) {
                String schema = catalog.currentSchema();
                if (schema != null) {
                    current.add(schema.toLowerCase(Locale.ROOT));
                }
            }
            Map<String, List<String>> keys = new HashMap<>();
            declared.forEach((table, key) -> keys.put(unqualified(table, current), key));
            declared.clear();
            declared.putAll(keys);
            Set<String> whole =
                    wholeRow.stream().map(table -> unqualified(table, current)).collect(Collectors.toSet());
            wholeRow.clear();
            wholeRow.addAll(whole);
            String targetName = "target (" + settings.name() + ", " + targetDialect.name() + ")";
            String sourceName = "source (" + request.sourceName() + ", " + sourceDialect.name() + ")";
            List<TablePair> pairs =
                    pairs(request, targetCatalog, sourceCatalog, declared, wholeRow, targetName, sourceName);
            warnOfReferencesLeftOut(pairs, targetCatalog.currentSchema());
            warnOfTablesWithoutTransactions(pairs, targetCatalog, sourceCatalog);
            for (TablePair pair : pairs) { // before any is read: one the user may not read stops the diff at once
                checkReadable(pair, pair.target(), pair.targetColumns(), target, targetDialect, targetName);
                checkReadable(pair, pair.source(), pair.sourceColumns(), source, sourceDialect, sourceName);
            }
            String server = targetDialect.serverIdentity(target);
            if (server != null && server.equals(sourceDialect.serverIdentity(source))) {
                for (TablePair pair : pairs) {
                    if (pair.target().ref().equals(pair.source().ref())) {
                        throw new DsynqException("table " + pair.name() + ": the source and the target are one table, "
                                + pair.target().ref() + " on one server, which a diff finds equal to itself; compare"
                                + " another database");
                    }
                }
            }
            listener.info("Comparing " + pairs.size() + (pairs.size() == 1 ? " table" : " tables") + " of " + targetName
                    + " with " + sourceName);
            String unavailable = SegmentedComparison.unavailable(targetDialect, sourceDialect);
            if (request.mode() == DiffMode.SEGMENTS && unavailable != null && !pairs.isEmpty()) {
                listener.info("  every table read in full: " + unavailable);
            }
            Path staging = request.summaryOnly() ? null : TemporaryFolder.createFolder(null, "dsynq-diff");
            TargetScratch scratch = new TargetScratch(
                    () -> {
                        Connection connection = connector.connect(settings.name(), settings.connection());
                        try {
                            targetDialect.prepare(connection);
                        } catch (SQLException | RuntimeException e) {
                            connection.close();
                            throw e;
                        }
                        return connection;
                    },
                    targetDialect,
                    listener);
            try (scratch) {
                Map<TablePair, TableDiffer> compared = new LinkedHashMap<>();
                for (TablePair pair : pairs) {
                    try {
                        compared.put(
                                pair,
                                compare(
                                        pair,
                                        target,
                                        targetDialect,
                                        source,
                                        sourceDialect,
                                        staging,
                                        targetName,
                                        sourceName,
                                        request.mode(),
                                        scratch));
                    } catch (SQLException e) { // a database error names a column or a value at most
                        throw new SQLException(
                                "table " + pair.name() + ": " + e.getMessage(), e.getSQLState(), e.getErrorCode(), e);
                    }
                }
                if (staging != null) {
                    carryReferences(compared, target);
                }
                List<DiffResult.TableDiff> tables =
                        compared.values().stream().map(TableDiffer::counts).toList();
                boolean differs = tables.stream().anyMatch(DiffResult.TableDiff::differs);
                if (staging == null || !differs) {
                    return new DiffResult(tables, null, null);
                }
                return write(request, tables, staging);
            } catch (IOException | RuntimeException e) {
                // before the finally frees the space it took
                DsynqException full = staging == null
                        ? null
                        : TemporaryFolder.outOfSpace(
                                "diff of database " + settings.name() + " with " + request.sourceName(),
                                "the rows it finds differ, gathered there before it writes the delta",
                                "no delta was written",
                                e);
                if (full != null) {
                    throw full;
                }
                throw e;
            } finally {
                if (staging != null) {
                    deleteTree(staging);
                    TemporaryFolder.removed(staging);
                }
            }
        } catch (SQLException e) {
            throw new DsynqException(
                    "diff of database " + settings.name() + " with " + request.sourceName() + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Compares one table and checks its delta against the target; returns its differ, done but for what {@link
     * #carryReferences} adds.
     */
    private TableDiffer compare(
            TablePair pair,
            Connection target,
            Dialect targetDialect,
            Connection source,
            Dialect sourceDialect,
            Path staging,
            String targetName,
            String sourceName,
            DiffMode mode,
            TargetScratch scratch)
            throws SQLException {
        List<String> header = pair.targetColumns().stream()
                .map(c -> targetDialect.displayName(c.name()))
                .toList();
        TableDiffer differ = new TableDiffer(pair, header, staging, listener, targetName, targetDialect, sourceName);
        SegmentedComparison.KeyRange range = null; // compared by segments where set
        String unavailable =
                mode == DiffMode.FULL ? null : SegmentedComparison.unavailable(pair, targetDialect, sourceDialect);
        if (mode != DiffMode.FULL && unavailable == null) {
            range = SegmentedComparison.keyRange(pair, target, targetDialect, source, sourceDialect);
            if (range != null && mode == DiffMode.AUTO && range.span() < SEGMENTS_FROM_ROWS) {
                range = null;
            } else if (range == null && mode == DiffMode.SEGMENTS) {
                listener.info("  " + pair.name() + ": read in full; segment checksums cannot divide keys from ±2^62"
                        + " on, or 2^62 or more apart");
            }
        } else if (mode == DiffMode.SEGMENTS && SegmentedComparison.unavailable(targetDialect, sourceDialect) == null) {
            // of the engines, the goal told once before the tables
            listener.info("  " + pair.name() + ": read in full: " + unavailable);
        }
        DiffResult.TableDiff result;
        if (range != null) {
            try {
                result = new SegmentedComparison(pair, target, targetDialect, source, sourceDialect, differ, listener)
                        .run(range);
            } catch (SQLException | RuntimeException e) {
                differ.abandon();
                throw e;
            }
        } else {
            String targetSql = select(targetDialect, pair.target().ref(), pair.targetColumns(), pair.targetKey(), 0);
            String sourceSql = select(sourceDialect, pair.source().ref(), pair.sourceColumns(), pair.sourceKey(), 0);
            listener.debug(targetSql);
            listener.debug(sourceSql);
            try (RowStream targetRows = new RowStream(
                            "target", target, targetDialect, targetSql, pair.targetColumns(), pair.key());
                    RowStream sourceRows = new RowStream(
                            "source", source, sourceDialect, sourceSql, pair.sourceColumns(), pair.key())) {
                result = differ.run(targetRows, sourceRows);
            } catch (SQLException | RuntimeException e) {
                differ.abandon();
                throw e;
            }
        }
        differ.check(target, scratch, result.targetRows());
        listener.info(String.format(
                Locale.ROOT,
                "  %s: %,d target %s, %,d source %s%s: %,d to insert, %,d to update, %,d to delete (%,d ms)",
                result.table(),
                result.targetRows(),
                result.targetRows() == 1 ? "row" : "rows",
                result.sourceRows(),
                result.sourceRows() == 1 ? "row" : "rows",
                range != null
                        ? String.format(Locale.ROOT, " (segment checksums, %,d rows read)", result.rowsRead())
                        : "",
                result.inserts(),
                result.updates(),
                result.deletes(),
                result.millis()));
        return differ;
    }

    /**
     * Where a reference {@code ON UPDATE CASCADE}, {@code SET NULL} or {@code SET DEFAULT} of the target's to a
     * unique column besides the key references values the delta moves from one parent row to another, lists the
     * referencing rows in their table's update file with the values they hold: the parent's update alone would make
     * the database carry the change of the row giving the values up to rows that keep them. Likewise the rows it
     * deletes that reference, {@code CASCADE}, values a parent row's update sets NULL in ({@link
     * TableDiffer#referencing}), and the rows the change reaches further on
     * ({@link #carryOn}).
     */
    private void carryReferences(Map<TablePair, TableDiffer> differs, Connection target) throws SQLException {
        for (Map.Entry<TablePair, TableDiffer> parent : differs.entrySet()) {
            for (ForeignKey reference : parent.getKey().target().referencedBy()) {
                TablePair child = child(differs, reference);
                if (child == null) {
                    continue;
                }
                try {
                    TableDiffer.Carried rows = parent.getValue().referencing(target, reference, differs.get(child));
                    if (rows == null || rows.size() == 0) {
                        continue;
                    }
                    if (child == parent.getKey()) {
                        // its own update would set a row in the statement that changes the parent row, before the
                        // database carries the change: told, not listed
                        listener.warn(String.format(
                                Locale.ROOT,
                                "  %s: %,d %s values that its update moves to another row or sets NULL in; %s"
                                        + " (%s) carries the change to %s, which a table referencing itself"
                                        + " cannot set back in its own update: compare again after the apply",
                                child.name(),
                                rows.size(),
                                rows.size() == 1 ? "row references" : "rows reference",
                                reference.name(),
                                reference.updateRuleName(),
                                rows.size() == 1 ? "it" : "them"));
                        continue;
                    }
                    list(
                            differs,
                            child,
                            reference,
                            rows,
                            "values that " + parent.getKey().name() + "'s update moves to another row or sets NULL in");
                    carryOn(differs, target, child, reference, rows, List.of());
                } catch (SQLException e) {
                    throw new SQLException(
                            "table " + child.name() + ": " + e.getMessage(), e.getSQLState(), e.getErrorCode(), e);
                }
            }
        }
    }

    /**
     * Lists the rows that reference, in turn, rows of {@code table} whose {@code reference} the database changes
     * while the delta or its reverse applies ({@code rows}), and so on: the update of {@code table}'s rows that sets
     * their value back changes no row the database gave a NULL or a default meanwhile, which a reference setting NULL
     * or a default does, and a cascade too where the value moves from a row that takes NULL for it or (in the
     * reverse) to one; nor does anything give a NULL back to a row the delta deletes.
     *
     * @param through the references on the way, which end a cycle
     */
    private void carryOn(
            Map<TablePair, TableDiffer> differs,
            Connection target,
            TablePair table,
            ForeignKey reference,
            TableDiffer.Carried rows,
            List<ForeignKey> through)
            throws SQLException {
        List<ForeignKey> path = new ArrayList<>(through);
        path.add(reference);
        for (ForeignKey next : table.target().referencedBy()) {
            TablePair child = child(differs, next);
            if (child == null
                    || child == table
                    || path.contains(next)
                    || next.parentColumns().stream().noneMatch(reference.columns()::contains)) {
                continue;
            }
            TableDiffer.Carried further = differs.get(table).reaching(target, next, differs.get(child), rows);
            if (further == null || further.size() == 0) {
                continue;
            }
            list(differs, child, next, further, "rows of " + table.name() + " that the database changes meanwhile");
            carryOn(differs, target, child, next, further, path);
        }
    }

    /**
     * Lists {@code rows} in {@code child}'s update file with {@code reference}'s columns, and says how many it added,
     * which reference {@code what}.
     */
    private void list(
            Map<TablePair, TableDiffer> differs,
            TablePair child,
            ForeignKey reference,
            TableDiffer.Carried rows,
            String what) {
        BitSet columns = TableDiffer.columnsOf(reference, differs.get(child));
        BitSet nullable = new BitSet();
        columns.stream().filter(i -> child.targetColumns().get(i).nullable()).forEach(nullable::set);
        long carried = differs.get(child).carry(rows.listed(columns, nullable), columns);
        if (carried > 0) {
            listener.info(String.format(
                    Locale.ROOT,
                    "  %s: %,d more %s to update, which %s %s; %s (%s) would carry the change to %s",
                    child.name(),
                    carried,
                    carried == 1 ? "row" : "rows",
                    carried == 1 ? "references" : "reference",
                    what,
                    reference.name(),
                    reference.updateRuleName(),
                    carried == 1 ? "it" : "them"));
        }
    }

    /** The compared table {@code reference} comes from, where the delta can list its rows: one with a key. */
    private static TablePair child(Map<TablePair, TableDiffer> differs, ForeignKey reference) {
        if (!reference.updateChangesChildren()) {
            return null;
        }
        return differs.keySet().stream()
                .filter(p -> p.target().ref().equals(reference.child()) && !p.wholeRow())
                .findFirst()
                .orElse(null);
    }

    /**
     * The query reading a table in the merge's key order; with {@code ranges} above 0, only the rows whose (single)
     * key lies in one of that many ranges, each given by two parameters. A query without parameters is streamed out
     * where the engine can ({@link RowStream}), and selects its columns in the form that takes.
     */
    static String select(Dialect dialect, TableRef table, List<Column> columns, List<Column> key, int ranges) {
        String where = "";
        if (ranges > 0) {
            String k = dialect.quote(key.get(0).name());
            where = " WHERE "
                    + String.join(" OR ", java.util.Collections.nCopies(ranges, "(" + k + " >= ? AND " + k + " <= ?)"));
        }
        String list = RowStream.copies(dialect, ranges > 0)
                ? dialect.copyOutList(null, columns)
                : dialect.selectList(null, columns);
        // ordered by the table's columns, r.k: a bare k would name the select list's k, which may be its text
        return "SELECT " + list + " FROM " + dialect.qualify(table) + " r" + where + " ORDER BY "
                + key.stream()
                        .map(k -> dialect.codePointOrder("r." + dialect.quote(k.name()), k)
                                + (k.nullable() ? dialect.nullsFirst() : ""))
                        .collect(Collectors.joining(", "));
    }

    // ------------------------------------------------------------------------------------------------ tables

    /**
     * Stops where the side's user may not read the table's compared columns, naming what to grant: PostgreSQL and H2
     * show it the table all the same, and the server's refusal came in the middle of the diff, naming no side.
     */
    private static void checkReadable(
            TablePair pair, Table table, List<Column> columns, Connection connection, Dialect dialect, String side)
            throws SQLException {
        String sql = "SELECT "
                + columns.stream().map(c -> dialect.quote(c.name())).collect(Collectors.joining(", "))
                + " FROM " + dialect.qualify(table.ref()) + " WHERE 1 = 0";
        try (Statement statement = connection.createStatement()) {
            statement.executeQuery(sql).close();
        } catch (SQLException e) {
            if (!dialect.denied(e)) {
                throw e;
            }
            throw new DsynqException("table " + pair.name() + ": the " + side + " does not let its user read it ("
                    + dialect.firstLine(e) + "); grant it SELECT on " + pair.name()
                    + " there, or leave the table out with -Ddsynq.exclude="
                    + pair.name());
        }
    }

    /**
     * Warns of compared tables whose storage engine has no transactions: the apply refuses a delta that changes such
     * a target table, and a source's is read as it changes, not as of the diff's moment.
     */
    private void warnOfTablesWithoutTransactions(
            List<TablePair> pairs, DatabaseCatalog targetCatalog, DatabaseCatalog sourceCatalog) {
        for (TablePair pair : pairs) {
            String target = targetCatalog.nonTransactional(pair.target().ref());
            if (target != null) {
                listener.warn("table " + pair.name() + " of the target " + target + ": the apply refuses a delta"
                        + " that changes it; convert it to InnoDB (ALTER TABLE " + pair.name() + " ENGINE=InnoDB)");
            }
            String source = sourceCatalog.nonTransactional(pair.source().ref());
            if (source != null) {
                listener.warn("table " + pair.name() + " of the source " + source + ": it is read as others change"
                        + " it, not as of the moment the diff began");
            }
        }
    }

    /**
     * Warns of compared tables that reference tables the diff leaves out (by pattern or schema): where the source's
     * rows reference rows the target's referenced table lacks, the delta's apply is refused.
     */
    private void warnOfReferencesLeftOut(List<TablePair> pairs, String currentSchema) {
        Set<TableRef> compared = pairs.stream().map(pair -> pair.target().ref()).collect(Collectors.toSet());
        Map<String, Set<String>> leftOut = new TreeMap<>();
        for (TablePair pair : pairs) {
            for (ForeignKey reference : pair.target().foreignKeys()) {
                if (!compared.contains(reference.parent())) {
                    // named as the diff names a table: lower case, by its schema where not the current one
                    TableRef parent = reference.parent();
                    String schema = parent.schema() != null ? parent.schema() : parent.catalog();
                    leftOut.computeIfAbsent(pair.name().toString(), table -> new TreeSet<>())
                            .add((schema == null || schema.equalsIgnoreCase(currentSchema)
                                            ? ""
                                            : schema.toLowerCase(Locale.ROOT) + ".")
                                    + parent.name().toLowerCase(Locale.ROOT));
                }
            }
        }
        leftOut.forEach((table, parents) -> listener.warn("table " + table + " references "
                + Words.of(List.copyOf(parents)) + ", which this diff leaves out: if the source's rows of " + table
                + " reference rows the target's " + (parents.size() == 1 ? "table lacks" : "tables lack")
                + ", the delta's apply is refused; compare " + (parents.size() == 1 ? "it" : "them") + " too"));
    }

    private List<TablePair> pairs(
            DiffRequest request,
            DatabaseCatalog targetCatalog,
            DatabaseCatalog sourceCatalog,
            Map<String, List<String>> declared,
            Set<String> wholeRow,
            String targetName,
            String sourceName)
            throws SQLException {
        Set<String> unknownKeyed = new TreeSet<>();
        declared.keySet().forEach(table -> unknownKeyed.add(table.toLowerCase(Locale.ROOT)));
        wholeRow.forEach(table -> unknownKeyed.add(table.toLowerCase(Locale.ROOT)));
        List<String> schemas =
                request.schemas().isEmpty() ? java.util.Collections.singletonList(null) : request.schemas();
        List<String> include = globs(request.include());
        List<String> exclude = globs(request.exclude());
        // a pattern that matches nothing is most likely mistyped, and would pass for tables that do not differ
        Set<String> unmatched = new LinkedHashSet<>(include);
        Set<String> unmatchedExcludes = new LinkedHashSet<>(exclude);
        String history = settings.historyTable().toLowerCase(Locale.ROOT);
        Set<String> ours = Set.of(history, history + "_reverse", history + "_lock", history + "_commit");
        List<TablePair> pairs = new ArrayList<>();
        Map<Boolean, List<String>> onlyIn = new TreeMap<>(Comparator.reverseOrder()); // true: the target
        Set<String> views = new TreeSet<>(); // of those, the ones the other side has as views
        TableName unkeyed = null;
        String currentSchema = targetCatalog.currentSchema();
        String sourceCurrentSchema = sourceCatalog.currentSchema();
        for (String schema : schemas) {
            boolean qualify = schema != null && !schema.equalsIgnoreCase(currentSchema);
            // the target's current schema is compared with the source's, as without -Ddsynq.schemas: on MariaDB a
            // schema is a database, and the target's own, read on the source's server, could be the target itself
            String sourceSchema = qualify ? schema : null;
            Map<String, String> clashes = new HashMap<>();
            Map<String, TableRef> targetTables = byName(tablesIn(targetCatalog, schema, targetName), ours, clashes);
            Map<String, TableRef> sourceTables =
                    byName(tablesIn(sourceCatalog, sourceSchema, sourceName), ours, clashes);
            if (qualify && schema.contains(".")) {
                throw new DsynqException("schema " + schema + ": a delta's file name cannot tell a dot in a schema's"
                        + " name from the one before its table's; rename the schema or leave it out of"
                        + " -Ddsynq.schemas");
            }
            if (qualify && !oneFileName(schema)) {
                throw new DsynqException("schema " + schema + ": a delta's files are named after their schema and"
                        + " table, and this name would make them paths rather than files of the delta's folder; rename"
                        + " the schema or leave it out of -Ddsynq.schemas");
            }
            Map<String, Dialect.Inherited> inherited = new HashMap<>(sourceCatalog.inheritanceIn(sourceSchema));
            inherited.putAll(targetCatalog.inheritanceIn(schema));
            Set<String> names = new TreeSet<>(targetTables.keySet());
            names.addAll(sourceTables.keySet());
            for (String name : names) {
                String fileName = (qualify ? schema.toLowerCase(Locale.ROOT) + "." : "") + name;
                // a table of the current schema is named by the schema too, either side's: public.item
                List<String> namedAs =
                        qualify ? namesOf(name, schema) : namesOf(name, currentSchema, sourceCurrentSchema);
                // a key declared without schema is for the table of the current schema only
                unknownKeyed.remove(fileName);
                for (String glob : include) {
                    if (matches(glob, namedAs)) {
                        unmatched.remove(glob);
                    }
                }
                for (String glob : exclude) {
                    if (matches(glob, namedAs)) {
                        unmatchedExcludes.remove(glob);
                    }
                }
                if (!matches(include, namedAs, true) || matches(exclude, namedAs, false)) {
                    continue;
                }
                if (clashes.containsKey(name)) {
                    throw new DsynqException(clashes.get(name));
                }
                Dialect.Inherited part = inherited.get(name);
                if (part == Dialect.Inherited.PARTITION) {
                    continue; // its rows are its partitioned table's
                }
                if (part == Dialect.Inherited.PARENT) {
                    throw new DsynqException("table " + fileName + " has child tables by inheritance, whose rows its"
                            + " queries read too, so dsynq cannot compare its own; leave it out with -Ddsynq.exclude="
                            + fileName);
                }
                TableRef t = targetTables.get(name);
                TableRef s = sourceTables.get(name);
                if (!DeltaDirectory.nameable(fileName + ".i.csv")) {
                    throw new DsynqException("table " + fileName + ": a delta's file is named after its table, and "
                            + DeltaDirectory.fileNameEncoding() + ", or leave the table out with -Ddsynq.exclude="
                            + fileName);
                }
                if (!oneFileName(name)) {
                    throw new DsynqException("table " + fileName + ": a delta's file is named after its table, and"
                            + " this name would make it a path rather than a file of the delta's folder; rename the"
                            + " table or leave it out with -Ddsynq.exclude=" + fileName);
                }
                String tooLong = DeltaFile.tooLong(fileName);
                if (tooLong != null) {
                    throw new DsynqException("table " + fileName + ": a delta's file is named after its table, and "
                            + tooLong + "; rename the table or leave it out with -Ddsynq.exclude=" + fileName);
                }
                if (name.contains(".")) {
                    throw new DsynqException("table " + fileName + ": a delta's file name cannot tell a dot in a"
                            + " table's name from the one after a schema; rename the table or leave it out with"
                            + " -Ddsynq.exclude=" + fileName);
                }
                if (t == null || s == null) {
                    onlyIn.computeIfAbsent(t != null, side -> new ArrayList<>()).add(fileName);
                    if ((t == null ? targetCatalog.viewsIn(schema) : sourceCatalog.viewsIn(sourceSchema))
                            .contains(name)) {
                        views.add(fileName);
                    }
                    continue;
                }
                for (DatabaseCatalog catalog : List.of(targetCatalog, sourceCatalog)) {
                    String hiddenRows = catalog.hiddenRows(catalog == targetCatalog ? t : s);
                    if (hiddenRows != null) {
                        throw new DsynqException("table " + fileName + " of "
                                + (catalog == targetCatalog ? targetName : sourceName) + " " + hiddenRows
                                + ", which hides rows from dsynq, so a diff would compare only the rows it shows;"
                                + " diff as a user it does not apply to (its owner where it is not forced, or one"
                                + " with BYPASSRLS), or leave it out with -Ddsynq.exclude=" + fileName);
                    }
                }
                // the schema as the target spells it, which the apply takes before one differing only in case
                TableName tableName = new TableName(
                        qualify ? targetCatalog.fileName(t.schema() != null ? t.schema() : t.catalog()) : null,
                        targetCatalog.dialect().displayName(t.name()));
                // a key declared for a table of another schema names the schema (sales.item:*)
                boolean whole = wholeRow.contains(fileName);
                if (!whole && targetCatalog.table(t, tableName).keySource() == KeySource.NONE) {
                    // told of once every table is seen: a key declared for none of them may be meant for it
                    unkeyed = unkeyed == null ? tableName : unkeyed;
                    continue;
                }
                pairs.add(pair(
                        tableName,
                        targetCatalog.table(t, tableName),
                        sourceCatalog.table(s, tableName),
                        whole,
                        declaredKey(declared, tableName),
                        targetName,
                        sourceName,
                        targetCatalog,
                        sourceCatalog));
            }
        }
        if (!onlyIn.isEmpty()) {
            throw new DsynqException(onlyIn.entrySet().stream()
                    .map(e -> onlyIn(
                            e.getValue(),
                            e.getKey() ? targetName : sourceName,
                            e.getKey() ? sourceName : targetName,
                            (e.getKey() ? sourceCatalog : targetCatalog).hidesUnprivileged(),
                            views))
                    .collect(Collectors.joining("; ")));
        }
        unknownKeyed.removeIf(table -> table.contains(".")); // one of a schema not compared here is no typo
        if (unkeyed != null) {
            throw new DsynqException("table " + unkeyed + " has no primary key and no unique index over NOT NULL"
                    + " columns in the " + targetName + ", so dsynq cannot match its rows; declare a key with"
                    + " -Ddsynq.keys=" + unkeyed + ":col1+col2 (or <keys><key>" + unkeyed + ":col1+col2</key></keys>),"
                    + " or " + unkeyed + ":* to identify rows by all their values"
                    + (unknownKeyed.isEmpty()
                            ? ""
                            : ". Keys are declared (dsynq.keys) for " + String.join(", ", unknownKeyed)
                                    + ", which neither the " + targetName + " nor the " + sourceName + " has"));
        }
        for (String table : unknownKeyed) {
            listener.warn("a key is declared for table " + table + " (dsynq.keys), which neither the " + targetName
                    + " nor the " + sourceName + " has");
        }
        if (!unmatchedExcludes.isEmpty()) {
            listener.warn("-Ddsynq.exclude=" + String.join(",", unmatchedExcludes) + " matches no table of the "
                    + targetName + " nor of the " + sourceName);
        }
        if (!unmatched.isEmpty()) {
            // a pattern may name its table's schema, one not compared
            Set<String> notCompared = new TreeSet<>();
            for (String glob : unmatched) {
                int dot = glob.lastIndexOf('.');
                String schema = dot < 0 ? null : glob.substring(0, dot);
                if (schema != null
                        && !schema.contains("*")
                        && !schema.contains("?")
                        && !schema.equalsIgnoreCase(currentSchema)
                        && !schema.equalsIgnoreCase(sourceCurrentSchema)
                        && request.schemas().stream().noneMatch(schema::equalsIgnoreCase)) {
                    notCompared.add(schema);
                }
            }
            throw new DsynqException("-Ddsynq.include=" + String.join(",", unmatched) + " matches no table of the "
                    + targetName + " nor of the " + sourceName
                    + (notCompared.isEmpty()
                            ? ""
                            : ": " + (notCompared.size() == 1 ? "schema " : "schemas ") + String.join(", ", notCompared)
                                    + (notCompared.size() == 1 ? " is" : " are") + " not compared; name "
                                    + (notCompared.size() == 1 ? "it" : "them") + " in -Ddsynq.schemas"));
        }
        return pairs;
    }

    /**
     * Columns one side alone has, each said to be generated on the {@code other} side where it is so there: a diff
     * leaves generated columns out, so the side that has the column as a generated one was said not to have it.
     */
    private static String columnsAlone(List<String> names, Table other, String otherName) {
        return names.stream()
                .map(n -> n
                        + (other.columns().stream()
                                        .anyMatch(c -> c.generated() && c.name().equalsIgnoreCase(n))
                                ? " (generated in the " + otherName + ", which a diff leaves out)"
                                : ""))
                .collect(Collectors.joining(", "));
    }

    /**
     * Where the columns a {@code side} lacks may be {@code hidden} from its user (MariaDB/MySQL shows a user only the
     * columns it has a privilege on), what to grant; else nothing.
     */
    private static String hiddenColumns(TableName name, boolean hidden, String side) {
        return hidden
                ? " (the " + side + " shows its user only the columns it has a privilege on: grant it SELECT on " + name
                        + ")"
                : "";
    }

    /**
     * Stops a diff of a table two of whose compared columns, on one {@code side}, differ only in case: the diff pairs
     * columns ignoring case, and took the one for the other.
     */
    private static void twinColumns(TableName name, Table table, String side) {
        Map<String, String> byLowerCase = new HashMap<>();
        for (Column column : table.columns()) {
            String other =
                    column.generated() ? null : byLowerCase.put(column.name().toLowerCase(Locale.ROOT), column.name());
            if (other != null) {
                throw new DsynqException("table " + name + " has columns " + other + " and " + column.name()
                        + " in the " + side + ", which differ only in case, and dsynq matches columns ignoring case;"
                        + " leave the table out with -Ddsynq.exclude=" + name);
            }
        }
    }

    /**
     * Whether a delta's files can be named after {@code name} as it is: a name with a {@code /} (or on Windows a
     * {@code \}) would make a file's name a path, which an absolute name leads out of the delta's folder.
     */
    private static boolean oneFileName(String name) {
        String file = name + ".i.csv";
        try {
            Path path = Path.of(file);
            return path.getRoot() == null
                    && path.getNameCount() == 1
                    && path.toString().equals(file);
        } catch (InvalidPathException e) {
            return false;
        }
    }

    /** The tables of {@code schema} on one {@code side}, which must have it. */
    private static List<TableRef> tablesIn(DatabaseCatalog catalog, String schema, String side) throws SQLException {
        try {
            return catalog.tablesIn(schema);
        } catch (DsynqException e) {
            throw new DsynqException(
                    "the " + side + " has no schema " + schema + "; create it there or leave it out of -Ddsynq.schemas",
                    e);
        }
    }

    /**
     * The tables by name in lower case, but dsynq's own; tables whose names differ only in case go into
     * {@code clashes}, with the error a diff that selects them stops with.
     */
    private static Map<String, TableRef> byName(List<TableRef> tables, Set<String> ours, Map<String, String> clashes) {
        Map<String, TableRef> byName = new TreeMap<>();
        for (TableRef table : tables) {
            String name = table.name().toLowerCase(Locale.ROOT);
            if (ours.contains(name) || name.startsWith(Dialect.STAGING_PREFIX)) { // an apply's, a killed one's left
                continue;
            }
            TableRef other = byName.put(name, table);
            if (other != null) {
                clashes.put(
                        name,
                        "tables " + other + " and " + table + " differ only in case, and dsynq matches tables"
                                + " ignoring case; leave them out with -Ddsynq.exclude=" + name);
            }
        }
        return byName;
    }

    private TablePair pair(
            TableName name,
            Table target,
            Table source,
            boolean wholeRow,
            List<String> declaredKey,
            String targetName,
            String sourceName,
            DatabaseCatalog targetCatalog,
            DatabaseCatalog sourceCatalog) {
        List<Column> targetColumns =
                target.columns().stream().filter(c -> !c.generated()).toList();
        twinColumns(name, target, targetName);
        twinColumns(name, source, sourceName);
        Map<String, Column> sourceByName = new LinkedHashMap<>();
        source.columns().stream()
                .filter(c -> !c.generated())
                .forEach(c -> sourceByName.put(c.name().toLowerCase(Locale.ROOT), c));
        List<String> onlyTarget = new ArrayList<>();
        List<Column> sourceColumns = new ArrayList<>();
        for (Column column : targetColumns) {
            Column match = sourceByName.remove(column.name().toLowerCase(Locale.ROOT));
            if (match == null) {
                onlyTarget.add(column.name());
            } else {
                sourceColumns.add(match);
            }
        }
        if (!onlyTarget.isEmpty() || !sourceByName.isEmpty()) {
            List<String> onlySource =
                    sourceByName.values().stream().map(Column::name).toList();
            throw new DsynqException("table " + name + " has different columns on both sides: "
                    + (onlyTarget.isEmpty()
                            ? ""
                            : "only the " + targetName + " has " + columnsAlone(onlyTarget, source, sourceName))
                    + (!onlyTarget.isEmpty() && !onlySource.isEmpty() ? "; " : "")
                    + (onlySource.isEmpty()
                            ? ""
                            : "only the " + sourceName + " has " + columnsAlone(onlySource, target, targetName))
                    + "; dsynq compares tables of the same columns"
                    + hiddenColumns(name, !onlySource.isEmpty() && targetCatalog.hidesUnprivileged(), targetName)
                    + hiddenColumns(name, !onlyTarget.isEmpty() && sourceCatalog.hidesUnprivileged(), sourceName));
        }
        List<Integer> key = new ArrayList<>();
        if (wholeRow) {
            for (int i = 0; i < targetColumns.size(); i++) {
                key.add(i);
            }
        } else {
            List<String> targetKey = lower(target.key());
            if (source.keySource() != KeySource.NONE
                    && !lower(source.key()).equals(targetKey)
                    && !targetKey.equals(declaredKey)) {
                // the applier finds a row by the target's key: the only one a diff can compare by
                throw new DsynqException("table " + name + " has different keys on both sides: ("
                        + String.join(", ", target.key()) + ") in the " + targetName + ", ("
                        + String.join(", ", source.key()) + ") in the " + sourceName
                        + "; to compare by the target's, which the delta's rows are found by, declare it with"
                        + " -Ddsynq.keys=" + name + ":" + String.join("+", targetKey));
            }
            for (String column : targetKey) {
                for (int i = 0; i < targetColumns.size(); i++) {
                    if (targetColumns.get(i).name().toLowerCase(Locale.ROOT).equals(column)) {
                        key.add(i);
                    }
                }
            }
        }
        int[] positions = key.stream().mapToInt(Integer::intValue).toArray();
        for (int k : positions) {
            Column t = targetColumns.get(k);
            Column s = sourceColumns.get(k);
            if (!comparableKinds(t.kind(), s.kind())) {
                throw new DsynqException("table " + name + ": key column " + t.name() + " is " + t.displayType()
                        + " in the " + targetName + " but " + s.displayType() + " in the " + sourceName
                        + "; dsynq compares keys of the same kind of type");
            }
            if ((t.kind() == ValueKind.TIMESTAMP
                            || t.kind() == ValueKind.TIMESTAMP_TZ
                            || t.kind() == ValueKind.TIME
                            || t.kind() == ValueKind.TIME_TZ)
                    && t.scale() != s.scale()) {
                // a key cut to fewer digits would meet another row's key, or miss its own
                throw new DsynqException("table " + name + ": key column " + t.name() + " is " + t.displayType()
                        + " in the " + targetName + " but " + s.displayType() + " in the " + sourceName
                        + "; dsynq compares time keys of the same fractional digits (" + t.scale() + " against "
                        + s.scale() + ")");
            }
        }
        for (int i = 0; i < targetColumns.size(); i++) {
            Column t = targetColumns.get(i);
            Column s = sourceColumns.get(i);
            if (!key.contains(i) && !compatibleKinds(t.kind(), s.kind())) {
                throw new DsynqException("table " + name + ": column " + t.name() + " is " + t.displayType()
                        + " in the " + targetName + " but " + s.displayType() + " in the " + sourceName
                        + "; dsynq compares columns of the same kind of type");
            }
            String asText = textUnlikeValues(t) && group(s.kind()) != null
                    ? "the target's " + t.displayType()
                    : textUnlikeValues(s) && group(t.kind()) != null ? "the source's " + s.displayType() : null;
            if (!key.contains(i) && asText != null) {
                throw new DsynqException("table " + name + ": column " + t.name() + " is " + t.displayType()
                        + " in the " + targetName + " but " + s.displayType() + " in the " + sourceName
                        + "; dsynq passes " + asText + " as the server's text, which differs from the text of a"
                        + " number, a date, a boolean or bytes (PostgreSQL's bit(3) 101 is MariaDB's BIT(3) 5, its"
                        + " money"
                        + " $5.00 a decimal 5.00)");
            }
            if (isInterval(t) && isInterval(s) && !intervalText(t).equals(intervalText(s))) {
                throw new DsynqException("table " + name + ": column " + t.name() + " is " + t.displayType()
                        + " in the " + targetName + " but " + s.displayType() + " in the " + sourceName
                        + "; dsynq passes intervals as the server's text, which another engine's intervals, or H2's"
                        + " of another type, write otherwise (PostgreSQL's 1 day 02:00:00 is H2's INTERVAL DAY TO"
                        + " SECOND 1 02:00:00)");
            }
        }
        return new TablePair(name, target, source, targetColumns, sourceColumns, positions, wholeRow);
    }

    /**
     * That {@code tables} exist in one database ({@code has}) and not in the other, whose catalog may {@code hide}
     * the tables its user has no privilege on.
     */
    private static String onlyIn(List<String> tables, String has, String lacks, boolean hide, Set<String> views) {
        boolean one = tables.size() == 1;
        List<String> asViews = tables.stream().filter(views::contains).toList();
        return (one ? "table " : "tables ") + String.join(", ", tables) + (one ? " exists" : " exist") + " in the "
                + has + " but not in the " + lacks
                + (asViews.isEmpty()
                        ? ""
                        : ", which has " + (asViews.size() == 1 ? "a view " : "views ") + String.join(", ", asViews)
                                + " (dsynq compares tables only)")
                + "; create " + (one ? "it" : "them") + " there"
                + (hide
                        ? ", grant its user there SELECT on " + (one ? "it" : "them")
                                + " (MariaDB/MySQL shows a user only the tables it has a privilege on)"
                        : "")
                + " or leave " + (one ? "it" : "them") + " out with -Ddsynq.exclude=" + String.join(",", tables);
    }

    /** {@code table}, or its name alone where its schema is one of {@code current} (in lower case). */
    private static String unqualified(String table, Set<String> current) {
        int dot = table.indexOf('.');
        return dot > 0 && current.contains(table.substring(0, dot).toLowerCase(Locale.ROOT))
                ? table.substring(dot + 1)
                : table;
    }

    /** The key columns declared for a table ({@code dsynq.keys}) in lower case, or {@code null}. */
    private static List<String> declaredKey(Map<String, List<String>> declared, TableName name) {
        String table = name.toString().toLowerCase(Locale.ROOT);
        return declared.entrySet().stream()
                .filter(e -> e.getKey().toLowerCase(Locale.ROOT).equals(table))
                .map(e -> lower(e.getValue()))
                .findFirst()
                .orElse(null);
    }

    /**
     * Whether values of the two kinds can be compared by meaning: integers with decimals, single with double
     * precision, and text-like values (text, JSON, UUID, types dsynq passes as text) with anything; otherwise only
     * the same kind. An integer and a double, or a date and a timestamp, would differ in every row.
     */
    private static boolean compatibleKinds(ValueKind a, ValueKind b) {
        String x = group(a);
        String y = group(b);
        return x == null || y == null || x.equals(y);
    }

    /**
     * Whether the column is of a type dsynq passes as the server's text, which differs from the text of the value
     * it holds: PostgreSQL's {@code bit} and {@code varbit} ({@code 101}, MariaDB's {@code BIT(3)} 5) and
     * {@code money} ({@code $5.00}). Against a number, a date or a boolean it would differ in every row, and the
     * delta would write a text the server refuses ({@code 5} into a {@code bit(3)}).
     */
    private static boolean textUnlikeValues(Column column) {
        return column.kind() == ValueKind.OTHER
                && Set.of("bit", "varbit", "money").contains(column.typeName().toLowerCase(Locale.ROOT));
    }

    /** An interval, which dsynq passes as the server's text: each engine, and each of H2's interval types, its own. */
    private static boolean isInterval(Column column) {
        return column.kind() == ValueKind.OTHER
                && column.typeName().toLowerCase(Locale.ROOT).startsWith("interval");
    }

    /**
     * How an interval column writes its values: PostgreSQL's intervals all alike, restricted ({@code interval(0)},
     * {@code interval year to month}) or not, whose values the target checks one by one; H2's each its own.
     */
    private static String intervalText(Column column) {
        return column.typeName().startsWith("interval") ? "interval" : column.typeName();
    }

    private static String group(ValueKind kind) {
        return switch (kind) {
            case INTEGER, DECIMAL -> "number";
            case REAL, DOUBLE -> "float";
            case TEXT, JSON, UUID, OTHER -> null;
            default -> kind.name();
        };
    }

    private static boolean comparableKinds(ValueKind a, ValueKind b) {
        boolean numberA = a == ValueKind.INTEGER || a == ValueKind.DECIMAL;
        boolean numberB = b == ValueKind.INTEGER || b == ValueKind.DECIMAL;
        return a == b || (numberA && numberB);
    }

    private static List<String> lower(List<String> names) {
        return names.stream().map(n -> n.toLowerCase(Locale.ROOT)).toList();
    }

    /** The patterns, each list split at commas, lower case. */
    private static List<String> globs(List<String> lists) {
        List<String> globs = new ArrayList<>();
        for (String list : lists) {
            for (String one : list.split(",")) {
                String trimmed = one.strip().toLowerCase(Locale.ROOT);
                if (!trimmed.isEmpty()) {
                    globs.add(trimmed);
                }
            }
        }
        return globs;
    }

    private static boolean matches(List<String> globs, List<String> names, boolean whenEmpty) {
        if (globs.isEmpty()) {
            return whenEmpty;
        }
        return globs.stream().anyMatch(glob -> matches(glob, names));
    }

    /** A table's names that patterns match: its own, and after each schema that is not {@code null}. */
    private static List<String> namesOf(String name, String... schemas) {
        List<String> names = new ArrayList<>(List.of(name));
        for (String schema : schemas) {
            if (schema != null) {
                names.add(schema.toLowerCase(Locale.ROOT) + "." + name);
            }
        }
        return names;
    }

    /** Whether {@code glob} matches one of the names of a table ({@link #namesOf}). */
    private static boolean matches(String glob, List<String> names) {
        return names.stream().anyMatch(name -> globMatches(glob, name));
    }

    /**
     * Whether {@code glob}, whose {@code *} stands for any characters and {@code ?} for one, matches all of
     * {@code name}. A star that fails to match is retried only from the last star, one character further, so time grows
     * with the product of the two lengths at most: a regular expression of {@code .*} for each star backtracked through
     * every way of placing them ({@code *a*a*a*a*a*a*b} against a name of 63 {@code a}: 36 s).
     */
    static boolean globMatches(String globText, String nameText) {
        int[] glob = globText.codePoints().toArray(); // ? stands for a character beyond the BMP too
        int[] name = nameText.codePoints().toArray();
        int g = 0;
        int n = 0;
        int star = -1; // the glob's position after the last star met
        int from = 0; // where in the name that star's match ends for now
        while (n < name.length) {
            if (g < glob.length && glob[g] == '*') {
                star = ++g;
                from = n;
            } else if (g < glob.length && (glob[g] == '?' || glob[g] == name[n])) {
                g++;
                n++;
            } else if (star >= 0) {
                g = star;
                n = ++from;
            } else {
                return false;
            }
        }
        while (g < glob.length && glob[g] == '*') {
            g++;
        }
        return g == glob.length;
    }

    // ------------------------------------------------------------------------------------------------ output

    /**
     * Publishes the delta whole or not at all: its files are gathered in a temporary folder next to the database's
     * {@code delta} folder (same file system, a name the layout never reads), its id is claimed by creating the empty
     * folder (another diff that claimed it first makes this one take the next id), and the temporary folder is renamed
     * onto it in one step. On failure neither the temporary folder nor the claimed id remains.
     */
    private DiffResult write(DiffRequest request, List<DiffResult.TableDiff> tables, Path staging) throws IOException {
        DeltaDirectory directory = new DeltaDirectory(settings.deltaDirectory());
        Path deltas = directory.deltaFolder(settings.name());
        Files.createDirectories(deltas);
        Path temporary = TemporaryFolder.createFolder(deltas.getParent(), ".dsynq-diff-");
        Path claimed = null;
        boolean published = false;
        try {
            List<Path> files;
            try (Stream<Path> listed = Files.list(staging)) {
                files = listed.filter(p -> p.getFileName().toString().endsWith(".csv"))
                        .sorted(Comparator.comparing(Path::toString))
                        .toList();
            }
            for (Path file : files) {
                Files.move(file, temporary.resolve(file.getFileName().toString()));
            }
            DeltaId id;
            while (true) {
                id = directory.newId(settings.name(), clock.instant());
                try {
                    claimed = TemporaryFolder.createFolder(deltas.resolve(id.text()));
                    break;
                } catch (FileAlreadyExistsException e) {
                    // another diff took this id between the look and the claim: the next one
                }
            }
            String description = request.description().isEmpty()
                    ? "dsynq:diff of " + settings.name() + " with " + request.sourceName()
                    : request.description();
            DeltaDirectory.writeMeta(
                    temporary,
                    new DeltaMeta(
                            id.text(),
                            clock.instant(),
                            description,
                            tables.stream()
                                    .filter(DiffResult.TableDiff::differs)
                                    .map(DiffResult.TableDiff::table)
                                    .toList(),
                            null));
            Path publishing = claimed;
            TemporaryFolder.publish(List.of(temporary, claimed), () -> publish(temporary, publishing));
            published = true;
            return new DiffResult(tables, id, claimed);
        } finally {
            if (!published) {
                deleteTree(temporary);
                TemporaryFolder.removed(temporary);
                if (claimed != null) {
                    Files.deleteIfExists(claimed); // still empty
                    TemporaryFolder.removed(claimed);
                }
            }
        }
    }

    /**
     * Renames {@code temporary} onto the empty {@code claimed} folder in one step, with the claimed folder's
     * permissions: a temporary folder is its owner's only ({@code rwx------}).
     */
    private static void publish(Path temporary, Path claimed) throws IOException {
        if (Files.getFileAttributeView(claimed, java.nio.file.attribute.PosixFileAttributeView.class) != null) {
            Files.setPosixFilePermissions(temporary, Files.getPosixFilePermissions(claimed));
        }
        try {
            // POSIX rename replaces an empty directory atomically
            Files.move(temporary, claimed, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw e;
        } catch (IOException e) {
            // file systems that do not replace a directory: give the claim up for the rename
            Files.delete(claimed);
            Files.move(temporary, claimed, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    private static void deleteTree(Path folder) {
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            // a temporary folder; the system cleans it up
        }
    }
}
