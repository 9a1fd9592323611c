package io.dsynq.core.jdbc;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * H2 2.x: upper-case names, {@code MERGE … USING} for set-based updates and deletes, JSON bound as UTF-8 bytes
 * (a string would become a JSON string), and a row lock standing in for advisory locks.
 */
final class H2Dialect extends Dialect {

    /**
     * H2 counts a text's length in UTF-16 units: a character beyond U+FFFF, such as an emoji, is two, where other
     * engines (and {@link ValueCodec}) count one, so a text the column holds elsewhere can be too long here. An
     * {@code ARRAY} holds no value dsynq can write ({@link #NO_ARRAYS}); {@code DECFLOAT} holds {@code NaN} and the
     * infinities, as PostgreSQL's {@code numeric} does; an interval with seconds rounds digits after the point beyond
     * those it holds; an {@code ENUM} its members only, exactly ({@link #refine}).
     */
    @Override
    public String cannotHold(Column column, String value) {
        if (value != null && column.jdbcType() == Types.ARRAY) {
            return "is for an array column, " + NO_ARRAYS;
        }
        if (value != null && hasSeconds(column)) {
            int point = value.lastIndexOf('.');
            // a bare value (1.25) or H2's literal (INTERVAL '1.25' SECOND)
            for (int i = point + 1; point >= 0 && i < value.length() && Character.isDigit(value.charAt(i)); i++) {
                if (i > point + column.scale() && value.charAt(i) != '0') {
                    return "has digits of seconds beyond the " + column.scale() + " after the point "
                            + column.displayType() + "(" + column.scale() + ") holds (dsynq never rounds)";
                }
            }
        }
        if (value != null && column.typeName().startsWith("ENUM(")) {
            List<String> members = declaredMembers(column.typeName(), false);
            if (!members.contains(value)) {
                return "is not a member of " + column.typeName() + ", which holds "
                        + members.stream().map(ValueCodec::show).collect(Collectors.joining(", "))
                        + " (H2 takes a value for the member it equals ignoring case and surrounding spaces, and stores the"
                        + " member)";
            }
        }
        if (value != null && column.kind() == ValueKind.JSON) {
            String half = ValueCodec.halfACharacter(value, "H2");
            if (half != null) {
                return half;
            }
        }
        if (ValueCodec.isDecfloat(column) && ValueCodec.isNotANumber(value)) {
            return null;
        }
        String refused = super.cannotHold(column, value);
        if (refused == null && emptyIsNull && column.kind() == ValueKind.TEXT && "".equals(value)) {
            return "is the empty string, which H2 in Oracle mode stores as NULL (dsynq never converts)";
        }
        if (refused == null
                && column.kind() == ValueKind.TEXT
                && value != null
                && column.length() > 0
                && value.length() > column.length()) {
            return "is " + value.length() + " UTF-16 units long, as H2 counts (a character beyond U+FFFF, such as an"
                    + " emoji, is two), but " + column.displayType() + " holds " + column.length()
                    + " (dsynq never truncates)";
        }
        return refused;
    }

