package io.dsynq.core.jdbc;

import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * MariaDB and MySQL: databases are JDBC catalogs, backtick quoting, {@code GET_LOCK}, multi-table
 * {@code UPDATE}/{@code DELETE}, text lengths in bytes for the {@code TEXT} family.
 */
final class MariaDbDialect extends Dialect {

    /** A server version's major, minor and patch numbers. */
    private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+)\\.(\\d+)");

    /** Whether the server's UUID refuses the texts {@link #refusedUuid} finds. */
    private final boolean refusesSomeUuids;

    /**
     * Whether a {@code TIMESTAMP} of a server of this version ends in 2038, at 2^31 - 1 seconds after 1970: before
     * MariaDB 11.5, and on MySQL, whose versions are below 11.5 too.
     */
    private final boolean timestampsEndIn2038;

    /** A dialect for a server of {@code version}, as its driver gives it ({@code 10.11.5-MariaDB-log}). */
    MariaDbDialect(String version) {
        this.refusesSomeUuids = refusesSomeUuids(version);
        Matcher numbers = VERSION.matcher(version);
        this.timestampsEndIn2038 = numbers.lookingAt()
                && Integer.parseInt(numbers.group(1)) * 100 + Integer.parseInt(numbers.group(2)) < 1105;
    }

    /**
     * Whether a server of {@code version} refuses the text of some UUIDs ({@link #refusedUuid}): MariaDB 10.9.8,
     * 10.10.6, 10.11.5, 11.0.3 and later, which store a UUID of version 1 to 5 with its groups swapped, all others as
     * they are, and refuse the texts of those that would read as swapped (MDEV-29959). Before, every UUID was stored
     * swapped, and every text held. MySQL has no UUID type.
     */
    static boolean refusesSomeUuids(String version) {
        Matcher numbers = VERSION.matcher(version);
        if (!numbers.lookingAt()) {
            return true; // a version in another form is taken for a recent one
        }
        int release = Integer.parseInt(numbers.group(1)) * 100 + Integer.parseInt(numbers.group(2));
        int patch = Integer.parseInt(numbers.group(3));
        return switch (release) {
            case 1009 -> patch >= 8;
            case 1010 -> patch >= 6;
            case 1011 -> patch >= 5;
            case 1100 -> patch >= 3;
            default -> release > 1100;
        };
    }

    /**
     * Whether {@code text}, a UUID {@link ValueCodec#check} accepts, has 8 to f as its 13th digit (its version) and
     * 0100 to 80ff as its fourth group: the texts MariaDB's UUID refuses where {@link #refusesSomeUuids} says so, as
     * its record of such a UUID would look like that of a UUID of version 1 to 5, stored swapped.
     */
    static boolean refusedUuid(String text) {
        int variant = Integer.parseInt(text, 19, 21, 16);
        return Character.digit(text.charAt(14), 16) >= 8 && variant >= 0x01 && variant <= 0x80;
    }

    /** Whether this server refuses {@code uuid}, a UUID's text or {@code null}, as text ({@link #refusedUuid}). */
    private boolean refuses(String uuid) {
        return uuid != null && refusesSomeUuids && refusedUuid(uuid);
    }

    @Override
    public String name() {
        return "MariaDB";
    }

    @Override
    public String quote(String identifier) {
        return '`' + identifier.replace("`", "``") + '`';
    }

    @Override
    public String[] scope(Connection connection, String schema) throws SQLException {
        return new String[] {schema != null ? schema : connection.getCatalog(), null};
    }

    /**
     * A FLOAT compared with a parameter compares as a DOUBLE: the float bound ({@code 1.1}, as text) is another double
     * than the one the column holds (1.100000023841858) unless it is made a FLOAT first.
     */
    @Override
    public String parameter(Column column) {
        return column.kind() == ValueKind.REAL ? "CAST(? AS FLOAT)" : "?";
    }

    /** MariaDB's text protocol prints FLOAT with six digits: read it as the DOUBLE it exactly is. */
    @Override
    public String selectList(String alias, List<Column> columns) {
        return columns.stream()
                .map(c -> {
                    String name = alias == null ? quote(c.name()) : alias + "." + quote(c.name());
                    return c.kind() == ValueKind.REAL ? "CAST(" + name + " AS DOUBLE)" : name;
                })
                .collect(Collectors.joining(", "));
    }

    /** {@code LOAD DATA LOCAL INFILE} from a stream, much faster than batches of inserts. */
    @Override
    public StagingLoader loader(Connection connection, String table, String lineColumn, List<Column> columns)
            throws SQLException {
        return new LoadDataStagingLoader(connection, this, table, lineColumn, columns);
    }

    /** The kinds {@link #rowHash} hashes: those whose equal values print alike. */
    private static final Set<ValueKind> ROW_HASHED = EnumSet.of(
            ValueKind.BOOLEAN,
            ValueKind.INTEGER,
            ValueKind.DECIMAL,
            ValueKind.TEXT,
            ValueKind.DATE,
            ValueKind.TIME,
            ValueKind.TIMESTAMP,
            ValueKind.BINARY,
            ValueKind.UUID);

    /** The most columns {@link #rowHash} hashes: a generated column's expression has a limit of its own. */
    private static final int ROW_HASH_COLUMNS = 16;

    /** The engine of staging tables: {@code Aria} where the server has it, else the server's default. */
    private String stagingEngine = "";

    /**
     * The first and last wall-clock times a {@code TIMESTAMP} holds in the session's time zone, 1970-01-01 00:00:01
     * and 2038-01-19 03:14:07.999999 UTC, as {@link #prepare} asked them; {@code null} where not asked (the last
     * from MariaDB 11.5 on, whose {@code TIMESTAMP} holds more on some platforms).
     */
    private LocalDateTime firstTimestamp;

    private LocalDateTime lastTimestamp;

    /**
     * Strict mode, so a value the checks let through is refused rather than silently truncated or converted; and
     * staging tables in MariaDB's Aria engine where there is one. Staging tables are private to the session and
     * dropped after the delta, so they need no transactions, and Aria keeps them in a page cache of their own:
     * InnoDB's buffer pool (128 MiB on a stock server) is left to the tables the delta changes, and a million rows
     * load in a third of the time. And the times a {@code TIMESTAMP} holds in the session's time zone
     * ({@link #cannotHold}).
     */
    @Override
    public void prepare(Connection connection) throws SQLException {
        try (java.sql.Statement statement = connection.createStatement()) {
            // one statement, one round trip:
            statement.execute("SET SESSION"
                    // a 0 in an AUTO_INCREMENT column is a 0, as on other engines, not a call for the next value; and
                    // a backslash escapes in string literals, as the bulk load's ESCAPED BY '\\' needs
                    // (NO_BACKSLASH_ESCAPES read it as two characters, which LOAD DATA refuses)
                    + " sql_mode = TRIM(BOTH ',' FROM CONCAT(REPLACE(CONCAT(',', @@SESSION.sql_mode, ','),"
                    + " ',NO_BACKSLASH_ESCAPES,', ','), 'STRICT_ALL_TABLES,NO_AUTO_VALUE_ON_ZERO')),"
                    // limits a server or URL may set for people at a prompt: sql_select_limit cut every query's rows
                    // (the catalog's too: "unknown table"; DEFAULT would be the server's own, which may be the
                    // limit), safe updates refuse the staging table's joins, max_join_size the comparisons of a diff
                    + " sql_select_limit = 18446744073709551615, sql_safe_updates = 0, sql_big_selects = 1,"
                    // the subquery cache looks results up by the outer row's values under their collation, so a
                    // correlated subquery that compares bytes ('ä' against 'a') would get the answer cached for
                    // another value
                    + " optimizer_switch = 'subquery_cache=off'");
            // and the first and (before 11.5) last second a TIMESTAMP holds, in the session's time zone
            try (ResultSet answers = statement.executeQuery("SELECT (SELECT 1 FROM information_schema.ENGINES WHERE"
                    + " ENGINE = 'Aria' AND SUPPORT IN ('YES', 'DEFAULT') LIMIT 1),"
                    + " DATE_FORMAT(FROM_UNIXTIME(1), '%Y-%m-%dT%H:%i:%s'),"
                    + " DATE_FORMAT(FROM_UNIXTIME(2147483647), '%Y-%m-%dT%H:%i:%s')")) {
                answers.next();
                stagingEngine = answers.getObject(1) != null ? " ENGINE=Aria" : "";
                firstTimestamp = answers.getString(2) == null ? null : LocalDateTime.parse(answers.getString(2));
                lastTimestamp = answers.getString(3) == null || !timestampsEndIn2038
                        ? null
                        : LocalDateTime.parse(answers.getString(3)).plusNanos(999_999_000);
            }
        }
    }

    /**
     * MariaDB's error codes for a lock wait that timed out, a statement or connection {@code KILL}ed, and resources
     * the server ran out of, which it gives no SQLSTATE of class 53: disk full, out of memory, out of sort memory, out
     * of resources, a table full, InnoDB's lock table full; and an index the engine could not build, as a {@code KILL
     * QUERY} stops a {@code LOAD DATA} while it builds its table's indexes ("Create index by sort failed", 1034), which
     * no row of the load is at fault for.
     */
    private static final List<Integer> STOPPED =
            List.of(1205, 1317, 1927, 1969, 1021, 1037, 1038, 1041, 1114, 1206, 1034);

    /**
     * MariaDB's error codes for a privilege the user lacks, under SQLSTATE 42000 with syntax errors: on a database
     * (1044, such as CREATE TEMPORARY TABLES), a table (1142), a column (1143), a global one (1227), a routine
     * (1370).
     */
    private static final List<Integer> DENIED = List.of(1044, 1142, 1143, 1227, 1370);

    /** MariaDB's error code for a storage engine's failure, "Got error 28 "No space left on device" from …". */
    private static final int STORAGE_ENGINE_ERROR = 1030;

    /**
     * The errors a storage engine passes on for a full disk (the operating system's ENOSPC, EDQUOT) or a statement
     * {@code KILL}ed as the engine works (its own 188, "Operation was interrupted by end user").
     */
    private static final Pattern STOPPED_ENGINE = Pattern.compile("\\bGot error (28|122|188)\\b");

    /**
     * Besides the common ones, {@code innodb_lock_wait_timeout}, {@code KILL}, {@code max_statement_time} and the
     * server running out of resources, a full disk and a {@code KILL} as a storage engine reports them included.
     */
    @Override
    public boolean stopped(SQLException e) {
        return super.stopped(e)
                || STOPPED.contains(e.getErrorCode())
                || e.getErrorCode() == STORAGE_ENGINE_ERROR
                        && e.getMessage() != null
                        && STOPPED_ENGINE.matcher(e.getMessage()).find();
    }

    /** InnoDB's "Deadlock found when trying to get lock", by its code. */
    @Override
    public boolean deadlock(SQLException e) {
        return e.getErrorCode() == 1213;
    }

    @Override
    public boolean denied(SQLException e) {
        return super.denied(e) || DENIED.contains(e.getErrorCode());
    }

    /**
     * InnoDB's repeatable read takes its snapshot at a transaction's first read of a table's rows, after the catalog
     * is read: the snapshot is taken at once, as {@code mysqldump --single-transaction} takes it.
     */
    @Override
    public void beginSnapshot(Connection connection) throws SQLException {
        super.beginSnapshot(connection);
        try (java.sql.Statement statement = connection.createStatement()) {
            statement.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY");
        }
    }

    /** MariaDB's error code for a row that does not give a column that is NOT NULL without a default. */
    private static final int NO_DEFAULT_FOR_FIELD = 1364;

    @Override
    public boolean refusedRow(SQLException e) {
        return e.getErrorCode() == NO_DEFAULT_FOR_FIELD;
    }

    /** Without the number of the connection the driver puts before the server's words. */
    @Override
    public String message(String message) {
        return super.message(message.replaceFirst("^\\(conn=\\d+\\) ", ""));
    }

    /** A user and host as MariaDB's errors quote them, after "to user" or "for user". */
    private static final Pattern QUOTED_USER = Pattern.compile("(?<=(?:to|for) user )'(?:[^'\\\\]|\\\\.)*'@'[^']*'");

    @Override
    public String withoutUser(String message) {
        return message == null ? null : QUOTED_USER.matcher(message).replaceAll("'****'");
    }

    /** MyISAM, Aria, MEMORY, CSV and the like, whose writes a rollback leaves, as the server's engines say. */
    @Override
    public String nonTransactional(Connection connection, TableRef table) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT t.ENGINE FROM information_schema.TABLES"
                + " t JOIN information_schema.ENGINES e ON e.ENGINE = t.ENGINE WHERE t.TABLE_SCHEMA = ? AND"
                + " t.TABLE_NAME = ? AND e.TRANSACTIONS = 'NO'")) {
            statement.setString(1, table.catalog());
            statement.setString(2, table.name());
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? "is stored by " + rows.getString(1) + ", which has no transactions" : null;
            }
        }
    }

    /** MariaDB's error code for a variable the server does not know: the other name. */
    private static final int UNKNOWN_SYSTEM_VARIABLE = 1193;

    /** {@code transaction_read_only} ({@code tx_read_only} before MariaDB 11.1), set for the server or session. */
    @Override
    public String readOnly(Connection connection) throws SQLException {
        for (String variable : List.of("transaction_read_only", "tx_read_only")) {
            try (java.sql.Statement statement = connection.createStatement();
                    ResultSet result = statement.executeQuery("SELECT @@SESSION." + variable)) {
                return result.next() && result.getBoolean(1)
                        ? "its transactions are read-only (" + variable + " is on for this server or connection)"
                        : null;
            } catch (SQLException e) {
                if (e.getErrorCode() != UNKNOWN_SYSTEM_VARIABLE) {
                    throw e;
                }
            }
        }
        return null;
    }

    /** The server's host, port and data directory: its databases are the schemas any connection reaches. */
    @Override
    public String serverIdentity(Connection connection) throws SQLException {
        return namesOf(connection, "SELECT CONCAT_WS(' ', @@hostname, @@port, @@datadir)")
                .get(0);
    }

    /** The 256 bytes, which a character set of one byte per character decodes to its repertoire. */
    private static final String EVERY_BYTE = "X'"
            + java.util.stream.IntStream.range(0, 256)
                    .mapToObj(b -> String.format("%02X", b))
                    .collect(Collectors.joining())
            + "'";

    /** The repertoires learnt from the server, by character set. */
    private final java.util.Map<String, Repertoire> repertoires = new java.util.HashMap<>();

    /**
     * The repertoire of a character set of {@code maxLength} bytes per character, or {@code null} where dsynq leaves
     * its text to the server ({@code utf8mb4}, {@code utf16}, the multi-byte sets of East Asia). Those of the Basic
     * Multilingual Plane ({@code utf8mb3}, {@code ucs2}) hold none beyond it; one of one byte per character holds what
     * the server decodes its bytes to ({@code latin1} is cp1252, whose five undefined bytes MariaDB decodes to C1
     * controls), asked once.
     */
    Repertoire repertoire(Connection connection, String characterSet, int maxLength) throws SQLException {
        String name = characterSet.toLowerCase(Locale.ROOT);
        if (name.equals("utf8mb3") || name.equals("utf8") || name.equals("ucs2")) {
            return Repertoire.basicPlane(name);
        }
        if (maxLength != 1 || name.equals("binary") || !name.matches("[a-z0-9_]+")) {
            return null;
        }
        Repertoire known = repertoires.get(name);
        if (known == null) {
            try (PreparedStatement statement = connection.prepareStatement(
                            "SELECT CONVERT(CONVERT(_binary " + EVERY_BYTE + " USING " + name + ") USING utf8mb4)");
                    ResultSet decoded = statement.executeQuery()) {
                decoded.next();
                // an undefined byte decodes to '?'
                known = Repertoire.of(name, decoded.getString(1));
            }
            repertoires.put(name, known);
        }
        return known;
    }

    /**
     * A {@code FLOAT} or {@code DOUBLE} declared with digits after the point, {@code float(10,3)}, which rounds every
     * value to them as it stores it.
     */
    private static final java.util.regex.Pattern SCALED_FLOAT =
            java.util.regex.Pattern.compile("(float|double)\\([0-9]+,([0-9]+)\\).*");

    /**
     * A JSON column is LONGTEXT with a {@code json_valid} check named after the column; text of a character set that
     * holds less than all of Unicode holds its {@link #repertoire}; an {@code ENUM} or a {@code SET} is named by its
     * declaration, {@code enum('a','b')}, whose members it holds ({@link #cannotHold}), and so is a {@code FLOAT} or
     * {@code DOUBLE} declared with digits after the point, {@code float(10,3)}, which holds no more of them.
     */
    @Override
    public List<Column> refine(Connection connection, TableRef table, List<Column> columns) throws SQLException {
        List<String> json = namesOf(
                connection,
                "SELECT CONSTRAINT_NAME FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ? AND"
                        + " TABLE_NAME = ? AND LOWER(CHECK_CLAUSE) LIKE 'json_valid(%'",
                table.catalog(),
                table.name());
        java.util.Map<String, Repertoire> held = new java.util.HashMap<>();
        java.util.Map<String, String> members = new java.util.HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT c.COLUMN_NAME, c.CHARACTER_SET_NAME, s.MAXLEN, c.DATA_TYPE, c.COLUMN_TYPE FROM"
                        + " information_schema.COLUMNS c LEFT JOIN information_schema.CHARACTER_SETS s ON"
                        + " s.CHARACTER_SET_NAME = c.CHARACTER_SET_NAME WHERE c.TABLE_SCHEMA = ? AND c.TABLE_NAME = ?"
                        + " AND (s.CHARACTER_SET_NAME IS NOT NULL OR c.DATA_TYPE IN ('float', 'double'))")) {
            statement.setString(1, table.catalog());
            statement.setString(2, table.name());
            List<String[]> sets = new java.util.ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    String type = rows.getString(4).toLowerCase(java.util.Locale.ROOT);
                    if (type.equals("enum") || type.equals("set")) {
                        members.put(rows.getString(1), rows.getString(5));
                    }
                    if (rows.getString(2) != null) {
                        sets.add(new String[] {rows.getString(1), rows.getString(2), rows.getString(3)});
                    } else if (SCALED_FLOAT.matcher(rows.getString(5)).matches()) {
                        members.put(rows.getString(1), rows.getString(5)); // float(10,3) by its declaration
                    }
                }
            }
            for (String[] set : sets) {
                Repertoire repertoire = repertoire(connection, set[1], Integer.parseInt(set[2]));
                if (repertoire != null) {
                    held.put(set[0], repertoire);
                }
            }
        }
        if (json.isEmpty() && held.isEmpty() && members.isEmpty()) {
            return columns;
        }
        return columns.stream()
                .map(c -> (c.kind() == ValueKind.OTHER || c.kind() == ValueKind.REAL || c.kind() == ValueKind.DOUBLE)
                                && members.containsKey(c.name())
                        ? c.withTypeName(members.get(c.name()))
                        : c.kind() != ValueKind.TEXT
                                ? c
                                : json.contains(c.name())
                                        ? new Column(
                                                c.name(),
                                                "JSON",
                                                c.jdbcType(),
                                                ValueKind.JSON,
                                                c.nullable(),
                                                c.generated(),
                                                c.autoIncrement(),
                                                0,
                                                false,
                                                0,
                                                0,
                                                null,
                                                null)
                                        : c.withRepertoire(held.get(c.name())))
                .toList();
    }

    /**
     * Whether the column is an {@code ENUM} or a {@code SET}, named by its declaration ({@code enum('a','b')}) as
     * {@link #refine} names it: it takes a value by its collation and stores its own member ({@code 'A '} as
     * {@code 'a'}), so dsynq takes its members only, exactly.
     */
    private static boolean isEnumOrSet(Column column) {
        return column.kind() == ValueKind.OTHER
                && (column.typeName().startsWith("enum(") || column.typeName().startsWith("set("));
    }

    /**
     * The members of the {@code ENUM}s and {@code SET}s {@link #cannotHold} checked, by declaration: read once, not
     * for each value of a delta.
     */
    private final java.util.Map<String, Set<String>> membersByType = new java.util.concurrent.ConcurrentHashMap<>();

    /** The members of an {@code ENUM} or {@code SET} column ({@link #declaredMembers}). */
    private Set<String> held(Column column) {
        return membersByType.computeIfAbsent(column.typeName(), t -> Set.copyOf(declaredMembers(t, true)));
    }

    /** The members of an {@code ENUM} or {@code SET} column, in order, for a message. */
    private static String shown(Column column) {
        return declaredMembers(column.typeName(), true).stream()
                .map(ValueCodec::show)
                .collect(java.util.stream.Collectors.joining(", "));
    }

    @Override
    public List<String> autoUpdatedColumns(Connection connection, TableRef table) throws SQLException {
        return namesOf(
                connection,
                "SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?"
                        + " AND LOWER(EXTRA) LIKE '%on update%' ORDER BY ORDINAL_POSITION",
                table.catalog(),
                table.name());
    }

    /** The server's own text where it is the canonical one, or nearly (a space for the {@code T}, fraction zeros). */
    @Override
    public String read(ResultSet rows, int index, Column column) throws SQLException {
        if (column.kind() == ValueKind.OTHER && column.typeName().startsWith("enum(")) {
            String text = rows.getString(index);
            if ("".equals(text) && !held(column).contains("")) {
                // stored for a value the enum lacks where the session was not strict; a strict one refuses it
                throw new SQLException("column " + column.name() + " holds '', MariaDB's error value of an enum, no"
                        + " member of " + column.typeName() + ", which a rollback could not write back");
            }
            return text;
        }
        switch (column.kind()) {
            case INTEGER -> {
                if (column.typeName().equalsIgnoreCase("BIT")) {
                    // the driver prints bits as b'101'; their bytes are the number, most significant first
                    byte[] bits = rows.getBytes(index);
                    return bits == null ? null : new BigInteger(1, bits).toString();
                }
                String text = rows.getString(index);
                // YEAR prints its four digits: the year 0 is 0000
                return text != null && column.typeName().equalsIgnoreCase("YEAR")
                        ? Integer.toString(Integer.parseInt(text))
                        : text;
            }
            case DATE -> {
                return existing(column, rows.getString(index));
            }
            case UUID -> {
                // written as bytes, a UUID may read as a text the server refuses
                String text = super.read(rows, index, column);
                if (refuses(text)) {
                    throw new SQLException("column " + column.name() + " holds " + text + ", which MariaDB's UUID"
                            + " keeps when written as bytes but refuses as text: a delta cannot write it, nor could a"
                            + " rollback write it back");
                }
                return text;
            }
            case DECIMAL, TEXT, JSON, OTHER -> {
                return rows.getString(index);
            }
            case TIMESTAMP -> {
                // the driver's getString parses the server's text and prints it again with String.format; a
                // LocalDateTime printed by hand is the same text at a fraction of the cost. Zero dates, zero
                // parts of dates and invalid dates are no LocalDateTime: they, and NULL, are read as before
                LocalDateTime value;
                try {
                    value = rows.getObject(index, LocalDateTime.class);
                } catch (SQLException | DateTimeException e) {
                    value = null;
                }
                if (value != null) {
                    return CanonicalText.format(value);
                }
                String text = existing(column, rows.getString(index));
                return text == null || text.startsWith("-") || text.length() > 26
                        ? super.read(rows, index, column)
                        : CanonicalText.fromServerText(text);
            }
            case BOOLEAN -> {
                // tinyint(1) is read as a boolean, and the driver takes any value but 0 for true: 2 would be
                // written back as 1; bit(1) reads as true or false
                String text = rows.getString(index);
                if (text == null) {
                    return null;
                }
                return switch (text) {
                    case "0", "false" -> "false";
                    case "1", "true" -> "true";
                    default -> throw new SQLException("column " + column.name() + " holds " + text + ", which is no"
                            + " boolean: dsynq reads tinyint(1) as a boolean, 0 or 1 (a JDBC URL"
                            + " with tinyInt1isBit=false reads tinyint(1) as a number)");
                };
            }
            case TIME -> {
                String text = rows.getString(index);
                if (text != null && (text.startsWith("-") || text.indexOf(':') != 2 || text.compareTo("24") >= 0)) {
                    // the driver wraps a duration into the day: -01:00:00 would be read as 23:00:00
                    throw new SQLException("column " + column.name() + " holds " + text + ", a time outside the"
                            + " day: dsynq reads time as a time of day, 00:00:00 to 23:59:59.999999");
                }
                return text == null || text.length() > 26
                        ? super.read(rows, index, column)
                        : CanonicalText.fromServerText(text);
            }
            default -> {
                return super.read(rows, index, column);
            }
        }
    }

    /**
     * {@code text}, the server's text of a date or timestamp, where its date exists. A zero date, a zero month or day
     * (where {@code sql_mode} lacks {@code NO_ZERO_DATE}, {@code NO_ZERO_IN_DATE}) or a day past the month's end
     * ({@code ALLOW_INVALID_DATES}) is no date a delta can write: the diff would carry it into a delta its apply
     * refuses, and an apply that changed or deleted the row, into a reverse its rollback refuses.
     */
    private static String existing(Column column, String text) throws SQLException {
        // only a zero month or day, or a day from the 29th, can be such a date
        if (text != null
                && text.length() >= 10
                && (text.startsWith("00", 5)
                        || text.startsWith("00", 8)
                        || text.charAt(8) > '2'
                        || text.startsWith("29", 8))) {
            try {
                LocalDate.parse(text.substring(0, 10));
            } catch (DateTimeException e) {
                throw new SQLException("column " + column.name() + " holds " + text + ", which is no date: MariaDB"
                        + " keeps zero dates, zero months and days, and days past the month's end where sql_mode allows"
                        + " them, but a delta cannot write them, nor could a rollback write them back");
            }
        }
        return text;
    }

    /**
     * Text as its UTF-8 bytes, whatever the column's character set ({@code latin1} puts {@code '€'} before
     * {@code 'é'}): every collation of the server, {@code utf8mb4_bin} included, pads with spaces, so
     * {@code 'ab'} and {@code 'ab '} would tie. A UUID as its canonical text, not in the server's own order.
     */
    @Override
    public String codePointOrder(String expression, Column column) {
        return switch (column.kind()) {
            case TEXT -> "CAST(CONVERT(" + expression + " USING utf8mb4) AS BINARY)";
            case UUID -> "CAST(CAST(" + expression + " AS CHAR) AS BINARY)";
            default -> expression;
        };
    }

    /** {@code -0} is stored as {@code 0}. */
    @Override
    public boolean holdsNegativeZero() {
        return false;
    }

    /**
     * Floats hold numbers only: no {@code NaN} nor infinities; dates and timestamps years 0 to 9999 only, a
     * {@code TIMESTAMP} the times from 1970-01-01 00:00:01 UTC (to 2038-01-19 03:14:07 UTC before 11.5) only, which
     * the server would refuse as out of range while the diff wrote them; YEAR the
     * years 0 and 1901 to 2155 (the range check lets 1 to 1900 through); UUID, on the servers that refuse them, no
     * UUID whose 13th digit is 8 to f and whose fourth group is 0100 to 80ff ({@link #refusedUuid}).
     */
    /** The deepest arrays and objects MariaDB's {@code json_valid} takes nested in one another. */
    private static final int JSON_DEPTH = 31;

    /**
     * Why MariaDB's {@code json_valid}, which a JSON column's check calls, refuses {@code text}, JSON that dsynq takes:
     * arrays and objects nested deeper than {@link #JSON_DEPTH}, or an escape of half a character
     * ({@link ValueCodec#halfCharacterEscape}), which the server would refuse as a failed constraint, naming no value;
     * {@code null} where it takes it.
     */
    static String invalidJson(String text) {
        String half = ValueCodec.halfACharacter(text, "MariaDB");
        if (half != null) {
            return half;
        }
        int depth = 0;
        int deepest = 0;
        boolean inString = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '[' || c == '{') {
                deepest = Math.max(deepest, ++depth);
            } else if (c == ']' || c == '}') {
                depth--;
            } else if (c == '"') {
                inString = true;
            }
        }
        return deepest > JSON_DEPTH
                ? "has arrays or objects nested " + deepest + " deep, which MariaDB's JSON does not take (at most "
                        + JSON_DEPTH + ")"
                : null;
    }

    /**
     * Whether a float of {@code kind} written as {@code text}, rounded to {@code digits} after the point as MariaDB
     * rounds it, is another float: where the float bound holds more digits than that exactly ({@code 1.0005} is
     * 1.000499963…), not where rounding finds the float again ({@code 0.1} is 0.100000001…, whose rounding to 3
     * digits is 0.1 again).
     */
    private static boolean roundsAway(ValueKind kind, String text, int digits) {
        double bound;
        try {
            bound = kind == ValueKind.REAL ? (float) Double.parseDouble(text) : Double.parseDouble(text);
        } catch (NumberFormatException e) {
            return false; // refused as it is read
        }
        if (Double.isInfinite(bound) || Double.isNaN(bound)) {
            return false;
        }
        java.math.BigDecimal exact = new java.math.BigDecimal(bound);
        if (exact.stripTrailingZeros().scale() <= digits) {
            return false;
        }
        double rounded = exact.setScale(digits, java.math.RoundingMode.HALF_UP).doubleValue();
        return kind == ValueKind.REAL ? (float) rounded != (float) bound : rounded != bound;
    }

    @Override
    public String cannotHold(Column column, String value) {
        String refused = super.cannotHold(column, value);
        if (refused != null) {
            return refused;
        }
        if ((column.kind() == ValueKind.REAL || column.kind() == ValueKind.DOUBLE) && ValueCodec.isNotANumber(value)) {
            return "is no number, which MariaDB's floats cannot hold";
        }
        if (column.kind() == ValueKind.JSON && value != null) {
            String invalid = invalidJson(value);
            if (invalid != null) {
                return invalid;
            }
        }
        if ((column.kind() == ValueKind.REAL || column.kind() == ValueKind.DOUBLE) && value != null) {
            java.util.regex.Matcher scaled = SCALED_FLOAT.matcher(column.typeName());
            if (scaled.matches() && roundsAway(column.kind(), value, Integer.parseInt(scaled.group(2)))) {
                return "has more digits after the point than " + column.typeName() + " holds (" + scaled.group(2)
                        + "), which MariaDB would round (dsynq never rounds)";
            }
        }
        if ((column.kind() == ValueKind.DATE || column.kind() == ValueKind.TIMESTAMP)
                && value != null
                && (value.startsWith("+") || value.startsWith("-"))) {
            return "has a year beyond 9999 or before 0, which MariaDB's dates cannot hold";
        }
        if (column.kind() == ValueKind.TIMESTAMP
                && column.typeName().equalsIgnoreCase("TIMESTAMP")
                && value != null
                && !withinTimestampYears(value)) {
            LocalDateTime time;
            try {
                time = ValueCodec.parse(column, value) instanceof LocalDateTime parsed ? parsed : null;
            } catch (InvalidValueException e) {
                time = null; // refused as it is read
            }
            if (time != null && firstTimestamp != null && time.isBefore(firstTimestamp)) {
                return "is before 1970-01-01 00:00:01 UTC (" + firstTimestamp + " in the session's time zone), the"
                        + " first time MariaDB's TIMESTAMP holds; a DATETIME column holds it";
            }
            if (time != null && lastTimestamp != null && time.isAfter(lastTimestamp)) {
                return "is after 2038-01-19 03:14:07 UTC (" + lastTimestamp.withNano(0) + " in the session's time"
                        + " zone), the last second MariaDB's TIMESTAMP holds; a DATETIME column holds it";
            }
        }
        if (column.typeName().equalsIgnoreCase("YEAR")
                && value != null
                && value.matches("[0-9]{1,4}")
                && Integer.parseInt(value) != 0
                && Integer.parseInt(value) < 1901) {
            return "is a year MariaDB's YEAR cannot hold: it holds 0 and 1901 to 2155";
        }
        if (value != null && isEnumOrSet(column)) {
            Set<String> held = held(column);
            if (column.typeName().startsWith("enum(")) {
                if (!held.contains(value)) {
                    return "is not a member of " + column.typeName() + ", which holds " + shown(column);
                }
            } else if (!value.isEmpty()) {
                for (String member : value.split(",", -1)) {
                    if (!held.contains(member)) {
                        return "has " + ValueCodec.show(member) + ", not a member of " + column.typeName()
                                + ", which holds " + shown(column);
                    }
                }
            }
        }
        if (column.kind() == ValueKind.UUID && refuses(value)) {
            return "has 8 to f as its 13th digit and 0100 to 80ff as its fourth group, which MariaDB's UUID cannot"
                    + " hold";
        }
        return null;
    }

    /**
     * Any text: the default collations ignore case and accents, and all but the {@code nopad} ones trailing spaces,
     * {@code utf8mb4_bin} included.
     */
    @Override
    public boolean looseTextEquality(Column column) {
        return column.kind() == ValueKind.TEXT;
    }

    /** Text by its bytes, not by the collation, which equates case, accents and trailing spaces. */
    @Override
    public String comparable(String expression, Column column) {
        return column.kind() == ValueKind.TEXT ? codePointOrder(expression, column) : expression;
    }

    /** MariaDB counts distinct tuples of several arguments, and has no row values there. */
    @Override
    public String countDistinct(List<String> expressions) {
        return "COUNT(DISTINCT " + String.join(", ", expressions) + ")";
    }

    /** InnoDB compares text by its bytes, a change of case alone included. */
    @Override
    public String foreignKeyImage(String expression, Column column) {
        return comparable(expression, column);
    }

    /**
     * {@code MD5} of the row's values as {@link #valueText} makes them (FLOAT as DOUBLE: printed as it is, it keeps
     * 6 digits), its first 15 hex digits as an unsigned integer, combined per bucket by {@code BIT_XOR} (keys are
     * unique, so no row cancels a twin).
     */
    @Override
    public String segmentChecksums(TableRef table, Column key, List<Column> columns, long from, long width, long to) {
        String k = quote(key.name());
        String row = rowText(columns.stream()
                .map(c -> valueText(
                        c.kind() == ValueKind.REAL ? "CAST(" + quote(c.name()) + " AS DOUBLE)" : quote(c.name()), c))
                .toList());
        return "SELECT (" + k + " - " + from + ") DIV " + width + " AS b, COUNT(*), BIT_XOR(CAST(CONV(SUBSTR(MD5("
                + row + "), 1, 15), 16, 10) AS UNSIGNED)) FROM " + qualify(table) + " WHERE " + k + " >= " + from
                + " AND " + k + " <= " + to + " GROUP BY 1";
    }

    /** The texts of a row's values ({@link #valueText}) as one. */
    private static String rowText(List<String> values) {
        return "CONCAT_WS(',', " + String.join(", ", values) + ")";
    }

    /**
     * A value as text that no other value of its column makes: prefixed by its length ({@code n} for NULL), and a
     * text or bytes of more than 64 bytes as its {@code MD5}, so that a row's text stays short (beyond
     * {@code max_allowed_packet} it would be NULL). Text goes as UTF-8 whatever its column's character set: a latin1
     * {@code Ã¼} is the bytes of a utf8mb4 {@code ü}, and mixed with the other values it failed as an illegal mix of
     * collations.
     */
    private static String valueText(String expression, Column column) {
        String value =
                switch (column.kind()) {
                    case TEXT, JSON, OTHER -> "CONVERT(" + expression + " USING utf8mb4)";
                    default -> expression;
                };
        String text =
                switch (column.kind()) {
                    case TEXT, BINARY, JSON, OTHER -> "IF(LENGTH(" + value + ") > 64, MD5(" + value + "), " + value
                            + ")";
                    default -> value;
                };
        return "IFNULL(CONCAT(LENGTH(" + value + "), ':', " + text + "), 'n')";
    }

    /** NULLs come first in an ascending sort, and there is no clause to say so. */
    @Override
    public String nullsFirst() {
        return "";
    }

    /**
     * Whether a time's text starts with a year from 1971 to 2037, which a {@code TIMESTAMP} holds in any time zone: only
     * the others are parsed and compared with the first and last times it holds, not every value of a delta.
     */
    private static boolean withinTimestampYears(String value) {
        if (value.length() < 5 || value.charAt(4) != '-') {
            return false;
        }
        for (int i = 0; i < 4; i++) {
            if (!Character.isDigit(value.charAt(i))) {
                return false;
            }
        }
        int year = Integer.parseInt(value.substring(0, 4));
        return year > 1970 && year < 2038;
    }

    /** A grant of privileges on all databases ({@code *.*}, no name) or on those a name matches ({@code `shop`.*}). */
    private static final Pattern DATABASE_GRANT =
            Pattern.compile("GRANT (.+?) ON (?:\\*|`((?:[^`]|``)+)`)\\.\\* TO .*");

    /**
     * Where the user has SELECT neither on all databases nor on this one, on some of its tables at most: as SHOW GRANTS
     * lists the grants, the user's own and on MariaDB those of its current role (information_schema's privilege tables
     * leave a role's out).
     */
    @Override
    public boolean hidesUnprivileged(Connection connection) throws SQLException {
        String database = connection.getCatalog();
        try (java.sql.Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SHOW GRANTS")) {
            while (rows.next()) {
                Matcher grant = DATABASE_GRANT.matcher(rows.getString(1));
                if (grant.matches()
                        && grant.group(1).matches(".*\\b(SELECT|ALL PRIVILEGES)\\b.*")
                        && (grant.group(2) == null
                                || (database != null
                                        && like(database, grant.group(2).replace("``", "`"))))) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Whether {@code text} matches a grant's database name, whose {@code %} and {@code _} are wildcards. */
    private static boolean like(String text, String pattern) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\\' && i + 1 < pattern.length()) {
                regex.append(Pattern.quote(String.valueOf(pattern.charAt(++i))));
            } else {
                regex.append(c == '%' ? ".*" : c == '_' ? "." : Pattern.quote(String.valueOf(c)));
            }
        }
        return text.matches(regex.toString());
    }

    @Override
    public boolean schemasAreCatalogs() {
        return true;
    }

    @Override
    public TableRef tableRef(String catalog, String schema, String name) {
        return new TableRef(catalog, null, name);
    }

    private static final java.util.Set<String> GEOMETRIES = java.util.Set.of(
            "GEOMETRY",
            "POINT",
            "LINESTRING",
            "POLYGON",
            "MULTIPOINT",
            "MULTILINESTRING",
            "MULTIPOLYGON",
            "GEOMETRYCOLLECTION");

    @Override
    protected ValueKind kind(int jdbcType, String typeName, long size) {
        if (typeName.equals("UUID")) {
            return ValueKind.UUID;
        }
        if (typeName.equals("ENUM") || typeName.equals("SET") || typeName.startsWith("INET")) {
            return ValueKind.OTHER;
        }
        if (typeName.equals("YEAR")) {
            return ValueKind.INTEGER; // the driver calls it a date, and reads it as 2025
        }
        if (GEOMETRIES.contains(typeName)) {
            return ValueKind.BINARY; // its own form, an SRID and well-known binary, which it takes back as bytes
        }
        if (typeName.equals("BIT") && size > 1) {
            return ValueKind.INTEGER; // BIT(1) is a boolean; BIT(n) a number of n bits
        }
        return super.kind(jdbcType, typeName, size);
    }

    @Override
    protected boolean textLengthInBytes(String typeName) {
        return typeName.endsWith("TEXT");
    }

    @Override
    protected int fractionDigits(String typeName, long size, int digits, boolean digitsKnown) {
        int base = typeName.equals("TIME") ? 10 : 19;
        return size > base ? (int) (size - base - 1) : 0;
    }

    @Override
    protected BigInteger[] integerRange(int jdbcType, String typeName, long size) {
        if (typeName.equals("YEAR")) {
            return new BigInteger[] {BigInteger.ZERO, BigInteger.valueOf(2155)}; // 0, or 1901 to 2155
        }
        if (typeName.equals("BIT")) {
            return unsignedRange((int) size);
        }
        boolean unsigned = typeName.contains("UNSIGNED");
        int bits = typeName.startsWith("TINYINT")
                ? 8
                : typeName.startsWith("SMALLINT")
                        ? 16
                        : typeName.startsWith("MEDIUMINT") ? 24 : typeName.startsWith("BIGINT") ? 64 : 32;
        return unsigned ? unsignedRange(bits) : signedRange(bits);
    }

    @Override
    public void bind(PreparedStatement statement, int index, Column column, Object value) throws SQLException {
        if (value instanceof UUID uuid) {
            statement.setString(index, uuid.toString());
        } else {
            super.bind(statement, index, column, value);
        }
    }

    @Override
    protected int nullType(Column column) {
        return column.kind() == ValueKind.UUID || column.kind() == ValueKind.OTHER ? Types.VARCHAR : column.jdbcType();
    }

    @Override
    public String nullSafeEquals(String left, String right) {
        return left + " <=> " + right;
    }

    @Override
    public String createStaging(String staging, InternalNames names, TableRef table, List<Column> columns) {
        return "CREATE TEMPORARY TABLE " + staging + " (INDEX (" + names.line() + "))" + stagingEngine
                + stagingSelect(names, table, columns);
    }

    /**
     * A derived table with a {@code LIMIT} is not merged. MariaDB 10.11 merged a join of a staging table and its table,
     * tested by {@code EXISTS} and {@code NOT EXISTS} against other tables, into a plan it never finished making: the
     * query stayed "Preparing" at full speed of a processor, and {@code KILL} did not stop it (found by an exploratory
     * helper, on a composite reference whose update file lists one of its columns).
     */
    @Override
    public String unmerged() {
        return " LIMIT 18446744073709551615";
    }

    /** MariaDB joins by nested loops: without an index, each row of the table would be compared with each staged. */
    @Override
    protected String createHashedStaging(
            String staging, InternalNames names, TableRef table, List<Column> columns, String hash) {
        return "CREATE TEMPORARY TABLE " + staging + " (" + names.hash() + " INT UNSIGNED AS (" + hash
                + ") STORED, INDEX (" + names.hash() + "), INDEX (" + names.line() + "))" + stagingEngine
                + stagingSelect(names, table, columns);
    }

    private String stagingSelect(InternalNames names, TableRef table, List<Column> columns) {
        return " AS SELECT CAST(0 AS SIGNED) AS " + names.line()
                + (columns.isEmpty() ? "" : ", " + columnList("t", columns))
                + " FROM " + qualify(table) + " t WHERE 1 = 0";
    }

    /**
     * {@code CRC32} of the values as {@link #comparable} gives them ({@link #valueText}), of the kinds whose equal
     * values print alike (not floats, where {@code -0} equals {@code 0}, nor JSON, compared with trailing spaces
     * ignored), and not of {@code CHAR} columns, whose text depends on the SQL mode, which a generated column may not
     * depend on; of the first {@link #ROW_HASH_COLUMNS} of those by name, whatever order a file lists them in.
     */
    @Override
    public String rowHash(String alias, List<Column> columns) {
        List<String> values = columns.stream()
                .filter(c -> ROW_HASHED.contains(c.kind()) && !c.typeName().equalsIgnoreCase("CHAR"))
                .sorted(Comparator.comparing(Column::name))
                .limit(ROW_HASH_COLUMNS)
                .map(c -> valueText(comparable((alias == null ? "" : alias + ".") + quote(c.name()), c), c))
                .toList();
        return values.isEmpty() ? null : "CRC32(" + rowText(values) + ")";
    }

    @Override
    public String dropStaging(List<String> stagings) {
        return "DROP TEMPORARY TABLE IF EXISTS " + String.join(", ", stagings);
    }

    @Override
    public String updateMatching(TableRef table, String staging, String match, List<String[]> assignments) {
        return "UPDATE " + qualify(table) + " t JOIN " + staging + " s ON " + match + " SET "
                + assignments.stream()
                        .map(a -> "t." + quote(a[0]) + " = " + a[1])
                        .collect(Collectors.joining(", "));
    }

    @Override
    public String deleteMatching(TableRef table, String staging, String match) {
        return "DELETE t FROM " + qualify(table) + " t JOIN " + staging + " s ON " + match;
    }

    /** InnoDB refuses to delete a row that references itself, as if it were its own child. */
    @Override
    public List<String> withoutForeignKeyChecks() {
        return List.of(
                "SET @dsynq_foreign_key_checks = @@foreign_key_checks, foreign_key_checks = 0",
                "SET foreign_key_checks = @dsynq_foreign_key_checks");
    }

    @Override
    public String blobType() {
        return "LONGBLOB";
    }

    /** InnoDB, where the server's or session's {@code default_storage_engine} may be one without transactions. */
    @Override
    public String historyTableOptions() {
        return " ENGINE=InnoDB";
    }

    /**
     * A server-side prepared statement: the binary protocol sends bytes as they are, where the text protocol escapes
     * them into the statement's text for the server to parse (a megabyte about three times slower). Another driver's
     * connection gets a plain one.
     */
    @Override
    public PreparedStatement prepareForBytes(Connection connection, String sql) throws SQLException {
        if (!connection.isWrapperFor(org.mariadb.jdbc.Connection.class)) {
            return connection.prepareStatement(sql);
        }
        return connection
                .unwrap(org.mariadb.jdbc.Connection.class)
                .prepareInternal(
                        sql,
                        java.sql.Statement.NO_GENERATED_KEYS,
                        ResultSet.TYPE_FORWARD_ONLY,
                        ResultSet.CONCUR_READ_ONLY,
                        true);
    }

    @Override
    public String timestampType() {
        return "DATETIME(6)";
    }

    @Override
    public SessionLock lock(Connection connection, String name, Duration timeout, Consumer<String> waiting)
            throws SQLException {
        // GET_LOCK names are server-wide and at most 64 characters: qualify by database, hash if too long.
        String qualified = "dsynq:" + connection.getCatalog() + "." + name;
        String lockName = qualified.length() <= 64
                ? qualified
                : "dsynq:" + HexFormat.of().formatHex(java.util.Arrays.copyOf(sha256(qualified), 16));
        try (java.sql.Statement statement = connection.createStatement()) {
            // the lock's session is idle for the whole apply: wait_timeout would end it, and the lock with it
            statement.execute("SET SESSION wait_timeout = 31536000");
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean told = false;
        // the first try does not wait, so that a wait is reported as soon as it starts
        try (PreparedStatement getLock = connection.prepareStatement("SELECT GET_LOCK(?, ?)")) {
            getLock.setString(1, lockName);
            getLock.setInt(2, 0);
            while (true) {
                try (ResultSet result = getLock.executeQuery()) {
                    result.next();
                    if (result.getInt(1) == 1) {
                        break;
                    }
                }
                String holder = holder(connection, lockName);
                if (System.nanoTime() > deadline) {
                    throw lockTimeout(name, timeout, holder);
                }
                if (!told) {
                    waiting.accept(holder);
                    told = true;
                }
                getLock.setInt(2, 1);
            }
        }
        return () -> {
            try (PreparedStatement release = connection.prepareStatement("SELECT RELEASE_LOCK(?)")) {
                release.setString(1, lockName);
                release.execute();
            } catch (SQLException e) {
                // the lock dies with the session, which the caller closes next
            }
        };
    }

    private static String holder(Connection connection, String lockName) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT p.ID, p.HOST, p.TIME FROM"
                + " information_schema.PROCESSLIST p WHERE p.ID = IS_USED_LOCK(?)")) {
            query.setString(1, lockName);
            try (ResultSet row = query.executeQuery()) {
                if (!row.next()) {
                    return "a session that just ended";
                }
                return "connection " + row.getLong(1) + " from " + row.getString(2) + ", connected " + row.getLong(3)
                        + " s ago";
            }
        }
    }

    private static byte[] sha256(String text) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
