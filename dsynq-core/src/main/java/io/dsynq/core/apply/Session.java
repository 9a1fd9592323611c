package io.dsynq.core.apply;

import io.dsynq.core.DatabaseSettings;
import io.dsynq.core.DsynqException;
import io.dsynq.core.jdbc.DatabaseCatalog;
import io.dsynq.core.jdbc.DatabaseConnector;
import io.dsynq.core.jdbc.Dialect;
import io.dsynq.core.jdbc.SessionLock;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.springframework.jdbc.BadSqlGrammarException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.transaction.support.DefaultTransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * One database session: a working connection with its dialect, catalog, Spring JDBC template and transactions,
 * and, for writers, the session-scoped lock on a second connection of its own. Closing it releases everything.
 */
final class Session implements AutoCloseable {

    final DatabaseSettings settings;
    final Connection connection;
    final Dialect dialect;
    final DatabaseCatalog catalog;
    final JdbcTemplate jdbc;
    final TransactionTemplate transactions;
    final TransactionTemplate fastTransactions;
    final HistoryStore history;
    private final DatabaseConnector connector;
    private Connection lockConnection;
    private SessionLock lock;
    private Connection stagingConnection;

    private Session(DatabaseSettings settings, DatabaseConnector connector, Connection connection) throws SQLException {
        this.settings = settings;
        this.connector = connector;
        this.connection = connection;
        this.dialect = Dialect.of(connection);
        this.dialect.prepare(connection);
        this.catalog = new DatabaseCatalog(connection, dialect, settings.keys(), settings.listener());
        SingleConnectionDataSource dataSource = new SingleConnectionDataSource(connection, true);
        this.jdbc = new JdbcTemplate(dataSource);
        this.jdbc.setFetchSize(1000);
        DataSourceTransactionManager manager = new DataSourceTransactionManager(dataSource) {
            @Override
            protected void doRollback(DefaultTransactionStatus status) {
                // a session the server ended took its transaction with it: a rollback would fail on the closed
                // connection, and Spring log the move's failure at length ("Application exception overridden by
                // rollback exception") and throw its own in place of it
                if (ended()) {
                    return;
                }
                try {
                    super.doRollback(status);
                } catch (TransactionSystemException e) {
                    if (!ended()) { // else the driver learnt only now that the server ended it (a COPY's broken pipe)
                        throw e;
                    }
                }
            }
        };
        this.transactions = new TransactionTemplate(manager);
        this.fastTransactions = new TransactionTemplate(manager);
        this.fastTransactions.setIsolationLevel(dialect.fastPathIsolation());
        this.history = new HistoryStore(jdbc, catalog, settings.historyTable());
    }

    /**
     * Opens a session.
     *
     * @param locked whether to take the lock that serialises writers, waiting up to the configured timeout
     */
    static Session open(DatabaseSettings settings, boolean locked) {
        DatabaseConnector connector = new DatabaseConnector(settings.driverLoader());
        Connection connection = connector.connect(settings.name(), settings.connection());
        Session session;
        try {
            session = new Session(settings, connector, connection);
            // a driver's own read-only mode (readOnly=true in PostgreSQL's URL) makes its transactions read-only too
            String readOnly = locked ? session.readOnly() : null;
            if (readOnly != null) {
                throw new DsynqException(
                        "database " + settings.name() + ": cannot apply or roll back deltas, " + readOnly);
            }
            String noSchema = session.dialect.noCurrentSchema(connection);
            if (noSchema != null) {
                throw new DsynqException("database " + settings.name() + ": " + noSchema + "; dsynq keeps its history"
                        + " in the current schema and finds there the tables a delta names without their schema: name"
                        + " a schema that exists (currentSchema=public in the JDBC URL, or ALTER ROLE … SET"
                        + " search_path)");
            }
        } catch (SQLException | RuntimeException e) {
            closeQuietly(connection);
            throw e instanceof DsynqException d
                    ? d
                    : new DsynqException("database " + settings.name() + ": " + e.getMessage(), e);
        }
        if (locked) {
            try {
                session.lockConnection = connector.connect(settings.name(), settings.connection());
                session.lock = session.dialect.lock(
                        session.lockConnection,
                        settings.historyTable(),
                        settings.lockTimeout(),
                        holder -> settings.listener()
                                .info("database " + settings.name() + ": waiting for another apply to finish (" + holder
                                        + ")"));
            } catch (SQLException | RuntimeException e) {
                session.close();
                String lockTable = session.dialect.lockTable(settings.historyTable());
                if (lockTable != null && session.dialect.deniedBy(e)) {
                    throw new DsynqException(
                            "database " + settings.name() + ": its user may not make or use the"
                                    + " table " + lockTable + " that holds the dsynq lock ("
                                    + Transitions.firstLine(session.dialect, e)
                                    + "); have a user who may create tables make"
                                    + " it (dsynq:apply -Ddsynq.to=0 as that user does, applying nothing) and grant this one"
                                    + " SELECT, INSERT and UPDATE on it",
                            e);
                }
                if (e instanceof DsynqException d) {
                    throw new DsynqException("database " + settings.name() + ": " + d.getMessage(), d);
                }
                throw new DsynqException(
                        "database " + settings.name() + ": cannot take the dsynq lock: " + e.getMessage(), e);
            }
        }
        return session;
    }