    /**
     * An {@code ENUM} column named by its members, {@code ENUM('a', 'it''s')}, as {@link #cannotHold} checks them: H2
     * takes a value that is not one of them exactly by its case and trimmed ({@code 'A'} and {@code ' a'} as
     * {@code 'a'}) and stores its own member.
     */
    @Override
    public List<Column> refine(Connection connection, TableRef table, List<Column> columns) throws SQLException {
        if (columns.stream().noneMatch(c -> c.typeName().equals("ENUM"))) {
            return columns;
        }
        java.util.Map<String, List<String>> members = new java.util.HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT c.COLUMN_NAME, e.VALUE_NAME FROM"
                + " INFORMATION_SCHEMA.COLUMNS c JOIN INFORMATION_SCHEMA.ENUM_VALUES e ON e.OBJECT_SCHEMA ="
                + " c.TABLE_SCHEMA AND e.OBJECT_NAME = c.TABLE_NAME AND e.OBJECT_TYPE = 'TABLE' AND"
                + " e.ENUM_IDENTIFIER = c.DTD_IDENTIFIER WHERE c.TABLE_SCHEMA = ? AND c.TABLE_NAME = ? ORDER BY"
                + " c.COLUMN_NAME, e.VALUE_ORDINAL")) {
            statement.setString(1, table.schema());
            statement.setString(2, table.name());
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    members.computeIfAbsent(rows.getString(1), c -> new ArrayList<>())
                            .add(rows.getString(2));
                }
            }
        }
        return columns.stream()
                .map(c -> c.typeName().equals("ENUM") && members.containsKey(c.name())
                        ? c.withTypeName(members.get(c.name()).stream()
                                .map(m -> "'" + m.replace("'", "''") + "'")
                                .collect(Collectors.joining(", ", "ENUM(", ")")))
                        : c)
                .toList();
    }

    /**
     * An interval with seconds ({@code INTERVAL SECOND(2,1)}, {@code INTERVAL DAY TO SECOND(3)}) keeps the digits
     * after the point it holds as its scale, which the driver gives as its decimal digits: H2 rounds more.
     */
    @Override
    public Column column(ResultSet columns) throws SQLException {
        Column column = super.column(columns);
        return hasSeconds(column)
                ? new Column(
                        column.name(),
                        column.typeName(),
                        column.jdbcType(),
                        column.kind(),
                        column.nullable(),
                        column.generated(),
                        column.autoIncrement(),
                        column.length(),
                        column.lengthInBytes(),
                        column.precision(),
                        columns.getInt("DECIMAL_DIGITS"),
                        column.min(),
                        column.max(),
                        column.repertoire())
                : column;
    }

    /** Whether the column is an interval with seconds, of {@link #column}'s scale. */
    private static boolean hasSeconds(Column column) {
        return column.kind() == ValueKind.OTHER
                && column.typeName().startsWith("INTERVAL")
                && column.typeName().endsWith("SECOND");
    }

    /**
     * Why dsynq carries no value of an {@code ARRAY} column: H2 takes a text for an array of one element (the text
     * {@code [q]} for {@code ARRAY['[q]']}) or refuses it, and its own text of an array cannot tell {@code NULL} from
     * {@code 'NULL'} nor a comma inside an element from one between them.
     */
    static final String NO_ARRAYS = "which dsynq cannot carry: H2 takes a text for an array of one element";

    /**
     * A {@code DECFLOAT}'s {@code NaN}, {@code Infinity} and {@code -Infinity} as written, which no
     * {@link BigDecimal} holds; an array, and in Oracle mode an empty string, are refused: a delta that would update
     * or delete one, whose reverse could not write it back, is refused naming its row, and so is a diff that reads
     * one.
     */
    @Override
    public String read(ResultSet rows, int index, Column column) throws SQLException {
        if (column.jdbcType() == Types.ARRAY) {
            if (rows.getObject(index) == null) {
                return null;
            }
            throw new SQLException("column " + column.name() + " holds an array, " + NO_ARRAYS
                    + ", so a rollback could not write it back");
        }
        if (ValueCodec.isDecfloat(column)) {
            String text = rows.getString(index);
            return text == null || ValueCodec.isNotANumber(text) ? text : new BigDecimal(text).toPlainString();
        }
        String text = super.read(rows, index, column);
        if (emptyIsNull && column.kind() == ValueKind.TEXT && "".equals(text)) {
            // written before the database ran in Oracle mode
            throw new SQLException("column " + column.name() + " holds the empty string, which H2 in Oracle mode"
                    + " stores as NULL, so a rollback could not write it back");
        }
        return text;
    }

    /** H2's error code for a lock wait that timed out. */
    private static final int LOCK_TIMEOUT = 50200;

    /** H2's error code for a connection whose server went away (AUTO_RECONNECT reconnects on the next use). */
    private static final int CONNECTION_BROKEN = 90067;

    /** Each table's on their own: H2 answers for one table without reading every foreign key. */
    @Override
    public ResultSet exportedKeys(java.sql.DatabaseMetaData metaData, String catalog, String schema) {
        return null;
    }

    /** H2's error code for a database closed under a session ({@code ABORT_SESSION}, {@code SHUTDOWN}). */
    private static final int DATABASE_CLOSED = 90121;

    /** H2's error code for the heap it runs in being full. */
    private static final int OUT_OF_MEMORY = 90108;

    /** Besides the common ones, a lock wait that timed out and a database closed or gone. */
    @Override
    public boolean stopped(SQLException e) {
        return super.stopped(e)
                || List.of(LOCK_TIMEOUT, CONNECTION_BROKEN, DATABASE_CLOSED, OUT_OF_MEMORY)
                        .contains(e.getErrorCode());
    }

    /** Without the statement H2 quotes after its words, and its error code. */
    @Override
    public String message(String message) {
        int statement = message.indexOf("; SQL statement:");
        return super.message(statement < 0 ? message : message.substring(0, statement));
    }

    /** H2's error codes for a user without the rights on an object, or without administrator's rights. */
    private static final List<Integer> NOT_ENOUGH_RIGHTS = List.of(90096, 90040);

    /** H2's "Deadlock detected", by its code. */
    @Override
    public boolean deadlock(SQLException e) {
        return e.getErrorCode() == 40001;
    }

    /** H2 names a missing right by codes of its own. */
    @Override
    public boolean denied(SQLException e) {
        return super.denied(e) || NOT_ENOUGH_RIGHTS.contains(e.getErrorCode());
    }

    /** H2's error code for a duplicate key: another session inserted the lock row first. */
    private static final int DUPLICATE_KEY = 23505;

    /**
     * Whether the database compares text under a collation ({@code SET COLLATION}), which makes values equal that
     * print differently: {@link #rowHash} leaves text out then.
     */
    private boolean collated;

    /** Whether the database stores an empty string as NULL, as it does in Oracle mode ({@code ;MODE=Oracle}). */
    private boolean emptyIsNull;

    /** Whether staging tables are tables of the schema ({@link #stagesApart}). */
    private boolean apart;

    /**
     * Notes whether the database compares text under a collation ({@code SET COLLATION}), whether it runs in
     * Oracle mode, which stores an empty string as NULL, and whether it {@linkplain #stagesApart stages apart}.
     */
    @Override
    public void prepare(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet setting = statement.executeQuery("SELECT SETTING_NAME, SETTING_VALUE FROM"
                        + " INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME IN ('COLLATION', 'MODE')")) {
            collated = false;
            emptyIsNull = false;
            while (setting.next()) {
                if (setting.getString(1).equals("COLLATION")) {
                    collated = !setting.getString(2).equals("OFF");
                } else {
                    emptyIsNull = setting.getString(2).equalsIgnoreCase("Oracle");
                }
            }
        }
        try (Statement statement = connection.createStatement();
                ResultSet stored = statement.executeQuery("SELECT DATABASE_PATH() IS NOT NULL AND COALESCE((SELECT"
                        + " IS_ADMIN FROM INFORMATION_SCHEMA.USERS WHERE USER_NAME = CURRENT_USER), FALSE)")) {
            stored.next();
            apart = stored.getBoolean(1);
        }
    }

    /**
     * In a database stored in a file, where the user may create tables (an admin, as {@code sa} is): H2 2.5 cannot
     * open such a file again once a process died while a temporary table held rows ("Unable to read the page at
     * position …", "map with id 21 is missing"), which a build killed in the middle of a delta would leave. A
     * table of the schema made outside the transaction, whose rows the transaction writes, is rolled back as any
     * other. Of a user who may not, staging tables stay temporary ones.
     */
    @Override
    public boolean stagesApart() {
        return apart;
    }

    /**
     * H2 (2.5.252) commits a large transaction's rows one after another, and a process that ends in the middle, killed
     * or by a signal (on which H2's own shutdown hook closes the database under the commit), keeps the rows the commit
     * reached: 24,816 of 100,000 updated rows once. Where the user stages apart, a table marks each commit.
     */
    @Override
    public String commitMarker(String history) {
        return apart ? history + "_commit" : null;
    }

    /**
     * The staging tables in the current schema that no session has locked, as it would once it wrote their rows: those
     * of a process that died before it dropped them. Only a user who {@linkplain #stagesApart stages apart} drops them:
     * another may not drop tables made by an admin, and has none of its own there.
     */
    @Override
    public String leftoverStagings() {
        if (!apart) {
            return null;
        }
        return "SELECT QUOTE_IDENT(TABLE_SCHEMA) || '.' || QUOTE_IDENT(TABLE_NAME) FROM INFORMATION_SCHEMA.TABLES t"
                + " WHERE TABLE_SCHEMA = CURRENT_SCHEMA AND TABLE_TYPE = 'BASE TABLE' AND LOWER(TABLE_NAME) LIKE '"
                + STAGING_PREFIX.replace("_", "\\_") + "%' ESCAPE '\\' AND NOT EXISTS (SELECT 1 FROM"
                + " INFORMATION_SCHEMA.LOCKS l WHERE l.TABLE_SCHEMA = t.TABLE_SCHEMA AND l.TABLE_NAME = t.TABLE_NAME)";
    }

    /** A database opened with {@code ACCESS_MODE_DATA=r}, or whose files H2 may not write. */
    @Override
    public String readOnly(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet readOnly = statement.executeQuery("SELECT READONLY()")) {
            readOnly.next();
            return readOnly.getBoolean(1)
                    ? "the database is read-only (ACCESS_MODE_DATA=r in its URL, or files it may not write)"
                    : null;
        }
    }

    @Override
    public String name() {
        return "H2";
    }

    /** H2's repeatable read sees rows committed since; its snapshot isolation does not. */
    @Override
    public void beginSnapshot(Connection connection) throws SQLException {
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL SNAPSHOT");
        }
        connection.setReadOnly(true);
    }

    @Override
    public List<String> autoUpdatedColumns(Connection connection, TableRef table) throws SQLException {
        return namesOf(
                connection,
                "SELECT COLUMN_NAME FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?"
                        + " AND COLUMN_ON_UPDATE IS NOT NULL ORDER BY ORDINAL_POSITION",
                table.schema(),
                table.name());
    }

    /**
     * The unique indexes, {@code HASH} ones too, each named by its constraint where it has one ({@code UQ_CODE}),
     * not by the name H2 gives the index behind it ({@code UQ_CODE_INDEX_5}), and with how it holds NULLs. H2 builds
     * its information schema's rows from every table of the database whichever one a query names: asked table by
     * table, 2,000 tables took a minute. Asked for a whole schema at once, the index's own table and schema
     * naming the columns and constraints to join, as H2 narrows those views by them.
     */
    @Override
    public java.util.Map<String, List<Table.Unique>> uniqueIndexesIn(Connection connection, String schema)
            throws SQLException {
        java.util.Map<String, java.util.Map<String, List<String>>> columns = new java.util.TreeMap<>();
        java.util.Map<String, String[]> indexes = new java.util.HashMap<>(); // table, nulls, name by index
        try (PreparedStatement statement = connection.prepareStatement("SELECT i.TABLE_NAME, i.INDEX_NAME,"
                + " k.COLUMN_NAME, CASE i.NULLS_DISTINCT WHEN 'NO' THEN 'NOT_DISTINCT' WHEN 'ALL' THEN 'ALL_DISTINCT'"
                + " ELSE 'DISTINCT' END, COALESCE((SELECT MIN(c.CONSTRAINT_NAME) FROM"
                + " INFORMATION_SCHEMA.TABLE_CONSTRAINTS c WHERE c.TABLE_SCHEMA = i.TABLE_SCHEMA AND c.TABLE_NAME ="
                + " i.TABLE_NAME AND c.INDEX_SCHEMA = i.INDEX_SCHEMA AND c.INDEX_NAME = i.INDEX_NAME AND"
                + " c.CONSTRAINT_TYPE = 'UNIQUE'), i.INDEX_NAME) FROM INFORMATION_SCHEMA.INDEXES i JOIN"
                + " INFORMATION_SCHEMA.INDEX_COLUMNS k ON k.TABLE_SCHEMA = i.TABLE_SCHEMA AND k.TABLE_NAME ="
                + " i.TABLE_NAME AND k.INDEX_SCHEMA = i.INDEX_SCHEMA AND k.INDEX_NAME = i.INDEX_NAME WHERE"
                + " i.TABLE_SCHEMA = ? AND (i.INDEX_TYPE_NAME LIKE 'PRIMARY KEY%' OR i.INDEX_TYPE_NAME LIKE"
                + " 'UNIQUE%') ORDER BY i.TABLE_NAME, i.INDEX_NAME, k.ORDINAL_POSITION")) {
            statement.setString(1, schema);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    String index = rows.getString(2);
                    columns.computeIfAbsent(rows.getString(1), t -> new java.util.TreeMap<>())
                            .computeIfAbsent(index, i -> new java.util.ArrayList<>())
                            .add(rows.getString(3));
                    indexes.put(index, new String[] {rows.getString(4), rows.getString(5)});
                }
            }
        }
        java.util.Map<String, List<Table.Unique>> byTable = new java.util.HashMap<>();
        columns.forEach((table, byIndex) -> byTable.put(
                table,
                byIndex.entrySet().stream()
                        .filter(e -> !e.getValue().contains(null))
                        .map(e -> new Table.Unique(
                                indexes.get(e.getKey())[1],
                                e.getValue(),
                                true,
                                Table.Unique.Nulls.valueOf(indexes.get(e.getKey())[0])))
                        .toList()));
        return byTable;
    }

    @Override
    public String displayName(String name) {
        return name.equals(name.toUpperCase(Locale.ROOT)) ? name.toLowerCase(Locale.ROOT) : name;
    }

    @Override
    protected ValueKind kind(int jdbcType, String typeName, long size) {
        return switch (typeName) {
            case "UUID" -> ValueKind.UUID;
            case "JSON" -> ValueKind.JSON;
            default -> super.kind(jdbcType, typeName, size);
        };
    }

    /** {@code -0} is stored as {@code 0}. */
    @Override
    public boolean holdsNegativeZero() {
        return false;
    }

    /** {@code VARCHAR_IGNORECASE}, and any text where the database's collation was set ({@code SET COLLATION}). */
    @Override
    public boolean looseTextEquality(Column column) {
        return column.kind() == ValueKind.TEXT && (collated || column.typeName().equals("VARCHAR_IGNORECASE"));
    }

    /**
     * Text as its UTF-8 bytes, which order by code point; H2 itself compares strings by UTF-16 unit, which puts
     * characters beyond U+FFFF before U+E000 to U+FFFF. A UUID as its canonical text.
     */
    @Override
    public String codePointOrder(String expression, Column column) {
        return switch (column.kind()) {
            case TEXT -> "CAST(" + expression + " AS VARBINARY)";
            case UUID -> "CAST(" + expression + " AS VARCHAR)";
            default -> expression;
        };
    }

    @Override
    public void bind(PreparedStatement statement, int index, Column column, Object value) throws SQLException {
        if (value != null && column.kind() == ValueKind.JSON) {
            statement.setBytes(index, ((String) value).getBytes(StandardCharsets.UTF_8));
        } else {
            super.bind(statement, index, column, value);
        }
    }

    @Override
    protected int nullType(Column column) {
        return column.kind() == ValueKind.JSON ? Types.OTHER : column.jdbcType();
    }

    /** {@code MERGE} would change a row once per matching staged row. */
    @Override
    public boolean countsDuplicatesOnce() {
        return false;
    }

    /** {@code CREATE TABLE} of a staging table: a temporary one, or a table of the schema where it stages apart. */
    private String createTable(String staging) {
        return (apart ? "CREATE TABLE " : "CREATE LOCAL TEMPORARY TABLE ") + staging;
    }

    /** What keeps a temporary table's statement from committing the transaction; none is made in it apart. */
    private String transactional() {
        return apart ? "" : " TRANSACTIONAL";
    }

    @Override
    public String createStaging(String staging, InternalNames names, TableRef table, List<Column> columns) {
        return createTable(staging) + transactional() + " AS SELECT CAST(0 AS BIGINT) AS "
                + names.line()
                + (columns.isEmpty() ? "" : ", " + columnList("t", columns)) + " FROM " + qualify(table)
                + " t WHERE 1 = 0";
    }

    /**
     * H2 joins only by nested loops and indexes, and an index made by {@code CREATE INDEX} would commit the delta's
     * transaction: the staging table declares its index as its primary key, on the row hash (a generated column)
     * and the file's line. Only columns listed by name may come with an {@code AS SELECT}, which gives them
     * their types; the query supplies a value for each, of no row.
     */
    @Override
    protected String createHashedStaging(
            String staging, InternalNames names, TableRef table, List<Column> columns, String hash) {
        return createTable(staging) + " (" + names.hash() + " BIGINT GENERATED ALWAYS AS ("
                + hash + "), " + names.line() + ", " + columnList(null, columns) + ", PRIMARY KEY (" + names.hash()
                + ", " + names.line() + "))"
                + transactional() + " AS SELECT CAST(0 AS BIGINT), CAST(0 AS BIGINT), "
                + columnList("t", columns)
                + " FROM " + qualify(table) + " t WHERE 1 = 0";
    }

    /**
     * {@code ORA_HASH} of the values as text, each prefixed by its length ({@code n} for NULL), of the kinds whose
     * equal values print alike once decimals are normalized through {@code DECFLOAT} (in Oracle mode a decimal column
     * keeps {@code 1}, {@code 1.0} and {@code 1.00} as given) and {@code CHAR} values trimmed (padded or not by the
     * mode they were written in): bytes in hex; not floats ({@code -0} equals {@code 0}), zoned times (equal at
     * different offsets), JSON, large objects (longer than any {@code VARCHAR} may be), nor text where it compares
     * ignoring case or under a collation ({@link #prepare}). In column-name order, whatever order a file lists them
     * in.
     */
    @Override
    public String rowHash(String alias, List<Column> columns) {
        List<String> values = columns.stream()
                .filter(this::rowHashed)
                .sorted(Comparator.comparing(Column::name))
                .map(c -> {
                    String value = (alias == null ? "" : alias + ".") + quote(c.name());
                    String text =
                            switch (c.kind()) {
                                case DECIMAL -> "CAST(CAST(" + value + " AS DECFLOAT) AS VARCHAR)";
                                case BINARY -> "RAWTOHEX(" + value + ")";
                                default -> c.typeName().equals("CHARACTER")
                                        ? "RTRIM(CAST(" + value + " AS VARCHAR))"
                                        : "CAST(" + value + " AS VARCHAR)";
                            };
                    return "COALESCE(LENGTH(" + text + ") || ':' || " + text + ", 'n')";
                })
                .toList();
        return values.isEmpty() ? null : "ORA_HASH(" + String.join(" || ',' || ", values) + ")";
    }

    private boolean rowHashed(Column column) {
        if (column.typeName().endsWith("LARGE OBJECT")) {
            return false;
        }
        return switch (column.kind()) {
            case BOOLEAN, INTEGER, DECIMAL, DATE, TIME, TIMESTAMP, BINARY, UUID -> true;
            case TEXT -> !looseTextEquality(column);
            default -> false;
        };
    }

    /** A table without key has no index to find a row by: delete from the table's side, by the staging table's. */
    @Override
    public String deleteWholeRows(TableRef table, String staging, String match) {
        return "DELETE FROM " + qualify(table) + " t WHERE EXISTS (SELECT 1 FROM " + staging + " s WHERE " + match
                + ")";
    }

    @Override
    public String updateMatching(TableRef table, String staging, String match, List<String[]> assignments) {
        return "MERGE INTO " + qualify(table) + " t USING " + staging + " s ON (" + match
                + ") WHEN MATCHED THEN UPDATE SET "
                + assignments.stream().map(a -> quote(a[0]) + " = " + a[1]).collect(Collectors.joining(", "));
    }

    @Override
    public String deleteMatching(TableRef table, String staging, String match) {
        return "MERGE INTO " + qualify(table) + " t USING " + staging + " s ON (" + match
                + ") WHEN MATCHED THEN DELETE";
    }

    @Override
    public String overridingIdentity(List<Column> columns) {
        return columns.stream().anyMatch(Column::autoIncrement) ? " OVERRIDING SYSTEM VALUE" : "";
    }

    /** {@code ALTER … RESTART WITH} past the table's greatest value: DDL, so after the delta committed. */
    @Override
    public void alignIdentity(Connection connection, TableRef table, Column column) throws SQLException {
        long max;
        try (Statement statement = connection.createStatement();
                ResultSet row =
                        statement.executeQuery("SELECT MAX(" + quote(column.name()) + ") FROM " + qualify(table))) {
            row.next();
            max = row.getLong(1);
            if (row.wasNull()) {
                return;
            }
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("ALTER TABLE " + qualify(table) + " ALTER COLUMN " + quote(column.name())
                    + " RESTART WITH " + (max + 1));
        }
    }

    @Override
    public boolean identityAlignmentCommits() {
        return true;
    }

    @Override
    public String blobType() {
        return "BINARY LARGE OBJECT";
    }

    @Override
    public String lockTable(String name) {
        return name + "_lock";
    }

    /**
     * H2 has no advisory locks: the lock is a row of {@code <name>_lock} held {@code FOR UPDATE} in a transaction
     * that stays open on {@code connection}, which only the lock uses. It ends with the session.
     */
    @Override
    public SessionLock lock(Connection connection, String name, Duration timeout, Consumer<String> waiting)
            throws SQLException {
        String table = lockTable(name);
        connection.setAutoCommit(true);
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS " + table + " (name VARCHAR(200) PRIMARY KEY)");
        } catch (SQLException e) {
            // H2 asks for the right to create even where the table exists: a user granted it by one who made it
            if (!denied(e) || !exists(connection, table)) {
                throw e;
            }
        }
        // insert the row only if missing: updating it would wait for the holder's lock on it
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table
                + " (name) SELECT CAST(? AS VARCHAR(200)) WHERE NOT EXISTS (SELECT 1 FROM " + table
                + " WHERE name = ?)")) {
            insert.setString(1, name);
            insert.setString(2, name);
            insert.execute();
        } catch (SQLException e) {
            if (e.getErrorCode() != DUPLICATE_KEY) {
                throw e;
            }
        }
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            // the first try does not wait, so that a wait is reported as soon as it starts
            statement.execute("SET LOCK_TIMEOUT 1"); // 0 would mean the default
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean told = false;
        try (PreparedStatement select =
                connection.prepareStatement("SELECT name FROM " + table + " WHERE name = ? FOR UPDATE")) {
            select.setString(1, name);
            while (true) {
                try (ResultSet row = select.executeQuery()) {
                    row.next();
                    break;
                } catch (SQLException e) {
                    // another process's auto-server went away with it: the connection reconnects on its next use
                    if (e.getErrorCode() != LOCK_TIMEOUT && e.getErrorCode() != CONNECTION_BROKEN) {
                        throw e;
                    }
                    connection.rollback();
                }
                String holder = holder(connection);
                if (System.nanoTime() > deadline) {
                    throw lockTimeout(name, timeout, holder);
                }
                if (!told) {
                    waiting.accept(holder);
                    told = true;
                    try (Statement statement = connection.createStatement()) {
                        statement.execute("SET LOCK_TIMEOUT 1000");
                    }
                }
            }
        }
        return () -> {
            try {
                connection.rollback();
            } catch (SQLException e) {
                // the lock dies with the session, which the caller closes next
            }
        };
    }

    private static boolean exists(Connection connection, String table) {
        try (Statement statement = connection.createStatement()) {
            statement.executeQuery("SELECT 1 FROM " + table + " WHERE 1 = 0").close();
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void release(Connection connection, Duration timeout, Consumer<String> waiting) throws SQLException {
        // sessions of other processes come through this process's auto-server and name it; dsynq's own do not
        String others = "SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS WHERE SERVER IS NOT NULL"
                + " AND EXISTS (SELECT 1 FROM INFORMATION_SCHEMA.SESSIONS WHERE SESSION_ID = SESSION_ID()"
                + " AND SERVER IS NULL)";
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean told = false;
        try (Statement statement = connection.createStatement()) {
            while (System.nanoTime() < deadline) {
                long count;
                try (ResultSet row = statement.executeQuery(others)) {
                    row.next();
                    count = row.getLong(1);
                }
                if (count == 0) {
                    return;
                }
                if (!told) {
                    waiting.accept("another process is using the database this process serves (" + count
                            + (count == 1 ? " session)" : " sessions)"));
                    told = true;
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private static String holder(Connection connection) throws SQLException {
        List<String> sessions = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT SESSION_ID, CLIENT_ADDR, SESSION_START"
                        + " FROM INFORMATION_SCHEMA.SESSIONS WHERE SESSION_ID <> SESSION_ID()"
                        + " AND CONTAINS_UNCOMMITTED")) {
            while (rows.next()) {
                sessions.add("H2 session " + rows.getInt(1)
                        + (rows.getString(2) == null ? "" : " from " + rows.getString(2)) + ", since "
                        + rows.getString(3));
            }
        }
        return sessions.isEmpty() ? "another H2 session" : String.join("; ", sessions);
    }
}
