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
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * dsynq run by a user with only the privileges a team grants: what it lacks is named as a privilege, and nothing
 * is applied.
 */
class PrivilegesIT {

    private static final String PREFIX = "dsynq_priv_";

    @TempDir
    Path tmp;

    /**
     * A user who may change the tables but not create any failed with the server's bare "permission denied for
     * schema public" (PostgreSQL) or "CREATE command denied" (MariaDB), naming neither the history tables nor that
     * an administrator can make them.
     */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void aUserWhoMayNotCreateTablesIsToldWhatTheHistoryNeeds(Engine engine) throws Exception {
        try (TestDatabase database = TestServers.create(engine, null, PREFIX)) {
            database.execute("CREATE TABLE item (id INT PRIMARY KEY, name VARCHAR(10), price INT)");
            String user = createUser(database, "SELECT, INSERT, UPDATE, DELETE");
            try {
                Files.writeString(delta("item.i.csv"), "id,name,price\n1,one,10\n");
                Dsynq dsynq = asUser(database, user);

                if (engine == Engine.H2) { // whose lock, made first, is a table's row
                    assertThatThrownBy(() -> dsynq.apply(ApplyRequest.latest()))
                            .hasMessage("database db: its user may not make or use the table dsynq_history_lock that"
                                    + " holds the dsynq lock (Not enough rights for object \"PUBLIC\"); have a user who"
                                    + " may create tables make it (dsynq:apply -Ddsynq.to=0 as that user does, applying"
                                    + " nothing) and grant this one SELECT, INSERT and UPDATE on it");
                } else {
                    assertThatThrownBy(() -> dsynq.apply(ApplyRequest.latest()))
                            .hasMessageStartingWith("database db: cannot create the history tables dsynq_history and"
                                    + " dsynq_history_reverse, as its user may not create tables here (")
                            .hasMessageEndingWith("); grant it CREATE, or have a user who may create them"
                                    + " (dsynq:apply -Ddsynq.to=0 as that user does, applying nothing) and grant this"
                                    + " one SELECT, INSERT and DELETE on both")
                            .message()
                            .doesNotContain(user);
                }
                assertThat(rows(database, "SELECT count(*) FROM item")).isEqualTo(0);
            } finally {
                dropUser(database, user);
            }
        }
    }

    /**
     * A user without UPDATE on the column a delta sets got "file item.u.csv: the database refused the change", as if
     * the file's rows were at fault; it is now told a privilege is missing, and nothing is applied.
     */
    @ParameterizedTest
    @EnumSource(
            value = Engine.class,
            names = {"POSTGRESQL", "MARIADB"})
    void aUserWhoMayNotUpdateAColumnIsToldAPrivilegeIsMissing(Engine engine) throws Exception {
        try (TestDatabase database = TestServers.create(engine, null, PREFIX)) {
            database.execute(
                    "CREATE TABLE item (id INT PRIMARY KEY, name VARCHAR(10), price INT)",
                    "INSERT INTO item VALUES (1, 'one', 10)");
            Files.writeString(delta("item.i.csv", "1700000000.000000"), "id,name,price\n2,two,20\n");
            database.dsynq(tmp).build().apply(ApplyRequest.latest()); // the history, made by the administrator
            String user = createUser(database, "SELECT, INSERT, DELETE");
            try {
                database.execute("GRANT UPDATE (name) ON item TO " + quoted(database, user));
                for (String history : List.of("dsynq_history", "dsynq_history_reverse")) {
                    database.execute("GRANT SELECT, INSERT, DELETE ON " + history + " TO " + quoted(database, user));
                }
                Files.writeString(delta("item.u.csv"), "id,price\n1,11\n");
                Files.writeString(delta("item.i.csv"), "id,name,price\n3,three,30\n");
                List<String> said = new java.util.concurrent.CopyOnWriteArrayList<>();
                Dsynq dsynq = database.dsynq(tmp)
                        .username(user)
                        .password("secret")
                        .listener(new io.dsynq.core.DsynqListener() {
                            @Override
                            public void debug(String message) {
                                said.add(message);
                            }
                        })
                        .build();

                assertThatThrownBy(() -> dsynq.apply(ApplyRequest.latest()))
                        .hasMessageStartingWith("database db, delta 1700000001.000000, file item.u.csv: its user"
                                + " lacks a privilege this change needs; grant it, or apply as a user who has it: ")
                        .hasMessageContaining("item")
                        .message()
                        .doesNotContain(user);
                assertThat(said).as("ran once").noneMatch(line -> line.contains("going the strict way"));
                assertThat(rows(database, "SELECT price FROM item WHERE id = 1"))
                        .isEqualTo(10);
                assertThat(rows(database, "SELECT count(*) FROM item")).isEqualTo(2);
                assertThat(rows(database, "SELECT count(*) FROM dsynq_history")).isEqualTo(1);
            } finally {
                dropUser(database, user);
            }
        }
    }

