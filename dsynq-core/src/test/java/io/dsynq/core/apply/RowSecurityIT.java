package io.dsynq.core.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dsynq.core.ApplyRequest;
import io.dsynq.core.Dsynq;
import io.dsynq.core.diff.DiffRequest;
import io.dsynq.core.jdbc.ConnectionSpec;
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
 * A PostgreSQL table whose row-level security applies to dsynq's user shows it only some of its rows: a delta or a
 * diff that read it would see a half-truth, so one that reaches such a table is refused before it writes anything.
 */
class RowSecurityIT {

    @TempDir
    Path tmp;

    /**
     * The owner of a table with FORCE ROW LEVEL SECURITY did not see the row a policy hid: a delta deleting it failed
     * saying there was no such row, and a diff toward a database holding it did not see it to delete.
     */
    @Test
    void aTableWhosePoliciesHideRowsFromTheUserIsRefused() throws Exception {
        String user = null;
        try (TestDatabase target = TestServers.create(Engine.POSTGRESQL);
                TestDatabase source = TestServers.create(Engine.POSTGRESQL)) {
            // a user of the test's own, who owns the table and is no superuser: its policies apply to it where forced
            user = target.name() + "_owner";
            target.execute(
                    "CREATE ROLE " + user + " LOGIN",
                    "GRANT ALL ON SCHEMA public TO " + user,
                    "CREATE TABLE item (id INT PRIMARY KEY, name VARCHAR(10), hidden BOOLEAN NOT NULL)",
                    "INSERT INTO item VALUES (1, 'one', false), (2, 'two', true)",
                    "ALTER TABLE item OWNER TO " + user,
                    "ALTER TABLE item ENABLE ROW LEVEL SECURITY",
                    "ALTER TABLE item FORCE ROW LEVEL SECURITY",
                    "CREATE POLICY shown ON item USING (NOT hidden) WITH CHECK (true)");
            source.execute("CREATE TABLE item (id INT PRIMARY KEY, name VARCHAR(10), hidden BOOLEAN NOT NULL)");
            Path delta = Files.createDirectories(tmp.resolve("db/delta/1700000001.000000"));
            Files.writeString(delta.resolve("item.d.csv"), "id\n2\n");
            Dsynq dsynq = target.dsynq(tmp).username(user).password("").build();

            assertThatThrownBy(() -> dsynq.apply(ApplyRequest.latest()))
                    .hasMessage("database db, delta 1700000001.000000, file item.d.csv: table item has row-level"
                            + " security that applies to its user, which hides rows from dsynq: it could"
                            + " neither check nor restore them; apply deltas as a user it does not apply to (its"
                            + " owner where it is not forced, or one with BYPASSRLS)");
            assertThat(rows(target)).containsExactly("1 one", "2 two");

            Files.delete(delta.resolve("item.d.csv"));
            Files.delete(delta);
            assertThatThrownBy(() -> dsynq.diff(DiffRequest.against(
                            "source", new ConnectionSpec(source.url(), source.username(), source.password()))))
                    .hasMessage("table item of target (db, PostgreSQL) has row-level security that applies to its"
                            + " user, which hides rows from dsynq, so a diff would compare only the rows it shows;"
                            + " diff as a user it does not apply to (its owner where it is not forced, or one with"
                            + " BYPASSRLS), or leave it out with -Ddsynq.exclude=item");
            assertThat(Files.list(tmp.resolve("db/delta"))).isEmpty();
        } finally {
            try (TestDatabase cleanup = TestServers.create(Engine.POSTGRESQL)) {
                cleanup.execute("DROP ROLE IF EXISTS " + user);
            }
        }
    }

    private static List<String> rows(TestDatabase database) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection connection = database.connect();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT id, name FROM item ORDER BY id")) {
            while (result.next()) {
                rows.add(result.getInt(1) + " " + result.getString(2));
            }
        }
        return rows;
    }
}
