package io.dsynq.core.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dsynq.core.ApplyRequest;
import io.dsynq.core.Dsynq;
import io.dsynq.core.DsynqListener;
import io.dsynq.core.testing.Engine;
import io.dsynq.core.testing.TestDatabase;
import io.dsynq.core.testing.TestServers;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process killed ({@code kill -9}) in the middle of an apply to an H2 file database. H2 2.5 cannot open a file again
 * whose process died while a temporary table held rows ("Unable to read the page at position …"), and dsynq staged
 * each file in temporary tables: every later goal failed on the database.
 */
class KilledProcessIT {

    private static final String DELTA = "1700000001.000000";

    private static final int ROWS = 200_000;

    private static final String DROPPED =
            "database db: dropped 1 staging table left by an apply, a rollback or a diff that did not end";

    @TempDir
    Path tmp;

    @Test
    void anH2FileDatabaseKilledInTheMiddleOfAnApplyOpensAsItWasAndTheApplyGoesThroughAgain() throws Exception {
        try (TestDatabase database = TestServers.create(Engine.H2, tmp.resolve("db"), "killed")) {
            database.execute(
                    "CREATE TABLE item (id INT PRIMARY KEY, code INT NOT NULL)",
                    "INSERT INTO item SELECT X, X FROM SYSTEM_RANGE(1, " + ROWS + ")");
            Path deltas = tmp.resolve("deltas");
            StringBuilder updates = new StringBuilder("id,code\n");
            for (int i = 1; i <= ROWS; i++) {
                updates.append(i).append(',').append(-i).append('\n');
            }
            Files.createDirectories(deltas.resolve("db/delta/" + DELTA));
            Files.writeString(deltas.resolve("db/delta/" + DELTA + "/item.u.csv"), updates);

            killPaused(database, deltas);

            assertThat(sums(database)).isEqualTo(ROWS * (ROWS + 1L) / 2);
            assertThat(stagingTables(database)).isEqualTo(1);
            List<String> said = new ArrayList<>();
            database.dsynq(deltas).listener(infoInto(said)).build().apply(ApplyRequest.latest());
            assertThat(sums(database)).isEqualTo(-ROWS * (ROWS + 1L) / 2);
            assertThat(said).contains(DROPPED);
            assertThat(stagingTables(database)).isZero();
        }
    }

    /**
     * H2 (2.5.252) keeps the part of a transaction its commit had reached when the process ends in the middle of it,
     * killed or by a signal: of 100,000 rows a delta updated, 24,816 changed and the others not, with no history entry,
     * and the next apply went on as if nothing were amiss. A commit is now marked as it begins, and a mark left makes
     * the next apply stop, naming the delta, until -Ddsynq.force tells it to go on from what the history says. Killed
     * here as the mark is made, before H2 commits anything, so that the outcome does not hang on timing.
     */
    @Test
    void anH2FileDatabaseKilledAsADeltaCommitsStopsTheNextApplyUntilForced() throws Exception {
        try (TestDatabase database = TestServers.create(Engine.H2, tmp.resolve("db"), "killed")) {
            database.execute(
                    "CREATE TABLE item (id INT PRIMARY KEY, code INT NOT NULL)",
                    "INSERT INTO item SELECT X, X FROM SYSTEM_RANGE(1, 3)");
            Path deltas = tmp.resolve("deltas");
            Files.createDirectories(deltas.resolve("db/delta/" + DELTA));
            Files.writeString(deltas.resolve("db/delta/" + DELTA + "/item.u.csv"), "id,code\n1,-1\n2,-2\n3,-3\n");

            killPaused(database, deltas, "-- commit begins");

            String cut = "database db: the commit of delta " + DELTA + " did not end, as the process that made it"
                    + " ended in the middle of it (killed, or stopped by Ctrl-C or a CI's SIGTERM), and H2 keeps the"
                    + " part of a transaction its commit had reached then: the database may hold part of it, with or"
                    + " without its history entry";
            String refused = cut + ". Check the tables it changes against it, or build the database again; then run"
                    + " again with -Ddsynq.force to go on from what the history says";
            assertThatThrownBy(() -> database.dsynq(deltas).build().apply(ApplyRequest.latest()))
                    .hasMessage(refused);
            assertThatThrownBy(() -> database.dsynq(deltas).build().check(ApplyRequest.latest()))
                    .hasMessage(refused); // before any of several databases moves
            assertThat(sums(database)).isEqualTo(6);

            List<String> warned = new ArrayList<>();
            DsynqListener listener = new DsynqListener() {
                @Override
                public void warn(String message) {
                    warned.add(message);
                }
            };
            database.dsynq(deltas).listener(listener).build().status();
            database.dsynq(deltas)
                    .listener(listener)
                    .build()
                    .apply(ApplyRequest.latest().force(true));
            assertThat(warned)
                    .containsExactly(
                            cut + "; an apply or a rollback stops until it is checked, or goes on from what the history"
                                    + " says with -Ddsynq.force",
                            cut + "; going on from what the history says, as -Ddsynq.force asks");
            assertThat(sums(database)).isEqualTo(-6);
            database.dsynq(deltas).listener(listener).build().apply(ApplyRequest.to("0"));
            assertThat(sums(database)).isEqualTo(6);
            assertThat(warned).hasSize(2);
            assertThat(tablesLike(database, "DSYNQ\\_HISTORY\\_COMMIT")).isZero();
        }
    }

