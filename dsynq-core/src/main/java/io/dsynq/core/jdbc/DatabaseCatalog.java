package io.dsynq.core.jdbc;

import io.dsynq.core.DsynqException;
import io.dsynq.core.DsynqListener;
import io.dsynq.core.model.TableName;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads table metadata through {@link DatabaseMetaData} and resolves the table names of delta files to the
 * database's tables, ignoring case. Names come only from here, so no identifier from a file ever reaches SQL
 * unchecked. Caches what it reads; not thread-safe (one per session).
 */
public final class DatabaseCatalog {

    private static final Set<String> TABLE_TYPES = Set.of("TABLE", "BASE TABLE", "PARTITIONED TABLE");

    private final Connection connection;

    private final Dialect dialect;

    private final Map<String, List<String>> declaredKeys;

    private final Map<String, List<TableRef>> tablesByScope = new HashMap<>();

    /** The names of the views {@link #tables} met, by the same scope. */
    private final Map<String, Set<String>> viewsByScope = new HashMap<>();

    private final Map<TableRef, Table> tables = new HashMap<>();

    /** What {@link #nonTransactional} found of each table asked about. */
    private final Map<TableRef, Optional<String>> nonTransactional = new HashMap<>();

    /** What {@link #hiddenRows} found of each table asked about. */
    private final Map<TableRef, Optional<String>> hiddenRows = new HashMap<>();

    /** The partitioned table at the top of each table a foreign key references, asked of the server once. */
    private final Map<TableRef, Optional<TableRef>> partitionRoots = new HashMap<>();

    /** What {@link #parentByInheritance} found of each schema asked about. */
    private final Map<String, Map<String, Dialect.Inherited>> inheritanceBySchema = new HashMap<>();

    private final Map<String, String> resolvedSchemas = new HashMap<>();

    /** The unique indexes of a schema's tables, by table name, where the dialect reads them so. */
    private final Map<String, Map<String, List<Table.Unique>>> uniquesByScope = new HashMap<>();

    /** The foreign keys referencing a schema's tables, by the table they reference, where the dialect reads them so. */
    private final Map<String, Map<TableRef, List<ForeignKey>>> referencesByScope = new HashMap<>();

    private final DsynqListener listener;

    /** Tables warned about a key declared in vain, once each, whatever {@link #refresh} forgets. */
    private final Set<TableRef> warned = new java.util.HashSet<>();

    /**
     * @param declaredKeys key columns for tables that have no primary key or unique index, by table name as files
     *     write it, folded to lower case
     * @param listener told of a key declared for a table that has its own
     */
    public DatabaseCatalog(
            Connection connection, Dialect dialect, Map<String, List<String>> declaredKeys, DsynqListener listener) {
        this.connection = connection;
        this.dialect = dialect;
        this.declaredKeys = declaredKeys;
        this.listener = listener;
    }

    public Dialect dialect() {
        return dialect;
    }

    /** Forgets what was read, after dsynq created tables of its own. */
    public void refresh() {
        tablesByScope.clear();
        viewsByScope.clear();
        tables.clear();
        resolvedSchemas.clear();
        referencesByScope.clear();
        uniquesByScope.clear();
    }

    /**
     * The table a delta file names.
     *
     * @throws DsynqException when there is no such table, or several differing only in case
     */
    public Table table(TableName name) {
        return find(name)
                .orElseThrow(() -> new DsynqException(
                        view(name)
                                ? name + " is a view of the " + dialect.name() + " database, not a table: a delta"
                                        + " changes the rows of tables; name the tables it shows in its files"
                                : "unknown table " + name + " in the " + dialect.name() + " database"
                                        + elsewhere(name)));
    }

