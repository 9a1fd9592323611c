package io.dsynq.core.apply;

import io.dsynq.core.DsynqException;
import io.dsynq.core.DsynqListener;
import io.dsynq.core.csv.CsvDialect;
import io.dsynq.core.csv.CsvReader;
import io.dsynq.core.csv.CsvRow;
import io.dsynq.core.csv.CsvWriter;
import io.dsynq.core.jdbc.Column;
import io.dsynq.core.jdbc.DatabaseCatalog;
import io.dsynq.core.jdbc.Dialect;
import io.dsynq.core.jdbc.ForeignKey;
import io.dsynq.core.jdbc.InvalidValueException;
import io.dsynq.core.jdbc.KeySource;
import io.dsynq.core.jdbc.StagingLoader;
import io.dsynq.core.jdbc.Table;
import io.dsynq.core.jdbc.TableRef;
import io.dsynq.core.jdbc.ValueCodec;
import io.dsynq.core.jdbc.ValueKind;
import io.dsynq.core.model.DeltaFile;
import io.dsynq.core.model.Operation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Applies the files of one delta, or rolls one back, inside the caller's transaction (DESIGN.md section 4).
 *
 * <p>Every file is first loaded into a staging table of the target's column types, each value checked on the
 * way; then duplicates, collisions and missing rows are found with set-based queries, the before-images are
 * read into the reverse delta, and each file becomes one set-based statement. Inserts go parents first, then
 * updates, then deletes children first; see {@link ChangeOrder} for self-references and cycles.
 *
 * <p>Staging tables outlive the transaction on some engines: call {@link #dropStaging()} once it has ended.
 * One applier per delta; not thread-safe.
 */
final class DeltaApplier {

    private static final int CONFLICTS_SHOWN = 20;

    private final JdbcTemplate jdbc;

    private final Connection connection;

    private final Dialect dialect;

    private final DatabaseCatalog catalog;

    private final String where;

    private final DsynqListener listener;

    private final List<String> stagingTables = new ArrayList<>();

    private final Map<String, TableCounts> counts = new LinkedHashMap<>();

    /**
     * @param where what errors start with: the database and delta, such as {@code database hello, delta 1.000000}
     */
    DeltaApplier(
            JdbcTemplate jdbc, Connection connection, DatabaseCatalog catalog, String where, DsynqListener listener) {
        this.jdbc = jdbc;
        this.connection = connection;
        this.dialect = catalog.dialect();
        this.catalog = catalog;
        this.where = where;
        this.listener = listener;
    }

    /**
     * Applies a delta's files and writes its reverse and guard into {@code reverse}.
     *
     * @return what it did per table, in file order
     * @throws DsynqException naming the file, line and value when a file is bad or a row check fails
     */
    List<TableCounts> apply(List<DeltaFile> files, ReverseFolder reverse) {
        run(stage(files, false), reverse, false);
        return List.copyOf(counts.values());
    }

    /**
     * Rolls back with the reverse delta in {@code folder}, first checking that the rows it touches still hold what
     * the forward delta left.
     *
     * @param force whether to roll back over conflicts, overwriting what others changed
     * @throws DriftException when rows changed since the delta was applied and {@code force} is off
     */
    List<TableCounts> rollBack(ReverseFolder folder, boolean force) {
        List<StagedFile> files = stage(folder.reverseFiles(), false);
        List<StagedFile> guards = stage(folder.guardFiles(), true);
        List<String> conflicts = new ArrayList<>();
        long[] total = {0};
        for (StagedFile guard : guards) {
            findChangedRows(guard, conflicts, total);
        }
        for (StagedFile file : files) {
            if (file.file().operation() == Operation.INSERT) {
                findReinsertedRows(file, conflicts, total);
            }
        }
        if (total[0] > 0) {
            String report = String.join("\n", conflicts)
                    + (total[0] > conflicts.size() ? "\n  … and " + (total[0] - conflicts.size()) + " more" : "");
            if (!force) {
                throw new DriftException(where + ": " + total[0] + " row" + (total[0] == 1 ? " was" : "s were")
                        + " changed by someone else since the delta was applied; rolling back would lose that:\n"
                        + report + "\nRun with -Ddsynq.force=true to roll back anyway.");
            }
            listener.warn(where + ": rolling back over " + total[0] + " conflicting row" + (total[0] == 1 ? "" : "s")
                    + " (forced):\n" + report);
        }
        run(files, null, force);
        return List.copyOf(counts.values());
    }

    /** Drops the staging tables. Failures are ignored: they vanish with the session anyway. */
    void dropStaging() {
        for (String staging : stagingTables) {
            try {
                jdbc.execute(dialect.dropStaging(staging));
            } catch (DataAccessException e) {
                listener.debug("could not drop " + staging + ": "
                        + e.getMostSpecificCause().getMessage());
            }
        }
        stagingTables.clear();
    }

    // ------------------------------------------------------------------------------------------------- staging

    private List<StagedFile> stage(List<DeltaFile> files, boolean guard) {
        List<StagedFile> staged = new ArrayList<>();
        Map<String, DeltaFile> seen = new HashMap<>();
        for (DeltaFile file : files) {
            Table table = resolve(file);
            String slot = table.ref() + "#" + file.operation();
            DeltaFile twin = seen.put(slot, file);
            if (twin != null) {
                throw new DsynqException(where + ": " + twin.name() + " and " + file.name() + " both "
                        + verb(file.operation()) + " table " + table.ref() + "; merge them into one file");
            }
            StagedFile loaded = load(file, table, guard);
            if (loaded != null) {
                staged.add(loaded);
                counts.putIfAbsent(
                        file.table().toString(), new TableCounts(file.table().toString(), 0, 0, 0));
            }
        }
        return staged;
    }

    private Table resolve(DeltaFile file) {
        try {
            return catalog.table(file.table());
        } catch (DsynqException e) {
            throw new DsynqException(where + ", file " + file.name() + ": " + e.getMessage(), e);
        }
    }

    /** Loads a file into a new staging table; {@code null} when it holds no rows. */
    private StagedFile load(DeltaFile file, Table table, boolean guard) {
        try (CsvReader reader = CsvDialect.reader(file.open(), file.name())) {
            if (reader.header().isEmpty()) {
                return null;
            }
            List<Column> columns = columns(file, table, reader.header());
            if (!guard) {
                checkHeader(file, table, columns);
            }
            CsvRow first = reader.next();
            if (first == null) {
                return null;
            }
            String staging = "dsynq_stage_" + (stagingTables.size() + 1);
            execute(file, dialect.createStaging(staging, table.ref(), columns));
            stagingTables.add(staging);
            long rows = 0;
            try (StagingLoader loader = dialect.stagingLoader(connection, staging, columns)) {
                for (CsvRow row = first; row != null; row = reader.next()) {
                    loader.add(row.line(), parse(file, reader.header(), columns, row));
                    rows++;
                }
                loader.finish();
            } catch (SQLException e) {
                throw new DsynqException(
                        where + ", file " + file.name() + ": the database refused a value: " + e.getMessage(), e);
            }
            return new StagedFile(file, table, columns, staging, rows);
        } catch (IOException e) {
            throw new DsynqException(where + ", file " + file.name() + ": cannot read: " + DeltaFile.describe(e), e);
        } catch (UncheckedIOException e) {
            throw new DsynqException(
                    where + ", file " + file.name() + ": cannot read: " + DeltaFile.describe(e.getCause()), e);
        } catch (io.dsynq.core.csv.CsvFormatException e) {
            throw new DsynqException(where + ", file " + e.getMessage(), e);
        }
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
                                            .collect(Collectors.joining(", "))));
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

    /** What each operation requires of the header (DESIGN.md section 4, "Keys"). */
    private void checkHeader(DeltaFile file, Table table, List<Column> columns) {
        if (table.keySource() == KeySource.NONE) {
            throw lineError(
                    file,
                    1,
                    "table " + file.table() + " has no primary key and no unique index over NOT NULL columns, so dsynq"
                            + " cannot identify its rows to " + verb(file.operation()) + " them and roll them back;"
                            + " declare a key: <keys><key>" + file.table() + ":col1+col2</key></keys> or"
                            + " -Ddsynq.keys=" + file.table() + ":col1+col2");
        }
        List<String> missing = table.keyColumns().stream()
                .filter(k -> !columns.contains(k))
                .map(c -> dialect.displayName(c.name()))
                .toList();
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
    }

    private Object[] parse(DeltaFile file, List<String> header, List<Column> columns, CsvRow row) {
        Object[] values = new Object[columns.size()];
        for (int i = 0; i < columns.size(); i++) {
            String text = row.values()[i];
            try {
                values[i] = ValueCodec.parse(columns.get(i), text);
            } catch (InvalidValueException e) {
                throw lineError(
                        file, row.line(), "column " + header.get(i) + ", value " + show(text) + ": " + e.getMessage());
            }
        }
        return values;
    }

    // ------------------------------------------------------------------------------------------------- applying

    private void run(List<StagedFile> files, ReverseFolder reverse, boolean lenient) {
        for (StagedFile file : files) {
            checkDuplicates(file);
        }
        ChangeOrder order = ChangeOrder.of(files.stream()
                .map(StagedFile::table)
                .collect(Collectors.toMap(Table::ref, t -> t, (a, b) -> a))
                .values());
        List<StagedFile> inserts = sorted(files, Operation.INSERT, order.parentsFirst());
        List<StagedFile> updates = sorted(files, Operation.UPDATE, order.parentsFirst());
        List<StagedFile> deletes = sorted(files, Operation.DELETE, order.childrenFirst());

        for (StagedFile file : inserts) {
            if (lenient) {
                execute(file.file(), dialect.deleteUsingStaging(file.table().ref(), file.staging(), file.key()));
            } else {
                checkAbsent(file);
            }
            if (reverse != null) {
                writeRows(
                        reverse.reverse(file.file().table(), Operation.DELETE, names(file.key())),
                        "SELECT " + dialect.selectList("s", file.key()) + " FROM " + file.staging()
                                + " s ORDER BY s.dsynq_line",
                        file.key());
                writeRows(
                        reverse.guard(file.file().table(), Operation.INSERT, names(file.columns())),
                        "SELECT " + dialect.selectList("s", file.columns()) + " FROM " + file.staging()
                                + " s ORDER BY s.dsynq_line",
                        file.columns());
            }
            List<Column> deferred = deferred(file, order);
            String select = file.columns().stream()
                    .map(c -> deferred.contains(c) ? "NULL" : "s." + dialect.quote(c.name()))
                    .collect(Collectors.joining(", "));
            long inserted = execute(
                    file.file(),
                    "INSERT INTO " + dialect.qualify(file.table().ref()) + " ("
                            + dialect.columnList(null, file.columns()) + ")"
                            + dialect.overridingIdentity(file.columns()) + " SELECT " + select + " FROM "
                            + file.staging() + " s ORDER BY s.dsynq_line");
            expect(file, inserted, "inserted");
            count(file, inserted, 0, 0);
        }
        for (StagedFile file : inserts) {
            List<Column> deferred = deferred(file, order);
            if (!deferred.isEmpty()) {
                execute(
                        file.file(),
                        dialect.updateFromStaging(
                                file.table().ref(),
                                file.staging(),
                                file.key(),
                                deferred.stream()
                                        .map(c -> new String[] {c.name(), "s." + dialect.quote(c.name())})
                                        .toList()));
            }
        }

        for (StagedFile file : updates) {
            if (!lenient) {
                checkPresent(file, "update");
            }
            if (reverse != null) {
                List<Column> columns = file.columns();
                writeRows(
                        reverse.reverse(file.file().table(), Operation.UPDATE, names(columns)),
                        "SELECT " + dialect.selectList("t", columns) + " FROM " + file.staging() + " s JOIN "
                                + dialect.qualify(file.table().ref()) + " t ON " + dialect.keyMatch(file.key())
                                + " ORDER BY s.dsynq_line" + dialect.lockRows(),
                        columns);
                writeRows(
                        reverse.guard(file.file().table(), Operation.UPDATE, names(columns)),
                        "SELECT " + dialect.selectList("s", columns) + " FROM " + file.staging()
                                + " s ORDER BY s.dsynq_line",
                        columns);
            }
            long updated = execute(
                    file.file(),
                    dialect.updateFromStaging(
                            file.table().ref(),
                            file.staging(),
                            file.key(),
                            file.values().stream()
                                    .map(c -> new String[] {c.name(), "s." + dialect.quote(c.name())})
                                    .toList()));
            if (!lenient) {
                expect(file, updated, "updated");
            }
            count(file, 0, updated, 0);
        }

        for (StagedFile file : deletes) {
            if (!lenient) {
                checkPresent(file, "delete");
            }
            if (reverse != null) {
                List<Column> all = file.table().columns().stream()
                        .filter(c -> !c.generated())
                        .toList();
                writeRows(
                        reverse.reverse(file.file().table(), Operation.INSERT, names(all)),
                        "SELECT " + dialect.selectList("t", all) + " FROM " + file.staging() + " s JOIN "
                                + dialect.qualify(file.table().ref()) + " t ON " + dialect.keyMatch(file.key())
                                + " ORDER BY s.dsynq_line" + dialect.lockRows(),
                        all);
            }
        }
        for (StagedFile file : deletes) {
            List<Column> deferred = deferred(file, order);
            if (!deferred.isEmpty()) {
                execute(
                        file.file(),
                        dialect.updateFromStaging(
                                file.table().ref(),
                                file.staging(),
                                file.key(),
                                deferred.stream()
                                        .map(c -> new String[] {c.name(), "NULL"})
                                        .toList()));
            }
        }
        for (StagedFile file : deletes) {
            if (!lenient) {
                checkNotReferenced(file, order);
            }
            long deleted =
                    execute(file.file(), dialect.deleteUsingStaging(file.table().ref(), file.staging(), file.key()));
            if (!lenient) {
                expect(file, deleted, "deleted");
            }
            count(file, 0, 0, deleted);
        }
    }

    private static List<StagedFile> sorted(List<StagedFile> files, Operation operation, List<TableRef> order) {
        return files.stream()
                .filter(f -> f.file().operation() == operation)
                .sorted(Comparator.comparingInt(f -> order.indexOf(f.table().ref())))
                .toList();
    }

    /** The deferred columns of a file's table that the file writes (inserts) or that may hold a value (deletes). */
    private static List<Column> deferred(StagedFile file, ChangeOrder order) {
        List<Column> deferred = order.deferred(file.table().ref());
        if (file.file().operation() == Operation.DELETE) {
            return deferred;
        }
        return deferred.stream().filter(file.columns()::contains).toList();
    }

    // ------------------------------------------------------------------------------------------------- checks

    private void checkDuplicates(StagedFile file) {
        String key = dialect.columnList(null, file.key());
        String sql = "SELECT " + key + ", MIN(dsynq_line), MAX(dsynq_line) FROM " + file.staging() + " GROUP BY " + key
                + " HAVING COUNT(*) > 1 ORDER BY MIN(dsynq_line)";
        String[] duplicate = first(file, sql, rows -> new String[] {
            keyText(rows, 1, file.key()),
            rows.getString(file.key().size() + 1),
            rows.getString(file.key().size() + 2)
        });
        if (duplicate != null) {
            throw lineError(
                    file.file(),
                    Long.parseLong(duplicate[1]),
                    "key " + duplicate[0] + " is listed twice in the file (also on line " + duplicate[2] + ")");
        }
    }

    private void checkAbsent(StagedFile file) {
        String sql = "SELECT s.dsynq_line, " + dialect.selectList("s", file.key()) + " FROM " + file.staging()
                + " s WHERE EXISTS (SELECT 1 FROM "
                + dialect.qualify(file.table().ref()) + " t WHERE "
                + dialect.keyMatch(file.key()) + ") ORDER BY s.dsynq_line";
        String[] found = first(file, sql, rows -> new String[] {rows.getString(1), keyText(rows, 2, file.key())});
        if (found != null) {
            throw lineError(
                    file.file(),
                    Long.parseLong(found[0]),
                    "a row with key " + found[1] + " already exists in table "
                            + file.file().table());
        }
    }

    private void checkPresent(StagedFile file, String verb) {
        String sql = "SELECT s.dsynq_line, " + dialect.selectList("s", file.key()) + " FROM " + file.staging()
                + " s WHERE NOT EXISTS (SELECT 1 FROM "
                + dialect.qualify(file.table().ref()) + " t WHERE "
                + dialect.keyMatch(file.key()) + ") ORDER BY s.dsynq_line";
        String[] missing = first(file, sql, rows -> new String[] {rows.getString(1), keyText(rows, 2, file.key())});
        if (missing != null) {
            throw lineError(
                    file.file(),
                    Long.parseLong(missing[0]),
                    "no row with key " + missing[1] + " in table " + file.file().table() + " to " + verb);
        }
        if (!file.table().keyIsUnique()) {
            String multiple = "SELECT s.dsynq_line, COUNT(*) FROM " + file.staging() + " s JOIN "
                    + dialect.qualify(file.table().ref()) + " t ON " + dialect.keyMatch(file.key())
                    + " GROUP BY s.dsynq_line HAVING COUNT(*) > 1 ORDER BY s.dsynq_line";
            String[] several = first(file, multiple, rows -> new String[] {rows.getString(1), rows.getString(2)});
            if (several != null) {
                throw lineError(
                        file.file(),
                        Long.parseLong(several[0]),
                        "the key " + keyNames(file.table()) + " declared for table "
                                + file.file().table() + " matches " + several[1]
                                + " rows here; a key must identify one row");
            }
        }
    }

    /**
     * Refuses to delete rows that other rows still reference: the database would refuse too (a plain message
     * instead), or, with {@code ON DELETE CASCADE} or {@code SET NULL}, change rows the delta does not list and the
     * reverse delta could not restore. Runs after the group's deferred references are cleared and children's rows
     * are deleted, so only references from rows the delta keeps are left.
     */
    private void checkNotReferenced(StagedFile file, ChangeOrder order) {
        Table table = file.table();
        for (ForeignKey reference : table.referencedBy()) {
            Table child = reference.child().equals(table.ref()) ? table : catalog.table(reference.child());
            List<Column> childColumns = reference.columns().stream()
                    .map(c -> child.column(c).orElseThrow())
                    .toList();
            if (reference.child().equals(table.ref())
                    && !order.deferred(table.ref()).containsAll(childColumns)) {
                continue; // a self-reference that could not be cleared first: the rows may reference each other
            }
            StringBuilder join = new StringBuilder();
            for (int i = 0; i < childColumns.size(); i++) {
                join.append(i == 0 ? "" : " AND ")
                        .append("c.")
                        .append(dialect.quote(childColumns.get(i).name()))
                        .append(" = t.")
                        .append(dialect.quote(reference.parentColumns().get(i)));
            }
            List<Column> childKey = child.keyColumns().isEmpty() ? childColumns : child.keyColumns();
            String sql = "SELECT s.dsynq_line, " + dialect.selectList("s", file.key()) + ", "
                    + dialect.selectList("c", childKey) + " FROM " + file.staging() + " s JOIN "
                    + dialect.qualify(table.ref()) + " t ON " + dialect.keyMatch(file.key()) + " JOIN "
                    + dialect.qualify(child.ref()) + " c ON " + join + " ORDER BY s.dsynq_line";
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
                                + "; delete or update those rows in this delta too (" + childName + ".d.csv or "
                                + childName + ".u.csv)");
            }
        }
    }

    private void expect(StagedFile file, long actual, String what) {
        if (actual != file.rows()) {
            throw new DsynqException(where + ", file " + file.file().name() + ": " + what + " " + actual
                    + " rows where the file has " + file.rows() + "; nothing was applied");
        }
    }

    // ------------------------------------------------------------------------------------------------- drift

    /** Rows that no longer hold what the forward delta wrote (a guard file lists them). */
    private void findChangedRows(StagedFile guard, List<String> conflicts, long[] total) {
        List<Column> key = guard.key();
        List<Column> values = guard.values();
        String sql = "SELECT " + dialect.selectList("s", key)
                + (values.isEmpty()
                        ? ""
                        : ", " + dialect.selectList("s", values) + ", " + dialect.selectList("t", values))
                + ", CASE WHEN t." + dialect.quote(key.get(0).name()) + " IS NULL THEN 0 ELSE 1 END FROM "
                + guard.staging() + " s LEFT JOIN "
                + dialect.qualify(guard.table().ref()) + " t ON "
                + dialect.keyMatch(key) + " ORDER BY s.dsynq_line";
        query(guard.file(), sql, rows -> {
            String keyText = keyText(rows, 1, key);
            int present = rows.getInt(key.size() + 2 * values.size() + 1);
            if (present == 0) {
                total[0]++;
                if (conflicts.size() < CONFLICTS_SHOWN) {
                    conflicts.add(
                            "  " + guard.file().table() + " " + keyText + ": the row is gone (someone deleted it)");
                }
                return;
            }
            List<String> differences = new ArrayList<>();
            for (int i = 0; i < values.size(); i++) {
                String expected = dialect.read(rows, key.size() + 1 + i, values.get(i));
                String found = dialect.read(rows, key.size() + values.size() + 1 + i, values.get(i));
                if (!Objects.equals(expected, found)) {
                    differences.add(dialect.displayName(values.get(i).name()) + " expected " + show(expected)
                            + ", found " + show(found));
                }
            }
            if (!differences.isEmpty()) {
                total[0]++;
                if (conflicts.size() < CONFLICTS_SHOWN) {
                    conflicts.add("  " + guard.file().table() + " " + keyText + ": " + String.join("; ", differences));
                }
            }
        });
    }

    /** Rows the forward delta deleted that someone has put back (the reverse would insert them again). */
    private void findReinsertedRows(StagedFile file, List<String> conflicts, long[] total) {
        String sql = "SELECT " + dialect.selectList("s", file.key()) + " FROM " + file.staging() + " s WHERE EXISTS"
                + " (SELECT 1 FROM " + dialect.qualify(file.table().ref()) + " t WHERE " + dialect.keyMatch(file.key())
                + ") ORDER BY s.dsynq_line";
        query(file.file(), sql, rows -> {
            total[0]++;
            if (conflicts.size() < CONFLICTS_SHOWN) {
                conflicts.add("  " + file.file().table() + " " + keyText(rows, 1, file.key())
                        + ": the delta deleted this row, but a row with this key exists again");
            }
        });
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
            throw new DsynqException(where + ", file " + file.file().name() + ": " + reason(e), e);
        }
    }

    private void query(DeltaFile file, String sql, RowHandler handler) {
        listener.debug(sql);
        try {
            jdbc.query(sql, handler::handle);
        } catch (DataAccessException e) {
            throw new DsynqException(where + ", file " + file.name() + ": " + reason(e), e);
        }
    }

    private long execute(DeltaFile file, String sql) {
        listener.debug(sql);
        try {
            return jdbc.update(sql);
        } catch (DataAccessException e) {
            throw new DsynqException(
                    where + ", file " + file.name() + ": the database refused the change: " + reason(e), e);
        }
    }

    private void writeRows(CsvWriter out, String sql, List<Column> columns) {
        listener.debug(sql);
        try (out) {
            String[] values = new String[columns.size()];
            jdbc.query(sql, rows -> {
                for (int i = 0; i < values.length; i++) {
                    values[i] = dialect.read(rows, i + 1, columns.get(i));
                }
                out.write(values);
            });
        } catch (DataAccessException e) {
            throw new DsynqException(where + ": cannot read the rows for the reverse delta: " + reason(e), e);
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
            String value = dialect.read(rows, first + i, key.get(i));
            boolean number = value != null
                    && (key.get(i).kind() == ValueKind.INTEGER || key.get(i).kind() == ValueKind.DECIMAL);
            parts.add(dialect.displayName(key.get(i).name()) + "=" + (number ? value : show(value)));
        }
        return key.size() == 1 ? parts.get(0) : "(" + String.join(", ", parts) + ")";
    }

    private List<String> names(List<Column> columns) {
        return columns.stream().map(c -> dialect.displayName(c.name())).toList();
    }

    private String keyNames(Table table) {
        return "("
                + table.keyColumns().stream()
                        .map(c -> dialect.displayName(c.name()))
                        .collect(Collectors.joining(", ")) + ")";
    }

    private DsynqException lineError(DeltaFile file, long line, String problem) {
        return new DsynqException(where + ", file " + file.name() + ", line " + line + ": " + problem);
    }

    private static String verb(Operation operation) {
        return switch (operation) {
            case INSERT -> "insert";
            case UPDATE -> "update";
            case DELETE -> "delete";
        };
    }

    /** A value as messages show it: quoted, NULL as NULL, long values cut short. */
    static String show(String value) {
        if (value == null) {
            return "NULL";
        }
        String shown = value.length() > 60 ? value.substring(0, 57) + "…" : value;
        return "'" + shown.replace("\n", "\\n").replace("\r", "\\r") + "'";
    }

    private static String reason(DataAccessException e) {
        String message = e.getMostSpecificCause().getMessage();
        return message == null
                ? e.getMostSpecificCause().toString()
                : message.replace("\n", " ").strip();
    }
}
