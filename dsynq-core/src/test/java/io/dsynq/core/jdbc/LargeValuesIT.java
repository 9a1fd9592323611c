package io.dsynq.core.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.dsynq.core.DsynqListener;
import io.dsynq.core.model.TableName;
import io.dsynq.core.testing.Engine;
import io.dsynq.core.testing.TestDatabase;
import io.dsynq.core.testing.TestServers;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Values of many megabytes on their way into a database. */
class LargeValuesIT {

    private static final int SIZE = 8_000_000;

    /**
     * PostgreSQL's bulk path held a binary value again as bytes, as hex, in a buffer grown by doubling to hold the
     * whole row, as that buffer's text and as the text's bytes: applying a delta that set a 20 MB value ran out of a
     * heap of 256 MB, and the buffer kept that size. Values go on to the server a piece at a time.
     */
    @Test
    void aPostgreSqlCopyTakesALargeValueAPieceAtATime() throws Exception {
        try (TestDatabase database = TestServers.create(Engine.POSTGRESQL);
                Connection connection = database.connect();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE big (id INT PRIMARY KEY, b BYTEA, t TEXT)");
            Dialect dialect = Dialect.of(connection);
            List<Column> columns = new DatabaseCatalog(connection, dialect, Map.of(), DsynqListener.SILENT)
                    .table(TableName.parse("big"))
                    .columns();
            byte[] bytes = new byte[SIZE];
            for (int i = 0; i < SIZE; i++) {
                bytes[i] = (byte) (i * 31);
            }
            String binary = Base64.getEncoder().encodeToString(bytes);
            String text = "x\tä\\".repeat(SIZE / 4);
            MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
            connection.setAutoCommit(false);

            long kept;
            try (StagingLoader loader = dialect.loader(connection, "big", null, columns)) {
                loader.add(2, new String[] {"0", "AAEC", "warm-up"}, null);
                memory.gc();
                long before = memory.getHeapMemoryUsage().getUsed();
                loader.add(3, new String[] {"1", binary, text}, null);
                memory.gc();
                kept = memory.getHeapMemoryUsage().getUsed() - before;
                loader.finish();
            }
            connection.commit();

            assertThat(kept).isLessThan(SIZE / 4);
            try (ResultSet row = statement.executeQuery("SELECT b, t FROM big WHERE id = 1")) {
                assertThat(row.next()).isTrue();
                assertThat(row.getBytes(1)).isEqualTo(bytes);
                assertThat(row.getString(2)).isEqualTo(text);
            }
        }
    }
}