    /**
     * Where the table a delta's file does not find may be: a table of that name in another schema than the current
     * one, which PostgreSQL's search_path reaches but a delta names with its schema (not on MariaDB/MySQL, where it
     * would be another database's), or a table of the current schema whose name holds the dot the file's name was
     * split at.
     */
    private String elsewhere(TableName name) {
        try {
            String current = currentSchema();
            List<String> others = new ArrayList<>();
            String dotted = null;
            DatabaseMetaData metaData = connection.getMetaData();
            // on MariaDB/MySQL another schema is another database, not one the connection reaches by a path
            boolean catalogs = dialect.schemasAreCatalogs();
            try (ResultSet rows = metaData.getTables(catalogs ? current : null, null, "%", null)) {
                while (rows.next()) {
                    String type = rows.getString("TABLE_TYPE");
                    if (type == null || !TABLE_TYPES.contains(type.toUpperCase(Locale.ROOT))) {
                        continue;
                    }
                    TableRef ref = dialect.tableRef(
                            rows.getString("TABLE_CAT"), rows.getString("TABLE_SCHEM"), rows.getString("TABLE_NAME"));
                    String schema = ref.schema() != null ? ref.schema() : ref.catalog();
                    boolean inCurrent = Objects.equals(schema, current);
                    if (name.schema() == null
                            && !catalogs
                            && !inCurrent
                            && ref.name().equalsIgnoreCase(name.name())) {
                        others.add(dialect.displayName(schema) + "." + dialect.displayName(ref.name()));
                    }
                    if (name.schema() != null && inCurrent && ref.name().equalsIgnoreCase(name.toString())) {
                        dotted = ref.name();
                    }
                }
            }
            if (dotted != null) {
                return "; a delta's file " + name + ".i.csv names table " + name.name() + " of schema "
                        + name.schema() + ", its first dot parting them, so a table whose name holds a dot ("
                        + dotted + ") cannot be in a delta";
            }
            if (!others.isEmpty() && current != null) {
                others.sort(null);
                return "; a file that names no schema is for a table of the connection's current schema ("
                        + dialect.displayName(current) + "), and " + String.join(", ", others)
                        + (others.size() == 1 ? " is" : " are")
                        + " in another: name the schema too, as " + others.get(0) + ".i.csv does";
            }
            return "";
        } catch (SQLException | RuntimeException e) {
            return ""; // only a hint for an error about to be told
        }
    }

