package io.dsynq.core.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dsynq.core.ApplyRequest;
import io.dsynq.core.DeltaStatus;
import io.dsynq.core.Dsynq;
import io.dsynq.core.DsynqException;
import io.dsynq.core.DsynqListener;
import io.dsynq.core.jdbc.Dialect;
import io.dsynq.core.jdbc.SessionLock;
import io.dsynq.core.testing.Engine;
import io.dsynq.core.testing.TestDatabase;
import io.dsynq.core.testing.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Savepoint;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What the server does to an apply or a rollback: a session it ends, a statement it cancels, a lock it times out.
 * The move stops with one error naming the delta, the file and the server's reason, the database is as it was, the
 * dsynq lock is free, and the next apply goes through. The middle of a move is hit by a row another session holds
 * locked, which the move waits for.
 */
class ServerStopsIT {

    private static final String FIRST = "1700000001.000000";

    private static final String SECOND = "1700000002.000000";

    @TempDir
    Path tmp;

    /**
     * A session the server ends (PostgreSQL's {@code pg_terminate_backend}, MariaDB's {@code KILL}) in the middle of
     * an apply or a rollback: the error said the database refused the delta as it committed it, "This connection has
     * been closed", naming neither the file nor the server's reason, and a rollback's called it a delta; then, that
     * it could not read the rows for the reverse delta, without a word of the session or of what was kept.
     */
    @ParameterizedTest
    @CsvSource({
        "H2, apply",
        "H2, rollback",
        "POSTGRESQL, apply",
        "POSTGRESQL, rollback",
        "MARIADB, apply",
        "MARIADB, rollback"
    })
    void aSessionTheServerEndsStopsTheMoveNamingTheFile(Engine engine, String move) throws Exception {
        String noun = move.equals("rollback") ? "rollback" : "delta";
        stopInTheMiddle(
                engine,
                move,
                switch (engine) {
                    case H2 -> "CALL ABORT_SESSION(%s)";
                    case POSTGRESQL -> "SELECT pg_terminate_backend(%s)";
                    case MARIADB -> "KILL %s";
                },
                engine == Engine.POSTGRESQL ? "terminating connection due to administrator command" : "",
                "; the server ended the session the " + noun + " ran in (killed, or timed out), and with it the " + noun
                        + "'s transaction: nothing of the " + noun + " is kept, run it again");
    }

    /**
     * A session that ends as the delta commits (here a deferred trigger that ends its own session at commit; H2 as the
     * JVM stops and its shutdown hook closes the database) failed saying that nothing of the delta was kept, run it
     * again, where the database may have committed it: an H2 database stopped so held every row and the history entry.
     * Whether it was kept is now said to be unknown, and where to look.
     */
    @Test
    void aSessionThatEndsAsTheDeltaCommitsSaysWhetherItWasKeptIsNotKnown() throws Exception {
        try (TestDatabase database = TestServers.create(Engine.POSTGRESQL)) {
            database.execute(
                    "CREATE TABLE item (id INT PRIMARY KEY, name VARCHAR(10))",
                    "CREATE FUNCTION item_ends() RETURNS trigger LANGUAGE plpgsql AS"
                            + " 'BEGIN PERFORM pg_terminate_backend(pg_backend_pid()); RETURN NULL; END'",
                    "CREATE CONSTRAINT TRIGGER item_ends AFTER INSERT ON item DEFERRABLE INITIALLY DEFERRED"
                            + " FOR EACH ROW EXECUTE FUNCTION item_ends()");
            Path delta = Files.createDirectories(tmp.resolve("db/delta/" + FIRST));
            Files.writeString(delta.resolve("item.i.csv"), "id,name\n1,one\n");

            assertThatThrownBy(() -> database.dsynq(tmp).build().apply(ApplyRequest.latest()))
                    .hasMessageStartingWith("database db, delta " + FIRST + ": ")
                    .hasMessageEndingWith("; the session ended as the delta committed (the server ended it, or the"
                            + " JVM was stopping), so whether the database kept it is not known: the database kept all"
                            + " of it, history entry included, or none of it, and dsynq:status tells which");
            assertThat(database.dsynq(tmp).build().status().in(DeltaStatus.State.PENDING))
                    .extracting(d -> d.id().text())
                    .containsExactly(FIRST);
        }
    }

    /**
     * The first apply to a database, whose session the server ends in the middle: the history tables it made stayed
     * behind, empty, as the apply tried to drop them on the closed connection.
     */
    @ParameterizedTest
    @CsvSource({"POSTGRESQL", "MARIADB"})
    void aFirstApplyTheServerEndsLeavesNoHistoryBehind(Engine engine) throws Exception {
        stopInTheMiddle(
                engine,
                "first",
                engine == Engine.POSTGRESQL ? "SELECT pg_terminate_backend(%s)" : "KILL %s",
                engine == Engine.POSTGRESQL ? "terminating connection due to administrator command" : "",
                ": nothing of the delta is kept, run it again");
    }

