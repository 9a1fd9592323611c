package io.dsynq.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.dsynq.core.jdbc.Dialect;
import io.dsynq.core.jdbc.SessionLock;
import io.dsynq.core.testing.Engine;
import io.dsynq.core.testing.TestDatabase;
import io.dsynq.core.testing.TestServers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Real {@code mvn} processes against one database, on each engine (H2 as an embedded file database): two applies
 * started at the same moment both finish, each delta applied once; a build killed with {@code kill -9} in the middle
 * of a large delta leaves the database at the previous delta, no lock behind, and the next apply succeeds; a build
 * whose session the server ends fails with one error.
 *
 * <p>Run alone: {@code ./mvnw -B verify -pl dsynq-core,dsynq-maven-plugin,dsynq-it -Dit.test=ConcurrencyIT
 * -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class ConcurrencyIT {

    private static final String SMALL = "1700000001.000000";

    private static final String LARGE = "1700000002.000000";

    @ParameterizedTest
    @EnumSource(Engine.class)
    void twoAppliesAtOnceBothFinishAndApplyEachDeltaOnce(Engine engine) throws Exception {
        Path tmp = MavenBuild.workFolder("concurrent-" + engine);
        try (TestDatabase database = TestServers.create(engine, tmp)) {
            database.execute(Databases.goalsSchema(engine));
            MavenBuild maven = build(database, tmp, 400_000);

            Path firstLog = maven.logFile();
            Path secondLog = maven.logFile();
            Process first;
            Process second;
            // the test holds dsynq's lock while both builds start, so both are sure to meet it however fast the
            // other applies; the holding connection stays open to the end, as it serves the embedded H2 database
            try (Connection holder = database.connect()) {
                SessionLock lock = Dialect.of(holder).lock(holder, "dsynq_history", Duration.ofMinutes(1), who -> {});
                first = maven.start(firstLog, "dsynq:apply");
                second = maven.start(secondLog, "dsynq:apply");
                waitFor(firstLog, "waiting for another apply to finish", first);
                waitFor(secondLog, "waiting for another apply to finish", second);
                lock.close();
                assertThat(first.waitFor(5, TimeUnit.MINUTES)).isTrue();
                assertThat(second.waitFor(5, TimeUnit.MINUTES)).isTrue();
            }
            String logs = Files.readString(firstLog) + Files.readString(secondLog);
            assertThat(first.exitValue()).as(logs).isZero();
            assertThat(second.exitValue()).as(logs).isZero();

            // one of them applied both deltas once; the other found the database up to date
            assertThat(countOf(logs, "  applying     " + SMALL)).as(logs).isEqualTo(1);
            assertThat(countOf(logs, "  applying     " + LARGE)).as(logs).isEqualTo(1);
            assertThat(countOf(logs, "shop is up to date, at " + LARGE))
                    .as(logs)
                    .isEqualTo(1);
            assertThat(Databases.rows(database, "SELECT delta_id FROM dsynq_history ORDER BY delta_id"))
                    .containsExactly(SMALL, LARGE);
            assertThat(Databases.rows(database, "SELECT COUNT(*), SUM(code) FROM item"))
                    .containsExactly("400002|" + (sumOfCodes(400_000) + 60));
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aBuildKilledInTheMiddleOfADeltaLeavesTheDatabaseAtThePreviousDelta(Engine engine) throws Exception {
        Path tmp = MavenBuild.workFolder("killed-" + engine);
        try (TestDatabase database = TestServers.create(engine, tmp)) {
            database.execute(Databases.goalsSchema(engine));
            MavenBuild maven = build(database, tmp, 400_000);
            maven.run("dsynq:apply", "-Ddsynq.to=" + SMALL).succeeded();
            String previous = Databases.rows(database, "SELECT id, code, name FROM item ORDER BY id")
                    .toString();

            Path log = maven.logFile();
            Process killed = maven.start(log, "dsynq:apply");
            waitFor(log, "  applying     " + LARGE, killed);
            Thread.sleep(1500); // well into loading and applying 400,000 rows
            assertThat(killed.isAlive())
                    .as("still applying the large delta: %s", Files.readString(log))
                    .isTrue();
            killed.destroyForcibly(); // SIGKILL: no shutdown hooks, no rollback by the JVM
            assertThat(killed.waitFor(1, TimeUnit.MINUTES)).isTrue();

            assertThat(Databases.rows(database, "SELECT id, code, name FROM item ORDER BY id")
                            .toString())
                    .isEqualTo(previous);
            assertThat(Databases.rows(database, "SELECT delta_id FROM dsynq_history"))
                    .containsExactly(SMALL);

            assertThat(maven.run("dsynq:apply", "-Ddsynq.lockTimeout=-1")
                            .failed()
                            .log())
                    .contains("dsynq.lockTimeout must be 0 or more seconds, not -1")
                    .doesNotContain("applying");
            String next = maven.run("dsynq:apply", "-Ddsynq.lockTimeout=60")
                    .succeeded()
                    .log();
            assertThat(next).doesNotContain("waiting for another apply").contains("applying     " + LARGE);
            assertThat(Databases.rows(database, "SELECT COUNT(*) FROM item")).containsExactly("400002");
        }
    }

    /**
     * A session the server ends (PostgreSQL's {@code pg_terminate_backend}, MariaDB's {@code KILL}) while the apply
     * waits for a row another session holds: the build printed Spring's "Application exception overridden by
     * rollback exception" and some 150 lines of stack trace ahead of dsynq's error, as the rollback met the closed
     * connection. It now fails with dsynq's one error, its cause shown with {@code -e} only.
     */
    @ParameterizedTest
    @EnumSource(
            value = Engine.class,
            names = {"POSTGRESQL", "MARIADB"})
    void aSessionTheServerEndsFailsTheBuildWithOneError(Engine engine) throws Exception {
        Path tmp = MavenBuild.workFolder("session-ended-" + engine);
        try (TestDatabase database = TestServers.create(engine, tmp)) {
            database.execute(Databases.goalsSchema(engine));
            MavenBuild maven = build(database, tmp, 10);
            maven.run("dsynq:apply", "-Ddsynq.to=" + SMALL).succeeded();
            String previous = Databases.rows(database, "SELECT id, code, name FROM item ORDER BY id")
                    .toString();

            Path log = maven.logFile();
            Process ended;
            try (Connection holder = database.connect();
                    Connection admin = database.connect()) {
                holder.setAutoCommit(false);
                try (Statement statement = holder.createStatement()) {
                    // the large delta updates item 1: its apply waits for the row
                    statement
                            .executeQuery("SELECT * FROM item WHERE id = 1 FOR UPDATE")
                            .close();
                }
                ended = maven.start(log, "dsynq:apply");
                String waiting = waiting(admin, engine, database.name(), ended, log);
                try (Statement statement = admin.createStatement()) {
                    statement.execute(
                            (engine == Engine.POSTGRESQL
                                    ? "SELECT pg_terminate_backend(" + waiting + ")"
                                    : "KILL " + waiting));
                }
                assertThat(ended.waitFor(2, TimeUnit.MINUTES)).isTrue();
                holder.rollback();
            }
            String output = Files.readString(log);
            assertThat(ended.exitValue()).as(output).isNotZero();
            assertThat(output)
                    .contains("[ERROR] Failed to execute goal io.dsynq:dsynq-maven-plugin:")
                    .contains("database shop, delta " + LARGE + ", file item.u.csv: ")
                    .contains("; the server ended the session the delta ran in (killed, or timed out), and with it the"
                            + " delta's transaction: nothing of the delta is kept, run it again -> [Help 1]")
                    .doesNotContain("overridden")
                    .doesNotContain("\tat ")
                    .doesNotContain("Caused by");
            assertThat(Databases.rows(database, "SELECT id, code, name FROM item ORDER BY id")
                            .toString())
                    .isEqualTo(previous);
            assertThat(Databases.rows(database, "SELECT delta_id FROM dsynq_history"))
                    .containsExactly(SMALL);
        }
    }

    /** The id of the session of {@code database} that waits for a row, once there is one: the apply's. */
    private static String waiting(Connection admin, Engine engine, String database, Process process, Path log)
            throws Exception {
        String sql = engine == Engine.POSTGRESQL
                ? "SELECT pid FROM pg_stat_activity WHERE datname = ? AND wait_event_type = 'Lock'"
                // a statement that runs a second, where it takes milliseconds but for the row
                : "SELECT ID FROM information_schema.PROCESSLIST WHERE DB = ? AND COMMAND = 'Query' AND ID <>"
                        + " CONNECTION_ID() AND TIME >= 1";
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        try (PreparedStatement query = admin.prepareStatement(sql)) {
            query.setString(1, database);
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new AssertionError("the build ended before it waited for the row:\n" + Files.readString(log));
                }
                try (ResultSet rows = query.executeQuery()) {
                    if (rows.next()) {
                        return rows.getString(1);
                    }
                }
                Thread.sleep(50);
            }
        }
        throw new AssertionError("the apply never waited for the row:\n" + Files.readString(log));
    }

    /**
     * The {@code goals} sample pointed at generated deltas: {@link #SMALL} inserts two items, {@link #LARGE} inserts
     * {@code rows} more and updates the first.
     */
    private static MavenBuild build(TestDatabase database, Path tmp, int rows) throws Exception {
        Path project = MavenBuild.sample("goals", tmp);
        Path deltas = tmp.resolve("deltas");
        Path small = Files.createDirectories(deltas.resolve("shop/delta/" + SMALL));
        Files.writeString(small.resolve("item.i.csv"), "id,code,name\n1,10,One\n2,20,Two\n");
        Path large = Files.createDirectories(deltas.resolve("shop/delta/" + LARGE));
        try (var out = Files.newBufferedWriter(large.resolve("item.i.csv"), StandardCharsets.UTF_8)) {
            out.write("id,code,name\n");
            for (int i = 3; i < rows + 3; i++) {
                out.write(i + "," + (i % 1000) + ",item " + i + "\n");
            }
        }
        Files.writeString(large.resolve("item.u.csv"), "id,code\n1,40\n");
        return new MavenBuild(project)
                .property("db.url", database.url())
                .property("db.user", database.username())
                .property("db.password", database.password())
                .property("dsynq.deltaDirectory", deltas.toString());
    }

    /** The codes of the large delta's rows, plus the first two items' after the update (40 + 20). */
    private static long sumOfCodes(int rows) {
        long sum = 0;
        for (int i = 3; i < rows + 3; i++) {
            sum += i % 1000;
        }
        return sum;
    }

    private static void waitFor(Path log, String text, Process process) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains(text)) {
                return;
            }
            if (!process.isAlive()) {
                throw new AssertionError("the build ended before '" + text + "':\n" + Files.readString(log));
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no '" + text + "' within 2 minutes:\n" + Files.readString(log));
    }

    private static int countOf(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            count++;
        }
        return count;
    }
}