    /** Why this session cannot write, or {@code null} where it can ({@link Dialect#readOnly}). */
    String readOnly() throws SQLException {
        String engines = dialect.readOnly(connection); // the more telling, where H2's driver says read-only too
        if (engines != null || !connection.isReadOnly()) {
            return engines;
        }
        return "the connection is read-only (readOnly in its URL or the driver's settings)";
    }

    /**
     * Where staging tables are made: this session's connection, or where the dialect {@linkplain Dialect#stagesApart
     * stages apart}, a connection of their own, in auto-commit, opened on the first call.
     */
    JdbcTemplate stagingMaker() {
        if (!dialect.stagesApart()) {
            return jdbc;
        }
        if (stagingConnection == null) {
            stagingConnection = connector.connect(settings.name(), settings.connection());
        }
        return new JdbcTemplate(new SingleConnectionDataSource(stagingConnection, true));
    }

    /**
     * Marks that the commit of {@code what} (a delta, or its rollback) begins, where a commit may keep part of its
     * transaction ({@link Dialect#commitMarker}): from the connection that makes staging tables, outside the
     * transaction, so that the mark is kept before any of the commit is.
     */
    void commitBegins(String what) {
        String marker = dialect.commitMarker(settings.historyTable());
        if (marker != null) {
            JdbcTemplate apart = stagingMaker();
            apart.execute("CREATE TABLE IF NOT EXISTS " + marker + " (what VARCHAR(400))");
            apart.update("DELETE FROM " + marker);
            apart.update("INSERT INTO " + marker + " (what) VALUES (?)", what);
        }
    }

    /** Takes the mark of {@link #commitBegins} away: the commit went through, or the transaction rolled back. */
    void commitEnded() {
        String marker = dialect.commitMarker(settings.historyTable());
        if (marker != null) {
            stagingMaker().execute("DROP TABLE IF EXISTS " + marker);
        }
    }

    /**
     * What a commit {@linkplain #commitBegins marked} and never ended was of, as a process that ended in the middle of
     * it leaves the mark; {@code null} where there is none.
     */
    String commitCutShort() {
        String marker = dialect.commitMarker(settings.historyTable());
        if (marker == null) {
            return null;
        }
        List<String> what;
        try {
            what = stagingMaker().queryForList("SELECT what FROM " + marker, String.class);
        } catch (BadSqlGrammarException e) { // no such table: no commit cut short
            return null;
        }
        return what.isEmpty() || what.get(0) == null ? "a delta or a rollback" : what.get(0);
    }

    /**
     * Checks, before a move commits, that the lock's session is still there: the server may end it (an
     * administrator's kill, a timeout), and the lock goes with it, letting another apply start.
     *
     * @param where what the error starts with: the database and the delta, or its rollback
     * @throws DsynqException when the lock is gone, so that nothing of the move is committed
     */
    void checkLocked(String where) {
        if (lock != null && !holdsLock()) {
            throw new DsynqException(where + ": not committed, as the server ended the session that held the dsynq"
                    + " lock (killed, or timed out), so another apply could start; nothing of it is kept, run it"
                    + " again");
        }
    }

    /**
     * Whether the server ended the working session (an administrator's kill, a timeout), and its transaction with it;
     * where the driver cannot tell, it is taken as ended.
     */
    boolean ended() {
        try {
            return connection.isClosed();
        } catch (SQLException e) {
            return true;
        }
    }

    /** Whether this session took the dsynq lock and the server has not ended the session that holds it. */
    boolean holdsLock() {
        try {
            return lock != null && lockConnection.isValid(30);
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void close() {
        if (lock != null) {
            lock.close();
        }
        try {
            dialect.release(connection, settings.lockTimeout(), what -> settings.listener()
                    .info("database " + settings.name() + ": waiting before closing, " + what));
        } catch (SQLException e) {
            // closing goes ahead: the other processes reconnect
        }
        closeQuietly(lockConnection);
        closeQuietly(stagingConnection);
        closeQuietly(connection);
    }

    private static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                // nothing more to do: the session is over
            }
        }
    }
}