    /**
     * A first apply whose lock's session and then whose own session the server ends, while a second apply, which took
     * the lock meanwhile, applies the same delta into the history tables the first made: the first dropped them,
     * without the lock, through a connection of its own, under the second.
     */
    @ParameterizedTest
    @CsvSource({"POSTGRESQL", "MARIADB"})
    void aFirstApplyTheServerEndsLeavesTheHistoryOfAnApplyThatTookTheLock(Engine engine) throws Exception {
        try (TestDatabase database = TestServers.create(engine)) {
            Dsynq first = prepare(database, "first", new CopyOnWriteArrayList<>());
            Dsynq second = database.dsynq(first.settings().deltaDirectory()).build();
            try (Connection holder = database.connect();
                    Connection admin = database.connect()) {
                holdRow(holder);
                CompletableFuture<Object> firstRunning = CompletableFuture.supplyAsync(() -> move(first, "first"));
                String firstWaiting = waiting(admin, engine, database.name(), firstRunning);
                try (Statement statement = admin.createStatement()) {
                    statement.execute(String.format(
                            engine == Engine.POSTGRESQL ? "SELECT pg_terminate_backend(%s)" : "KILL %s",
                            idle(admin, engine, database.name(), holder)));
                }
                CompletableFuture<Object> secondRunning = CompletableFuture.supplyAsync(() -> move(second, "first"));
                waitingBoth(admin, engine, database.name(), firstWaiting);
                try (Statement statement = admin.createStatement()) {
                    statement.execute(String.format(
                            engine == Engine.POSTGRESQL ? "SELECT pg_terminate_backend(%s)" : "KILL %s", firstWaiting));
                }
                Thread.sleep(2000);
                holder.rollback();
                assertThatThrownBy(() -> firstRunning.get(60, TimeUnit.SECONDS))
                        .hasCauseInstanceOf(DsynqException.class);
                assertThat(secondRunning.get(60, TimeUnit.SECONDS)).isNotNull();
            }
            assertThat(second.status().in(DeltaStatus.State.APPLIED)).hasSize(1);
            assertThat(contents(database).get(0)).isEqualTo("1|-1");
        }
    }

    /**
     * A session the server ends while the apply waits for the dsynq lock, before it read anything: the error was the
     * catalog's alone, 'cannot read the metadata of table dsynq_history: FATAL: terminating connection due to
     * administrator command' ('(conn=2948) Socket error' on MariaDB), naming no database, where every error of a goal
     * starts with it.
     */
    @ParameterizedTest
    @CsvSource({"H2", "POSTGRESQL", "MARIADB"})
    void aSessionTheServerEndsAsTheApplyWaitsForTheLockNamesTheDatabase(Engine engine) throws Exception {
        try (TestDatabase database = TestServers.create(engine)) {
            CompletableFuture<Void> waits = new CompletableFuture<>();
            Dsynq dsynq = prepare(
                    database,
                    "apply",
                    new DsynqListener() {
                        @Override
                        public void info(String message) {
                            if (message.contains("waiting for another apply to finish")) {
                                waits.complete(null);
                            }
                        }
                    },
                    2000);
            List<String> before = contents(database);
            try (Connection holder = database.connect();
                    Connection admin = database.connect()) {
                CompletableFuture<Object> running;
                try (SessionLock lock =
                        Dialect.of(holder).lock(holder, "dsynq_history", Duration.ofMinutes(1), who -> {})) {
                    running = CompletableFuture.supplyAsync(() -> move(dsynq, "apply"));
                    waits.get(60, TimeUnit.SECONDS);
                    String working = working(admin, engine, database.name(), holder);
                    try (Statement statement = admin.createStatement()) {
                        statement.execute(String.format(
                                switch (engine) {
                                    case H2 -> "CALL ABORT_SESSION(%s)";
                                    case POSTGRESQL -> "SELECT pg_terminate_backend(%s)";
                                    case MARIADB -> "KILL %s";
                                },
                                working));
                    }
                }
                assertThatThrownBy(() -> running.get(60, TimeUnit.SECONDS))
                        .cause()
                        .isInstanceOf(DsynqException.class)
                        .hasMessageStartingWith("database db: ")
                        .hasMessageContaining("dsynq_history");
            }
            assertAsBeforeAndNextMoveGoesThrough(database, dsynq, "apply", before);
        }
    }

