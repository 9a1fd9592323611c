package io.dsynq.core.testing;

import io.dsynq.core.Dsynq;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A database of its own for one test: created empty, dropped by {@link #close()}.
 *
 * @param engine the engine
 * @param url its JDBC URL (no credentials inside)
 * @param username the user
 * @param password the password
 * @param name the database's name on its server
 */
public record TestDatabase(Engine engine, String url, String username, String password, String name)
        implements AutoCloseable {

    /** Opens a connection. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url, username, password);
    }

    /** Runs statements, each on its own. */
    public void execute(String... statements) throws SQLException {
        try (Connection connection = connect();
                Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    /** dsynq configured for this database, which it calls {@code db}, with the deltas under {@code deltas}. */
    public Dsynq.Builder dsynq(Path deltas) {
        return Dsynq.configure()
                .database("db")
                .url(url)
                .username(username)
                .password(password)
                .deltaDirectory(deltas);
    }

    @Override
    public void close() {
        TestServers.drop(this);
    }
}
