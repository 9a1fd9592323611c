package io.dsynq.core.jdbc;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/** PostgreSQL: advisory locks, {@code UPDATE … FROM}, {@code DELETE … USING}, types by their names. */
final class PostgresDialect extends Dialect {

    /** The character types bound as plain strings; other text-like types (enums, citext) go as untyped text. */
    private static final Set<String> CHARACTER_TYPES = Set.of("VARCHAR", "TEXT", "BPCHAR", "CHAR", "NAME");

    /**
     * The server encodings whose repertoire dsynq checks text against: those of one byte per character, by what
     * PostgreSQL decodes each byte to. Text of any other ({@code UTF8}, {@code SQL_ASCII}, which takes any byte, the
     * multi-byte encodings of East Asia) is left to the server.
     */
    private static final Map<String, String> SINGLE_BYTE = Map.ofEntries(
            Map.entry("LATIN1", "ISO-8859-1"),
            Map.entry("LATIN2", "ISO-8859-2"),
            Map.entry("LATIN3", "ISO-8859-3"),
            Map.entry("LATIN4", "ISO-8859-4"),
            Map.entry("LATIN5", "ISO-8859-9"),
            Map.entry("LATIN7", "ISO-8859-13"),
            Map.entry("LATIN9", "ISO-8859-15"),
            Map.entry("ISO_8859_5", "ISO-8859-5"),
            Map.entry("ISO_8859_6", "ISO-8859-6"),
            Map.entry("ISO_8859_7", "ISO-8859-7"),
            Map.entry("ISO_8859_8", "ISO-8859-8"),
            Map.entry("WIN1250", "windows-1250"),
            Map.entry("WIN1251", "windows-1251"),
            Map.entry("WIN1252", "windows-1252"),
            Map.entry("WIN1253", "windows-1253"),
            Map.entry("WIN1254", "windows-1254"),
            Map.entry("WIN1255", "windows-1255"),
            Map.entry("WIN1256", "windows-1256"),
            Map.entry("WIN1257", "windows-1257"),
            Map.entry("WIN1258", "windows-1258"),
            Map.entry("WIN866", "IBM866"),
            Map.entry("KOI8R", "KOI8-R"),
            Map.entry("KOI8U", "KOI8-U"));

    /** Whether the database holds text in UTF8, learnt in {@link #prepare}. */
    private boolean utf8 = true;

    /** What the database's text holds where its encoding holds less than all of Unicode, learnt in {@link #prepare}. */
    private Repertoire repertoire;

    @Override
    public void prepare(Connection connection) throws SQLException {
        // one round trip: the database's encoding, what money holds, and the session's settings dsynq reads text by
        try (PreparedStatement statement = connection.prepareStatement("SELECT current_setting('server_encoding'),"
                        // money holds the digits after the point its locale (lc_monetary) gives, and rounds more
                        + " scale(CAST(CAST(1 AS money) AS numeric)), CAST(CAST(0.5 AS money) AS text),"
                        // an interval's text follows the session's style, and another style's reads back as another
                        // interval ('-1 2:03:04' in sql_standard is -1 day -2:03:04, in the default -1 day +2:03:04)
                        + " set_config('intervalstyle', 'postgres', false),"
                        // floats print with as few digits as read back to the same value only from 1 up (the driver
                        // asks for 3): a database or URL may set 0 or less, at which 0.30000000000000004 printed as
                        // 0.3 and the largest double rounded up to a text that reads back as Infinity, in reverse
                        // deltas and diffs alike
                        + " set_config('extra_float_digits', '3', false),"
                        // timestamptz, alone or in ranges, arrays and domains, prints at the session's zone, which the
                        // driver takes from the JVM's: the same values read in New York and in Berlin wrote two deltas
                        + " set_config('timezone', 'UTC', false),"
                        // bytea inside arrays and domains goes as the server's text, and escape's text of the same
                        // bytes is not hex's, so two databases of different bytea_output differed on equal values
                        + " set_config('bytea_output', 'hex', false)");
                ResultSet settings = statement.executeQuery()) {
            settings.next();
            String encoding = settings.getString(1);
            utf8 = encoding.equals("UTF8");
            repertoire = repertoire(encoding);
            moneyDigits = settings.getInt(2);
            String half = settings.getString(3); // $0.50, or 0,50 € in a locale of decimal commas
            int last = half.length();
            while (last > 0 && !Character.isDigit(half.charAt(last - 1))) {
                last--;
            }
            moneyPoint = moneyDigits > 0 && last - moneyDigits > 0 ? half.charAt(last - moneyDigits - 1) : '.';
        }
        try (java.sql.Statement statement = connection.createStatement()) {
            // nondeterministic collations came with PostgreSQL 12
            nondeterministic = connection.getMetaData().getDatabaseMajorVersion() >= 12;
            if (nondeterministic) {
                try (ResultSet loose = statement.executeQuery("SELECT EXISTS (SELECT 1 FROM pg_attribute a JOIN"
                        + " pg_collation c ON c.oid = a.attcollation WHERE a.attnum > 0 AND NOT a.attisdropped AND NOT"
                        + " c.collisdeterministic)")) {
                    nondeterministic = loose.next() && loose.getBoolean(1);
                }
            }
        }
    }

