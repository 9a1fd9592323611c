package io.dsynq.it;

import io.dsynq.core.testing.Engine;
import io.dsynq.core.testing.TestDatabase;
import java.sql.SQLException;

/** A database user with a password, allowed everything in one test database; dropped on close. */
final class Users implements AutoCloseable {

    private final Engine engine;

    private final TestDatabase database;

    private final String user;

    private Users(Engine engine, TestDatabase database, String user) {
        this.engine = engine;
        this.database = database;
        this.user = user;
    }

    static Users create(Engine engine, TestDatabase database, String user, String password) throws SQLException {
        switch (engine) {
            case H2 -> database.execute("CREATE USER " + user + " PASSWORD '" + password + "' ADMIN");
            case POSTGRESQL -> database.execute(
                    "CREATE ROLE " + user + " LOGIN PASSWORD '" + password + "'",
                    "ALTER DATABASE " + database.name() + " OWNER TO " + user,
                    "GRANT ALL ON ALL TABLES IN SCHEMA public TO " + user);
            case MARIADB -> database.execute(
                    "CREATE USER '" + user + "'@'%' IDENTIFIED BY '" + password + "'",
                    "CREATE USER '" + user + "'@'localhost' IDENTIFIED BY '" + password + "'",
                    "GRANT ALL ON " + database.name() + ".* TO '" + user + "'@'%'",
                    "GRANT ALL ON " + database.name() + ".* TO '" + user + "'@'localhost'");
        }
        return new Users(engine, database, user);
    }

    @Override
    public void close() throws SQLException {
        switch (engine) {
            case H2 -> database.execute("DROP USER " + user);
            case POSTGRESQL -> database.execute(
                    "ALTER DATABASE " + database.name() + " OWNER TO CURRENT_USER",
                    "REASSIGN OWNED BY " + user + " TO CURRENT_USER",
                    "DROP OWNED BY " + user,
                    "DROP ROLE " + user);
            case MARIADB -> database.execute("DROP USER '" + user + "'@'%'", "DROP USER '" + user + "'@'localhost'");
        }
    }
}