    /**
     * A user who may change the tables but not drop them failed every apply and rollback with 'Not enough rights for
     * object "PUBLIC.DSYNQ_STAGE_…"' once a killed apply of an admin had left a staging table: it stages in temporary
     * tables and leaves those to the next apply of an admin.
     */
    @Test
    void aUserWhoMayNotDropTablesAppliesPastTheStagingTableAKilledApplyLeft() throws Exception {
        try (TestDatabase database = TestServers.create(Engine.H2, tmp.resolve("db"), "killed")) {
            database.execute(
                    "CREATE TABLE item (id INT PRIMARY KEY, code INT NOT NULL)", "INSERT INTO item VALUES (1, 1)");
            Path deltas = tmp.resolve("deltas");
            Files.createDirectories(deltas.resolve("db/delta/" + DELTA));
            database.dsynq(deltas).build().apply(ApplyRequest.to("0")); // the history, made by the admin
            database.execute(
                    "CREATE TABLE dsynq_stage_0badf00d_1 AS SELECT CAST(0 AS BIGINT) AS dsynq_line, id FROM item"
                            + " WHERE 1 = 0", // as an admin's apply killed in its delta leaves it
                    "CREATE USER writer PASSWORD 'secret'",
                    "GRANT SELECT, INSERT, UPDATE, DELETE ON SCHEMA PUBLIC TO writer");
            Files.writeString(deltas.resolve("db/delta/" + DELTA + "/item.u.csv"), "id,code\n1,-1\n");
            List<String> said = new ArrayList<>();
            DsynqListener listener = infoInto(said);

            database.dsynq(deltas)
                    .username("writer")
                    .password("secret")
                    .listener(listener)
                    .build()
                    .apply(ApplyRequest.latest());
            assertThat(sums(database)).isEqualTo(-1);
            assertThat(said).noneMatch(message -> message.contains("dropped"));
            assertThat(stagingTables(database)).isEqualTo(1);

            database.dsynq(deltas).listener(listener).build().apply(ApplyRequest.to("0"));
            assertThat(sums(database)).isEqualTo(1);
            assertThat(said).contains(DROPPED);
            assertThat(stagingTables(database)).isZero();
        }
    }