    /** {@code default_transaction_read_only} (set on the database, the user or in the URL), or a standby. */
    @Override
    public String readOnly(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                        "SELECT current_setting('transaction_read_only'), pg_is_in_recovery()");
                ResultSet result = statement.executeQuery()) {
            if (!result.next()) {
                return null;
            }
            if (result.getBoolean(2)) {
                return "the server is a standby, which only reads";
            }
            return result.getString(1).equals("on")
                    ? "its transactions are read-only (default_transaction_read_only is on for this database, user or"
                            + " connection)"
                    : null;
        }
    }

    /** Where no schema that {@code search_path} names exists (a typo in {@code currentSchema}, or an empty one). */
    @Override
    public String noCurrentSchema(Connection connection) throws SQLException {
        try (PreparedStatement statement =
                        connection.prepareStatement("SELECT current_schema() IS NULL, current_setting('search_path')");
                ResultSet result = statement.executeQuery()) {
            return result.next() && result.getBoolean(1)
                    ? "the connection has no current schema, as no schema its search_path names exists (search_path"
                            + " is '" + result.getString(2) + "')"
                    : null;
        }
    }

    /** Besides the common ones, {@code lock_timeout} and {@code idle_in_transaction_session_timeout}. */
    @Override
    public boolean stopped(SQLException e) {
        return super.stopped(e) || "55P03".equals(e.getSQLState()) || "25P03".equals(e.getSQLState());
    }

    /**
     * The values of the enums of the columns {@link #refine} described, by their type's name as {@code format_type}
     * gives it (with its schema where the search path does not reach it).
     */
    private final Map<String, List<String>> enumLabels = new java.util.concurrent.ConcurrentHashMap<>();

    /** The digits after the point that {@code money} holds, and its point, as prepared. */
    private int moneyDigits = 2;

    private char moneyPoint = '.';

    /** Whether a column or index of the database has a nondeterministic collation, as prepared. */
    private boolean nondeterministic;

    /**
     * Text, where a column or index of the database has a nondeterministic collation ({@code 'a'} equal to
     * {@code 'A'}): which columns, the dialect does not know.
     */
    @Override
    public boolean looseTextEquality(Column column) {
        return nondeterministic && column.kind() == ValueKind.TEXT;
    }

    /** The repertoire of a server encoding, or {@code null} where dsynq leaves its text to the server. */
    static Repertoire repertoire(String encoding) {
        String charset = SINGLE_BYTE.get(encoding);
        return charset == null || !Charset.isSupported(charset)
                ? null
                : Repertoire.singleByte(encoding, Charset.forName(charset));
    }

    /**
     * The driver reports an unconstrained {@code numeric} as of size 0, and {@code numeric(1000,2)}, the widest
     * there is, as of size 1000.
     */
    @Override
    protected int decimalPrecision(long size) {
        return (int) Math.max(size, 0);
    }

    /**
     * A scale below 0 or above the precision (PostgreSQL 15: {@code numeric(5,-2)} holds hundreds), which the type
     * modifier keeps in 11 bits with its sign: the driver reads -2 as 2046. A scale is at most 1000.
     */
    @Override
    protected int decimalScale(int digits) {
        int bits = digits & 0x7FF;
        return bits >= 0x400 ? bits - 0x800 : bits;
    }

    /**
     * A column dsynq passes as the server's text whose type restricts what it holds is named by that type, where the
     * driver names it otherwise, so that {@link #cannotHold} can check its values ({@link PostgresTypmods}): an
     * interval of a restricted type ({@code interval(0)}, {@code interval year to month}), where the driver calls any
     * interval {@code interval}; an array of decimals, times or timestamps ({@code numeric(4,1)[]}, not
     * {@code _numeric}); a domain over such a type or an integer, with its base's ({@code tenth (numeric(4,1))}); an
     * enum, whose values are kept ({@link #enumLabels}).
     */
    @Override
    public List<Column> refine(Connection connection, TableRef table, List<Column> columns) throws SQLException {
        if (columns.stream().noneMatch(c -> c.kind() == ValueKind.OTHER)) {
            return columns;
        }
        Map<String, String> restricted = new java.util.HashMap<>();
        // a domain's base is the first type under it that is no domain, with the typmod of the domain over it
        try (PreparedStatement statement = connection.prepareStatement("SELECT a.attname, format_type(a.atttypid,"
                + " a.atttypmod), CASE WHEN t.typtype = 'd' THEN (WITH RECURSIVE under (oid, typmod, depth) AS"
                + " (SELECT t.typbasetype, t.typtypmod, 0 UNION ALL SELECT d.typbasetype, d.typtypmod, u.depth + 1"
                + " FROM under u JOIN pg_type d ON d.oid = u.oid AND d.typtype = 'd') SELECT format_type(u.oid,"
                + " u.typmod) FROM under u ORDER BY u.depth DESC LIMIT 1) END,"
                + " CASE WHEN t.typcategory = 'A' THEN format_type(t.typelem, a.atttypmod) END, CASE WHEN t.typtype ="
                + " 'e' THEN ARRAY(SELECT e.enumlabel FROM pg_enum e WHERE e.enumtypid = t.oid ORDER BY"
                + " e.enumsortorder) END FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n"
                + " ON n.oid = c.relnamespace JOIN pg_type t ON t.oid = a.atttypid WHERE n.nspname = ? AND c.relname ="
                + " ? AND a.attnum > 0 AND NOT a.attisdropped AND (a.atttypid = CAST('interval' AS regtype) AND"
                + " a.atttypmod <> -1 OR t.typtype IN ('d', 'e') OR t.typcategory = 'A')")) {
            statement.setString(1, table.schema());
            statement.setString(2, table.name());
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    String type = rows.getString(2);
                    String base = rows.getString(3);
                    String element = rows.getString(4);
                    java.sql.Array labels = rows.getArray(5);
                    if (labels != null) {
                        enumLabels.put(type, List.of((String[]) labels.getArray()));
                        restricted.put(rows.getString(1), type);
                    } else if (base != null) {
                        String baseElement = base.endsWith("[]") ? base.substring(0, base.length() - 2) : base;
                        if (PostgresTypmods.checks(baseElement)) {
                            restricted.put(rows.getString(1), PostgresTypmods.domain(type, base));
                        }
                    } else if (element == null || PostgresTypmods.checks(element)) {
                        restricted.put(rows.getString(1), type);
                    }
                }
            }
        }
        return columns.stream()
                .map(c -> c.kind() == ValueKind.OTHER && restricted.containsKey(c.name())
                        ? c.withTypeName(restricted.get(c.name()))
                        : c)
                .toList();
    }

    /** Text holds what the database's encoding does. */
    @Override
    public Column column(ResultSet columns) throws SQLException {
        Column column = super.column(columns);
        return column.kind() == ValueKind.TEXT && repertoire != null ? column.withRepertoire(repertoire) : column;
    }

    @Override
    public String name() {
        return "PostgreSQL";
    }

    @Override
    protected ValueKind kind(int jdbcType, String typeName, long size) {
        return switch (typeName) {
            case "BOOL" -> ValueKind.BOOLEAN;
            case "BIT", "VARBIT", "MONEY" -> ValueKind.OTHER;
            case "UUID" -> ValueKind.UUID;
            case "JSON", "JSONB" -> ValueKind.JSON;
            case "TIMESTAMPTZ" -> ValueKind.TIMESTAMP_TZ;
            case "TIMETZ" -> ValueKind.TIME_TZ;
            default -> {
                ValueKind kind = super.kind(jdbcType, typeName, size);
                yield kind == ValueKind.TEXT && !CHARACTER_TYPES.contains(typeName) ? ValueKind.OTHER : kind;
            }
        };
    }

    @Override
    public void bind(PreparedStatement statement, int index, Column column, Object value) throws SQLException {
        if (value != null && (column.kind() == ValueKind.JSON || column.kind() == ValueKind.OTHER)) {
            statement.setObject(index, value, Types.OTHER);
        } else {
            super.bind(statement, index, column, value);
        }
    }

    @Override
    protected int nullType(Column column) {
        return switch (column.kind()) {
            case JSON, OTHER, UUID -> Types.OTHER;
            default -> column.jdbcType();
        };
    }

    /**
     * Partitions (of any level) and tables with children by inheritance; a partitioned table is neither, its
     * partitions being where its rows are kept.
     */
    @Override
    public java.util.Map<String, Inherited> inheritance(Connection connection, String schema) throws SQLException {
        java.util.Map<String, Inherited> found = new java.util.HashMap<>();
        try (PreparedStatement query = connection.prepareStatement("SELECT c.relname, c.relispartition FROM pg_class c"
                + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? AND (c.relispartition OR"
                + " (c.relkind = 'r' AND EXISTS (SELECT 1 FROM pg_inherits i WHERE i.inhparent = c.oid)))")) {
            query.setString(1, schema);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    found.put(
                            rows.getString(1).toLowerCase(java.util.Locale.ROOT),
                            rows.getBoolean(2) ? Inherited.PARTITION : Inherited.PARENT);
                }
            }
        }
        return found;
    }

    @Override
    public TableRef partitionRoot(Connection connection, TableRef table) throws SQLException {
        // up pg_inherits rather than by pg_partition_root, which PostgreSQL 11 lacks
        try (PreparedStatement query = connection.prepareStatement("WITH RECURSIVE up (oid, relispartition) AS"
                + " (SELECT c.oid, c.relispartition FROM pg_class c JOIN pg_namespace cn ON cn.oid = c.relnamespace"
                + " WHERE cn.nspname = ? AND c.relname = ? AND c.relispartition UNION ALL SELECT p.oid,"
                + " p.relispartition FROM up JOIN pg_inherits i ON i.inhrelid = up.oid JOIN pg_class p ON p.oid ="
                + " i.inhparent WHERE up.relispartition) SELECT n.nspname, r.relname FROM up JOIN pg_class r ON r.oid"
                + " = up.oid JOIN pg_namespace n ON n.oid = r.relnamespace WHERE NOT up.relispartition")) {
            query.setString(1, table.schema());
            query.setString(2, table.name());
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() ? tableRef(table.catalog(), rows.getString(1), rows.getString(2)) : null;
            }
        }
    }

    @Override
    public List<TableRef> partitions(Connection connection, TableRef table) throws SQLException {
        List<TableRef> found = new java.util.ArrayList<>();
        // down pg_inherits rather than by pg_partition_tree, which PostgreSQL 11 lacks
        try (PreparedStatement query = connection.prepareStatement("WITH RECURSIVE down (oid, level) AS (SELECT"
                + " p.oid, 0 FROM pg_class p JOIN pg_namespace pn ON pn.oid = p.relnamespace WHERE pn.nspname = ? AND"
                + " p.relname = ? AND p.relkind = 'p' UNION ALL SELECT i.inhrelid, down.level + 1 FROM down JOIN"
                + " pg_inherits i ON i.inhparent = down.oid) SELECT n.nspname, c.relname FROM down JOIN pg_class c ON"
                + " c.oid = down.oid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE down.level > 0")) {
            query.setString(1, table.schema());
            query.setString(2, table.name());
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    found.add(tableRef(table.catalog(), rows.getString(1), rows.getString(2)));
                }
            }
        }
        return found;
    }

    /** Row-level security active for the user: enabled, and forced where the user owns the table, without BYPASSRLS. */
    @Override
    public String hiddenRows(Connection connection, TableRef table) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT 1 FROM pg_class c JOIN pg_namespace n ON"
                + " n.oid = c.relnamespace WHERE n.nspname = ? AND c.relname = ? AND row_security_active(c.oid)")) {
            query.setString(1, table.schema());
            query.setString(2, table.name());
            try (ResultSet rows = query.executeQuery()) {
                // the user is not named: one from settings.xml never reaches the output
                return rows.next() ? "has row-level security that applies to its user" : null;
            }
        }
    }

    /** The server's address and port, when it started, and the database. */
    @Override
    public String serverIdentity(Connection connection) throws SQLException {
        return namesOf(
                        connection,
                        "SELECT concat_ws(' ', inet_server_addr(), inet_server_port(), pg_postmaster_start_time(),"
                                + " current_database())")
                .get(0);
    }

    /**
     * The unique indexes as the server defines them: the driver gives a column as its expression with the outer
     * quotes trimmed but the doubled ones within kept ({@code co""de}), and counts the columns an index only
     * {@code INCLUDE}s among its key's, and does not tell {@code NULLS NOT DISTINCT}. A column the index holds under
     * another collation than its own counts as an expression.
     */
    @Override
    public List<Table.Unique> uniqueIndexes(Connection connection, TableRef table) throws SQLException {
        // NULLS NOT DISTINCT came with PostgreSQL 15
        String nulls = connection.getMetaData().getDatabaseMajorVersion() >= 15
                ? "CASE WHEN i.indnullsnotdistinct THEN 'NOT_DISTINCT' ELSE 'DISTINCT' END"
                : "'DISTINCT'";
        try (PreparedStatement statement = connection.prepareStatement("SELECT c.relname, CASE WHEN"
                + " i.indcollation[k.position - 1] = a.attcollation THEN a.attname END, " + nulls + " FROM"
                + " pg_index i"
                + " JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n"
                + " ON n.oid = t.relnamespace CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, position)"
                + " LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum WHERE i.indisunique"
                + " AND i.indpred IS NULL AND k.position <= i.indnkeyatts AND n.nspname = ? AND t.relname = ?"
                + " ORDER BY c.relname, k.position")) {
            return uniqueIndexes(statement, table);
        }
    }

    /** The unique constraints declared {@code DEFERRABLE}, whose index is named after them. */
    @Override
    public java.util.Map<String, Boolean> deferrableUniques(Connection connection, TableRef table) throws SQLException {
        java.util.Map<String, Boolean> deferrable = new java.util.HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT c.conname, c.condeferred FROM"
                + " pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid ="
                + " t.relnamespace WHERE c.contype = 'u' AND c.condeferrable AND n.nspname = ? AND t.relname = ?")) {
            statement.setString(1, table.schema());
            statement.setString(2, table.name());
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    deferrable.put(rows.getString(1), rows.getBoolean(2));
                }
            }
        }
        return deferrable;
    }

    /**
     * {@code numeric} holds {@code NaN}, and {@code Infinity} and {@code -Infinity} without a precision; text holds
     * no NUL character; {@code money}, which dsynq passes as the server's text, holds as many digits after the point as
     * its locale gives, and would round more ({@code 5.005} to {@code $5.01}); an interval, an array or a domain
     * holds what its type restricts it to, and would round or cut more ({@link PostgresTypmods}); an enum holds its
     * values only.
     */
    @Override
    public String cannotHold(Column column, String value) {
        List<String> labels = column.kind() == ValueKind.OTHER ? enumLabels.get(column.typeName()) : null;
        if (value != null && labels != null && !labels.contains(value)) {
            return "is not a value of the enum " + column.typeName() + ", which holds "
                    + labels.stream().limit(20).map(l -> "'" + l + "'").collect(Collectors.joining(", "))
                    + (labels.size() > 20 ? ", … (" + labels.size() + " values)" : "");
        }
        if (value != null && column.kind() == ValueKind.OTHER) {
            String refused = PostgresTypmods.cannotHold(column.typeName(), value);
            if (refused != null) {
                return refused;
            }
        }
        if (value != null
                && column.kind() == ValueKind.OTHER
                && column.typeName().equals("money")) {
            int point = value.lastIndexOf(moneyPoint);
            while (point >= 0 && (point + 1 == value.length() || !Character.isDigit(value.charAt(point + 1)))) {
                point = value.lastIndexOf(moneyPoint, point - 1); // a point of the currency's name (5.005 Fr.)
            }
            for (int i = point + 1 + moneyDigits; point >= 0 && i < value.length(); i++) {
                if (!Character.isDigit(value.charAt(i))) {
                    break;
                }
                if (value.charAt(i) != '0') {
                    return "has more digits after the point than money holds here (" + moneyDigits
                            + "), which it would round (dsynq never rounds)";
                }
            }
        }
        return column.kind() == ValueKind.TEXT && value != null && value.indexOf('\0') >= 0
                ? "holds a NUL character, which PostgreSQL's text cannot"
                : null;
    }

    /** A foreign key that is not deferrable is checked once a statement is done. */
    @Override
    public boolean checksEachRow() {
        return false;
    }

    /** The {@code C} collation orders UTF-8 text by byte, which is code point order; uuid and bytea order by byte. */
    @Override
    public String codePointOrder(String expression, Column column) {
        return column.kind() == ValueKind.TEXT ? expression + " COLLATE \"C\"" : expression;
    }

    /**
     * A row's hash is a chain: each column's value hashed by its type's own hash function with the hash of the columns
     * before it as seed, so that the hash of a row is not linear in its values and two rows (or two columns) that
     * trade values change their bucket's hash; combined per bucket by {@code BIT_XOR}. Keys are unique, so no row
     * cancels a twin. The key is widened to {@code bigint} so that its distance from the range's start cannot
     * overflow. Several times cheaper than one {@code hash_record_extended} of a {@code ROW} of the columns (which
     * builds and takes apart a tuple per row), and much cheaper than printing and hashing the row's text. Only in a
     * UTF8 database ({@code null} in others): text is hashed by its bytes, and a LATIN1 database holds {@code Ã¼} in
     * the bytes of a UTF8 {@code ü}.
     */
    @Override
    public String segmentChecksums(TableRef table, Column key, List<Column> columns, long from, long width, long to) {
        if (!utf8) {
            return null;
        }
        String row = "0";
        for (int i = 0; i < columns.size(); i++) {
            row = chainHash(quote(columns.get(i).name()), columns.get(i), i + 1, row);
        }
        String k = quote(key.name());
        return "SELECT (CAST(" + k + " AS BIGINT) - " + from + ") / " + width + " AS b, COUNT(*), BIT_XOR(" + row
                + ") FROM " + qualify(table) + " WHERE " + k + " >= " + from + " AND " + k + " <= " + to
                + " GROUP BY 1";
    }

    /**
     * The hash of a row's columns up to {@code column}, the {@code position}-th, given the hash of those before it.
     * NULL is hashed as a value of the column's type (0, 1, the empty text) with the position XORed into the seed.
     * Integers go as {@code bigint}, which {@code hashint8extended} folds to 32 bits before it hashes them (1 and 2^32
     * hash alike): the value is XORed into the seed too. Decimals by value (as a full comparison sees them); their
     * hash function hashes digits and weight but not the sign, which goes into the seed, and gives {@code NaN},
     * {@code Infinity} and {@code -Infinity} the seed itself, so in a numeric without precision, which holds all
     * three, those add their text's hash. That hash is linear in the value's weight, and zero's and the special
     * values' in the seed, which would let the changes of two columns cancel ({@code NaN, 7} and {@code 7, NaN}; a
     * weight from 1 to 2 and the next column from {@code ''} to NULL, its position 3): it is hashed once more. Text
     * as its UTF-8 bytes under the {@code C} collation (a nondeterministic collation hashes {@code 'a'} and
     * {@code 'A'} alike); timestamps and UUIDs by their own functions. Any other
     * type goes through {@code hash_record_extended} of {@link #hashable}, which keeps the null flag, the bits of
     * floats and the text of types without a hash function.
     */
    private String chainHash(String name, Column column, int position, String previous) {
        String seed = column.nullable()
                ? "(" + previous + " # CASE WHEN " + name + " IS NULL THEN " + position + " ELSE 0 END)"
                : previous;
        return switch (column.kind()) {
            case INTEGER -> {
                String value = orNull("CAST(" + name + " AS BIGINT)", "0", column);
                yield "hashint8extended(" + value + ", " + seed + " # " + value + ")";
            }
            case DECIMAL -> {
                // NULL as 1: the hash of 0 is its seed less one, and a seed one more met NaN's, the seed itself
                String value = orNull("CAST(" + name + " AS NUMERIC)", "1", column);
                String hash = "hash_numeric_extended(" + value + ", " + seed + " # CASE WHEN " + value + " < 0 THEN "
                        + ((long) position << 32) + " ELSE 0 END)";
                // only a numeric without precision holds the infinities; NaN alone hashes as no number does
                if (column.precision() == 0) {
                    hash = "(" + hash + " # CASE WHEN scale(" + value + ") IS NULL THEN hashtextextended(CAST(" + value
                            + " AS TEXT), 0) ELSE 0 END)";
                }
                yield "hashint8extended(0, " + hash + ")";
            }
            case TEXT -> "hashtextextended(" + orNull("CAST(" + name + " AS TEXT)", "''", column) + " COLLATE \"C\", "
                    + seed + ")";
            case TIMESTAMP -> "timestamp_hash_extended("
                    + orNull("CAST(" + name + " AS TIMESTAMP)", "TIMESTAMP 'epoch'", column) + ", " + seed + ")";
            case UUID -> "uuid_hash_extended("
                    + orNull("CAST(" + name + " AS UUID)", "'00000000-0000-0000-0000-000000000000'", column) + ", "
                    + seed + ")";
            default -> "hash_record_extended(ROW(" + hashable(name, column) + "), " + previous + ")";
        };
    }

    /** {@code value}, or {@code instead} where the column is nullable and holds NULL. */
    private static String orNull(String value, String instead, Column column) {
        return column.nullable() ? "COALESCE(" + value + ", " + instead + ")" : value;
    }

    /**
     * A column as {@code hash_record_extended} sees it. That hashes NULL as 0, so a nullable column comes with its
     * null flag; floats go as their bits ({@code -0} is not {@code 0}); text goes as its bytes, since a
     * nondeterministic collation hashes {@code 'a'} and {@code 'A'} alike.
     */
    private String hashable(String name, Column column) {
        String value =
                switch (column.kind()) {
                    case TEXT -> "convert_to(CAST(" + name + " AS TEXT), 'UTF8')";
                        // the bits: hashfloat8 hashes -0 as 0, which a full comparison tells apart
                    case DOUBLE -> "float8send(CAST(" + name + " AS FLOAT8))";
                    case REAL -> "float4send(CAST(" + name + " AS FLOAT4))";
                    default -> comparable(name, column);
                };
        return column.nullable() ? name + " IS NULL, " + value : value;
    }

    /** From this many rows a checksum query compiles its expressions, which saves more than the compiling costs. */
    static final long JIT_FROM_ROWS = 2_000_000;

    /**
     * PostgreSQL cannot estimate the number of buckets, expects one per row and sorts the whole table on disk to
     * group it; a hash aggregate holds the few thousand buckets there are in memory. Its JIT, which the expected cost
     * would switch on for any range, spends a few hundred milliseconds compiling (in each parallel worker): more than
     * it saves on a range of some thousand rows, but on millions of rows the compiled hashing and tuple deforming
     * take about a third less time (10,000,000 rows: 12.4 s to 8.6 s of one process), so it is switched on with
     * inlining and optimization from {@link #JIT_FROM_ROWS} rows. Parallel workers: see {@link #workers}.
     */
    @Override
    public List<String> segmentSettings(long rows) {
        return segmentSettings(rows, Runtime.getRuntime().availableProcessors());
    }

    static List<String> segmentSettings(long rows, int processors) {
        return rows >= JIT_FROM_ROWS
                ? List.of(
                        "SET LOCAL enable_sort = off",
                        workers(processors),
                        "SET LOCAL jit = on",
                        "SET LOCAL jit_above_cost = 0",
                        "SET LOCAL jit_inline_above_cost = 0",
                        "SET LOCAL jit_optimize_above_cost = 0")
                : List.of("SET LOCAL enable_sort = off", workers(processors), "SET LOCAL jit = off");
    }

    /**
     * The two checksum queries of a comparison run at once. A server on this machine (reached over loopback or a
     * socket) shares its {@code processors} between them: each query gets the workers half of them leave beside its
     * own process, at most as many as the server allows. More processes than processors only queue, and each worker
     * compiles the query's JIT code again (10,000,000 rows on both sides, 2 processors: 1.97 s with the default two
     * workers each, 1.71 s with none). A server elsewhere keeps its own setting.
     */
    private static String workers(int processors) {
        String allowed = "current_setting('max_parallel_workers_per_gather')";
        return "SELECT set_config('max_parallel_workers_per_gather', CASE WHEN inet_server_addr() IS NULL OR"
                + " inet_server_addr() <<= INET '127.0.0.0/8' OR inet_server_addr() = INET '::1' THEN CAST(LEAST(CAST("
                + allowed + " AS INT), " + Math.max(0, processors / 2 - 1) + ") AS TEXT) ELSE " + allowed
                + " END, true)";
    }

    /**
     * {@code IS NOT DISTINCT FROM}, which PostgreSQL can only join by trying every pair of rows, and with it what it
     * implies: equal hashes of both sides, NULL hashed as 0, on which the planner hashes the join. Each value is
     * hashed so that values equal by {@code =} hash alike (text under its own collation, decimals by value); a value
     * hashing to 0 meets NULL there, and the exact condition tells them apart.
     */
    @Override
    public String nullSafeJoin(String left, String right, Column column) {
        String exact = nullSafeEquals(left, right);
        String hashedLeft = joinHash(left, column);
        return hashedLeft == null
                ? exact
                : exact + " AND COALESCE(" + hashedLeft + ", 0) = COALESCE(" + joinHash(right, column) + ", 0)";
    }

    /**
     * A hash of a value of {@code column} that agrees with {@code =} and cannot fail; {@code null} for JSON and other
     * types, whose own equality a key compares by and their text does not follow ({@code '1 day'} equals
     * {@code '24 hours'}).
     */
    private static String joinHash(String value, Column column) {
        return switch (column.kind()) {
            case BOOLEAN -> "CAST(" + value + " AS INTEGER)";
            case INTEGER -> "hashint8extended(CAST(" + value + " AS BIGINT), 0)";
            case DECIMAL -> "hash_numeric_extended(CAST(" + value + " AS NUMERIC), 0)";
            case REAL, DOUBLE -> "hashfloat8extended(CAST(" + value + " AS FLOAT8), 0)";
            case TEXT -> "hashtextextended(CAST(" + value + " AS TEXT), 0)";
                // as text: a date beyond the range of timestamp has no timestamp to hash
            case DATE -> "hashtextextended(CAST(CAST(" + value + " AS DATE) AS TEXT), 0)";
            case TIMESTAMP -> "timestamp_hash_extended(CAST(" + value + " AS TIMESTAMP), 0)";
                // at UTC, as it is held: in a zone west of it, the first instants would fall out of range
            case TIMESTAMP_TZ -> "timestamp_hash_extended(CAST(" + value + " AS TIMESTAMPTZ) AT TIME ZONE 'UTC', 0)";
            case TIME -> "time_hash_extended(CAST(" + value + " AS TIME), 0)";
            case TIME_TZ -> "timetz_hash_extended(CAST(" + value + " AS TIMETZ), 0)";
            case BINARY -> "hashtextextended(md5(CAST(" + value + " AS BYTEA)), 0)";
            case UUID -> "uuid_hash_extended(CAST(" + value + " AS UUID), 0)";
            case JSON, OTHER -> null;
        };
    }

    /**
     * PostgreSQL compares the stored bytes: {@code 1.0} and {@code 1.00}, {@code 0} and {@code -0}, {@code 'a'} and
     * {@code 'A'} under any collation differ. Their text tells them apart as well.
     */
    @Override
    public String foreignKeyImage(String expression, Column column) {
        return "CAST(" + expression + " AS TEXT) COLLATE \"C\"";
    }

    @Override
    public String indexLines(String staging, String line) {
        return "CREATE INDEX ON " + staging + " (" + line + ")";
    }

    @Override
    public String comparable(String expression, Column column) {
        return column.kind() == ValueKind.JSON || column.kind() == ValueKind.OTHER
                ? "CAST(" + expression + " AS TEXT)"
                : expression;
    }

    /**
     * The server's own text, made canonical: much cheaper than building Java objects to print them again, which
     * matters when a million before-images are read.
     */
    @Override
    public String read(ResultSet rows, int index, Column column) throws SQLException {
        if (column.kind() == ValueKind.BINARY) {
            return super.read(rows, index, column);
        }
        return PostgresText.canonical(column, rows.getString(index));
    }

    /**
     * {@code COPY (query) TO STDOUT} in the binary format, the rows handed on as canonical text as they stream in
     * ({@link CopyOutBinaryRows}). The query may change rows: {@code DELETE … RETURNING} gives the before-images of
     * what it deletes in the same pass. Its select list is {@link #copyOutList}.
     *
     * @return the rows copied
     */
    @Override
    public long copyOut(Connection connection, String query, List<Column> columns, Consumer<String[]> rows)
            throws SQLException {
        CopyOutBinaryRows out = new CopyOutBinaryRows(columns, rows);
        try (out) {
            connection
                    .unwrap(org.postgresql.PGConnection.class)
                    .getCopyAPI()
                    .copyOut("COPY (" + query + ") TO STDOUT (FORMAT binary)", out);
        } catch (java.io.IOException e) {
            throw new SQLException(e.getMessage(), e);
        }
        return out.rows();
    }

    /**
     * Vacuums the tables: rolled-back deletes put their rows back with the same keys, which are still in the primary
     * key's index, pointing at the deleted versions, and each insert would visit the table to make sure its twin is
     * dead. Vacuuming first, as autovacuum would some time later, costs less than those visits (1,000,000 rows: a
     * 1.6 s vacuum saved 4 s of {@code COPY}). Without the right to vacuum a table, PostgreSQL only warns.
     */
    @Override
    public boolean clearDeadRows(Connection connection, List<TableRef> tables) throws SQLException {
        try (java.sql.Statement vacuum = connection.createStatement()) {
            for (TableRef table : tables) {
                vacuum.execute("VACUUM " + qualify(table));
            }
        }
        return !tables.isEmpty();
    }

    /** Each column in the binary form {@link CopyOutBinaryRows} reads, or cast to text. */
    @Override
    public String copyOutList(String alias, List<Column> columns) {
        return CopyOutBinaryRows.selectList(this, alias, columns);
    }

    @Override
    public boolean canCopyOut() {
        return true;
    }

    @Override
    public String createStaging(String staging, InternalNames names, TableRef table, List<Column> columns) {
        return "CREATE TEMPORARY TABLE " + staging + " AS SELECT CAST(0 AS BIGINT) AS " + names.line()
                + (columns.isEmpty() ? "" : ", " + columnList("t", columns)) + " FROM " + qualify(table)
                + " t WHERE 1 = 0";
    }

    /** {@code COPY} through the driver's CopyManager, much faster than batches of inserts. */
    @Override
    public StagingLoader loader(Connection connection, String table, String lineColumn, List<Column> columns)
            throws SQLException {
        return new CopyStagingLoader(connection, this, table, lineColumn, columns);
    }

    /**
     * {@code TRUNCATE}, which leaves no dead rows behind for the statements that read the table next (nothing vacuums
     * a temporary table in the middle of a transaction); only in the session's temporary schema.
     */
    @Override
    public String emptyStaging(String staging) {
        return "TRUNCATE pg_temp." + staging;
    }

    /**
     * {@code ANALYZE}: nothing analyzes a temporary table, and without statistics PostgreSQL guesses its row count
     * from its pages and the width of its columns, which for a table of hundreds of columns is one row; it then joins
     * the staging table to the target by scanning it again for each row of the target (5,000 rows updated in a table
     * of 20,000 with 300 columns: 16 minutes where it now takes 6.5 s).
     */
    @Override
    public String analyzeStaging(String staging) {
        return "ANALYZE pg_temp." + staging;
    }

    /** Only from the session's temporary schema: never a real table that happens to have the name. */
    @Override
    public String dropStaging(List<String> stagings) {
        return "DROP TABLE IF EXISTS "
                + String.join(", ", stagings.stream().map(s -> "pg_temp." + s).toList());
    }

    @Override
    public String updateMatching(TableRef table, String staging, String match, List<String[]> assignments) {
        return "UPDATE " + qualify(table) + " AS t SET "
                + assignments.stream().map(a -> quote(a[0]) + " = " + a[1]).collect(Collectors.joining(", "))
                + " FROM " + staging + " AS s WHERE " + match;
    }

    @Override
    public String deleteMatching(TableRef table, String staging, String match) {
        return "DELETE FROM " + qualify(table) + " AS t USING " + staging + " AS s WHERE " + match;
    }

    @Override
    public String lockRows() {
        return " FOR UPDATE OF t";
    }

    /**
     * Repeatable read: before-images come from the transaction's snapshot, and a row someone changes meanwhile makes
     * the update fail (to be run again strictly) instead of being locked ahead, which costs PostgreSQL a write per row.
     */
    @Override
    public int fastPathIsolation() {
        return org.springframework.transaction.TransactionDefinition.ISOLATION_REPEATABLE_READ;
    }

    @Override
    public String fastPathLockRows() {
        return "";
    }

    @Override
    public String overridingIdentity(List<Column> columns) {
        return columns.stream().anyMatch(Column::autoIncrement) ? " OVERRIDING SYSTEM VALUE" : "";
    }

    /** {@code setval} on the column's sequence when the table's greatest value is past it; not transactional. */
    @Override
    public void alignIdentity(Connection connection, TableRef table, Column column) throws SQLException {
        String sequence;
        try (PreparedStatement find = connection.prepareStatement("SELECT pg_get_serial_sequence(?, ?)")) {
            find.setString(1, qualify(table));
            find.setString(2, column.name());
            try (ResultSet row = find.executeQuery()) {
                row.next();
                sequence = row.getString(1);
            }
        }
        if (sequence == null) {
            return;
        }
        try (PreparedStatement align = connection.prepareStatement("SELECT setval(CAST(? AS regclass), m) FROM"
                + " (SELECT MAX(" + quote(column.name()) + ") AS m FROM " + qualify(table) + ") x WHERE m IS NOT NULL"
                + " AND m > COALESCE(pg_sequence_last_value(CAST(? AS regclass)), 0)")) {
            align.setString(1, sequence);
            align.setString(2, sequence);
            align.executeQuery().close();
        }
    }

    @Override
    public String blobType() {
        return "BYTEA";
    }

    @Override
    public SessionLock lock(Connection connection, String name, Duration timeout, Consumer<String> waiting)
            throws SQLException {
        long key = lockKey("dsynq:" + name);
        if (connection.getMetaData().getDatabaseMajorVersion() >= 14) {
            // the lock's session is idle for the whole apply: idle_session_timeout would end it, and the lock with it
            try (java.sql.Statement statement = connection.createStatement()) {
                statement.execute("SET idle_session_timeout = 0");
            }
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean told = false;
        try (PreparedStatement tryLock = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            tryLock.setLong(1, key);
            while (true) {
                try (ResultSet result = tryLock.executeQuery()) {
                    result.next();
                    if (result.getBoolean(1)) {
                        break;
                    }
                }
                String holder = holder(connection, key);
                if (System.nanoTime() > deadline) {
                    throw lockTimeout(name, timeout, holder);
                }
                if (!told) {
                    waiting.accept(holder);
                    told = true;
                }
                pause();
            }
        }
        return () -> {
            try (PreparedStatement unlock = connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                unlock.setLong(1, key);
                unlock.execute();
            } catch (SQLException e) {
                // the lock dies with the session, which the caller closes next
            }
        };
    }

    private static String holder(Connection connection, long key) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT a.pid, a.application_name,"
                + " a.client_addr, a.backend_start FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
                + " WHERE l.locktype = 'advisory' AND l.granted AND l.classid::bigint = ? AND l.objid::bigint = ?"
                + " AND l.objsubid = 1")) {
            query.setLong(1, key >>> 32);
            query.setLong(2, key & 0xFFFFFFFFL);
            try (ResultSet row = query.executeQuery()) {
                if (!row.next()) {
                    return "a session that just ended";
                }
                return "PostgreSQL backend " + row.getInt(1) + ", application '" + row.getString(2) + "' from "
                        + (row.getString(3) == null ? "a local socket" : row.getString(3)) + ", connected since "
                        + row.getString(4);
            }
        }
    }

    /** A 64-bit advisory lock key derived from the lock's name. */
    static long lockKey(String name) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            long key = 0;
            for (int i = 0; i < 8; i++) {
                key = (key << 8) | (hash[i] & 0xFF);
            }
            return key;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
