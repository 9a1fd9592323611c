package io.dsynq.core.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.dsynq.core.ApplyRequest;
import io.dsynq.core.Dsynq;
import io.dsynq.core.DsynqListener;
import io.dsynq.core.diff.DiffRequest;
import io.dsynq.core.jdbc.ConnectionSpec;
import io.dsynq.core.testing.Engine;
import io.dsynq.core.testing.TestDatabase;
import io.dsynq.core.testing.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A build stopped by a signal ({@code SIGTERM} from CI, Ctrl-C's {@code SIGINT}) in the middle of a goal: the JVM runs
 * its shutdown hooks, not the goal's {@code finally} blocks, and an apply's reverse delta or a diff's gathered rows
 * stayed in the temporary folder, as large as the rows they held, one more folder for each build stopped.
 */
class SignalledProcessIT {

    private static final String DELTA = "1700000001.000000";

    private static final int ROWS = 1000;

    @TempDir
    Path tmp;

    @Test
    void anApplyStoppedInItsDeltaLeavesNothingInTheTemporaryFolder() throws Exception {
        try (TestDatabase database = TestServers.create(Engine.H2, tmp.resolve("db"), "signalled")) {
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
            Path temporary = Files.createDirectories(tmp.resolve("temporary"));

            stop(child(temporary, "apply", database.url(), deltas.toString()), "paused");

            assertThat(listed(temporary)).isEmpty();
            assertThat(KilledProcessIT.sums(database)).isEqualTo(ROWS * (ROWS + 1L) / 2);
            database.dsynq(deltas).build().apply(ApplyRequest.latest());
            assertThat(KilledProcessIT.sums(database)).isEqualTo(-ROWS * (ROWS + 1L) / 2);
        }
    }

    @Test
    void aDiffStoppedAsItComparesLeavesNothingInTheTemporaryFolderNorADelta() throws Exception {
        try (TestDatabase target = TestServers.create(Engine.H2, tmp.resolve("target"), "signalled");
                TestDatabase source = TestServers.create(Engine.H2, tmp.resolve("source"), "signalled")) {
            for (TestDatabase database : List.of(target, source)) {
                database.execute(
                        "CREATE TABLE item (id INT PRIMARY KEY, code INT NOT NULL)",
                        "INSERT INTO item SELECT X, X FROM SYSTEM_RANGE(1, " + ROWS + ")");
            }
            source.execute("UPDATE item SET code = -code");
            Path deltas = tmp.resolve("deltas");
            Path temporary = Files.createDirectories(tmp.resolve("temporary"));

            stop(child(temporary, "diff", target.url(), deltas.toString(), source.url()), "paused");

            assertThat(listed(temporary)).isEmpty();
            assertThat(listed(deltas.resolve("db"))).isEmpty();
        }
    }

    /** The child JVM running {@link Child} with {@code arguments}, its temporary folder {@code temporary}. */
    private static Process child(Path temporary, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + temporary,
                "-cp",
                System.getProperty("java.class.path"),
                Child.class.getName()));
        command.addAll(List.of(arguments));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    /** Waits for the child's line starting with {@code word}, then sends it {@code SIGTERM} and waits for its end. */
    private static void stop(Process child, String word) throws Exception {
        try {
            CompletableFuture<String> paused =
                    CompletableFuture.supplyAsync(() -> KilledProcessIT.waitFor(child, word));
            assertThat(paused.get(120, TimeUnit.SECONDS)).isEqualTo(word);
            child.destroy(); // SIGTERM: the shutdown hooks run
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue()).isEqualTo(143);
        } finally {
            child.destroyForcibly();
        }
    }

    /** The names in {@code folder}, none where it does not exist. */
    private static List<String> listed(Path folder) throws Exception {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            return paths.filter(p -> !p.equals(folder))
                    .map(p -> folder.relativize(p).toString())
                    .toList();
        }
    }

    /**
     * Runs in the child JVM: applies the delta, or diffs the database with another, and stops where its scratch is
     * written, saying "paused", to be signalled: an apply once the delta's checksum is taken (the table updated, the
     * reverse delta written, not committed), a diff once it compared the table (its rows gathered, no delta written).
     */
    public static final class Child {
        public static void main(String[] args) {
            String pauseAt = args[0].equals("apply") ? "-- checksum of the delta taken" : "  item: ";
            DsynqListener pausing = new DsynqListener() {
                @Override
                public void debug(String message) {
                    pauseAt(message);
                }

                @Override
                public void info(String message) {
                    pauseAt(message);
                }

                private void pauseAt(String message) {
                    if (message.startsWith(pauseAt)) {
                        System.out.println("paused");
                        System.out.flush();
                        try {
                            Thread.sleep(Long.MAX_VALUE);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                }
            };
            Dsynq dsynq = Dsynq.configure()
                    .database("db")
                    .url(args[1])
                    .username("sa")
                    .password("")
                    .deltaDirectory(Path.of(args[2]))
                    .listener(pausing)
                    .build();
            if (args[0].equals("apply")) {
                dsynq.apply(ApplyRequest.latest());
            } else {
                dsynq.diff(DiffRequest.against("source", new ConnectionSpec(args[3], "sa", "")));
            }
        }
    }
}
