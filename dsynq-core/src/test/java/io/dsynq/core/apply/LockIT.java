package io.dsynq.core.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dsynq.core.ApplyRequest;
import io.dsynq.core.ApplyResult;
import io.dsynq.core.DeltaStatus;
import io.dsynq.core.Dsynq;
import io.dsynq.core.DsynqException;
import io.dsynq.core.DsynqListener;
import io.dsynq.core.testing.Engine;
import io.dsynq.core.testing.TestDatabase;
import io.dsynq.core.testing.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The session-scoped lock on each engine: concurrent applies serialise, a held lock times out naming its holder. */
class LockIT {

    private static final Map<Engine, String> HOLDER = Map.of(
            Engine.H2, "H2 session",
            Engine.POSTGRESQL, "PostgreSQL backend",
            Engine.MARIADB, "connection");

    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(Engine.class)
    void concurrentAppliesSerialiseAndAHeldLockTimesOutNamingItsHolder(Engine engine) throws Exception {
        try (TestDatabase database = TestServers.create(engine)) {
            database.execute("CREATE TABLE item (id INT PRIMARY KEY, code INT NOT NULL)");
            StringBuilder rows = new StringBuilder("id,code\n");
            for (int i = 1; i <= 20_000; i++) {
                rows.append(i).append(',').append(i).append('\n');
            }
            Path deltas = tmp.resolve("deltas/db/delta");
            Files.createDirectories(deltas.resolve("1700000001.000000"));
            Files.writeString(deltas.resolve("1700000001.000000/item.i.csv"), rows);
            Files.createDirectories(deltas.resolve("1700000002.000000"));
            Files.writeString(deltas.resolve("1700000002.000000/item.u.csv"), "id,code\n1,100\n");
            List<String> said = new CopyOnWriteArrayList<>();
            Dsynq dsynq = configure(database)
                    .listener(new DsynqListener() {
                        @Override
                        public void info(String message) {
                            said.add(message);
                        }
                    })
                    .build();

            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                Future<ApplyResult> one = pool.submit(() -> dsynq.apply(ApplyRequest.latest()));
                Future<ApplyResult> two = pool.submit(() -> dsynq.apply(ApplyRequest.latest()));
                assertThat(one.get().steps().size() + two.get().steps().size()).isEqualTo(2);
            } finally {
                pool.shutdown();
            }
            assertThat(said)
                    .as("one apply waited for the other")
                    .anyMatch(m -> m.contains("waiting for another apply"));
            assertThat(count(database, "SELECT COUNT(*) FROM item")).isEqualTo(20_000);
            assertThat(count(database, "SELECT code FROM item WHERE id = 1")).isEqualTo(100);
            assertThat(dsynq.status().in(DeltaStatus.State.APPLIED)).hasSize(2);

            try (Session holder = Session.open(dsynq.settings(), true)) {
                Dsynq impatient =
                        configure(database).lockTimeout(Duration.ofSeconds(2)).build();
                assertThatThrownBy(() -> impatient.apply(ApplyRequest.offset(-1)))
                        .isInstanceOf(DsynqException.class)
                        .hasMessageStartingWith("database db: gave up waiting for the dsynq lock after 2 s: another"
                                + " apply is running on this database (held by " + HOLDER.get(engine));
            }
            assertThat(configure(database)
                            .build()
                            .apply(ApplyRequest.offset(-1))
                            .steps())
                    .hasSize(1);
        }
    }

    /**
     * The server ends the session that holds the dsynq lock (an administrator's {@code pg_terminate_backend} or {@code
     * KILL}) while an apply waits for a row another session holds: the apply went on without the lock and committed,
     * while a second apply could take the lock and start the same delta. It stops before it commits, saying so.
     */
    @ParameterizedTest
    @EnumSource(
            value = Engine.class,
            names = {"POSTGRESQL", "MARIADB"})
    void anApplyWhoseLockTheServerEndsDoesNotCommit(Engine engine) throws Exception {
        try (TestDatabase database = TestServers.create(engine)) {
            Dsynq dsynq = twoDeltas(database);
            List<String> before = contents(database);
            try (Connection holder = database.connect();
                    Connection admin = database.connect()) {
                String holderId = holdRow(holder, engine);
                Future<ApplyResult> running =
                        Executors.newSingleThreadExecutor(daemon()).submit(() -> dsynq.apply(ApplyRequest.latest()));
                String lock = lockSession(admin, engine, database.name(), holderId, running);
                try (Statement statement = admin.createStatement()) {
                    statement.execute(
                            engine == Engine.POSTGRESQL ? "SELECT pg_terminate_backend(" + lock + ")" : "KILL " + lock);
                }
                holder.rollback();
                assertThatThrownBy(running::get)
                        .hasCauseInstanceOf(DsynqException.class)
                        .cause()
                        .hasMessage("database db, delta 1700000002.000000: not committed, as the server ended the"
                                + " session that held the dsynq lock (killed, or timed out), so another apply could"
                                + " start; nothing of it is kept, run it again");
            }
            assertThat(contents(database)).isEqualTo(before);
            assertThat(dsynq.apply(ApplyRequest.latest()).steps()).hasSize(1);
            assertThat(dsynq.status().in(DeltaStatus.State.APPLIED)).hasSize(2);
        }
    }

    /**
     * A server that ends idle sessions (PostgreSQL's {@code idle_session_timeout} set on the database, MariaDB's
     * {@code wait_timeout} in the URL's session variables) ended the lock's session, idle for the whole apply, in an
     * apply that took longer: the lock was gone while the apply went on. The lock's session is kept from that.
     */
    @ParameterizedTest
    @EnumSource(
            value = Engine.class,
            names = {"POSTGRESQL", "MARIADB"})
    void theLockOutlivesTheServersIdleTimeout(Engine engine) throws Exception {
        try (TestDatabase created = TestServers.create(engine)) {
            TestDatabase database = created;
            if (engine == Engine.POSTGRESQL) {
                created.execute("ALTER DATABASE " + created.name() + " SET idle_session_timeout = '1s'");
            } else {
                database = new TestDatabase(
                        engine,
                        created.url() + "&sessionVariables=wait_timeout=1",
                        created.username(),
                        created.password(),
                        created.name());
            }
            Dsynq dsynq = twoDeltas(database);
            try (Connection holder = created.connect();
                    Connection admin = created.connect()) {
                String holderId = holdRow(holder, engine);
                Future<ApplyResult> running =
                        Executors.newSingleThreadExecutor(daemon()).submit(() -> dsynq.apply(ApplyRequest.latest()));
                String lock = lockSession(admin, engine, created.name(), holderId, running);
                // until the lock's session has been idle three times the timeout, or is gone
                String idle = engine == Engine.POSTGRESQL
                        ? "SELECT EXTRACT(EPOCH FROM now() - state_change) FROM pg_stat_activity WHERE pid = " + lock
                        : "SELECT TIME FROM information_schema.PROCESSLIST WHERE ID = " + lock;
                double seconds = 0;
                try (Statement statement = admin.createStatement()) {
                    while (seconds < 3) {
                        try (ResultSet result = statement.executeQuery(idle)) {
                            if (!result.next()) {
                                break;
                            }
                            seconds = result.getDouble(1);
                        }
                        Thread.sleep(100);
                    }
                }
                holder.rollback();
                assertThat(seconds).as("the lock's session lived on").isGreaterThanOrEqualTo(3);
                assertThat(running.get().steps()).hasSize(1);
            }
            assertThat(dsynq.status().in(DeltaStatus.State.APPLIED)).hasSize(2);
        }
    }

    /** A table of 1,000 rows, a first delta applied, a second updating every row pending. */
    private Dsynq twoDeltas(TestDatabase database) throws Exception {
        database.execute("CREATE TABLE item (id INT PRIMARY KEY, code INT NOT NULL)");
        Path deltas = tmp.resolve("deltas/db/delta");
        Files.createDirectories(deltas.resolve("1700000001.000000"));
        StringBuilder rows = new StringBuilder("id,code\n");
        StringBuilder updates = new StringBuilder("id,code\n");
        for (int i = 1; i <= 1000; i++) {
            rows.append(i).append(',').append(i).append('\n');
            updates.append(i).append(',').append(-i).append('\n');
        }
        Files.writeString(deltas.resolve("1700000001.000000/item.i.csv"), rows);
        Dsynq dsynq = configure(database).build();
        dsynq.apply(ApplyRequest.latest());
        Files.createDirectories(deltas.resolve("1700000002.000000"));
        Files.writeString(deltas.resolve("1700000002.000000/item.u.csv"), updates);
        return dsynq;
    }

    /** Holds row 500 locked in a transaction of {@code holder}'s; returns its session's id. */
    private static String holdRow(Connection holder, Engine engine) throws Exception {
        holder.setAutoCommit(false);
        try (Statement statement = holder.createStatement()) {
            statement
                    .executeQuery("SELECT * FROM item WHERE id = 500 FOR UPDATE")
                    .close();
            try (ResultSet id = statement.executeQuery(
                    engine == Engine.POSTGRESQL ? "SELECT pg_backend_pid()" : "SELECT CONNECTION_ID()")) {
                id.next();
                return id.getString(1);
            }
        }
    }

    /**
     * Once the apply waits for the held row, the id of the session holding its lock: the one holding an advisory
     * lock on PostgreSQL; on MariaDB the one of the database that neither waits, holds the row nor asks.
     */
    private static String lockSession(
            Connection admin, Engine engine, String database, String holder, Future<?> running) throws Exception {
        String waiting = engine == Engine.POSTGRESQL
                ? "SELECT l.pid FROM pg_locks l JOIN pg_database d ON d.oid = l.database WHERE l.locktype ="
                        + " 'advisory' AND l.granted AND d.datname = ? AND EXISTS (SELECT 1 FROM pg_stat_activity"
                        + " WHERE datname = d.datname AND wait_event_type = 'Lock')"
                // a statement that runs a second, where it takes milliseconds but for the row
                : "SELECT ID FROM information_schema.PROCESSLIST WHERE DB = ? AND COMMAND = 'Sleep' AND ID <> "
                        + holder + " AND EXISTS (SELECT 1 FROM information_schema.PROCESSLIST WHERE DB = ? AND"
                        + " COMMAND = 'Query' AND ID NOT IN (" + holder + ", CONNECTION_ID()) AND TIME >= 1)";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        try (PreparedStatement query = admin.prepareStatement(waiting)) {
            query.setString(1, database);
            if (engine == Engine.MARIADB) {
                query.setString(2, database);
            }
            while (System.nanoTime() < deadline) {
                assertThat(running).as("the apply waits for the row").isNotDone();
                try (ResultSet rows = query.executeQuery()) {
                    if (rows.next()) {
                        return rows.getString(1);
                    }
                }
                Thread.sleep(20);
            }
        }
        throw new AssertionError("the apply never waited for the row");
    }

    /** The table's rows and the history's ids. */
    private static List<String> contents(TestDatabase database) throws Exception {
        List<String> rows = new java.util.ArrayList<>();
        try (Connection connection = database.connect();
                Statement statement = connection.createStatement()) {
            for (String sql :
                    List.of("SELECT id, code FROM item ORDER BY id", "SELECT delta_id, checksum FROM dsynq_history")) {
                try (ResultSet result = statement.executeQuery(sql)) {
                    while (result.next()) {
                        rows.add(result.getString(1) + "|" + result.getString(2));
                    }
                }
            }
        }
        return rows;
    }

    private static java.util.concurrent.ThreadFactory daemon() {
        return runnable -> {
            Thread thread = new Thread(runnable);
            thread.setDaemon(true);
            return thread;
        };
    }

    private Dsynq.Builder configure(TestDatabase database) {
        return database.dsynq(tmp.resolve("deltas"));
    }

    private static int count(TestDatabase database, String sql) throws Exception {
        try (Connection connection = database.connect();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getInt(1);
        }
    }
}
