package io.dsynq.core.jdbc;

import io.dsynq.core.DsynqException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * What differs between database engines: identifier quoting, how metadata maps to {@link ValueKind}s, how
 * values are bound and read, the set-based statements the applier runs against a staging table, and the
 * session-scoped lock. One per connection ({@link #of}): what a dialect holds, it learns in {@link #prepare} of its
 * session.
 */
public abstract class Dialect {

    /** Sets up a new session, such as the strictness the applier relies on. */
    public void prepare(Connection connection) throws SQLException {}

    /**
     * Starts a read-only transaction in which every query sees the database as it was at its first read, so that the
     * tables a diff reads one after the other are of one moment (as {@code pg_dump} and {@code mysqldump
     * --single-transaction} read them): repeatable read on PostgreSQL and InnoDB, where it is a snapshot.
     */
    public void beginSnapshot(Connection connection) throws SQLException {
        connection.setAutoCommit(false);
        connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        connection.setReadOnly(true);
    }

    /** The dialect of the database behind {@code connection}. */
    public static Dialect of(Connection connection) throws SQLException {
        String product = connection.getMetaData().getDatabaseProductName();
        String lower = product.toLowerCase(Locale.ROOT);
        if (lower.equals("h2")) {
            return new H2Dialect();
        }
        if (lower.contains("postgres")) {
            return new PostgresDialect();
        }
        if (lower.contains("mariadb") || lower.contains("mysql")) {
            return new MariaDbDialect(connection.getMetaData().getDatabaseProductVersion());
        }
        throw new DsynqException(
                "dsynq does not support " + product + " yet; it supports H2, PostgreSQL and" + " MariaDB/MySQL");
    }

    /** The engine's name, for messages. */
    public abstract String name();

    // ---------------------------------------------------------------------------------------------- identifiers

    /** Quotes an identifier; the quote character inside it is doubled. */
    public String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /** The qualified, quoted name of a table. */
    public String qualify(TableRef table) {
        String container = table.schema() != null ? table.schema() : table.catalog();
        return container == null ? quote(table.name()) : quote(container) + "." + quote(table.name());
    }

    /** Quoted column names joined by commas, each prefixed by {@code alias.} when the alias is not null. */
    public String columnList(String alias, List<Column> columns) {
        return columns.stream()
                .map(c -> alias == null ? quote(c.name()) : alias + "." + quote(c.name()))
                .collect(Collectors.joining(", "));
    }

    /**
     * A select list that reads {@code columns} (each prefixed by {@code alias.}) so that {@link #read} gets their
     * exact values; the same as {@link #columnList} unless the engine's text protocol loses precision.
     */
    public String selectList(String alias, List<Column> columns) {
        return columnList(alias, columns);
    }

    /**
     * The JDBC catalog and schema to look a table up in: the file's schema if it names one, else the connection's
     * current one. Returns {@code {catalog, schema}}.
     */
    public String[] scope(Connection connection, String schema) throws SQLException {
        return new String[] {null, schema != null ? schema : connection.getSchema()};
    }

    /**
     * Why this session cannot write, or {@code null} where it can: a database, user or URL may make every transaction
     * read-only, and a standby is. Asked before anything is applied, as the first write would fail naming a file.
     */
    public String readOnly(Connection connection) throws SQLException {
        return null;
    }

    /**
     * Why this session has no current schema, where dsynq keeps its history and finds the tables a delta names without
     * schema, or {@code null} where it has one.
     */
    public String noCurrentSchema(Connection connection) throws SQLException {
        return null;
    }

    /**
     * A server's message without the user it names, as MariaDB's privilege errors name it ("command denied to user
     * 'app'@'host'"): a user from settings.xml never reaches the output.
     */
    public String withoutUser(String message) {
        return message;
    }

    /**
     * A server's whole message on one line, as an error naming a refused row quotes it (PostgreSQL's detail
     * included), without the user it names.
     */
    public String message(String message) {
        return withoutUser(message.replace("\n", " ").strip());
    }

    /**
     * Whether the server refused a row of a statement for a rule of the table, where its SQLSTATE (outside the
     * classes 22 and 23 of data and integrity) does not say so: the row is then looked for by its line.
     */
    public boolean refusedRow(SQLException e) {
        return false;
    }

    /**
     * The members an {@code enum('a','it''s')} or {@code set(…)} declares, in order: a quote doubled, and where
     * {@code backslashEscapes} (as MariaDB shows them) other characters escaped with a backslash.
     */
    protected static List<String> declaredMembers(String declared, boolean backslashEscapes) {
        List<String> members = new java.util.ArrayList<>();
        StringBuilder member = null;
        for (int i = declared.indexOf('(') + 1; i < declared.length(); i++) {
            char c = declared.charAt(i);
            if (member == null) {
                if (c == '\'') {
                    member = new StringBuilder();
                }
            } else if (c == '\'' && i + 1 < declared.length() && declared.charAt(i + 1) == '\'') {
                member.append('\'');
                i++;
            } else if (backslashEscapes && c == '\\' && i + 1 < declared.length()) {
                char escaped = declared.charAt(++i); // the declaration shows a line break as \n
                member.append(
                        switch (escaped) {
                            case 'n' -> '\n';
                            case 'r' -> '\r';
                            case 't' -> '\t';
                            case '0' -> '\0';
                            case 'b' -> '\b';
                            case 'Z' -> '\032';
                            default -> escaped;
                        });
            } else if (c == '\'') {
                members.add(member.toString());
                member = null;
            } else {
                member.append(c);
            }
        }
        return members;
    }

    /**
     * The first line of a server's message, which PostgreSQL goes on with a position or a hint, as {@link #message}
     * gives it.
     */
    public final String firstLine(Throwable e) {
        return message(String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
    }

    /**
     * Why what a statement writes to {@code table} would stay when its transaction rolls back (a storage engine
     * without transactions), else {@code null}.
     */
    public String nonTransactional(Connection connection, TableRef table) throws SQLException {
        return null;
    }

    /**
     * Why the session's statements reach only some of the table's rows (a policy of row-level security that applies
     * to its user), else {@code null}.
     */
    public String hiddenRows(Connection connection, TableRef table) throws SQLException {
        return null;
    }

    /**
     * Whether the server stopped a statement or ended the session, rather than refused what the statement did: a
     * cancel, a statement or lock timeout, a connection it closed, or resources it ran out of (memory, disk, its lock
     * table: PostgreSQL's "out of shared memory" as a transaction locks more tables than {@code
     * max_locks_per_transaction} allows for). Running the statement again only meets the same.
     */
    public boolean stopped(SQLException e) {
        // by the SQLSTATE, not the exception's class: MariaDB's driver makes a trigger's SIGNAL (45000) a
        // SQLTransientConnectionException
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        // a connection's failure, insufficient resources, an operator's cancel or shutdown, a timeout
        return state.startsWith("08")
                || state.startsWith("53")
                || state.startsWith("57")
                || state.startsWith("70")
                || state.equals("HYT00");
    }

    /**
     * Whether the server refused a statement as the user lacks a privilege it needs: SQLSTATE 42501, insufficient
     * privilege. Running it again, or row by row, only meets the same.
     */
    public boolean denied(SQLException e) {
        return "42501".equals(e.getSQLState());
    }

    /** Whether {@code failure} or one of its causes is a database error of a privilege {@linkplain #denied denied}. */
    public boolean deniedBy(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && denied(sql)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the server ended the transaction to break a deadlock with another session: PostgreSQL's SQLSTATE 40P01,
     * where the other engines give 40001, which PostgreSQL gives for a serialization failure too.
     */
    public boolean deadlock(SQLException e) {
        return "40P01".equals(e.getSQLState());
    }

    /** Whether {@code failure} or one of its causes is a {@linkplain #deadlock deadlock} the server broke. */
    public boolean deadlockedBy(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && deadlock(sql)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code failure} or one of its causes is a database error of the server {@linkplain #stopped stopping}. */
    public boolean stoppedBy(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && stopped(sql)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the catalog may hide from this connection's user tables and columns of its database, as MariaDB/MySQL
     * shows a user only those it has a privilege on where it may not read the whole database; PostgreSQL and H2 show
     * them all, and refuse the read.
     */
    public boolean hidesUnprivileged(Connection connection) throws SQLException {
        return false;
    }

    /** Whether what a file calls a schema is a JDBC catalog here (a database on MariaDB/MySQL). */
    public boolean schemasAreCatalogs() {
        return false;
    }

    /**
     * A table reference from metadata columns, keeping only what names a table on this engine (the schema, or
     * on MariaDB/MySQL the catalog), so references from different metadata calls compare equal.
     */
    public TableRef tableRef(String catalog, String schema, String name) {
        return new TableRef(null, schema, name);
    }

    /**
     * The table's columns with what {@link java.sql.DatabaseMetaData} does not tell, such as MariaDB's JSON columns
     * (text with a {@code json_valid} check).
     */
    public List<Column> refine(Connection connection, TableRef table, List<Column> columns) throws SQLException {
        return columns;
    }

    /**
     * The columns of a table that the database sets itself when a row is updated ({@code ON UPDATE
     * CURRENT_TIMESTAMP}), which a rollback must set back explicitly.
     */
    public List<String> autoUpdatedColumns(Connection connection, TableRef table) throws SQLException {
        return List.of();
    }

    /** A table's part in an inheritance, as {@link #inheritance} finds it. */
    public enum Inherited {
        /** A partition: its rows are its partitioned table's, through which a diff compares them. */
        PARTITION,
        /** A parent by inheritance: its queries read its children's rows too. */
        PARENT
    }

    /**
     * The tables of {@code schema} that take part in an inheritance, by name in lower case; empty on engines
     * without.
     */
    public java.util.Map<String, Inherited> inheritance(Connection connection, String schema) throws SQLException {
        return java.util.Map.of();
    }

    /**
     * The table's unique constraints the database may check later than as each row changes, by name: whether
     * initially deferred (checked at commit, which a delta that moves values between rows then passes), else checked
     * at the end of each statement. None here.
     */
    public java.util.Map<String, Boolean> deferrableUniques(Connection connection, TableRef table) throws SQLException {
        return java.util.Map.of();
    }

    /** The partitioned table at the top of a partition's tree; {@code null} where the table is no partition. */
    public TableRef partitionRoot(Connection connection, TableRef table) throws SQLException {
        return null;
    }

    /** The partitions of a partitioned table, of every level; none where it is not one. */
    public List<TableRef> partitions(Connection connection, TableRef table) throws SQLException {
        return List.of();
    }

    /**
     * The foreign keys referencing any table of a schema (a catalog on MariaDB/MySQL), from whichever schema, as
     * {@link java.sql.DatabaseMetaData#getExportedKeys} lists one table's, asked once for the schema as the driver
     * takes no table for all of them; {@code null} where each table's are asked for on their own. PostgreSQL's and
     * MariaDB's drivers look through every foreign key of the database (the server) to answer for one table, so that
     * asking table by table cost the square of the tables.
     */
    public ResultSet exportedKeys(java.sql.DatabaseMetaData metaData, String catalog, String schema)
            throws SQLException {
        return metaData.getCrossReference(catalog, schema, null, null, null, null);
    }

    /**
     * The table's unique indexes without a condition and over columns, each as if checked as each row changes;
     * {@code null} where the driver's metadata tells them right.
     */
    public List<Table.Unique> uniqueIndexes(Connection connection, TableRef table) throws SQLException {
        return null;
    }

    /**
     * The unique indexes of every table of a schema (a catalog on MariaDB/MySQL), each as {@link #uniqueIndexes} gives
     * one table's, by table name; {@code null} where each table's are asked for on their own.
     */
    public java.util.Map<String, List<Table.Unique>> uniqueIndexesIn(Connection connection, String schema)
            throws SQLException {
        return null;
    }

    /**
     * The unique indexes {@code statement} finds for {@code table}, given its schema (or catalog) and name: rows of
     * an index's name, one of its columns ({@code null} for an expression, which leaves the index out), how it holds
     * NULLs (a {@link Table.Unique.Nulls}'s name) and, where there is a fourth column, the name to show it by, in
     * order of index and position.
     */
    protected static List<Table.Unique> uniqueIndexes(PreparedStatement statement, TableRef table) throws SQLException {
        statement.setString(1, table.schema() != null ? table.schema() : table.catalog());
        statement.setString(2, table.name());
        java.util.Map<String, List<String>> indexes = new java.util.TreeMap<>();
        java.util.Map<String, String> names = new java.util.HashMap<>();
        java.util.Map<String, Table.Unique.Nulls> nulls = new java.util.HashMap<>();
        try (ResultSet rows = statement.executeQuery()) {
            boolean named = rows.getMetaData().getColumnCount() > 3;
            while (rows.next()) {
                String index = rows.getString(1);
                indexes.computeIfAbsent(index, i -> new java.util.ArrayList<>()).add(rows.getString(2));
                nulls.put(index, Table.Unique.Nulls.valueOf(rows.getString(3)));
                names.put(index, named ? rows.getString(4) : index);
            }
        }
        return indexes.entrySet().stream()
                .filter(e -> !e.getValue().contains(null))
                .map(e -> new Table.Unique(names.get(e.getKey()), e.getValue(), true, nulls.get(e.getKey())))
                .toList();
    }

    /**
     * What tells the server and database a connection reaches from others, such that two connections with the same
     * see the same tables under the same names; {@code null} where the engine cannot say.
     */
    public String serverIdentity(Connection connection) throws SQLException {
        return null;
    }

    /** How a name the database stores is written in a file: lower case where the engine folds to upper. */
    public String displayName(String name) {
        return name;
    }

    // ---------------------------------------------------------------------------------------------- types

    /**
     * The column one row of {@link java.sql.DatabaseMetaData#getColumns} describes.
     *
     * @param columns positioned on the row
     */
    public Column column(ResultSet columns) throws SQLException {
        String name = columns.getString("COLUMN_NAME");
        int jdbcType = columns.getInt("DATA_TYPE");
        String typeName = columns.getString("TYPE_NAME");
        long size = columns.getLong("COLUMN_SIZE");
        int digits = columns.getInt("DECIMAL_DIGITS");
        boolean digitsKnown = !columns.wasNull();
        boolean nullable = "YES".equals(columns.getString("IS_NULLABLE"));
        boolean autoIncrement = "YES".equals(columns.getString("IS_AUTOINCREMENT"));
        boolean generated = "YES".equals(columns.getString("IS_GENERATEDCOLUMN"));
        String upperType = typeName.toUpperCase(Locale.ROOT);
        ValueKind kind = kind(jdbcType, upperType, size);
        long length = 0;
        boolean lengthInBytes = false;
        int precision = 0;
        int scale = 0;
        BigInteger[] range = {null, null};
        switch (kind) {
            case TEXT -> {
                length = textLength(upperType, size);
                lengthInBytes = textLengthInBytes(upperType);
            }
            case BINARY -> length = size >= Integer.MAX_VALUE ? 0 : size;
            case DECIMAL -> {
                precision = decimalPrecision(size);
                scale = precision == 0 ? 0 : decimalScale(digits);
            }
            case INTEGER -> range = integerRange(jdbcType, upperType, size);
            case TIME, TIME_TZ, TIMESTAMP, TIMESTAMP_TZ -> scale = fractionDigits(upperType, size, digits, digitsKnown);
            default -> {}
        }
        return new Column(
                name,
                typeName,
                jdbcType,
                kind,
                nullable,
                generated,
                autoIncrement,
                length,
                lengthInBytes,
                precision,
                scale,
                range[0],
                range[1]);
    }

    /** The kind of a column of this JDBC type and upper-cased type name. */
    protected ValueKind kind(int jdbcType, String typeName, long size) {
        return switch (jdbcType) {
            case Types.BOOLEAN -> ValueKind.BOOLEAN;
            case Types.BIT -> size <= 1 ? ValueKind.BOOLEAN : ValueKind.OTHER;
            case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT -> ValueKind.INTEGER;
            case Types.DECIMAL, Types.NUMERIC -> ValueKind.DECIMAL;
            case Types.REAL -> ValueKind.REAL;
            case Types.FLOAT, Types.DOUBLE -> ValueKind.DOUBLE;
            case Types.CHAR,
                    Types.VARCHAR,
                    Types.LONGVARCHAR,
                    Types.CLOB,
                    Types.NCHAR,
                    Types.NVARCHAR,
                    Types.LONGNVARCHAR,
                    Types.NCLOB -> ValueKind.TEXT;
            case Types.DATE -> ValueKind.DATE;
            case Types.TIME -> ValueKind.TIME;
            case Types.TIME_WITH_TIMEZONE -> ValueKind.TIME_TZ;
            case Types.TIMESTAMP -> ValueKind.TIMESTAMP;
            case Types.TIMESTAMP_WITH_TIMEZONE -> ValueKind.TIMESTAMP_TZ;
            case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB -> ValueKind.BINARY;
            default -> ValueKind.OTHER;
        };
    }

    /** The greatest length of a text column, in the unit {@link #textLengthInBytes} says; 0 when unbounded. */
    protected long textLength(String typeName, long size) {
        return size <= 0 || size >= Integer.MAX_VALUE ? 0 : size;
    }

    /** Whether a text type's length counts bytes. */
    protected boolean textLengthInBytes(String typeName) {
        return false;
    }

    /** The precision of a decimal column of reported size; 0 when unconstrained (H2 reports 100000 then). */
    protected int decimalPrecision(long size) {
        return size <= 0 || size >= 1000 ? 0 : (int) size;
    }

    /** A decimal column's scale from what the driver calls its decimal digits. */
    protected int decimalScale(int digits) {
        return digits;
    }

    /** The fractional second digits of a temporal column. */
    protected int fractionDigits(String typeName, long size, int digits, boolean digitsKnown) {
        return digitsKnown ? digits : 0;
    }

    /** The range of an integer column of the metadata's {@code size}, as {@code {min, max}}. */
    protected BigInteger[] integerRange(int jdbcType, String typeName, long size) {
        int bits =
                switch (jdbcType) {
                    case Types.TINYINT -> 8;
                    case Types.SMALLINT -> 16;
                    case Types.INTEGER -> 32;
                    default -> 64;
                };
        return signedRange(bits);
    }

    protected static BigInteger[] signedRange(int bits) {
        return new BigInteger[] {
            BigInteger.ONE.shiftLeft(bits - 1).negate(),
            BigInteger.ONE.shiftLeft(bits - 1).subtract(BigInteger.ONE)
        };
    }

    protected static BigInteger[] unsignedRange(int bits) {
        return new BigInteger[] {BigInteger.ZERO, BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE)};
    }

    // ---------------------------------------------------------------------------------------------- values

    /** A parameter compared with {@code column}'s values, bound by {@link #bind}. */
    public String parameter(Column column) {
        return "?";
    }

    /** Binds a value {@link ValueCodec#parse} made for {@code column}. */
    public void bind(PreparedStatement statement, int index, Column column, Object value) throws SQLException {
        if (value == null) {
            statement.setNull(index, nullType(column));
            return;
        }
        switch (column.kind()) {
            case BOOLEAN -> statement.setBoolean(index, (Boolean) value);
            case INTEGER -> {
                if (value instanceof Long l) {
                    statement.setLong(index, l);
                } else {
                    statement.setBigDecimal(index, new BigDecimal((BigInteger) value));
                }
            }
            case DECIMAL -> {
                if (value instanceof BigDecimal decimal) {
                    statement.setBigDecimal(index, decimal);
                } else {
                    statement.setString(index, (String) value); // NaN or an infinity of H2's DECFLOAT
                }
            }
            case REAL -> statement.setFloat(index, (Float) value);
            case DOUBLE -> statement.setDouble(index, (Double) value);
            case BINARY -> statement.setBytes(index, (byte[]) value);
            case TEXT -> statement.setString(index, (String) value);
            case DATE, TIME, TIME_TZ, TIMESTAMP, TIMESTAMP_TZ, UUID -> statement.setObject(index, value);
            case JSON, OTHER -> statement.setString(index, (String) value);
        }
    }

    /** The SQL type for binding NULL to a column. */
    protected int nullType(Column column) {
        return column.jdbcType();
    }

    /** Reads a column's value as canonical text, {@code null} for NULL. */
    public String read(ResultSet rows, int index, Column column) throws SQLException {
        switch (column.kind()) {
            case BOOLEAN -> {
                boolean value = rows.getBoolean(index);
                return rows.wasNull() ? null : Boolean.toString(value);
            }
            case INTEGER -> {
                return rows.getString(index);
            }
            case DECIMAL -> {
                BigDecimal value = rows.getBigDecimal(index);
                return value == null ? null : value.toPlainString();
            }
            case REAL -> {
                float value = rows.getFloat(index);
                return rows.wasNull() ? null : Float.toString(value);
            }
            case DOUBLE -> {
                double value = rows.getDouble(index);
                return rows.wasNull() ? null : Double.toString(value);
            }
            case DATE -> {
                LocalDate value = rows.getObject(index, LocalDate.class);
                return value == null ? null : value.toString();
            }
            case TIME -> {
                LocalTime value = rows.getObject(index, LocalTime.class);
                return value == null ? null : CanonicalText.format(value);
            }
            case TIME_TZ -> {
                OffsetTime value = rows.getObject(index, OffsetTime.class);
                return value == null ? null : CanonicalText.format(value);
            }
            case TIMESTAMP -> {
                LocalDateTime value = rows.getObject(index, LocalDateTime.class);
                return value == null ? null : CanonicalText.format(value);
            }
            case TIMESTAMP_TZ -> {
                OffsetDateTime value = rows.getObject(index, OffsetDateTime.class);
                return value == null ? null : CanonicalText.format(value);
            }
            case BINARY -> {
                byte[] value = rows.getBytes(index);
                return value == null ? null : Base64.getEncoder().encodeToString(value);
            }
            case UUID -> {
                String value = rows.getString(index);
                return value == null ? null : value.toLowerCase(Locale.ROOT);
            }
            default -> {
                return rows.getString(index);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------- diff order

    /**
     * An expression over a key column that the server orders by code point (text), by byte (binary) or by value
     * (numbers, dates), whatever the column's collation: the order a diff merges both sides in must be the same on
     * every engine. UTF-8 byte order is code point order.
     */
    public String codePointOrder(String expression, Column column) {
        return expression;
    }

    /** Whether float columns keep the sign of zero; where not, {@code -0} is stored as {@code 0}. */
    public boolean holdsNegativeZero() {
        return true;
    }

    /**
     * Why the engine's {@code column} cannot hold {@code value}, a text {@link ValueCodec#check} accepts for it, or
     * {@code null} where it can. Here: a decimal that is no number ({@link ValueCodec#isNotANumber}), which only
     * PostgreSQL's numeric holds.
     */
    public String cannotHold(Column column, String value) {
        if (column.kind() == ValueKind.DECIMAL && ValueCodec.isNotANumber(value)) {
            return ValueCodec.NOT_A_NUMBER;
        }
        if (ValueCodec.isEndOfDay(column.kind(), value)) {
            return ValueCodec.END_OF_DAY;
        }
        return ValueCodec.isInfinity(column.kind(), value) ? ValueCodec.INFINITY : null;
    }

    /**
     * Whether the server's {@code =} on this column may find two texts equal that differ: a collation that ignores
     * case, accents or trailing spaces. A diff, which compares keys by code point, asks the target about the keys it
     * inserts where a key column has such text ({@code TableDiffer#checkInsertedKeys}).
     */
    public boolean looseTextEquality(Column column) {
        return false;
    }

    /**
     * A query for segment checksums of {@code table}, or {@code null} where the engine has none: for the rows whose
     * integer {@code key} lies between {@code from} and {@code to}, grouped by bucket {@code (key - from) / width},
     * the bucket, the count of rows and a combination of a hash of each row's {@code columns}. Equal rows hash equally on
     * the same engine with the same column types only. The bounds are numbers dsynq computed, written as literals:
     * with parameters PostgreSQL cannot estimate the number of buckets and plans several times slower.
     */
    public String segmentChecksums(TableRef table, Column key, List<Column> columns, long from, long width, long to) {
        return null;
    }

    /**
     * Settings for the transaction a {@link #segmentChecksums} query runs in, such as planner hints; none by
     * default.
     *
     * @param rows about how many rows the query hashes (its key range as if the keys were dense, or the count the
     *     checksums of the range before gave)
     */
    public List<String> segmentSettings(long rows) {
        return List.of();
    }

    /** What follows an ascending sort key so NULLs come first, as they do where the engine has no such clause. */
    public String nullsFirst() {
        return " NULLS FIRST";
    }

    // ---------------------------------------------------------------------------------------------- staging

    /** What the name of every staging table begins with. */
    public static final String STAGING_PREFIX = "dsynq_stage_";

    /**
     * Creates a staging table holding a line number ({@link InternalNames#line}) and {@code columns} of
     * {@code table}, with the same types, empty: a temporary one, visible to this session only and dropped with it,
     * or where the engine {@linkplain #stagesApart stages apart}, a table of the current schema.
     */
    public abstract String createStaging(String staging, InternalNames names, TableRef table, List<Column> columns);

    /**
     * Whether {@link #createStaging} makes tables of the current schema, which a connection of their own makes, outside
     * the delta's transaction (in which the statement would commit), and which are dropped after it; leftovers of a
     * process that died are found by {@link #leftoverStagings}.
     */
    public boolean stagesApart() {
        return false;
    }

    /**
     * Where a commit may keep part of its transaction, as the process ends in the middle of it: the table, named after
     * the history table {@code history}, whose presence says that a commit began and did not end; {@code null} where
     * a commit is whole, as on a server, which rolls back the transaction of a connection that dropped. A connection of
     * its own makes it just before each commit and drops it after, as it makes staging tables {@linkplain #stagesApart
     * apart}.
     */
    public String commitMarker(String history) {
        return null;
    }

    /**
     * Where the engine {@linkplain #stagesApart stages apart}, a query of the names, as SQL writes them, of the
     * staging tables that a process left which died before it dropped them; {@code null} elsewhere.
     */
    public String leftoverStagings() {
        return null;
    }

    /**
     * {@link #createStaging} for the rows of a table identified by whole rows: where the engine has a {@link #rowHash}
     * of {@code columns}, {@link #createHashedStaging}, which the joins on {@link InternalNames#hash} rely on.
     */
    public final String createWholeRowStaging(
            String staging, InternalNames names, TableRef table, List<Column> columns) {
        String hash = rowHash(null, columns);
        return hash == null
                ? createStaging(staging, names, table, columns)
                : createHashedStaging(staging, names, table, columns, hash);
    }

    /**
     * {@link #createStaging} with a column {@link InternalNames#hash} computed by {@code hash} (the {@link #rowHash} of the
     * row in hand) and an index on it, so that the table's rows find theirs by it. Engines with a row hash override
     * this.
     */
    protected String createHashedStaging(
            String staging, InternalNames names, TableRef table, List<Column> columns, String hash) {
        return createStaging(staging, names, table, columns);
    }

    /**
     * A hash of the values of {@code columns} of row {@code alias} ({@code null}: of the row in hand) that rows equal
     * by {@link #comparable} values share, for engines that join rows without key only by an index
     * ({@link #createWholeRowStaging}); {@code null} where the engine needs none or no column can be hashed so.
     */
    public String rowHash(String alias, List<Column> columns) {
        return null;
    }

    /**
     * A loader for {@code table} (a staging table that {@link #createStaging} made, or a target table) on the
     * session's connection. Engines override this with their bulk loaders.
     *
     * @param table the table as SQL names it
     * @param lineColumn the column to load each row's line in the file into, or {@code null} for none
     */
    public StagingLoader loader(Connection connection, String table, String lineColumn, List<Column> columns)
            throws SQLException {
        return new BatchStagingLoader(connection, this, table, lineColumn, columns);
    }

    /**
     * Empties a staging table to be used again in the transaction that made it; {@code DELETE}, as {@code TRUNCATE}
     * commits on some engines.
     */
    public String emptyStaging(String staging) {
        return "DELETE FROM " + staging;
    }

    /**
     * The statement that gives the planner the row count and value statistics of a staging table just loaded, or
     * {@code null} where the engine needs none.
     */
    public String analyzeStaging(String staging) {
        return null;
    }

    /** Drops a staging table. */
    public final String dropStaging(String staging) {
        return dropStaging(List.of(staging));
    }

    /** Drops staging tables, in one statement. */
    public String dropStaging(List<String> stagings) {
        return "DROP TABLE IF EXISTS " + String.join(", ", stagings);
    }

    /**
     * A statement indexing a staging table on its line column, for statements that pick its rows by line over and
     * over, or {@code null} where that cannot be done inside the transaction (H2's {@code CREATE INDEX} commits, and
     * MariaDB's {@code ALTER TABLE} of a temporary table: its staging tables are indexed by line as they are made).
     */
    public String indexLines(String staging, String line) {
        return null;
    }

    /** The aggregate counting the distinct rows of {@code expressions}, compared as the engine compares them. */
    public String countDistinct(List<String> expressions) {
        return "COUNT(DISTINCT "
                + (expressions.size() == 1 ? expressions.get(0) : "(" + String.join(", ", expressions) + ")") + ")";
    }

    /** SQL true when {@code left} and {@code right} are equal or both NULL. */
    public String nullSafeEquals(String left, String right) {
        return left + " IS NOT DISTINCT FROM " + right;
    }

    /**
     * {@link #nullSafeEquals} as the condition rows are joined on (a key, or the whole row of a table without one),
     * in a form the engine can join without comparing every pair of rows where it has one.
     */
    public String nullSafeJoin(String left, String right, Column column) {
        return nullSafeEquals(left, right);
    }

    /**
     * An expression over a column that foreign keys reference, equal for two values exactly where the engine's foreign
     * keys see no change in them, and so neither cascade nor set the children to NULL. Here, H2's: by value, as its
     * index compares them (a change of case alone changes nothing under {@code VARCHAR_IGNORECASE}).
     */
    public String foreignKeyImage(String expression, Column column) {
        return expression;
    }

    /**
     * An expression over {@code column} that compares by value with {@code =}, exactly: PostgreSQL's json has no
     * equality, and MariaDB's collations take {@code 'a'}, {@code 'A'}, {@code 'ä'} and {@code 'a '} for one value.
     */
    public String comparable(String expression, Column column) {
        return expression;
    }

    /**
     * Whether a set-based update or delete from a staging table with one key twice changes the row once, so that its
     * count gives the duplicate away; where not, the fast path looks for duplicates first.
     */
    public boolean countsDuplicatesOnce() {
        return true;
    }

    /** The join condition of a target row {@code t} and a staging row {@code s} on the key. */
    public String keyMatch(List<Column> key) {
        return keyMatch("t", "s", key);
    }

    /** The join condition of rows {@code a} and {@code b} on the key, a declared key's NULL equal to NULL. */
    public String keyMatch(String a, String b, List<Column> key) {
        return key.stream()
                .map(c -> c.nullable()
                        ? nullSafeJoin(a + "." + quote(c.name()), b + "." + quote(c.name()), c)
                        : a + "." + quote(c.name()) + " = " + b + "." + quote(c.name()))
                .collect(Collectors.joining(" AND "));
    }

    /**
     * Sets {@code assignments} (column name to SQL expression over {@code s}) on every row of {@code table} (alias
     * {@code t}) that matches a staging row (alias {@code s}) on the key.
     */
    public final String updateFromStaging(
            TableRef table, String staging, List<Column> key, List<String[]> assignments) {
        return updateMatching(table, staging, keyMatch(key), assignments);
    }

    /** {@link #updateFromStaging}, on the rows where {@code match} holds, a condition over {@code t} and {@code s}. */
    public abstract String updateMatching(TableRef table, String staging, String match, List<String[]> assignments);

    /**
     * What ends a derived table that the query around it must not merge into itself; nothing where the engine merges
     * them safely.
     */
    public String unmerged() {
        return "";
    }

    /**
     * Whether the engine checks a foreign key as each row of a statement changes, as MariaDB and H2 do, rather than
     * once the statement is done, as the SQL standard and PostgreSQL do: the rows of a table that references itself
     * must then be inserted parents first and deleted children first.
     */
    public boolean checksEachRow() {
        return true;
    }

    /**
     * The statements that switch the session's foreign key checks off and back to what they were, for deleting rows
     * that reference nothing but themselves where the engine refuses that; none where it does not.
     */
    public List<String> withoutForeignKeyChecks() {
        return List.of();
    }

    /** Deletes every row of {@code table} that matches a staging row on the key. */
    public String deleteUsingStaging(TableRef table, String staging, List<Column> key) {
        return deleteMatching(table, staging, keyMatch(key));
    }

    /**
     * Deletes every row of {@code table} (alias {@code t}) for which some staging row (alias {@code s}) makes
     * {@code match} true.
     */
    public abstract String deleteMatching(TableRef table, String staging, String match);

    /**
     * {@link #deleteMatching} for a table identified by whole rows, from a staging table that
     * {@link #createWholeRowStaging} made: {@code match} compares every value, and the row hash where there is one.
     */
    public String deleteWholeRows(TableRef table, String staging, String match) {
        return deleteMatching(table, staging, match);
    }

    /**
     * What ends a select of before-images (alias {@code t} for the target) so the rows stay locked until commit: a
     * concurrent writer cannot slip in between reading a row's old values and changing it.
     */
    public String lockRows() {
        return " FOR UPDATE";
    }

    /**
     * Whether {@link #copyOut} works here, so that an update or delete can stream its before-images out in the same
     * pass as it changes the rows.
     */
    public boolean canCopyOut() {
        return false;
    }

    /**
     * Streams the rows of a query, which may change rows and return them, as canonical text.
     *
     * @return the rows streamed
     * @throws UnsupportedOperationException where {@link #canCopyOut()} is false
     */
    public long copyOut(Connection connection, String query, List<Column> columns, Consumer<String[]> rows)
            throws SQLException {
        throw new UnsupportedOperationException(name() + " streams no query results as text");
    }

    /**
     * Clears away the rows a large delete left dead in {@code tables}, outside any transaction, before a rollback puts
     * them back; the engine's default does nothing.
     *
     * @return whether it did anything
     */
    public boolean clearDeadRows(Connection connection, List<TableRef> tables) throws SQLException {
        return false;
    }

    /** The select (or {@code RETURNING}) list of a query that {@link #copyOut} streams: {@code columns}, in order. */
    public String copyOutList(String alias, List<Column> columns) {
        return selectList(alias, columns);
    }

    /**
     * The isolation level of a fast-path transaction, as {@link org.springframework.transaction.TransactionDefinition}
     * numbers it; the engine's default unless it can replace row locks by a snapshot that fails on conflict.
     */
    public int fastPathIsolation() {
        return org.springframework.transaction.TransactionDefinition.ISOLATION_DEFAULT;
    }

    /** What ends a fast-path select of before-images; {@link #lockRows()} unless the isolation does the job. */
    public String fastPathLockRows() {
        return lockRows();
    }

    /**
     * What follows the column list of an {@code INSERT … SELECT} that writes {@code columns}, so explicit values go
     * into identity columns: a rolled-back delete puts back rows with their old ids.
     */
    public String overridingIdentity(List<Column> columns) {
        return "";
    }

    /**
     * Moves the sequence behind an identity column past the greatest value in the table: rows a delta (or a
     * rollback) inserted with explicit ids would otherwise collide with the application's next insert. Nothing to do
     * where the engine does it itself (MariaDB).
     */
    public void alignIdentity(Connection connection, TableRef table, Column column) throws SQLException {}

    /** Whether {@link #alignIdentity} commits the open transaction, so it must wait until the delta committed. */
    public boolean identityAlignmentCommits() {
        return false;
    }

    // ---------------------------------------------------------------------------------------------- history

    /** The type of a column holding up to a few megabytes. */
    public abstract String blobType();

    /** A statement to send megabytes of bytes through, in the protocol that carries them cheapest. */
    public PreparedStatement prepareForBytes(Connection connection, String sql) throws SQLException {
        return connection.prepareStatement(sql);
    }

    /** The type of a timestamp with microseconds. */
    public String timestampType() {
        return "TIMESTAMP(6)";
    }

    /**
     * What follows the columns of a history table's {@code CREATE TABLE}, so that its entries are written in the
     * transaction of the delta they record whatever the server's defaults.
     */
    public String historyTableOptions() {
        return "";
    }

    // ---------------------------------------------------------------------------------------------- lock

    /** The table that holds the lock of the history table {@code name}, where the lock is a table's row; else null. */
    public String lockTable(String name) {
        return null;
    }

    /**
     * Takes the session-scoped lock of the history table {@code name} on {@code connection}, waiting up to
     * {@code timeout}. The lock is released by closing the returned lock or the connection, and dies with the
     * process.
     *
     * @param waiting told, once, who holds the lock when dsynq has to wait
     * @throws DsynqException when the timeout passes, naming the holder
     */
    public abstract SessionLock lock(Connection connection, String name, Duration timeout, Consumer<String> waiting)
            throws SQLException;

    /**
     * Called before dsynq closes its connections: an engine whose database lives in this process while other
     * processes use it (H2's auto-server) waits, up to {@code timeout}, until they are done, so that ending this
     * process does not cut them off in the middle of a transaction.
     *
     * @param waiting told, once, when dsynq has to wait
     */
    public void release(Connection connection, Duration timeout, Consumer<String> waiting) throws SQLException {}

    /** The first column of a query's rows, for metadata lookups. */
    protected static List<String> namesOf(Connection connection, String sql, String... arguments) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < arguments.length; i++) {
                statement.setString(i + 1, arguments[i]);
            }
            List<String> names = new java.util.ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    names.add(rows.getString(1));
                }
            }
            return names;
        }
    }

    /** Sleeps between two tries for a lock. */
    protected static void pause() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DsynqException("interrupted while waiting for the lock", e);
        }
    }

    protected static DsynqException lockTimeout(String name, Duration timeout, String holder) {
        return new DsynqException("gave up waiting for the dsynq lock after " + timeout.toSeconds()
                + " s: another apply is running on this database (held by " + holder + "); raise dsynq.lockTimeout"
                + " to wait longer");
    }
}
