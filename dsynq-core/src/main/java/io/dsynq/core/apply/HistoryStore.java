package io.dsynq.core.apply;

import io.dsynq.core.DsynqException;
import io.dsynq.core.jdbc.DatabaseCatalog;
import io.dsynq.core.jdbc.Dialect;
import io.dsynq.core.model.DeltaId;
import io.dsynq.core.model.TableName;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The history table in the target database (DESIGN.md section 4) and its companion {@code <table>_reverse}, which
 * holds each entry's compressed reverse delta in chunks of a megabyte: MariaDB refuses a single value larger than
 * {@code max_allowed_packet} (16 MB by default), and a reverse delta can be larger. Not thread-safe.
 */
final class HistoryStore {

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,50}");

    private static final int CHUNK = 1 << 20;

    private final JdbcTemplate jdbc;

    private final Dialect dialect;

    private final DatabaseCatalog catalog;

    private final String table;

    private final String chunks;

    HistoryStore(JdbcTemplate jdbc, DatabaseCatalog catalog, String table) {
        if (!NAME.matcher(table).matches()) {
            throw new DsynqException("history table name '" + table + "' must be a plain SQL name: letters, digits"
                    + " and _, starting with a letter or _");
        }
        this.jdbc = jdbc;
        this.dialect = catalog.dialect();
        this.catalog = catalog;
        this.table = table;
        this.chunks = table + "_reverse";
    }

    /** The history table's name as configured; the names are checked plain SQL names, used unquoted. */
    String table() {
        return table;
    }

    /** Whether the history table exists. */
    boolean exists() {
        return catalog.find(new TableName(null, table)).isPresent();
    }

    /**
     * The other schemas of this database that hold a history table of this name, where this one has none: a
     * connection whose current schema changed ({@code search_path}, {@code currentSchema}) would apply every delta
     * again, into its tables. None on MariaDB/MySQL, whose schemas are databases of their own.
     */
    List<String> elsewhere() {
        if (dialect.schemasAreCatalogs()) {
            return List.of();
        }
        try {
            String current = catalog.currentSchema();
            // unquoted in upper case: H2 keeps the case of unquoted names where DATABASE_TO_UPPER is off
            return jdbc.queryForList(
                    "SELECT TABLE_SCHEMA FROM INFORMATION_SCHEMA.TABLES WHERE LOWER(TABLE_NAME) = LOWER(?)"
                            + " AND TABLE_SCHEMA <> ? ORDER BY TABLE_SCHEMA",
                    String.class,
                    table,
                    current);
        } catch (java.sql.SQLException e) {
            throw new DsynqException("cannot read the current schema: " + e.getMessage(), e);
        }
    }

    /** Creates the tables if they do not exist; outside any transaction. */
    void create() {
        jdbc.execute("CREATE TABLE IF NOT EXISTS " + table + " (delta_id VARCHAR(32) NOT NULL PRIMARY KEY,"
                + " checksum VARCHAR(64) NOT NULL, description VARCHAR(2000), applied_at "
                + dialect.timestampType() + " NOT NULL, applied_by VARCHAR(255) NOT NULL,"
                + " rows_inserted BIGINT NOT NULL, rows_updated BIGINT NOT NULL, rows_deleted BIGINT NOT NULL,"
                + " millis BIGINT NOT NULL, reverse_bytes BIGINT NOT NULL, reverse_checksum VARCHAR(64) NOT NULL)"
                + dialect.historyTableOptions());
        jdbc.execute("CREATE TABLE IF NOT EXISTS " + chunks + " (delta_id VARCHAR(32) NOT NULL, chunk INT NOT NULL,"
                + " data " + dialect.blobType() + " NOT NULL, PRIMARY KEY (delta_id, chunk))"
                + dialect.historyTableOptions());
        catalog.refresh();
    }

    /**
     * Why an entry recorded in the delta's transaction would stay if that transaction rolled back (a table an earlier
     * version made with a MariaDB server's default engine, MyISAM), naming what to convert; else {@code null}.
     */
    String nonTransactional() {
        for (String name : List.of(table, chunks)) {
            String why = catalog.find(new TableName(null, name))
                    .map(found -> catalog.nonTransactional(found.ref()))
                    .orElse(null);
            if (why != null) {
                return "dsynq's history table " + name + " " + why + ": an entry recorded for a delta that then"
                        + " failed would stay, the delta recorded as applied; convert it to InnoDB (ALTER TABLE "
                        + name + " ENGINE=InnoDB)";
            }
        }
        return null;
    }

    /**
     * Whether this user may record and remove entries: statements that touch no row, which the server checks for
     * privileges all the same. The server's refusal of one, where it is for a privilege; else {@code null}.
     */
    String unwritable() {
        for (String name : List.of(table, chunks)) {
            try {
                jdbc.update("INSERT INTO " + name + " SELECT * FROM " + name + " WHERE 1 = 0");
                jdbc.update("DELETE FROM " + name + " WHERE 1 = 0");
            } catch (DataAccessException e) {
                if (!dialect.deniedBy(e)) {
                    throw e;
                }
                return Transitions.firstLine(dialect, e);
            }
        }
        return null;
    }

    /**
     * How many deltas' reverses {@code <table>_reverse} holds where the table of entries is missing (dropped by hand):
     * they belong to deltas applied, which a history made afresh would apply again. 0 where the history is whole.
     */
    int orphanedReverses() {
        if (exists() || !chunksExist()) {
            return 0;
        }
        Integer deltas = jdbc.queryForObject("SELECT COUNT(DISTINCT delta_id) FROM " + chunks, Integer.class);
        return deltas == null ? 0 : deltas;
    }

    /** Whether the tables hold neither entries nor reverse deltas. */
    boolean empty() {
        return entries().isEmpty()
                && (!chunksExist()
                        || Long.valueOf(0).equals(jdbc.queryForObject("SELECT COUNT(*) FROM " + chunks, Long.class)));
    }

    private boolean chunksExist() {
        return catalog.find(new TableName(null, chunks)).isPresent();
    }

    /** Drops the tables, which must hold nothing: a first delta failed after {@link #create()}. */
    void drop() {
        jdbc.execute("DROP TABLE IF EXISTS " + chunks);
        jdbc.execute("DROP TABLE IF EXISTS " + table);
        catalog.refresh();
    }

    /** The applied deltas, ordered by id; empty when the table does not exist. */
    List<HistoryEntry> entries() {
        if (!exists()) {
            return List.of();
        }
        return jdbc
                .query(
                        "SELECT delta_id, checksum, description, applied_at, applied_by, rows_inserted, rows_updated,"
                                + " rows_deleted, millis, reverse_bytes, reverse_checksum FROM " + table,
                        (rows, n) -> new HistoryEntry(
                                DeltaId.parse(rows.getString(1)),
                                rows.getString(2),
                                rows.getString(3),
                                rows.getObject(4, LocalDateTime.class).toInstant(ZoneOffset.UTC),
                                rows.getString(5),
                                rows.getLong(6),
                                rows.getLong(7),
                                rows.getLong(8),
                                rows.getLong(9),
                                rows.getLong(10),
                                rows.getString(11)))
                .stream()
                .sorted(Comparator.comparing(HistoryEntry::id))
                .toList();
    }

    /** Records an applied delta with its reverse, inside the caller's transaction. */
    void record(HistoryEntry entry, Path reverse) {
        jdbc.update(
                "INSERT INTO " + table + " (delta_id, checksum, description, applied_at, applied_by, rows_inserted,"
                        + " rows_updated, rows_deleted, millis, reverse_bytes, reverse_checksum)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                entry.id().text(),
                entry.checksum(),
                entry.description().length() > 2000 ? entry.description().substring(0, 2000) : entry.description(),
                LocalDateTime.ofInstant(entry.appliedAt(), ZoneOffset.UTC),
                entry.appliedBy(),
                entry.inserted(),
                entry.updated(),
                entry.deleted(),
                entry.millis(),
                entry.reverseBytes(),
                entry.reverseChecksum());
        jdbc.execute((ConnectionCallback<Void>) connection -> {
            byte[] buffer = new byte[CHUNK];
            try (InputStream in = Files.newInputStream(reverse);
                    PreparedStatement insert = dialect.prepareForBytes(
                            connection, "INSERT INTO " + chunks + " (delta_id, chunk, data) VALUES (?, ?, ?)")) {
                int chunk = 0;
                for (int n; (n = in.readNBytes(buffer, 0, CHUNK)) > 0; chunk++) {
                    insert.setString(1, entry.id().text());
                    insert.setInt(2, chunk);
                    insert.setBytes(3, n == CHUNK ? buffer : Arrays.copyOf(buffer, n));
                    insert.executeUpdate();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return null;
        });
    }

    /** Removes an entry and its reverse, inside the caller's transaction. */
    void remove(DeltaId id) {
        jdbc.update("DELETE FROM " + chunks + " WHERE delta_id = ?", id.text());
        int removed = jdbc.update("DELETE FROM " + table + " WHERE delta_id = ?", id.text());
        if (removed != 1) {
            throw new DsynqException("delta " + id + " is no longer in " + table + "; was it rolled back meanwhile?");
        }
    }

    /**
     * Writes an entry's reverse to {@code out}, checking it against the checksum recorded with it.
     *
     * @throws DsynqException when the stored reverse is damaged
     */
    void readReverse(HistoryEntry entry, OutputStream out) {
        MessageDigest digest = sha256();
        try (DigestOutputStream digesting = new DigestOutputStream(out, digest)) {
            // chunk by chunk, on a statement of our own: the template would set its fetch size of a thousand rows,
            // which buffers a thousand megabyte chunks
            jdbc.execute((ConnectionCallback<Void>) connection -> {
                try (PreparedStatement select = connection.prepareStatement(
                        "SELECT data FROM " + chunks + " WHERE delta_id = ? ORDER BY chunk")) {
                    select.setString(1, entry.id().text());
                    select.setFetchSize(1);
                    try (ResultSet rows = select.executeQuery()) {
                        while (rows.next()) {
                            digesting.write(rows.getBytes(1));
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return null;
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String actual = HexFormat.of().formatHex(digest.digest());
        if (!actual.equals(entry.reverseChecksum())) {
            throw new DsynqException("the reverse of delta " + entry.id() + " stored in " + chunks + " is damaged"
                    + " (its checksum does not match); it cannot be rolled back exactly");
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
