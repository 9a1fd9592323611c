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
    @EnumSource(
            value = Engine.class,
            names = {"POSTGRESQL", "MARIADB"})
    void aUserWhoMayNotCreateTablesIsToldWhatTheHistoryNeeds(Engine engine) throws Exception {
        try (TestDatabase database = TestServers.create(engine, null, PREFIX)) {
            database.execute("CREATE TABLE item (id INT PRIMARY KEY, name VARCHAR(10), price INT)");
            String user = createUser(database, "SELECT, INSERT, UPDATE, DELETE");
            try {
                Files.writeString(delta("item.i.csv"), "id,name,price\n1,one,10\n");
                Dsynq dsynq = asUser(database, user);

                assertThatThrownBy(() -> dsynq.apply(ApplyRequest.latest()))
                        .hasMessageStartingWith("database db: cannot create the history tables dsynq_history and"
                                + " dsynq_history_reverse, as " + user + " may not create tables here (")
                        .hasMessageEndingWith("); grant it CREATE, or have a user who may create them (the first"
                                + " dsynq:apply as that user does) and grant " + user
                                + " SELECT, INSERT and DELETE on both");
                assertThat(rows(database, "SELECT count(*) FROM item")).isEqualTo(0);
            } finally {
                dropUser(database, user);
            }
        }
    }

    private Path delta(String file) throws Exception {
        return Files.createDirectories(tmp.resolve("db/delta/1700000001.000000"))
                .resolve(file);
    }

    private Dsynq asUser(TestDatabase database, String user) {
        return database.dsynq(tmp).username(user).password("secret").build();
    }

    /** A user named after the database, with {@code privileges} on its tables and nothing else. */
    private static String createUser(TestDatabase database, String privileges) throws Exception {
        String user = database.name() + "_u";
        List<String> statements = new ArrayList<>();
        if (database.engine() == Engine.POSTGRESQL) {
            statements.add("CREATE ROLE " + user + " LOGIN PASSWORD 'secret'");
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
        return database.engine() == Engine.POSTGRESQL ? user : "'" + user + "'@'%'";
    }

    private static void dropUser(TestDatabase database, String user) throws Exception {
        if (database.engine() == Engine.POSTGRESQL) {
            database.execute("DROP OWNED BY " + user, "DROP ROLE " + user);
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
