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
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
