package io.dsynq.core.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

/**
 * A PostgreSQL table with child tables by inheritance: its statements reach its children's rows too, so a delta cannot
 * change its own rows alone and is refused before it writes anything. Its partitions are no such children.
 */
class InheritanceIT {

    @TempDir
    Path tmp;

    /**
     * A delete of a key a child table held deleted the child's row, with the columns only the child has; its rollback
     * inserted the row back into the parent, without them.
     */
    @Test
    void aDeltaChangingATableWithChildTablesIsRefusedBeforeItWrites() throws Exception {
        try (TestDatabase database = TestServers.create(Engine.POSTGRESQL)) {
            database.execute(
                    "CREATE TABLE item (id INT PRIMARY KEY, name VARCHAR(10))",
                    "CREATE TABLE special_item (extra VARCHAR(10), PRIMARY KEY (id)) INHERITS (item)",
                    "INSERT INTO item VALUES (1, 'one')",
                    "INSERT INTO special_item VALUES (2, 'two', 'more')");
            Path delta = Files.createDirectories(tmp.resolve("db/delta/1700000001.000000"));
            Files.writeString(delta.resolve("item.d.csv"), "id\n2\n");
            Dsynq dsynq = database.dsynq(tmp).build();

            assertThatThrownBy(() -> dsynq.apply(ApplyRequest.latest()))
                    .hasMessage("database db, delta 1700000001.000000, file item.d.csv: table item has child tables by"
                            + " inheritance, whose rows its statements reach too, so dsynq cannot change its own alone"
                            + " (a delete of a key a child table holds would delete the child's row, and a rollback"
                            + " would put it back in item); name the child tables in files of their own");
            assertThat(rows(database)).containsExactly("item 1 one", "special_item 2 two");
        }
    }

    /** A child table is a table of its own: a delta changes it, and its rollback puts its rows back in it. */
    @Test
    void aChildTableRoundTrips() throws Exception {
        try (TestDatabase database = TestServers.create(Engine.POSTGRESQL)) {
            database.execute(
                    "CREATE TABLE item (id INT PRIMARY KEY, name VARCHAR(10))",
                    "CREATE TABLE special_item (extra VARCHAR(10), PRIMARY KEY (id)) INHERITS (item)",
                    "INSERT INTO item VALUES (1, 'one')",
                    "INSERT INTO special_item VALUES (2, 'two', 'more')");
            Path delta = Files.createDirectories(tmp.resolve("db/delta/1700000001.000000"));
            Files.writeString(delta.resolve("special_item.d.csv"), "id\n2\n");

            database.dsynq(tmp).build().apply(ApplyRequest.latest());
            assertThat(rows(database)).containsExactly("item 1 one");
            database.dsynq(tmp).build().apply(ApplyRequest.offset(-1));
            assertThat(rows(database)).containsExactly("item 1 one", "special_item 2 two");
        }
    }

    private static List<String> rows(TestDatabase database) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection connection = database.connect();
                Statement statement = connection.createStatement();
                ResultSet result =
                        statement.executeQuery("SELECT tableoid::regclass, id, name FROM item ORDER BY id")) {
            while (result.next()) {
                rows.add(result.getString(1) + " " + result.getInt(2) + " " + result.getString(3));
            }
        }
        return rows;
    }
}
