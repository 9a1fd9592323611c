package io.dsynq.core.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.dsynq.core.ApplyRequest;
import io.dsynq.core.Dsynq;
import io.dsynq.core.DsynqListener;
import io.dsynq.core.testing.Engine;
import io.dsynq.core.testing.TestDatabase;
import io.dsynq.core.testing.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL: rolling back a large delete vacuums the table first, so the rows go back in without visiting their
 * deleted twins, and the rows are back exactly; a small one leaves the table to autovacuum.
 */
class VacuumIT {

    @TempDir
    Path tmp;

    @Test
    void rollingBackALargeDeleteVacuumsTheTableFirst() throws Exception {
        StringBuilder insert = new StringBuilder("id,name\n");
        StringBuilder delete = new StringBuilder("id\n");
        for (int id = 1; id <= 12_000; id++) {
            insert.append(id).append(",row ").append(id).append('\n');
            delete.append(id).append('\n');
        }
        delta("1700000001.000000", "item.i.csv", insert.toString());
        delta("1700000001.000000", "tag.i.csv", "id,name\n1,red\n");
        delta("1700000002.000000", "item.d.csv", delete.toString());
        delta("1700000003.000000", "tag.d.csv", "id\n1\n");
        List<String> said = new CopyOnWriteArrayList<>();
        try (TestDatabase database = TestServers.create(Engine.POSTGRESQL)) {
            database.execute(
                    "CREATE TABLE item (id INT PRIMARY KEY, name VARCHAR(20))",
                    "CREATE TABLE tag (id INT PRIMARY KEY, name VARCHAR(20))");
            Dsynq dsynq = database.dsynq(tmp.resolve("deltas"))
                    .listener(new DsynqListener() {
                        @Override
                        public void debug(String message) {
                            if (message.startsWith("-- dead rows cleared")) {
                                said.add(message);
                            }
                        }
                    })
                    .build();
            dsynq.apply(ApplyRequest.latest());
            assertThat(count(database, "item") + count(database, "tag")).isZero();

            dsynq.apply(ApplyRequest.offset(-1));
            assertThat(said)
                    .as("a delete of one row leaves the table to autovacuum")
                    .isEmpty();
            assertThat(count(database, "tag")).isEqualTo(1);

            dsynq.apply(ApplyRequest.offset(-1));
            assertThat(said).containsExactly("-- dead rows cleared from [public.item]");
            assertThat(count(database, "item")).isEqualTo(12_000);
        }
    }

    private void delta(String id, String file, String content) throws Exception {
        Path folder = Files.createDirectories(tmp.resolve("deltas/db/delta/" + id));
        Files.writeString(folder.resolve(file), content);
    }

    private static long count(TestDatabase database, String table) throws Exception {
        return single(database, "SELECT COUNT(*) FROM " + table);
    }

    private static long single(TestDatabase database, String sql) throws Exception {
        try (Connection connection = database.connect();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
