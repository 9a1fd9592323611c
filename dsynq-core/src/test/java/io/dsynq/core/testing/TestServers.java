package io.dsynq.core.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds the PostgreSQL and MariaDB servers tests run against, and makes a fresh database on them per test.
 *
 * <p>Where a server comes from, first found wins:
 *
 * <ol>
 *   <li>the system properties {@code dsynq.test.postgresql.url} / {@code dsynq.test.mariadb.url} (with
 *       {@code .user} and {@code .password}), or the environment variables {@code DSYNQ_TEST_POSTGRESQL_URL},
 *       {@code DSYNQ_TEST_MARIADB_URL} (with {@code _USER} and {@code _PASSWORD}); the URL names any database
 *       the user may connect to, and the user must be allowed to create databases;
 *   <li>a server on its standard port of this machine: {@code jdbc:postgresql://127.0.0.1:5432/postgres} as
 *       {@code postgres}, {@code jdbc:mariadb://127.0.0.1:3306/} as {@code root}, both without password;
 *   <li>a Testcontainers container, where Docker runs;
 *   <li>otherwise the test is skipped, and <b>fails</b> when the environment variable {@code CI} is
 *       {@code true}, so CI can never pass without both servers.
 * </ol>
 *
 * <p>H2 needs none of this: it runs in process.
 */
public final class TestServers {

    private record Server(String url, String username, String password, Object container) {}

    private static final Map<Engine, Server> SERVERS = new EnumMap<>(Engine.class);

    private static final Map<Engine, String> UNAVAILABLE = new EnumMap<>(Engine.class);

    private TestServers() {}

    /** A new, empty database on {@code engine}; the test is skipped (or fails under CI) without a server. */
    public static TestDatabase create(Engine engine) {
        return create(engine, null);
    }

    /**
     * A new, empty database on {@code engine}; H2 as a file database in {@code folder} that other processes can
     * open too (auto-server mode), or in memory when {@code folder} is null.
     */
    public static TestDatabase create(Engine engine, java.nio.file.Path folder) {
        return create(engine, folder, "dsynq_t_");
    }

    /**
     * A new, empty database on {@code engine} whose name starts with {@code prefix}, so that the tests of one
     * feature can be told apart from (and never collide with) others running on the same servers.
     */
    public static TestDatabase create(Engine engine, java.nio.file.Path folder, String prefix) {
        return create(engine, folder, prefix, "");
    }

    /**
     * A new, empty database on a server {@code engine}, made with {@code options} after {@code CREATE DATABASE name}
     * (such as PostgreSQL's {@code ENCODING}); H2 takes none.
     */
    public static TestDatabase create(Engine engine, java.nio.file.Path folder, String prefix, String options) {
        String name = prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        if (engine == Engine.H2) {
            String url = folder == null
                    ? "jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1"
                    : "jdbc:h2:file:" + folder.resolve(name).toAbsolutePath() + ";AUTO_SERVER=TRUE;AUTO_RECONNECT=TRUE";
            return new TestDatabase(engine, url, "sa", "", name);
        }
        Server server = server(engine);
        try (Connection connection = DriverManager.getConnection(server.url(), server.username(), server.password());
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name + options);
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "cannot create a test database on " + server.url() + ": " + e.getMessage(), e);
        }
        return new TestDatabase(
                engine, databaseUrl(engine, server.url(), name), server.username(), server.password(), name);
    }

    /** Drops a database {@link #create} made. */
    static void drop(TestDatabase database) {
        if (database.engine() == Engine.H2) {
            try (Connection connection = database.connect();
                    Statement statement = connection.createStatement()) {
                statement.execute("SHUTDOWN");
            } catch (SQLException e) {
                // already gone
            }
            return;
        }
        Server server = SERVERS.get(database.engine());
        try (Connection connection = DriverManager.getConnection(server.url(), server.username(), server.password());
                Statement statement = connection.createStatement()) {
            statement.execute(
                    database.engine() == Engine.POSTGRESQL
                            ? "DROP DATABASE IF EXISTS " + database.name() + " WITH (FORCE)"
                            : "DROP DATABASE IF EXISTS " + database.name());
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop test database " + database.name() + ": " + e.getMessage(), e);
        }
    }

    /** The server for an engine, or a skipped (under CI: failed) test. */
    public static synchronized String serverUrl(Engine engine) {
        return server(engine).url();
    }

    private static synchronized Server server(Engine engine) {
        Server server = SERVERS.get(engine);
        if (server != null) {
            return server;
        }
        String why = UNAVAILABLE.get(engine);
        if (why == null) {
            server = find(engine);
            if (server != null) {
                SERVERS.put(engine, server);
                return server;
            }
            why = UNAVAILABLE.get(engine);
        }
        throw unavailable("no " + engine + " server: " + why, System.getenv());
    }

    /**
     * Ends a test that has no server: skipped, or failed when the environment says {@code CI=true}, so CI can never
     * pass on H2 alone.
     */
    static RuntimeException unavailable(String message, Map<String, String> environment) {
        if ("true".equalsIgnoreCase(environment.get("CI"))) {
            fail(message + " (CI=true: a skipped database test is a failure)");
        }
        Assumptions.abort(message);
        throw new AssertionError("unreachable");
    }

    private static Server find(Engine engine) {
        String prefix = "dsynq.test." + engine.name().toLowerCase(Locale.ROOT);
        String envPrefix = "DSYNQ_TEST_" + engine.name();
        String url = setting(prefix + ".url", envPrefix + "_URL");
        if (url != null) {
            Server configured = new Server(
                    url,
                    setting(prefix + ".user", envPrefix + "_USER"),
                    setting(prefix + ".password", envPrefix + "_PASSWORD"),
                    null);
            String problem = probe(configured);
            if (problem == null) {
                return configured;
            }
            UNAVAILABLE.put(engine, "the configured " + url + " does not answer: " + problem);
            return null;
        }
        Server local = engine == Engine.POSTGRESQL
                ? new Server("jdbc:postgresql://127.0.0.1:5432/postgres?connectTimeout=3", "postgres", "", null)
                : new Server("jdbc:mariadb://127.0.0.1:3306/?connectTimeout=3000", "root", "", null);
        String localProblem = probe(local);
        if (localProblem == null) {
            return local;
        }
        Server container = Containers.start(engine);
        if (container != null) {
            return container;
        }
        UNAVAILABLE.put(
                engine,
                "nothing configured (" + prefix + ".url or " + envPrefix + "_URL), nothing on " + local.url() + " ("
                        + localProblem + "), and no Docker for Testcontainers");
        return null;
    }

    private static String setting(String property, String environment) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = System.getenv(environment);
        }
        return value == null || value.isBlank() ? null : value;
    }

    private static String probe(Server server) {
        try (Connection connection = DriverManager.getConnection(server.url(), server.username(), server.password())) {
            return connection.isValid(3) ? null : "the connection is not valid";
        } catch (SQLException e) {
            return e.getMessage();
        }
    }

    private static String databaseUrl(Engine engine, String serverUrl, String name) {
        String base = serverUrl;
        String query = "";
        int question = base.indexOf('?');
        if (question >= 0) {
            query = base.substring(question);
            base = base.substring(0, question);
        }
        int slash = base.indexOf('/', base.indexOf("//") + 2);
        String hostPart = slash < 0 ? base : base.substring(0, slash);
        return hostPart + "/" + name + query;
    }

    /** Testcontainers, used only when Docker runs: kept apart so its classes load only then. */
    private static final class Containers {

        static Server start(Engine engine) {
            try {
                if (!org.testcontainers.DockerClientFactory.instance().isDockerAvailable()) {
                    return null;
                }
            } catch (Throwable e) {
                return null;
            }
            org.testcontainers.containers.JdbcDatabaseContainer<?> container = engine == Engine.POSTGRESQL
                    ? new org.testcontainers.postgresql.PostgreSQLContainer("postgres:15")
                    : new org.testcontainers.mariadb.MariaDBContainer("mariadb:10.11").withUsername("root");
            container.start();
            String url = container.getJdbcUrl();
            return new Server(url, container.getUsername(), container.getPassword(), container);
        }
    }
}