    /**
     * The table a diff killed in its check of the target's unique indexes leaves (dsynq_stage_twins_…, holding the rows
     * it loaded) was said to be left by an apply or a rollback.
     */
    @Test
    void theStagingTableAKilledDiffLeftIsDroppedNamingDiffs() throws Exception {
        try (TestDatabase database = TestServers.create(Engine.H2, tmp.resolve("db"), "killed")) {
            database.execute(
                    "CREATE TABLE item (id INT PRIMARY KEY, code INT NOT NULL UNIQUE)",
                    "CREATE TABLE dsynq_stage_twins_0badf00d_1 AS SELECT CAST(1 AS BIGINT) AS dsynq_line, code, id"
                            + " FROM (VALUES (1, 1), (2, 1)) v(id, code)"); // as a diff killed in its check leaves it
            Path deltas = Files.createDirectories(tmp.resolve("deltas/db/delta"));
            List<String> said = new ArrayList<>();

            database.dsynq(deltas.getParent().getParent())
                    .listener(infoInto(said))
                    .build()
                    .apply(ApplyRequest.latest());
            assertThat(said).containsExactly(DROPPED);
            assertThat(stagingTables(database)).isZero();
        }
    }

    private static int stagingTables(TestDatabase database) throws Exception {
        return tablesLike(database, "DSYNQ\\_STAGE\\_%");
    }

    /** How many tables have a name {@code LIKE} {@code pattern}, which escapes with a backslash. */
    private static int tablesLike(TestDatabase database, String pattern) throws Exception {
        try (Connection connection = database.connect();
                Statement statement = connection.createStatement();
                ResultSet left = statement.executeQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES"
                        + " WHERE TABLE_NAME LIKE '" + pattern + "' ESCAPE '\\'")) {
            left.next();
            return left.getInt(1);
        }
    }

    /** A listener that keeps the info lines in {@code said}. */
    private static DsynqListener infoInto(List<String> said) {
        return new DsynqListener() {
            @Override
            public void info(String message) {
                said.add(message);
            }
        };
    }

    static long sums(TestDatabase database) throws Exception {
        try (Connection connection = database.connect();
                Statement statement = connection.createStatement();
                ResultSet sum = statement.executeQuery("SELECT SUM(code) FROM item")) {
            sum.next();
            return sum.getLong(1);
        }
    }

    /**
     * Runs {@link Child} on {@code database} and {@code deltas}, paused where it applies the delta at {@code pauseAt}
     * (once the table is updated where none is given), and kills it there.
     */
    private static void killPaused(TestDatabase database, Path deltas, String... pauseAt) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Child.class.getName(),
                database.url(),
                deltas.toString()));
        command.addAll(List.of(pauseAt));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            CompletableFuture<String> paused = CompletableFuture.supplyAsync(() -> waitFor(child, "updated"));
            assertThat(paused.get(120, TimeUnit.SECONDS)).isEqualTo("updated");
            Thread.sleep(3000); // H2 writes its store to the file in the background, about once a second
        } finally {
            child.destroyForcibly();
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
    }

    /** The line of the child's output that starts with {@code word}, read until then. */
    static String waitFor(Process child, String word) {
        try (BufferedReader output =
                new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            StringBuilder seen = new StringBuilder();
            for (String line = output.readLine(); line != null; line = output.readLine()) {
                if (line.startsWith(word)) {
                    return line;
                }
                seen.append(line).append('\n');
            }
            return "the child ended without a line starting with " + word + ":\n" + seen;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Runs in the child JVM: applies the delta and, once its rows are staged and the table updated from them (or at the
     * debug line its third argument names), says so and stops there, in the delta's transaction, to be killed.
     */
    public static final class Child {
        public static void main(String[] args) {
            DsynqListener pausing = new DsynqListener() {
                @Override
                public void debug(String message) {
                    if (message.equals(args.length > 2 ? args[2] : "-- checksum of the delta taken")) {
                        // the table updated, not committed
                        System.out.println("updated");
                        System.out.flush();
                        try {
                            Thread.sleep(Long.MAX_VALUE);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                }
            };
            Dsynq.configure()
                    .database("db")
                    .url(args[0])
                    .username("sa")
                    .password("")
                    .deltaDirectory(Path.of(args[1]))
                    .listener(pausing)
                    .build()
                    .apply(ApplyRequest.latest());
        }
    }
}
