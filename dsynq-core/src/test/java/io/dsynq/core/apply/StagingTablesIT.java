package io.dsynq.core.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.dsynq.core.ApplyRequest;
import io.dsynq.core.Dsynq;
import io.dsynq.core.DsynqListener;
import io.dsynq.core.jdbc.Dialect;
import io.dsynq.core.testing.Engine;
import io.dsynq.core.testing.TestDatabase;
import io.dsynq.core.testing.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/** The staging tables of a session, dropped once its transaction ended. */
class StagingTablesIT {

    private static final int TABLES = 20;

    @TempDir
    Path tmp;

    /**
     * A rollback staged each file of its guard and of its reverse in a table of its own, and a transaction holds a lock
     * on each table it made until it ends: rolling back a delta that inserts, updates and deletes rows of 1,300
     * PostgreSQL tables made 6,500, and the server ran out of shared memory, asking for more {@code
     * max_locks_per_transaction}, where the apply had made 3,900. A guard's table, once compared, is taken again by
     * the reverse's file of the same table and columns: a rollback makes no more than its apply, on the strict path
     * (a table in several files, a table identified by whole rows) and on the fast one (a table in one file); where
     * the rows of a table repeat, one more.
     */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void aRollbackMakesNoMoreStagingTablesThanItsApply(Engine engine) throws Exception {
        try (TestDatabase database = TestServers.create(engine)) {
            List<String> ddl = new ArrayList<>();
            List<String> wholeRows = new ArrayList<>();
            Path strict = tmp.resolve("deltas/db/delta/1700000001.000000");
            Path fast = tmp.resolve("deltas/db/delta/1700000002.000000");
            Files.createDirectories(strict);
            Files.createDirectories(fast);
            for (int t = 0; t < TABLES; t++) {
                boolean keyed = t % 4 != 0;
                if (!keyed) {
                    wholeRows.add("t" + t + ":*");
                }
                ddl.add("CREATE TABLE t" + t + " (id INT" + (keyed ? " PRIMARY KEY" : "")
                        + ", name VARCHAR(20), v INT)");
                ddl.add("INSERT INTO t" + t + " VALUES (1, 'a', 1), (2, 'b', 2), (3, 'c', 3)");
                Files.writeString(strict.resolve("t" + t + ".i.csv"), "id,name,v\n4,d,4\n");
                Files.writeString(strict.resolve("t" + t + ".d.csv"), keyed ? "id\n3\n" : "id,name,v\n3,c,3\n");
                if (keyed) {
                    Files.writeString(strict.resolve("t" + t + ".u.csv"), "id,v\n2,20\n");
                    Files.writeString(fast.resolve("t" + t + ".u.csv"), "id,name\n1,z\n");
                }
            }
            database.execute(ddl.toArray(String[]::new));
            AtomicInteger made = new AtomicInteger();
            Dsynq dsynq = database.dsynq(tmp.resolve("deltas"))
                    .keys(wholeRows)
                    .listener(new DsynqListener() {
                        @Override
                        public void debug(String message) {
                            if (message.toUpperCase(Locale.ROOT)
                                    .matches("CREATE ((LOCAL )?TEMPORARY )?TABLE DSYNQ_STAGE_.*")) {
                                made.incrementAndGet();
                            }
                        }
                    })
                    .build();
            List<String> before = contents(database);

            dsynq.apply(ApplyRequest.to("1700000001.000000"));
            int strictApply = made.getAndSet(0);
            List<String> between = contents(database);
            dsynq.apply(ApplyRequest.latest());
            int fastApply = made.getAndSet(0);
            dsynq.apply(ApplyRequest.offset(-1));
            int fastRollback = made.getAndSet(0);
            assertThat(contents(database)).isEqualTo(between);
            dsynq.apply(ApplyRequest.offset(-1));
            int strictRollback = made.getAndSet(0);

            assertThat(contents(database)).isEqualTo(before);
            assertThat(strictApply).isPositive();
            assertThat(fastApply).isPositive();
            // but for a table identified by whole rows, whose guard is compared with the reverse while both are staged
            assertThat(strictRollback)
                    .as("made by the strict rollback, the strict apply making " + strictApply)
                    .isLessThanOrEqualTo(strictApply + wholeRows.size());
            assertThat(fastRollback)
                    .as("made by the fast rollback, the fast apply making " + fastApply)
                    .isLessThanOrEqualTo(fastApply);
        }
    }

