package io.dsynq.core.jdbc;

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
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/** PostgreSQL: advisory locks, {@code UPDATE … FROM}, {@code DELETE … USING}, types by their names. */
final class PostgresDialect extends Dialect {

    /** The character types bound as plain strings; other text-like types (enums, citext) go as untyped text. */
    private static final Set<String> CHARACTER_TYPES = Set.of("VARCHAR", "TEXT", "BPCHAR", "CHAR", "NAME");

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

    /** The {@code C} collation orders UTF-8 text by byte, which is code point order; uuid and bytea order by byte. */
    @Override
    public String codePointOrder(String expression, Column column) {
        return column.kind() == ValueKind.TEXT ? expression + " COLLATE \"C\"" : expression;
    }

    /**
     * {@code hash_record_extended} of the row (each column hashed by its type's own hash function, json and other
     * types without one as text, text as its UTF-8 bytes, nullable columns with their null flag; the key widened to
     * {@code bigint} so that its distance from the range's start cannot overflow), combined per bucket by {@code BIT_XOR}: several times cheaper than printing and
     * hashing the row's text. Keys are unique, so no row cancels a twin.
     */
    @Override
    public String segmentChecksums(TableRef table, Column key, List<Column> columns, long from, long width, long to) {
        String k = quote(key.name());
        String row = columns.stream().map(c -> hashable(quote(c.name()), c)).collect(Collectors.joining(", "));
        return "SELECT (CAST(" + k + " AS BIGINT) - " + from + ") / " + width
                + " AS b, COUNT(*), BIT_XOR(hash_record_extended(ROW("
                + row + "), 0)) FROM " + qualify(table) + " WHERE " + k + " >= " + from + " AND " + k + " <= " + to
                + " GROUP BY 1";
    }

    /**
     * A column as the row hash sees it. {@code hash_record_extended} hashes NULL as 0, so a nullable column comes with
     * its null flag; floats go as their bits ({@code -0} is not {@code 0}); text goes as its bytes, since a nondeterministic collation hashes {@code 'a'} and {@code 'A'}
     * alike.
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

    /**
     * PostgreSQL cannot estimate the number of buckets, expects one per row and sorts the whole table on disk to
     * group it; a hash aggregate holds the few thousand buckets there are in memory. Its JIT would spend seconds
     * compiling for the cost it expects.
     */
    @Override
    public List<String> segmentSettings() {
        return List.of("SET LOCAL enable_sort = off", "SET LOCAL jit = off");
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
        String text = rows.getString(index);
        if (text != null && (text.endsWith(" BC") || text.endsWith("infinity"))) {
            return super.read(rows, index, column);
        }
        return PostgresText.canonical(column, text);
    }

    /**
     * {@code COPY (query) TO STDOUT}, the rows handed on as canonical text as they stream in. The query may change
     * rows: {@code DELETE … RETURNING} gives the before-images of what it deletes in the same pass.
     *
     * @return the rows copied
     */
    @Override
    public long copyOut(Connection connection, String query, List<Column> columns, Consumer<String[]> rows)
            throws SQLException {
        CopyOutRows out = new CopyOutRows(columns, rows);
        try {
            connection
                    .unwrap(org.postgresql.PGConnection.class)
                    .getCopyAPI()
                    .copyOut("COPY (" + query + ") TO STDOUT", out);
        } catch (java.io.IOException e) {
            throw new SQLException(e.getMessage(), e);
        }
        return out.rows();
    }

    @Override
    public boolean canCopyOut() {
        return true;
    }

    @Override
    public String createStaging(String staging, TableRef table, List<Column> columns) {
        return "CREATE TEMPORARY TABLE " + staging + " AS SELECT CAST(0 AS BIGINT) AS dsynq_line"
                + (columns.isEmpty() ? "" : ", " + columnList("t", columns)) + " FROM " + qualify(table)
                + " t WHERE 1 = 0";
    }

    /** {@code COPY} through the driver's CopyManager, much faster than batches of inserts. */
    @Override
    public StagingLoader loader(Connection connection, String table, boolean lineColumn, List<Column> columns)
            throws SQLException {
        return new CopyStagingLoader(connection, this, table, lineColumn, columns);
    }

    /** Only from the session's temporary schema: never a real table that happens to have the name. */
    @Override
    public String dropStaging(String staging) {
        return "DROP TABLE IF EXISTS pg_temp." + staging;
    }

    @Override
    public String updateFromStaging(TableRef table, String staging, List<Column> key, List<String[]> assignments) {
        return "UPDATE " + qualify(table) + " AS t SET "
                + assignments.stream().map(a -> quote(a[0]) + " = " + a[1]).collect(Collectors.joining(", "))
                + " FROM " + staging + " AS s WHERE " + keyMatch(key);
    }

    @Override
    public String deleteUsingStaging(TableRef table, String staging, List<Column> key) {
        return "DELETE FROM " + qualify(table) + " AS t USING " + staging + " AS s WHERE " + keyMatch(key);
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
