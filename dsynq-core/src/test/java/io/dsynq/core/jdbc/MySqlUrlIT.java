package io.dsynq.core.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.dsynq.core.ApplyRequest;
import io.dsynq.core.Dsynq;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A {@code jdbc:mysql:} URL, as MySQL's users write it, reaches the server through the driver dsynq carries. */
class MySqlUrlIT {

    @TempDir
    Path tmp;

    @Test
    void aMySqlUrlAppliesAndRollsBack() throws Exception {
        try (TestDatabase database = TestServers.create(Engine.MARIADB)) {
            database.execute(
                    "CREATE TABLE item (id INT PRIMARY KEY, name VARCHAR(20))", "INSERT INTO item VALUES (1, 'One')");
            Path delta = Files.createDirectories(tmp.resolve("db/delta/1700000001.000000"));
            Files.writeString(delta.resolve("item.i.csv"), "id,name\n2,Two\n");
            Files.writeString(delta.resolve("item.d.csv"), "id\n1\n");
            assertThat(database.url()).startsWith("jdbc:mariadb:");
            Dsynq dsynq = database.dsynq(tmp)
                    .url(database.url().replaceFirst("^jdbc:mariadb:", "jdbc:mysql:"))
                    .build();

            dsynq.apply(ApplyRequest.latest());
            assertThat(names(database)).containsExactly("Two");
            dsynq.apply(ApplyRequest.offset(-1));
            assertThat(names(database)).containsExactly("One");
        }
    }

    private static List<String> names(TestDatabase database) throws Exception {
        try (Connection connection = database.connect();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT name FROM item ORDER BY id")) {
            List<String> names = new ArrayList<>();
            while (rows.next()) {
                names.add(rows.getString(1));
            }
            return names;
        }
    }
}