    /**
     * The working session of an apply that waits for the dsynq lock, idle as its lock's session waits (PostgreSQL's
     * trying the lock again and again, idle in between): of {@code database}, other than {@code holder}'s and {@code
     * admin}'s, once it is the only one (the sessions of the test's setup may take a moment to go).
     */
    private static String working(Connection admin, Engine engine, String database, Connection holder)
            throws Exception {
        String self =
                switch (engine) {
                    case H2 -> "SESSION_ID()";
                    case POSTGRESQL -> "pg_backend_pid()";
                    case MARIADB -> "CONNECTION_ID()";
                };
        String holderId;
        try (Statement statement = holder.createStatement();
                ResultSet rows = statement.executeQuery("SELECT " + self)) {
            rows.next();
            holderId = rows.getString(1);
        }
        String sql =
                switch (engine) {
                        // an in-memory database of the test's own; the lock's session waits for a row
                    case H2 -> "SELECT SESSION_ID FROM INFORMATION_SCHEMA.SESSIONS WHERE SESSION_ID <> SESSION_ID()"
                            + " AND SESSION_ID <> " + holderId + " AND BLOCKER_ID IS NULL";
                    case POSTGRESQL -> "SELECT pid FROM pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid()"
                            + " AND pid <> " + holderId + " AND query NOT LIKE '%advisory%'";
                    case MARIADB -> "SELECT ID FROM information_schema.PROCESSLIST WHERE DB = ? AND COMMAND = 'Sleep'"
                            + " AND ID <> CONNECTION_ID() AND ID <> " + holderId;
                };
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        try (PreparedStatement query = admin.prepareStatement(sql)) {
            if (engine != Engine.H2) {
                query.setString(1, database);
            }
            while (true) {
                List<String> ids = new ArrayList<>();
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        ids.add(rows.getString(1));
                    }
                }
                if (ids.size() == 1) {
                    return ids.get(0);
                }
                assertThat(System.nanoTime()).as("one working session: %s", ids).isLessThan(deadline);
                Thread.sleep(50);
            }
        }
    }

    /**
     * A deadlock of the move with the application, which the server breaks by ending the move's transaction, on the
     * fast path and again on the strict one: the application holds row 1000, which the move waits for holding the
     * rows before it, and asks for row 1. The error gave the server's words alone ('file item.u.csv: cannot read the
     * rows for the reverse delta: ERROR: deadlock detected …'), not what was kept. (On MariaDB, InnoDB ends the
     * application's transaction here, whatever its weight.)
     */
    @ParameterizedTest
    @CsvSource({"POSTGRESQL, apply", "POSTGRESQL, rollback"})
    void aDeadlockWithTheApplicationStopsTheMoveSayingSo(Engine engine, String move) throws Exception {
        try (TestDatabase database = TestServers.create(engine)) {
            List<String> said = new CopyOnWriteArrayList<>();
            Dsynq dsynq = prepare(database, move, said);
            List<String> before = contents(database);
            try (Connection holder = database.connect();
                    Connection admin = database.connect()) {
                holdRow(holder);
                Savepoint held = holder.setSavepoint();
                CompletableFuture<Object> running = CompletableFuture.supplyAsync(() -> move(dsynq, move));
                for (int round = 1; round <= 2; round++) {
                    waiting(admin, engine, database.name(), running); // for row 1000, holding the rows before it
                    try (Statement statement = holder.createStatement()) {
                        // waits for the move, which waits for this session: the server ends the move's transaction
                        statement
                                .executeQuery("SELECT * FROM item WHERE id = 1 FOR UPDATE")
                                .close();
                    }
                    if (round == 1) {
                        waiting(admin, engine, database.name(), running); // on the strict path, for row 1
                        holder.rollback(held); // row 1 free again: the move goes on to row 1000
                        Thread.sleep(500);
                    }
                }
                Throwable failure;
                try {
                    running.get(60, TimeUnit.SECONDS);
                    failure = null;
                } catch (ExecutionException e) {
                    failure = e.getCause();
                } finally {
                    holder.rollback();
                }
                String noun = move.equals("rollback") ? "rollback" : "delta";
                assertThat(failure)
                        .isInstanceOf(DsynqException.class)
                        .hasMessageStartingWith(where(move) + ", file item.u.csv: ")
                        .hasMessageContaining("deadlock detected")
                        .hasMessageEndingWith("; the database ended the " + noun + "'s transaction to break a deadlock"
                                + " with another session (each waited for a lock the other held): nothing of the "
                                + noun + " is kept, run it again");
            }
            assertThat(said).as("ran again strictly").anyMatch(line -> line.contains("going the strict way"));
            assertAsBeforeAndNextMoveGoesThrough(database, dsynq, move, before);
        }
    }

    /** The session of {@code database} that is idle, other than {@code holder}'s and {@code admin}'s: a lock's. */
    private static String idle(Connection admin, Engine engine, String database, Connection holder) throws Exception {
        String self = engine == Engine.POSTGRESQL ? "pg_backend_pid()" : "CONNECTION_ID()";
        String holderId;
        try (Statement statement = holder.createStatement();
                ResultSet rows = statement.executeQuery("SELECT " + self)) {
            rows.next();
            holderId = rows.getString(1);
        }
        String sql = engine == Engine.POSTGRESQL
                ? "SELECT pid FROM pg_stat_activity WHERE datname = ? AND state = 'idle' AND pid <> pg_backend_pid()"
                        + " AND pid <> " + holderId
                : "SELECT ID FROM information_schema.PROCESSLIST WHERE DB = ? AND COMMAND = 'Sleep' AND ID <>"
                        + " CONNECTION_ID() AND ID <> " + holderId;
        try (PreparedStatement query = admin.prepareStatement(sql)) {
            query.setString(1, database);
            try (ResultSet rows = query.executeQuery()) {
                assertThat(rows.next()).as("the lock's session").isTrue();
                String id = rows.getString(1);
                assertThat(rows.next()).as("one idle session").isFalse();
                return id;
            }
        }
    }

    /** Waits until a session of {@code database} other than {@code first} waits for a lock too. */
    private static void waitingBoth(Connection admin, Engine engine, String database, String first) throws Exception {
        String sql = engine == Engine.POSTGRESQL
                ? "SELECT pid FROM pg_stat_activity WHERE datname = ? AND wait_event_type = 'Lock' AND pid <> " + first
                : "SELECT ID FROM information_schema.PROCESSLIST WHERE DB = ? AND COMMAND = 'Query' AND ID <>"
                        + " CONNECTION_ID() AND TIME >= 1 AND ID <> " + first;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        try (PreparedStatement query = admin.prepareStatement(sql)) {
            query.setString(1, database);
            while (System.nanoTime() < deadline) {
                try (ResultSet rows = query.executeQuery()) {
                    if (rows.next()) {
                        return;
                    }
                }
                Thread.sleep(20);
            }
        }
        throw new AssertionError("the second apply never waited for the row");
    }

    /**
     * A statement the server cancels (PostgreSQL's {@code pg_cancel_backend}, MariaDB's {@code KILL QUERY}) in the
     * middle of an apply or a rollback: the move ran again from its start on the strict path, and waited again.
     */
    @ParameterizedTest
    @CsvSource({"POSTGRESQL, apply", "POSTGRESQL, rollback", "MARIADB, apply", "MARIADB, rollback"})
    void aStatementTheServerCancelsStopsTheMove(Engine engine, String move) throws Exception {
        stopInTheMiddle(
                engine,
                move,
                engine == Engine.POSTGRESQL ? "SELECT pg_cancel_backend(%s)" : "KILL QUERY %s",
                engine == Engine.POSTGRESQL
                        ? "canceling statement due to user request"
                        : "Query execution was interrupted");
    }

    /**
     * A statement the server cancels as a file's rows stream into their staging table (PostgreSQL's {@code COPY},
     * MariaDB's {@code LOAD DATA LOCAL}), as a {@code statement_timeout} does in a large file: the error named the line
     * the rows had reached and said the database refused a value there ('file order_line.i.csv, line 35045: the
     * database refused a value: ERROR: canceling statement due to statement timeout'); on MariaDB, a row and the
     * engine's words for the index it was building ('file item.u.csv, a row: the database refused a value: (conn=83)
     * Create index by sort failed').
     */
    @ParameterizedTest
    @CsvSource({"POSTGRESQL, apply", "POSTGRESQL, rollback", "MARIADB, apply", "MARIADB, rollback"})
    void aStatementTheServerCancelsAsAFileLoadsBlamesNoLine(Engine engine, String move) throws Exception {
        String said = stopAsAFileLoads(engine, move, false);
        assertThat(said)
                .startsWith(where(move) + ", file item.u.csv: the database stopped the change: ")
                // MariaDB's words depend on what the KILL met: the rows streaming, or the index built after
                .matches(
                        engine == Engine.POSTGRESQL
                                ? ".*canceling statement due to user request"
                                : ".*(Query execution was interrupted|Create index by sort failed|Got error 188 .*)");
    }

    /**
     * A session the server ends as a file's rows stream into their staging table: the error names the file, no line,
     * and says the server ended the session, nothing of the move kept.
     */
    @ParameterizedTest
    @CsvSource({"POSTGRESQL, apply", "POSTGRESQL, rollback", "MARIADB, apply", "MARIADB, rollback"})
    void aSessionTheServerEndsAsAFileLoadsNamesTheFile(Engine engine, String move) throws Exception {
        String noun = move.equals("rollback") ? "rollback" : "delta";
        assertThat(stopAsAFileLoads(engine, move, true))
                .startsWith(where(move) + ", file item.u.csv: ")
                .endsWith("; the server ended the session the " + noun + " ran in (killed, or timed out), and with it"
                        + " the " + noun + "'s transaction: nothing of the " + noun + " is kept, run it again");
    }

    /**
     * Runs {@code move} over a file of 10,000 rows, stopping the statement that loads them (or, {@code ending}, its
     * session) as they stream in; checks the move ran once, named no line, left the database as it was and that the
     * next move goes through. The move's error.
     */
    private String stopAsAFileLoads(Engine engine, String move, boolean ending) throws Exception {
        try (TestDatabase database = TestServers.create(engine);
                Connection admin = database.connect()) {
            String loading = engine == Engine.POSTGRESQL
                    ? "SELECT " + (ending ? "pg_terminate_backend" : "pg_cancel_backend")
                            + "(pid) FROM pg_stat_activity WHERE datname = ? AND query LIKE 'COPY %'"
                    : "SELECT ID FROM information_schema.PROCESSLIST WHERE DB = ? AND INFO LIKE 'LOAD DATA %'";
            List<String> said = new CopyOnWriteArrayList<>();
            Dsynq dsynq = prepare(
                    database,
                    move,
                    new DsynqListener() {
                        @Override
                        public void info(String message) {
                            // the first progress line of the file, read while its rows stream in: stop the load there
                            if (message.startsWith("  item.u.csv: 4,096 rows read")) {
                                cancel(admin, loading, database.name(), ending ? "KILL " : "KILL QUERY ");
                            }
                        }

                        @Override
                        public void debug(String message) {
                            said.add(message);
                        }
                    },
                    10_000);
            List<String> before = contents(database);
            DeltaApplier.progressNanos = 0;
            String message;
            try {
                Throwable failure = org.assertj.core.api.Assertions.catchThrowable(() -> move(dsynq, move));
                assertThat(failure)
                        .isInstanceOf(DsynqException.class)
                        .hasMessageNotContaining("refused")
                        .hasMessageNotContaining("line");
                message = failure.getMessage();
            } finally {
                DeltaApplier.progressNanos = 5_000_000_000L;
            }
            assertThat(said).as("ran once").noneMatch(line -> line.contains("going the strict way"));
            assertAsBeforeAndNextMoveGoesThrough(database, dsynq, move, before);
            return message;
        }
    }

    /**
     * Cancels the statement loading rows into {@code database}, once it runs (MariaDB's on a thread of its own, with
     * {@code mariaDbKill}), and gives the server a moment to act on it.
     */
    private static void cancel(Connection admin, String loading, String database, String mariaDbKill) {
        try (PreparedStatement query = admin.prepareStatement(loading)) {
            query.setString(1, database);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (true) {
                try (ResultSet rows = query.executeQuery()) {
                    if (rows.next()) {
                        if (!loading.startsWith("SELECT pg_")) {
                            try (Statement kill = admin.createStatement()) {
                                kill.execute(mariaDbKill + rows.getString(1));
                            }
                        }
                        break;
                    }
                }
                assertThat(System.nanoTime()).as("a statement loading rows").isLessThan(deadline);
                Thread.sleep(20);
            }
            Thread.sleep(500);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A lock that times out on the server ({@code lock_timeout} set on the PostgreSQL database, MariaDB's {@code
     * innodb_lock_wait_timeout} in the URL's session variables, H2's {@code LOCK_TIMEOUT}): the move ran again on the
     * strict path and timed out a second time, taking twice the time the limit says.
     */
    @ParameterizedTest
    @CsvSource({
        "H2, apply",
        "H2, rollback",
        "POSTGRESQL, apply",
        "POSTGRESQL, rollback",
        "MARIADB, apply",
        "MARIADB, rollback"
    })
    void aLockTheServerTimesOutStopsTheMoveOnce(Engine engine, String move) throws Exception {
        try (TestDatabase created = TestServers.create(engine)) {
            TestDatabase database =
                    switch (engine) {
                        case H2 -> withUrl(created, created.url() + ";LOCK_TIMEOUT=500");
                        case MARIADB -> withUrl(
                                created, created.url() + "&sessionVariables=innodb_lock_wait_timeout=1");
                        case POSTGRESQL -> {
                            created.execute("ALTER DATABASE " + created.name() + " SET lock_timeout = '500ms'");
                            yield created;
                        }
                    };
            List<String> said = new CopyOnWriteArrayList<>();
            Dsynq dsynq = prepare(database, move, said);
            List<String> before = contents(database);
            try (Connection holder = database.connect()) {
                holdRow(holder);
                assertThatThrownBy(() -> move(dsynq, move))
                        .isInstanceOf(DsynqException.class)
                        .hasMessageStartingWith(where(move) + ", file item.u.csv: ")
                        .hasMessageNotContaining("refused");
                holder.rollback();
            }
            assertThat(said).as("ran once").noneMatch(line -> line.contains("going the strict way"));
            assertAsBeforeAndNextMoveGoesThrough(database, dsynq, move, before);
        }
    }

    /**
     * A move the server runs out of resources for (SQLSTATE class 53: memory, disk, its lock table): the move ran again
     * on the strict path, which met the same, and the error said the database refused the change. PostgreSQL's "out of
     * shared memory", as a transaction locks more tables than {@code max_locks_per_transaction} allows for, is raised
     * by a trigger with its SQLSTATE (53200) and hint, as the real one fills the lock table every session of the server
     * shares; on MariaDB a trigger signals disk full (53100).
     */
    @ParameterizedTest
    @CsvSource({"POSTGRESQL, apply", "POSTGRESQL, rollback", "MARIADB, apply", "MARIADB, rollback"})
    void aMoveTheServerRunsOutOfResourcesForStopsOnce(Engine engine, String move) throws Exception {
        try (TestDatabase database = TestServers.create(engine)) {
            List<String> said = new CopyOnWriteArrayList<>();
            Dsynq dsynq = prepare(database, move, said);
            List<String> before = contents(database);
            if (engine == Engine.POSTGRESQL) {
                database.execute(
                        "CREATE FUNCTION exhausted() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION"
                                + " 'out of shared memory' USING ERRCODE = '53200', HINT = 'You might need to"
                                + " increase max_locks_per_transaction.'; END $$",
                        "CREATE TRIGGER exhausted BEFORE UPDATE ON item FOR EACH STATEMENT EXECUTE FUNCTION"
                                + " exhausted()");
            } else {
                database.execute("CREATE TRIGGER exhausted BEFORE UPDATE ON item FOR EACH ROW SIGNAL SQLSTATE"
                        + " '53100' SET MESSAGE_TEXT = 'disk full'");
            }

            assertThatThrownBy(() -> move(dsynq, move))
                    .isInstanceOf(DsynqException.class)
                    .hasMessageStartingWith(where(move) + ", file item.u.csv: the database stopped the change: ")
                    .hasMessageContainingAll(
                            engine == Engine.POSTGRESQL
                                    ? new String[] {
                                        "out of shared memory",
                                        "Hint: You might need to increase max_locks_per_transaction."
                                    }
                                    : new String[] {"disk full"});
            assertThat(said).as("ran once").noneMatch(line -> line.contains("going the strict way"));

            database.execute("DROP TRIGGER exhausted" + (engine == Engine.POSTGRESQL ? " ON item" : ""));
            assertAsBeforeAndNextMoveGoesThrough(database, dsynq, move, before);
        }
    }

    /**
     * The server running out of resources in the rollback an apply tries in a savepoint (where a delta over many tables
     * takes the most of PostgreSQL's lock table: the apply's and its rollback's): the tried rollback went from its fast
     * path to its strict one, which met the same, and the error said the delta was not applied as its rollback would
     * be refused, blaming the delta for the server's want. Here a trigger raises it on the rollback's update only.
     */
    @ParameterizedTest
    @EnumSource(
            value = Engine.class,
            names = {"POSTGRESQL", "MARIADB"})
    void aTriedRollbackTheServerRunsOutOfResourcesForStopsTheApplyOnce(Engine engine) throws Exception {
        try (TestDatabase database = TestServers.create(engine)) {
            database.execute(
                    "CREATE TABLE parent (id INT PRIMARY KEY, code INT NOT NULL UNIQUE)",
                    "CREATE TABLE child (id INT PRIMARY KEY, code INT REFERENCES parent (code))",
                    "INSERT INTO parent VALUES (1, 1), (2, 2), (3, 3)",
                    "INSERT INTO child VALUES (1, 1)");
            if (engine == Engine.POSTGRESQL) {
                database.execute(
                        "CREATE FUNCTION exhausted() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.code = 2 THEN"
                                + " RAISE EXCEPTION 'out of shared memory' USING ERRCODE = '53200', HINT = 'You might"
                                + " need to increase max_locks_per_transaction.'; END IF; RETURN NEW; END $$",
                        "CREATE TRIGGER exhausted BEFORE UPDATE ON parent FOR EACH ROW EXECUTE FUNCTION exhausted()");
            } else {
                database.execute("CREATE TRIGGER exhausted BEFORE UPDATE ON parent FOR EACH ROW IF NEW.code = 2 THEN"
                        + " SIGNAL SQLSTATE '53100' SET MESSAGE_TEXT = 'disk full'; END IF");
            }
            Path delta = tmp.resolve("deltas/db/delta/" + FIRST);
            Files.createDirectories(delta);
            // a referenced value changes: the apply tries its rollback in a savepoint
            Files.writeString(delta.resolve("parent.u.csv"), "id,code\n2,20\n");
            List<String> said = new CopyOnWriteArrayList<>();
            Dsynq dsynq = database.dsynq(tmp.resolve("deltas"))
                    .listener(debugInto(said))
                    .build();

            assertThatThrownBy(() -> dsynq.apply(ApplyRequest.latest()))
                    .isInstanceOf(DsynqException.class)
                    .hasMessageStartingWith("database db, delta " + FIRST
                            + ", its rollback, file parent.u.csv: the database stopped" + " the change: ")
                    .hasMessageContaining(engine == Engine.POSTGRESQL ? "out of shared memory" : "disk full")
                    .hasMessageNotContaining("would be refused");
            assertThat(said).as("ran once").noneMatch(line -> line.contains("going the strict way"));
            assertThat(said.stream().filter(line -> line.startsWith("(trying the rollback) UPDATE")))
                    .as("the rollback tried once")
                    .hasSize(1);

            database.execute("DROP TRIGGER exhausted" + (engine == Engine.POSTGRESQL ? " ON parent" : ""));
            assertThat(dsynq.apply(ApplyRequest.latest()).steps()).hasSize(1);
        }
    }

    /** Runs {@code move} while another session holds a row it changes, and stops dsynq's session as it waits. */
    private void stopInTheMiddle(Engine engine, String move, String stop, String reason) throws Exception {
        stopInTheMiddle(engine, move, stop, reason, "");
    }

    /** As above, the error ending with {@code end}. */
    private void stopInTheMiddle(Engine engine, String move, String stop, String reason, String end) throws Exception {
        try (TestDatabase database = TestServers.create(engine)) {
            List<String> said = new CopyOnWriteArrayList<>();
            Dsynq dsynq = prepare(database, move, said);
            List<String> before = contents(database);
            try (Connection holder = database.connect();
                    Connection admin = database.connect()) {
                holdRow(holder);
                CompletableFuture<Object> running = CompletableFuture.supplyAsync(() -> move(dsynq, move));
                String waiting = waiting(admin, engine, database.name(), running);
                try (Statement statement = admin.createStatement()) {
                    statement.execute(String.format(stop, waiting));
                }
                Throwable failure;
                try {
                    // with the row still held: a move that started again would wait until the end of time
                    running.get(60, TimeUnit.SECONDS);
                    failure = null;
                } catch (ExecutionException e) {
                    failure = e.getCause();
                } finally {
                    holder.rollback();
                }
                assertThat(failure)
                        .isInstanceOf(DsynqException.class)
                        .hasMessageStartingWith(where(move) + ", file item.u.csv: ")
                        .hasMessageNotContaining("refused")
                        .hasMessageContaining(reason)
                        .hasMessageEndingWith(end)
                        .hasMessageNotContaining("committed");
            }
            assertThat(said).as("ran once").noneMatch(line -> line.contains("going the strict way"));
            assertAsBeforeAndNextMoveGoesThrough(database, dsynq, move, before);
        }
    }

    /**
     * A table of 2,000 rows and two deltas: the first inserts a row, the second updates every row. Applies the first,
     * and for a rollback the second; for a first apply writes only the second, and applies nothing.
     */
    private Dsynq prepare(TestDatabase database, String move, List<String> said) throws Exception {
        return prepare(database, move, debugInto(said), 2000);
    }

    /** As above, with {@code rows} rows, each updated by the second delta, and {@code listener}. */
    private Dsynq prepare(TestDatabase database, String move, DsynqListener listener, int rows) throws Exception {
        database.execute("CREATE TABLE item (id INT PRIMARY KEY, code INT NOT NULL)");
        try (Connection connection = database.connect();
                PreparedStatement insert = connection.prepareStatement("INSERT INTO item VALUES (?, ?)")) {
            for (int i = 1; i <= rows; i++) {
                insert.setInt(1, i);
                insert.setInt(2, i);
                insert.addBatch();
            }
            insert.executeBatch();
        }
        Path deltas = tmp.resolve("deltas/db/delta");
        if (!move.equals("first")) {
            Files.createDirectories(deltas.resolve(FIRST));
            Files.writeString(
                    deltas.resolve(FIRST + "/item.i.csv"), "id,code\n" + (rows + 1) + "," + (rows + 1) + "\n");
        }
        StringBuilder updates = new StringBuilder("id,code\n");
        for (int i = 1; i <= rows; i++) {
            updates.append(i).append(',').append(-i).append('\n');
        }
        Files.createDirectories(deltas.resolve(SECOND));
        Files.writeString(deltas.resolve(SECOND + "/item.u.csv"), updates);
        Dsynq dsynq = database.dsynq(tmp.resolve("deltas")).listener(listener).build();
        if (!move.equals("first")) {
            dsynq.apply(ApplyRequest.to(move.equals("apply") ? FIRST : SECOND));
        }
        return dsynq;
    }

    /** A listener that keeps the debug lines, each statement among them, in {@code said}. */
    private static DsynqListener debugInto(List<String> said) {
        return new DsynqListener() {
            @Override
            public void debug(String message) {
                said.add(message);
            }
        };
    }

    private static Object move(Dsynq dsynq, String move) {
        return dsynq.apply(move.equals("rollback") ? ApplyRequest.offset(-1) : ApplyRequest.latest());
    }

    private static String where(String move) {
        return "database db, " + (move.equals("rollback") ? "rollback of delta " : "delta ") + SECOND;
    }

    /** Holds row 1000 locked in a transaction of {@code holder}'s, which the second delta updates. */
    private static void holdRow(Connection holder) throws Exception {
        holder.setAutoCommit(false);
        try (Statement statement = holder.createStatement()) {
            statement
                    .executeQuery("SELECT * FROM item WHERE id = 1000 FOR UPDATE")
                    .close();
        }
    }

    /** The id of the session of {@code database} that waits for a lock, once there is one. */
    private static String waiting(Connection admin, Engine engine, String database, CompletableFuture<?> running)
            throws Exception {
        String sql =
                switch (engine) {
                        // an in-memory database of the test's own
                    case H2 -> "SELECT SESSION_ID FROM INFORMATION_SCHEMA.SESSIONS WHERE BLOCKER_ID IS NOT NULL";
                    case POSTGRESQL -> "SELECT pid FROM pg_stat_activity WHERE datname = ? AND wait_event_type = 'Lock'";
                        // a statement that runs a second, where it takes milliseconds but for the row
                    case MARIADB -> "SELECT ID FROM information_schema.PROCESSLIST WHERE DB = ? AND COMMAND = 'Query'"
                            + " AND ID <> CONNECTION_ID() AND TIME >= 1";
                };
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        try (PreparedStatement query = admin.prepareStatement(sql)) {
            if (engine != Engine.H2) {
                query.setString(1, database);
            }
            while (System.nanoTime() < deadline) {
                assertThat(running).as("the move waits for the row").isNotDone();
                try (ResultSet rows = query.executeQuery()) {
                    if (rows.next()) {
                        return rows.getString(1);
                    }
                }
                Thread.sleep(20);
            }
        }
        throw new AssertionError("the move never waited for the row");
    }

    private static void assertAsBeforeAndNextMoveGoesThrough(
            TestDatabase database, Dsynq dsynq, String move, List<String> before) throws Exception {
        assertThat(contents(database)).isEqualTo(before);
        Dsynq impatient = database.dsynq(dsynq.settings().deltaDirectory())
                .lockTimeout(Duration.ofSeconds(1))
                .build();
        assertThat(move(impatient, move)).isNotNull();
        assertThat(dsynq.status().in(DeltaStatus.State.APPLIED)).hasSize(move.equals("apply") ? 2 : 1);
        assertThat(contents(database).get(0)).isEqualTo(move.equals("rollback") ? "1|1" : "1|-1");
    }

    /** Every row of the table and of the history, where there is one. */
    private static List<String> contents(TestDatabase database) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection connection = database.connect();
                Statement statement = connection.createStatement()) {
            try (ResultSet result = statement.executeQuery("SELECT id, code FROM item ORDER BY id")) {
                while (result.next()) {
                    rows.add(result.getInt(1) + "|" + result.getInt(2));
                }
            }
            try (ResultSet tables =
                    connection.getMetaData().getTables(connection.getCatalog(), null, "dsynq_history%", null)) {
                while (tables.next()) {
                    rows.add("table " + tables.getString("TABLE_NAME"));
                }
            }
            if (rows.stream().noneMatch(row -> row.startsWith("table "))) {
                return rows;
            }
            try (ResultSet result = statement.executeQuery("SELECT * FROM dsynq_history ORDER BY 1")) {
                int columns = result.getMetaData().getColumnCount();
                while (result.next()) {
                    StringBuilder row = new StringBuilder("history");
                    for (int i = 1; i <= columns; i++) {
                        row.append('|').append(result.getString(i));
                    }
                    rows.add(row.toString());
                }
            }
            try (ResultSet result = statement.executeQuery("SELECT COUNT(*) FROM dsynq_history_reverse")) {
                result.next();
                rows.add("reverse chunks " + result.getInt(1));
            }
        }
        return rows;
    }

    private static TestDatabase withUrl(TestDatabase database, String url) {
        return new TestDatabase(database.engine(), url, database.username(), database.password(), database.name());
    }
}