    /**
     * On an H2 file database, a staging table made apart was no session's until its first rows came: an apply starting
     * meanwhile (under another history table's lock) took it for a killed apply's leftover and dropped it.
     */
    @Test
    void aTableMadeApartIsTheSessionsAtOnce() throws Exception {
        try (TestDatabase database = TestServers.create(Engine.H2, tmp.resolve("apart"), "apart");
                Connection connection = database.connect();
                Connection maker = database.connect();
                Connection other = database.connect()) {
            Dialect dialect = Dialect.of(connection);
            dialect.prepare(connection);
            assertThat(dialect.stagesApart()).isTrue();
            connection.setAutoCommit(false);
            JdbcTemplate jdbc = new JdbcTemplate(new SingleConnectionDataSource(connection, true));
            StagingTables staging = new StagingTables(
                    jdbc, new JdbcTemplate(new SingleConnectionDataSource(maker, true)), dialect, DsynqListener.SILENT);

            String name = staging.take(n -> "CREATE TABLE " + n + " (x INT)", (on, sql) -> on.execute(sql));

            JdbcTemplate elsewhere = new JdbcTemplate(new SingleConnectionDataSource(other, true));
            assertThat(elsewhere.queryForList(dialect.leftoverStagings(), String.class))
                    .isEmpty();
            connection.rollback();
            assertThat(elsewhere.queryForList(dialect.leftoverStagings(), String.class))
                    .singleElement(InstanceOfAssertFactories.STRING)
                    .endsWith(name.toUpperCase(Locale.ROOT) + "\"");
            staging.dropAll();
            assertThat(elsewhere.queryForList(dialect.leftoverStagings(), String.class))
                    .isEmpty();
        }
    }

    /** Every row of every table, in order. */
    private static List<String> contents(TestDatabase database) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection connection = database.connect();
                Statement statement = connection.createStatement()) {
            for (int t = 0; t < TABLES; t++) {
                try (ResultSet result = statement.executeQuery("SELECT id, name, v FROM t" + t + " ORDER BY id, v")) {
                    while (result.next()) {
                        rows.add("t" + t + "|" + result.getInt(1) + "|" + result.getString(2) + "|" + result.getInt(3));
                    }
                }
            }
        }
        return rows;
    }

    /**
     * Each staging table was dropped with a statement of its own: a delta over 500 tables made a thousand, whose
     * drops took a quarter of its apply. They are dropped a hundred at a time.
     */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void manyStagingTablesAreDroppedInFewStatements(Engine engine) throws Exception {
        try (TestDatabase database = TestServers.create(engine);
                Connection connection = database.connect()) {
            AtomicInteger statements = new AtomicInteger();
            JdbcTemplate jdbc = new JdbcTemplate(new SingleConnectionDataSource(connection, true)) {
                @Override
                public void execute(String sql) {
                    statements.incrementAndGet();
                    super.execute(sql);
                }
            };
            StagingTables staging = new StagingTables(jdbc, jdbc, Dialect.of(connection), DsynqListener.SILENT);
            String create = engine == Engine.H2 ? "CREATE LOCAL TEMPORARY TABLE " : "CREATE TEMPORARY TABLE ";
            List<String> names = new ArrayList<>();
            try (var statement = connection.createStatement()) {
                for (int i = 0; i < 250; i++) {
                    names.add(staging.next());
                    statement.execute(create + names.get(i) + " (x INT)");
                }
            }

            staging.dropAll();

            assertThat(statements).hasValue(3);
            try (var statement = connection.createStatement()) {
                for (String name : names) { // each is gone: it can be made again
                    statement.execute(create + name + " (x INT)");
                }
            }
        }
    }
}
