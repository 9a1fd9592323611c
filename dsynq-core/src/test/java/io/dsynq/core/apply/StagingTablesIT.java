package io.dsynq.core.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.dsynq.core.DsynqListener;
import io.dsynq.core.jdbc.Dialect;
import io.dsynq.core.testing.Engine;
import io.dsynq.core.testing.TestDatabase;
import io.dsynq.core.testing.TestServers;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/** The staging tables of a session, dropped once its transaction ended. */
class StagingTablesIT {

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
            StagingTables staging = new StagingTables(jdbc, Dialect.of(connection), DsynqListener.SILENT);
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