    /** Whether {@code name}, which no table has, is a view's (materialized or not). */
    private boolean view(TableName name) {
        try {
            return (name.schema() == null || resolveSchema(name.schema()) != null)
                    && viewsIn(name.schema()).contains(name.name().toLowerCase(Locale.ROOT));
        } catch (SQLException e) {
            throw new DsynqException("cannot read the metadata of table " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * A table the database named, such as one a foreign key references: named as a delta would name it, with its
     * schema where that is not the current one, so that a key declared for a table of the same name in another schema
     * is not taken for its own.
     */
    public Table table(TableRef ref) {
        Table described = tables.get(ref);
        if (described != null) {
            return described;
        }
        String schema = ref.schema() != null ? ref.schema() : ref.catalog();
        try {
            return table(ref, new TableName(Objects.equals(schema, currentSchema()) ? null : schema, ref.name()));
        } catch (SQLException e) {
            throw new DsynqException("cannot read the metadata of table " + ref + ": " + e.getMessage(), e);
        }
    }

    /**
     * A table the database named, which a delta names {@code asNamed}: with its schema where that is not the
     * current one, which a key declared for it ({@code dsynq.keys}) names too.
     */
    public Table table(TableRef ref, TableName asNamed) {
        try {
            return describe(ref, asNamed);
        } catch (SQLException e) {
            throw new DsynqException("cannot read the metadata of table " + ref + ": " + e.getMessage(), e);
        }
    }

    /**
     * Why what a statement writes to the table would stay when its transaction rolls back, else {@code null}: asked
     * of the server once per table.
     */
    public String nonTransactional(TableRef ref) {
        return askedOnce(nonTransactional, ref, "storage engine", dialect::nonTransactional);
    }

    /** A question {@link #askedOnce} asks of the dialect. */
    private interface Question {
        String ask(Connection connection, TableRef table) throws SQLException;
    }

    /** The answer to {@code question} about the table, asked of the server once and kept in {@code answers}. */
    private String askedOnce(Map<TableRef, Optional<String>> answers, TableRef ref, String what, Question question) {
        return answers.computeIfAbsent(ref, r -> {
                    try {
                        return Optional.ofNullable(question.ask(connection, r));
                    } catch (SQLException e) {
                        throw new DsynqException(
                                "cannot read the " + what + " of table " + r + ": " + e.getMessage(), e);
                    }
                })
                .orElse(null);
    }

    /** The table a delta file names, if there is one. */
    public Optional<Table> find(TableName name) {
        try {
            String schema = null;
            if (name.schema() != null) {
                schema = resolveSchema(name.schema());
                if (schema == null) {
                    return Optional.empty();
                }
            }
            String[] scope = dialect.scope(connection, schema);
            List<TableRef> candidates = tables(scope[0], scope[1]);
            TableRef exact = null;
            List<TableRef> folded = new ArrayList<>();
            for (TableRef candidate : candidates) {
                if (candidate.name().equals(name.name())) {
                    exact = candidate;
                }
                if (candidate.name().toLowerCase(Locale.ROOT).equals(name.name().toLowerCase(Locale.ROOT))) {
                    folded.add(candidate);
                }
            }
            if (exact == null && folded.isEmpty()) {
                // H2 upper-cases an unquoted name as English does, ß to SS: its Straße is STRASSE
                for (TableRef candidate : candidates) {
                    if (candidate
                            .name()
                            .toUpperCase(Locale.ROOT)
                            .equals(name.name().toUpperCase(Locale.ROOT))) {
                        folded.add(candidate);
                    }
                }
            }
            TableRef ref = exact != null ? exact : folded.size() == 1 ? folded.get(0) : null;
            if (ref == null && folded.size() > 1) {
                throw new DsynqException("table name " + name + " is ambiguous: the database has " + folded
                        + "; name the table with its exact case");
            }
            return ref == null ? Optional.empty() : Optional.of(describe(ref, name));
        } catch (SQLException e) {
            throw new DsynqException("cannot read the metadata of table " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * The name a delta's files give {@code schema} (a catalog on MariaDB/MySQL), as the database spells it: shown as
     * the dialect shows names ({@link Dialect#displayName}) where that name is taken for it, not for another schema
     * whose name differs only in case.
     */
    public String fileName(String schema) throws SQLException {
        String shown = dialect.displayName(schema);
        return schema.equals(resolveSchema(shown)) ? shown : schema;
    }

    /**
     * The schema (a catalog on MariaDB/MySQL) a file names, as the database spells it: matched ignoring case, since
     * H2 folds names to upper case and PostgreSQL to lower; {@code null} when there is none.
     */
    private String resolveSchema(String schema) throws SQLException {
        String resolved = resolvedSchemas.get(schema);
        if (resolved != null) {
            return resolved.isEmpty() ? null : resolved;
        }
        DatabaseMetaData metaData = connection.getMetaData();
        boolean catalogs = dialect.schemasAreCatalogs();
        List<String> names = new ArrayList<>();
        try (ResultSet rows = catalogs ? metaData.getCatalogs() : metaData.getSchemas()) {
            while (rows.next()) {
                names.add(rows.getString(catalogs ? "TABLE_CAT" : "TABLE_SCHEM"));
            }
        }
        String match = names.contains(schema)
                ? schema
                : names.stream()
                        .filter(n -> n.equalsIgnoreCase(schema))
                        .findFirst()
                        .orElse("");
        resolvedSchemas.put(schema, match);
        return match.isEmpty() ? null : match;
    }

    /**
     * The tables of a schema (a database on MariaDB/MySQL) named ignoring case, or of the connection's current one
     * when {@code schema} is null.
     *
     * @throws DsynqException when there is no such schema
     */
    public List<TableRef> tablesIn(String schema) throws SQLException {
        String resolved = null;
        if (schema != null) {
            resolved = resolveSchema(schema);
            if (resolved == null) {
                throw new DsynqException("the " + dialect.name() + " database has no schema " + schema);
            }
        }
        String[] scope = dialect.scope(connection, resolved);
        return tables(scope[0], scope[1]);
    }

    /** The names, in lower case, of the views (materialized or not) of a schema {@link #tablesIn} found. */
    public Set<String> viewsIn(String schema) throws SQLException {
        String[] scope = dialect.scope(connection, schema == null ? null : resolveSchema(schema));
        tables(scope[0], scope[1]);
        return viewsByScope.get(scopeKey(scope[0], scope[1]));
    }

    /** What {@link #tables} keeps a catalog and schema's tables and views by. */
    private static String scopeKey(String catalog, String schema) {
        return catalog + "\u0000" + schema;
    }

    /**
     * Why the session's statements reach only some of the table's rows (row-level security), else {@code null}: asked
     * of the server once per table.
     */
    public String hiddenRows(TableRef ref) {
        return askedOnce(hiddenRows, ref, "row-level security", dialect::hiddenRows);
    }

    /**
     * Whether the table has child tables by inheritance, whose rows its statements reach too: asked of the server once
     * per schema.
     */
    public boolean parentByInheritance(TableRef ref) {
        try {
            return inheritance(ref.schema() != null ? ref.schema() : ref.catalog())
                            .get(ref.name().toLowerCase(Locale.ROOT))
                    == Dialect.Inherited.PARENT;
        } catch (SQLException e) {
            throw new DsynqException("cannot read the inheritance of table " + ref + ": " + e.getMessage(), e);
        }
    }

    /** {@link Dialect#inheritance} in a schema {@link #tablesIn} found. */
    public java.util.Map<String, Dialect.Inherited> inheritanceIn(String schema) throws SQLException {
        return inheritance(dialect.scope(connection, schema == null ? null : resolveSchema(schema))[1]);
    }

    /** {@link Dialect#inheritance} in a schema, asked of the server once. */
    private Map<String, Dialect.Inherited> inheritance(String schema) throws SQLException {
        Map<String, Dialect.Inherited> known = inheritanceBySchema.get(schema);
        if (known == null) {
            known = dialect.inheritance(connection, schema);
            inheritanceBySchema.put(schema, known);
        }
        return known;
    }

    /** Whether the catalog may hide tables and columns from its user ({@link Dialect#hidesUnprivileged}). */
    public boolean hidesUnprivileged() {
        try {
            return dialect.hidesUnprivileged(connection);
        } catch (SQLException e) {
            return false; // only a hint for an error about to be told
        }
    }

    /** The connection's current schema (database on MariaDB/MySQL). */
    public String currentSchema() throws SQLException {
        String[] scope = dialect.scope(connection, null);
        return scope[1] != null ? scope[1] : scope[0];
    }

    /** The tables of a catalog and schema (either may be null), sorted by name. */
    public List<TableRef> tables(String catalog, String schema) throws SQLException {
        String scopeKey = scopeKey(catalog, schema);
        List<TableRef> cached = tablesByScope.get(scopeKey);
        if (cached != null) {
            return cached;
        }
        List<TableRef> found = new ArrayList<>();
        Set<String> views = new java.util.HashSet<>();
        DatabaseMetaData metaData = connection.getMetaData();
        try (ResultSet rows = metaData.getTables(catalog, escape(metaData, schema), "%", null)) {
            while (rows.next()) {
                String type = rows.getString("TABLE_TYPE");
                TableRef ref = dialect.tableRef(
                        rows.getString("TABLE_CAT"), rows.getString("TABLE_SCHEM"), rows.getString("TABLE_NAME"));
                boolean inScope = (schema == null || schema.equals(ref.schema()))
                        && (catalog == null || catalog.equals(ref.catalog()));
                if (type != null && TABLE_TYPES.contains(type.toUpperCase(Locale.ROOT)) && inScope) {
                    found.add(ref);
                } else if (type != null && type.toUpperCase(Locale.ROOT).contains("VIEW") && inScope) {
                    views.add(ref.name().toLowerCase(Locale.ROOT));
                }
            }
        }
        found.sort(Comparator.comparing(TableRef::name));
        viewsByScope.put(scopeKey, Set.copyOf(views));
        tablesByScope.put(scopeKey, List.copyOf(found));
        return tablesByScope.get(scopeKey);
    }

    private Table describe(TableRef ref, TableName asNamed) throws SQLException {
        Table cached = tables.get(ref);
        if (cached != null) {
            return cached;
        }
        DatabaseMetaData metaData = connection.getMetaData();
        List<Column> columns = new ArrayList<>();
        try (ResultSet rows =
                metaData.getColumns(ref.catalog(), escape(metaData, ref.schema()), escape(metaData, ref.name()), "%")) {
            while (rows.next()) {
                // the pattern may match other tables' names, see escape
                if (ref.equals(dialect.tableRef(
                        rows.getString("TABLE_CAT"), rows.getString("TABLE_SCHEM"), rows.getString("TABLE_NAME")))) {
                    columns.add(dialect.column(rows));
                }
            }
        }
        columns = dialect.refine(connection, ref, columns);
        List<String> key = primaryKey(metaData, ref);
        KeySource source = KeySource.PRIMARY_KEY;
        List<Table.Unique> uniques = uniqueIndexes(metaData, ref, columns);
        if (key.isEmpty()) {
            key = narrowestNotNull(uniques, columns);
            source = KeySource.UNIQUE_INDEX;
        }
        // a table of another schema by its schema only; one of the current schema by its name, or with the schema
        List<String> declared = declaredKeys.get(asNamed.folded());
        if (declared == null && asNamed.schema() == null && !declaredKeys.isEmpty()) {
            String current = currentSchema();
            declared =
                    declaredKeys.get(current == null ? "" : (current + "." + asNamed.name()).toLowerCase(Locale.ROOT));
        }
        // whole-row identity (*) is the diff's to choose for any table
        if (!key.isEmpty()
                && declared != null
                && !declared.equals(List.of("*"))
                && !new java.util.HashSet<>(lower(declared)).equals(new java.util.HashSet<>(lower(key)))
                && warned.add(ref)) {
            listener.warn("table " + asNamed.folded() + " has "
                    + (source == KeySource.PRIMARY_KEY ? "a primary key" : "a unique index over NOT NULL columns")
                    + " (" + String.join(", ", key) + "), which identifies its rows: the key dsynq.keys declares for"
                    + " it (" + String.join("+", declared) + ") is not used");
        }
        if (key.isEmpty() && declared != null && declared.equals(List.of("*"))) {
            // whole-row identity: every column together identifies a row
            key = columns.stream().filter(c -> !c.generated()).map(Column::name).toList();
            source = KeySource.WHOLE_ROW;
        } else if (key.isEmpty() && declared != null) {
            key = new ArrayList<>();
            for (String name : declared) {
                Column column = Table.column(columns, name).orElse(null);
                if (column == null) {
                    List<String> folded = columns.stream()
                            .map(Column::name)
                            .filter(n -> n.toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT)))
                            .toList();
                    throw new DsynqException("the key declared for table " + asNamed + " names column " + name
                            + (folded.isEmpty()
                                    ? ", which the table does not have"
                                    : ", which ignoring case is any of its columns " + String.join(", ", folded)
                                            + ": name one as it is written"));
                }
                key.add(column.name());
            }
            source = KeySource.DECLARED;
        }
        if (key.isEmpty()) {
            source = KeySource.NONE;
        }
        Table table = new Table(
                ref,
                columns,
                key,
                source,
                foreignKeys(metaData.getImportedKeys(ref.catalog(), ref.schema(), ref.name())).stream()
                        .map(this::toPartitioned)
                        .toList(),
                referencingPartitioned(metaData, ref),
                dialect.autoUpdatedColumns(connection, ref),
                checkedBeforeCommit(Table.Unique.besides(uniques, key), ref));
        tables.put(ref, table);
        return table;
    }

    private static List<String> primaryKey(DatabaseMetaData metaData, TableRef ref) throws SQLException {
        Map<Integer, String> bySequence = new TreeMap<>();
        try (ResultSet rows = metaData.getPrimaryKeys(ref.catalog(), ref.schema(), ref.name())) {
            while (rows.next()) {
                bySequence.put(rows.getInt("KEY_SEQ"), rows.getString("COLUMN_NAME"));
            }
        }
        return new ArrayList<>(bySequence.values());
    }

    /**
     * The table's unique indexes over columns, by name: not those over an expression nor those with a condition
     * (partial indexes), which hold values once only where it holds.
     */
    private List<Table.Unique> uniqueIndexes(DatabaseMetaData metaData, TableRef ref, List<Column> columns)
            throws SQLException {
        List<Table.Unique> indexes = uniqueIndexesInScope(ref);
        if (indexes == null) {
            indexes = dialect.uniqueIndexes(connection, ref);
        }
        if (indexes == null) {
            indexes = uniqueIndexes(metaData, ref);
        }
        return indexes.stream()
                .filter(u -> u.columns().stream().allMatch(name -> columns.stream()
                        .anyMatch(c -> c.name().equals(name))))
                .toList();
    }

    /** The unique indexes of {@code ref} read with those of its whole schema, or {@code null} where they are not. */
    private List<Table.Unique> uniqueIndexesInScope(TableRef ref) throws SQLException {
        String scope = scopeKey(ref.catalog(), ref.schema());
        Map<String, List<Table.Unique>> byTable = uniquesByScope.get(scope);
        if (byTable == null) {
            byTable = dialect.uniqueIndexesIn(connection, ref.schema() != null ? ref.schema() : ref.catalog());
            if (byTable == null) {
                return null;
            }
            uniquesByScope.put(scope, byTable);
        }
        return byTable.getOrDefault(ref.name(), List.of());
    }

    /** The unique indexes as the driver's metadata tells them, holding NULLs distinct. */
    private static List<Table.Unique> uniqueIndexes(DatabaseMetaData metaData, TableRef ref) throws SQLException {
        Map<String, TreeMap<Integer, String>> indexes = new TreeMap<>();
        Set<String> partial = new java.util.HashSet<>();
        try (ResultSet rows = metaData.getIndexInfo(ref.catalog(), ref.schema(), ref.name(), true, true)) {
            while (rows.next()) {
                String index = rows.getString("INDEX_NAME");
                if (index == null || rows.getBoolean("NON_UNIQUE")) {
                    continue;
                }
                indexes.computeIfAbsent(index, i -> new TreeMap<>())
                        .put(rows.getInt("ORDINAL_POSITION"), rows.getString("COLUMN_NAME"));
                if (rows.getString("FILTER_CONDITION") != null) {
                    partial.add(index);
                }
            }
        }
        return indexes.entrySet().stream()
                .filter(e -> !partial.contains(e.getKey()) && !e.getValue().containsValue(null))
                .map(e -> new Table.Unique(
                        e.getKey(), new ArrayList<>(e.getValue().values()), true, Table.Unique.Nulls.DISTINCT))
                .toList();
    }

    /**
     * {@code uniques} without those the database checks at commit, and with those it checks at the end of each
     * statement marked so; asks the database only where there are any.
     */
    private List<Table.Unique> checkedBeforeCommit(List<Table.Unique> uniques, TableRef ref) throws SQLException {
        if (uniques.isEmpty()) {
            return uniques;
        }
        Map<String, Boolean> deferrable = dialect.deferrableUniques(connection, ref);
        return uniques.stream()
                .filter(u -> !deferrable.getOrDefault(u.name(), false))
                .map(u -> deferrable.containsKey(u.name())
                        ? new Table.Unique(u.name(), u.columns(), false, u.nulls())
                        : u)
                .toList();
    }

    /** The columns of the narrowest unique index over NOT NULL columns, the first by name among equals. */
    private static List<String> narrowestNotNull(List<Table.Unique> uniques, List<Column> columns) {
        List<String> best = List.of();
        for (Table.Unique index : uniques) {
            boolean allNotNull = index.columns().stream()
                    .allMatch(name -> columns.stream().anyMatch(c -> c.name().equals(name) && !c.nullable()));
            if (allNotNull && (best.isEmpty() || index.columns().size() < best.size())) {
                best = index.columns();
            }
        }
        return best;
    }

    /**
     * The foreign keys that reference {@code ref} or, where it is partitioned, any of its partitions, whose rows are
     * its own: a delete of its rows cascades along those too. Each is taken as referencing {@code ref}, whose
     * partitions have its columns.
     */
    private List<ForeignKey> referencingPartitioned(DatabaseMetaData metaData, TableRef ref) throws SQLException {
        List<ForeignKey> keys = new ArrayList<>(referencing(metaData, ref));
        for (TableRef partition : dialect.partitions(connection, ref)) {
            for (ForeignKey key : referencing(metaData, partition)) {
                // a reference to the partitioned table is one to each partition too
                if (keys.stream()
                        .noneMatch(k -> k.name().equals(key.name()) && k.child().equals(key.child()))) {
                    keys.add(key.withParent(ref));
                }
            }
        }
        return List.copyOf(keys);
    }

    /**
     * A foreign key to a partition taken as one to its partitioned table, whose rows the partition's are, as {@link
     * #referencingPartitioned} takes it from the other side.
     */
    private ForeignKey toPartitioned(ForeignKey key) {
        Optional<TableRef> root = partitionRoots.computeIfAbsent(key.parent(), parent -> {
            try {
                return Optional.ofNullable(dialect.partitionRoot(connection, parent));
            } catch (SQLException e) {
                throw new DsynqException("cannot read the partitions of table " + parent + ": " + e.getMessage(), e);
            }
        });
        return root.map(key::withParent).orElse(key);
    }

    /** The foreign keys that reference {@code ref}: read for its whole schema at once where the dialect can. */
    private List<ForeignKey> referencing(DatabaseMetaData metaData, TableRef ref) throws SQLException {
        String scope = scopeKey(ref.catalog(), ref.schema());
        Map<TableRef, List<ForeignKey>> byParent = referencesByScope.get(scope);
        if (byParent == null) {
            ResultSet all = dialect.exportedKeys(metaData, ref.catalog(), ref.schema());
            if (all == null) {
                return foreignKeys(metaData.getExportedKeys(ref.catalog(), ref.schema(), ref.name()));
            }
            byParent = new HashMap<>();
            for (ForeignKey key : foreignKeys(all)) {
                byParent.computeIfAbsent(key.parent(), p -> new ArrayList<>()).add(key);
            }
            referencesByScope.put(scope, byParent);
        }
        return List.copyOf(byParent.getOrDefault(ref, List.of()));
    }

    /** The foreign keys a result of {@code getImportedKeys} or {@code getExportedKeys} describes; closes it. */
    private List<ForeignKey> foreignKeys(ResultSet result) throws SQLException {
        Map<String, TreeMap<Integer, String[]>> byName = new LinkedHashMap<>();
        Map<String, TableRef[]> tablesByName = new HashMap<>();
        Map<String, Integer> rules = new HashMap<>();
        Map<String, Integer> updateRules = new HashMap<>();
        Set<String> deferred = new java.util.HashSet<>();
        try (ResultSet rows = result) {
            while (rows.next()) {
                TableRef parent = dialect.tableRef(
                        rows.getString("PKTABLE_CAT"), rows.getString("PKTABLE_SCHEM"), rows.getString("PKTABLE_NAME"));
                TableRef child = dialect.tableRef(
                        rows.getString("FKTABLE_CAT"), rows.getString("FKTABLE_SCHEM"), rows.getString("FKTABLE_NAME"));
                String name = rows.getString("FK_NAME");
                if (name == null) {
                    name = child + "->" + parent;
                }
                name = child + "#" + name;
                byName.computeIfAbsent(name, n -> new TreeMap<>()).put(rows.getInt("KEY_SEQ"), new String[] {
                    rows.getString("FKCOLUMN_NAME"), rows.getString("PKCOLUMN_NAME")
                });
                tablesByName.put(name, new TableRef[] {child, parent});
                rules.put(name, rows.getInt("DELETE_RULE"));
                updateRules.put(name, rows.getInt("UPDATE_RULE"));
                if (rows.getInt("DEFERRABILITY") == DatabaseMetaData.importedKeyInitiallyDeferred) {
                    deferred.add(name);
                }
            }
        }
        List<ForeignKey> keys = new ArrayList<>();
        byName.forEach((name, columns) -> keys.add(new ForeignKey(
                name.substring(name.indexOf('#') + 1),
                tablesByName.get(name)[0],
                tablesByName.get(name)[1],
                columns.values().stream().map(c -> c[0]).toList(),
                columns.values().stream().map(c -> c[1]).toList(),
                rules.get(name),
                updateRules.get(name),
                deferred.contains(name))));
        return keys;
    }

    /**
     * Escapes the pattern characters of a metadata search argument, but for the escape character itself, which becomes
     * the wildcard for any one character: MariaDB's driver matches no name with it escaped, so a table named
     * {@code back\slash} had no columns. The pattern may then match other names too, which the caller leaves out.
     */
    private static String escape(DatabaseMetaData metaData, String name) throws SQLException {
        if (name == null) {
            return null;
        }
        String escape = metaData.getSearchStringEscape();
        if (escape == null || escape.isEmpty()) {
            return name;
        }
        StringBuilder pattern = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            if (name.startsWith(escape, i)) {
                pattern.append("_".repeat(escape.length()));
                i += escape.length() - 1;
            } else {
                char c = name.charAt(i);
                pattern.append(c == '_' || c == '%' ? escape + c : String.valueOf(c));
            }
        }
        return pattern.toString();
    }

    private static List<String> lower(List<String> names) {
        return names.stream().map(n -> n.toLowerCase(Locale.ROOT)).toList();
    }
}
