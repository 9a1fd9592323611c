package io.dsynq.core.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dsynq.core.ApplyRequest;
import io.dsynq.core.Dsynq;
import io.dsynq.core.DsynqListener;
import io.dsynq.core.diff.DiffRequest;
import io.dsynq.core.diff.DiffResult;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A MariaDB table whose storage engine has no transactions keeps what a statement wrote when the delta's transaction
 * rolls back: a delta that fails after writing to it would be half-applied, so one that changes such a table is
 * refused before it writes anything.
 */
class NonTransactionalIT {

    @TempDir
    Path tmp;

    /**
     * A delta inserting into a MyISAM table, then failing on another table, left its insert behind: the build failed
     * naming the other file, the history said the delta was not applied, and the MyISAM table held its row.
     */
    @ParameterizedTest
    @ValueSource(strings = {"MyISAM", "Aria", "MEMORY"})
    void aDeltaChangingATableWithoutTransactionsIsRefusedBeforeItWrites(String engine) throws Exception {
        try (TestDatabase database = TestServers.create(Engine.MARIADB)) {
            database.execute(
                    "CREATE TABLE item (id INT PRIMARY KEY, name VARCHAR(10)) ENGINE=" + engine,
                    "INSERT INTO item VALUES (1, 'one')",
                    "CREATE TABLE other (id INT PRIMARY KEY, name VARCHAR(10)) ENGINE=InnoDB");
            Path delta = Files.createDirectories(tmp.resolve("db/delta/1700000001.000000"));
            Files.writeString(delta.resolve("item.i.csv"), "id,name\n2,two\n");
            // no row 7 to update: the delta fails after its inserts
            Files.writeString(delta.resolve("other.u.csv"), "id,name\n7,seven\n");
            Dsynq dsynq = database.dsynq(tmp).build();

            assertThatThrownBy(() -> dsynq.apply(ApplyRequest.latest()))
                    .hasMessage("database db, delta 1700000001.000000, file item.i.csv: table item is stored by "
                            + engine + ", which has no transactions: dsynq applies a delta in one transaction, and one"
                            + " that failed after writing there would stay half-applied; convert it to InnoDB (ALTER"
                            + " TABLE item ENGINE=InnoDB)");
            try (Connection connection = database.connect();
                    Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT count(*) FROM item")) {
                rows.next();
                assertThat(rows.getInt(1)).as("rows of item").isEqualTo(1);
            }
        }
    }

    /** A diff toward such a table wrote a delta the apply then refused, and read a source's such table unawares. */
    @Test
    void aDiffWarnsOfTablesWithoutTransactions() throws Exception {
        try (TestDatabase target = TestServers.create(Engine.MARIADB);
                TestDatabase source = TestServers.create(Engine.MARIADB)) {
            target.execute("CREATE TABLE item (id INT PRIMARY KEY, name VARCHAR(10)) ENGINE=MyISAM");
            source.execute(
                    "CREATE TABLE item (id INT PRIMARY KEY, name VARCHAR(10)) ENGINE=Aria",
                    "INSERT INTO item VALUES (1, 'one')");
            List<String> warnings = new ArrayList<>();
            Dsynq dsynq = target.dsynq(tmp)
                    .listener(new DsynqListener() {
                        @Override
                        public void warn(String message) {
                            warnings.add(message);
                        }
                    })
                    .build();

            DiffResult result = dsynq.diff(DiffRequest.against(
                    "source", new ConnectionSpec(source.url(), source.username(), source.password())));

            assertThat(result.tables())
                    .extracting(t -> t.table() + " " + t.inserts())
                    .containsExactly("item 1");
            assertThat(warnings)
                    .containsExactly(
                            "table item of the target is stored by MyISAM, which has no transactions: the apply refuses"
                                    + " a delta that changes it; convert it to InnoDB (ALTER TABLE item ENGINE=InnoDB)",
                            "table item of the source is stored by Aria, which has no transactions: it is read as others"
                                    + " change it, not as of the moment the diff began");
        }
    }

    /**
     * On a server (or session) whose default storage engine is MyISAM, the history tables were made as MyISAM: an entry
     * recorded before the delta's transaction failed would have stayed, the delta recorded as applied and not applied.
     */
    @Test
    void theHistoryIsMadeWithTransactionsWhateverTheDefaultEngine() throws Exception {
        try (TestDatabase database = TestServers.create(Engine.MARIADB)) {
            database.execute("CREATE TABLE item (id INT PRIMARY KEY, name VARCHAR(10)) ENGINE=InnoDB");
            Path delta = Files.createDirectories(tmp.resolve("db/delta/1700000001.000000"));
            Files.writeString(delta.resolve("item.i.csv"), "id,name\n1,one\n");
            String url = database.url() + (database.url().contains("?") ? "&" : "?")
                    + "sessionVariables=default_storage_engine=MyISAM";
            Dsynq dsynq = database.dsynq(tmp).url(url).build();

            dsynq.apply(ApplyRequest.latest());

            assertThat(engines(database)).containsExactly("dsynq_history InnoDB", "dsynq_history_reverse InnoDB");
        }
    }

    /** A history an earlier version made as MyISAM is refused before a delta is applied, naming what to convert. */
    @Test
    void aHistoryWithoutTransactionsIsRefusedBeforeADeltaIsApplied() throws Exception {
        try (TestDatabase database = TestServers.create(Engine.MARIADB)) {
            database.execute("CREATE TABLE item (id INT PRIMARY KEY, name VARCHAR(10)) ENGINE=InnoDB");
            Dsynq dsynq = database.dsynq(tmp).build();
            dsynq.apply(ApplyRequest.latest()); // makes the history, applying nothing
            database.execute("ALTER TABLE dsynq_history ENGINE=MyISAM");
            Path delta = Files.createDirectories(tmp.resolve("db/delta/1700000001.000000"));
            Files.writeString(delta.resolve("item.i.csv"), "id,name\n1,one\n");

            assertThatThrownBy(() -> dsynq.apply(ApplyRequest.latest()))
                    .hasMessage("database db: dsynq's history table dsynq_history is stored by MyISAM, which has no"
                            + " transactions: an entry recorded for a delta that then failed would stay, the delta"
                            + " recorded as applied; convert it to InnoDB (ALTER TABLE dsynq_history ENGINE=InnoDB)");
            try (Connection connection = database.connect();
                    Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT count(*) FROM item")) {
                rows.next();
                assertThat(rows.getInt(1)).as("rows of item").isZero();
            }
        }
    }

    private static List<String> engines(TestDatabase database) throws Exception {
        List<String> engines = new ArrayList<>();
        try (Connection connection = database.connect();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT TABLE_NAME, ENGINE FROM information_schema.TABLES"
                        + " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME LIKE 'dsynq%' ORDER BY TABLE_NAME")) {
            while (rows.next()) {
                engines.add(rows.getString(1) + " " + rows.getString(2));
            }
        }
        return engines;
    }
}