    /**
     * A user who may only read the history an administrator made applied the delta's rows and then failed to record
     * it, with the server's bare "permission denied for table dsynq_history"; on MariaDB a user with no privilege on
     * the history, which it then cannot see, but with CREATE, made it "again" (it was there) and failed with "SELECT
     * command denied". The history is now checked before anything is applied, and the error says what to grant.
     */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void aUserWhoMayNotWriteTheHistoryIsToldBeforeAnythingIsApplied(Engine engine) throws Exception {
        try (TestDatabase database = TestServers.create(engine, null, PREFIX)) {
            database.execute("CREATE TABLE item (id INT PRIMARY KEY, name VARCHAR(10), price INT)");
            Files.writeString(delta("item.i.csv", "1700000000.000000"), "id,name,price\n1,one,10\n");
            database.dsynq(tmp).build().apply(ApplyRequest.latest());
            String user = createUser(database, "SELECT, INSERT, UPDATE, DELETE");
            try {
                if (engine == Engine.H2) {
                    database.execute("GRANT SELECT, INSERT, UPDATE ON dsynq_history_lock TO " + user);
                }
                if (engine != Engine.MARIADB) {
                    database.execute("GRANT SELECT ON dsynq_history, dsynq_history_reverse TO " + user);
                } else {
                    database.execute("GRANT CREATE ON " + database.name() + ".* TO " + quoted(database, user));
                }
                Dsynq dsynq = asUser(database, user);
                if (engine != Engine.MARIADB) { // where it sees the history: up to date, it has nothing to write
                    assertThat(dsynq.apply(ApplyRequest.latest()).steps()).isEmpty();
                }
                Files.writeString(delta("item.i.csv"), "id,name,price\n2,two,20\n");

                assertThatThrownBy(() -> dsynq.apply(ApplyRequest.latest()))
                        .hasMessageStartingWith("database db: its user may not write the history tables (")
                        .hasMessageEndingWith(
                                "); grant it SELECT, INSERT and DELETE on dsynq_history and" + " dsynq_history_reverse")
                        .message()
                        .doesNotContain(user);
                assertThat(rows(database, "SELECT count(*) FROM item")).isEqualTo(1);
                assertThat(rows(database, "SELECT count(*) FROM dsynq_history")).isEqualTo(1);
            } finally {
                dropUser(database, user);
            }
        }
    }

    private Path delta(String file) throws Exception {
        return delta(file, "1700000001.000000");
    }

    private Path delta(String file, String id) throws Exception {
        return Files.createDirectories(tmp.resolve("db/delta/" + id)).resolve(file);
    }

    private Dsynq asUser(TestDatabase database, String user) {
        // H2 takes a setting in the URL from its administrators only; the database stays open without it all the same
        String url = database.url().replace(";DB_CLOSE_DELAY=-1", "");
        return database.dsynq(tmp).url(url).username(user).password("secret").build();
    }

    /** A user named after the database, with {@code privileges} on its tables and nothing else. */
    private static String createUser(TestDatabase database, String privileges) throws Exception {
        String user = database.name() + "_u";
        List<String> statements = new ArrayList<>();
        if (database.engine() == Engine.POSTGRESQL) {
            statements.add("CREATE ROLE " + user + " LOGIN PASSWORD 'secret'");
            statements.add("GRANT " + privileges + " ON item TO " + user);
        } else if (database.engine() == Engine.H2) {
            statements.add("CREATE USER " + user + " PASSWORD 'secret'");
            statements.add("GRANT " + privileges + " ON item TO " + user);
        } else {
            statements.add("CREATE USER " + quoted(database, user) + " IDENTIFIED BY 'secret'");
            statements.add("GRANT " + privileges + " ON " + database.name() + ".item TO " + quoted(database, user));
            statements.add("GRANT CREATE TEMPORARY TABLES ON " + database.name() + ".* TO " + quoted(database, user));
        }
        database.execute(statements.toArray(String[]::new));
        return user;
    }

    private static String quoted(TestDatabase database, String user) {
        return database.engine() == Engine.MARIADB ? "'" + user + "'@'%'" : user;
    }

    private static void dropUser(TestDatabase database, String user) throws Exception {
        if (database.engine() == Engine.POSTGRESQL) {
            database.execute("DROP OWNED BY " + user, "DROP ROLE " + user);
        } else if (database.engine() == Engine.H2) {
            database.execute("DROP USER " + user);
        } else {
            database.execute("DROP USER " + quoted(database, user));
        }
    }

    private static long rows(TestDatabase database, String sql) throws Exception {
        try (Connection connection = database.connect();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
