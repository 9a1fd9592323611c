package io.dsynq.core.jdbc;

import io.dsynq.core.DsynqException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.ServiceLoader;

/**
 * Opens JDBC connections, finding the driver through {@link ServiceLoader} in a given class loader (a Maven
 * plugin's drivers are invisible to {@link DriverManager} otherwise). Connection failures become one line that
 * says which database and why. Thread-safe.
 */
public final class DatabaseConnector {

    private final ClassLoader classLoader;

    public DatabaseConnector(ClassLoader classLoader) {
        this.classLoader = classLoader;
    }

    /**
     * Connects. An H2 URL that names a database on disk must name one that exists, unless it says {@code IFEXISTS}
     * itself (as the Maven plugin's embedded databases, which it makes, do) or has an {@code INIT} script that builds
     * it: H2 would make an empty one, where a path with a typo in it is a missing database.
     *
     * @param database the database's name in the configuration, for messages
     * @throws DsynqException when no driver takes the URL or the server refuses
     */
    public Connection connect(String database, ConnectionSpec spec) {
        return connect(database, spec, false);
    }

    /**
     * Connects to a diff's source, which must exist: an embedded H2 database is not created where the URL names none,
     * unless the URL's {@code INIT} script builds it.
     *
     * @param database the source's name, for messages
     * @throws DsynqException when no driver takes the URL, the server refuses or the database does not exist
     */
    public Connection connectSource(String database, ConnectionSpec spec) {
        return connect(database, spec, true);
    }

    private Connection connect(String database, ConnectionSpec spec, boolean source) {
        String url = driverUrl(spec.url());
        if (url != null
                && url.startsWith("jdbc:h2:")
                && !decidesCreation(url)
                && (source || !url.startsWith("jdbc:h2:mem:"))) {
            url += ";IFEXISTS=TRUE";
        }
        Driver driver = driver(database, spec, url, source);
        if (url.startsWith("jdbc:h2:") && tooOld(driver)) {
            // asked before connecting: an older H2 would make the embedded database in a format H2 2.2 cannot read
            throw new DsynqException("database " + database + ": the H2 driver is " + version(driver)
                    + ", older than 2.2, the oldest H2 dsynq works with (dsynq's Maven plugin carries H2 2.5; an h2"
                    + " among the plugin's <dependencies> takes its place: give it version 2.2 or newer, or drop it)");
        }
        Properties properties = new Properties();
        String user = spec.username();
        String password = spec.password();
        // H2's own default user, unless the URL names one (it refuses a setting given twice)
        String settings = spec.url().toUpperCase(java.util.Locale.ROOT);
        if (user == null && spec.url().startsWith("jdbc:h2:") && !settings.contains(";USER=")) {
            user = "sa";
            password = password == null && !settings.contains(";PASSWORD=") ? "" : password;
        }
        if (user != null) {
            properties.setProperty("user", user);
        }
        if (password != null) {
            properties.setProperty("password", password);
        }
        if (spec.url().startsWith("jdbc:postgresql:")) {
            properties.setProperty("ApplicationName", "dsynq");
        }
        try {
            Connection connection = connect(driver, url, properties);
            if (connection == null) {
                throw new DsynqException("database " + database + ": the driver refused the URL " + spec.redactedUrl());
            }
            if (url.startsWith("jdbc:mariadb:") && catalogOf(connection) == null) {
                connection.close();
                throw new DsynqException("database " + database + " (" + spec.redactedUrl() + "): the URL names no"
                        + " database; add one after the host (jdbc:mariadb://host:3306/database)");
            }
            return connection;
        } catch (SQLException e) {
            List<String> secrets = new ArrayList<>(spec.secrets()); // a password a driver quotes from the URL
            // credentials never reach the output; H2's default user, sa, is none (a path holding "sa" stays whole)
            if (spec.username() != null && spec.username().length() > 1) {
                secrets.add(spec.username());
            }
            throw new DsynqException(
                    "database " + database + " (" + spec.redactedUrl() + "): " + redact(reason(e), secrets),
                    redacted(e, secrets));
        }
    }

    private static String redact(String text, List<String> secrets) {
        String redacted = text;
        for (String secret : secrets) {
            redacted = redacted.replace(secret, "****");
        }
        return redacted;
    }

    /**
     * The driver's exception as a cause to show (Maven prints a cause's message and trace with {@code -e}): its
     * message, and those of its causes, without {@code secrets} (the driver's words name the user), its trace kept.
     */
    private static Throwable redacted(Throwable e, List<String> secrets) {
        if (e == null) {
            return null;
        }
        String message = e.getMessage() == null ? null : redact(e.getMessage(), secrets);
        Throwable copy = e instanceof SQLException sql
                ? new SQLException(message, sql.getSQLState(), sql.getErrorCode(), redacted(e.getCause(), secrets))
                : new Exception(e.getClass().getName() + ": " + message, redacted(e.getCause(), secrets));
        copy.setStackTrace(e.getStackTrace());
        return copy;
    }

    /** The connection's catalog (MariaDB's database); the connection is closed where that fails. */
    private static String catalogOf(Connection connection) throws SQLException {
        try {
            return connection.getCatalog();
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
    }

    /**
     * Whether an H2 URL says itself whether its database may be made: it sets {@code IFEXISTS}, or has an {@code INIT}
     * script, which builds the database as the connection opens it.
     */
    private static boolean decidesCreation(String url) {
        String settings = url.toUpperCase(Locale.ROOT);
        return settings.contains(";IFEXISTS=") || settings.contains(";INIT=");
    }

    /** H2's error code for a database that does not exist, opened with {@code IFEXISTS=TRUE}. */
    private static final int H2_NOT_FOUND = 90146;

    /** H2's error code for a database file it cannot read: another version's format, or not H2's. */
    private static final int H2_FILE_VERSION = 90048;

    /**
     * H2's error code for a database file another process holds: one that opened it without auto-server mode, or
     * one that opened it in that mode and has not started its server yet.
     */
    private static final int H2_ALREADY_OPEN = 90020;

    /** H2's error code for a server it could not reach, or a connection to one that broke. */
    private static final int H2_CONNECTION_BROKEN = 90067;

    /**
     * Connects, retrying for a few seconds where two processes open one embedded H2 database at the same moment: the
     * second sees the first's lock before the first has started the server it can connect through, or after the
     * first has stopped that server as it closes the database (its connection refused). A process that opened the
     * database outside auto-server mode keeps no {@code .lock.db} file and starts no server: it is reported at once.
     */
    private static Connection connect(Driver driver, String url, Properties properties) throws SQLException {
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (true) {
            try {
                return driver.connect(url, properties);
            } catch (SQLException e) {
                boolean momentary = e.getErrorCode() == H2_ALREADY_OPEN
                        ? autoServerStarting(e)
                        : e.getErrorCode() == H2_CONNECTION_BROKEN
                                && url.toUpperCase(Locale.ROOT).contains(";AUTO_SERVER=TRUE");
                if (!momentary || System.nanoTime() > deadline) {
                    throw e;
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /**
     * Whether the database H2 found open is held by a process in auto-server mode, which may yet start its server:
     * such a process keeps {@code <name>.lock.db} beside {@code <name>.mv.db}, one outside that mode does not.
     */
    private static boolean autoServerStarting(SQLException alreadyOpen) {
        String file = quotedFile(alreadyOpen.getMessage() == null ? "" : alreadyOpen.getMessage());
        if (!file.endsWith(".mv.db\"")) {
            return true; // not the words expected: wait, as for any auto-server database
        }
        return Files.exists(Path.of(file.substring(1, file.length() - ".mv.db\"".length()) + ".lock.db"));
    }

    /** Whether an H2 driver is older than 2.2: dsynq reads parts of H2's information schema that 1.4's and 2.1's lack. */
    private static boolean tooOld(Driver driver) {
        return driver.getMajorVersion() < 2 || driver.getMajorVersion() == 2 && driver.getMinorVersion() < 2;
    }

    /** A driver's version as its jar names it ({@code 2.1.214}), else its major and minor version. */
    private static String version(Driver driver) {
        String version = driver.getClass().getPackage().getImplementationVersion();
        return version != null ? version : driver.getMajorVersion() + "." + driver.getMinorVersion();
    }

    /** The scheme MySQL's own driver takes, which the MariaDB driver takes as its own. */
    private static final String MYSQL = "jdbc:mysql:";

    /**
     * The URL to open: a {@code jdbc:mysql:} URL as {@code jdbc:mariadb:}, since dsynq stages rows through the MariaDB
     * driver ({@code LOAD DATA} from a stream), which speaks to MySQL servers too and takes MySQL's URL only by that
     * name or with {@code permitMysqlScheme}.
     */
    private static String driverUrl(String url) {
        return url != null && url.startsWith(MYSQL) ? "jdbc:mariadb:" + url.substring(MYSQL.length()) : url;
    }

    private Driver driver(String database, ConnectionSpec spec, String url, boolean source) {
        if (url == null || !url.startsWith("jdbc:")) {
            throw new DsynqException("database " + database + ": '" + spec.redactedUrl()
                    + "' is not a JDBC URL (jdbc:postgresql://host/db, jdbc:mariadb://host/db, jdbc:h2:file:...)");
        }
        if ((url.startsWith("jdbc:mariadb:") || url.startsWith("jdbc:postgresql:")) && spec.hasUserInfo()) {
            throw new DsynqException("database " + database + ": " + spec.redactedUrl() + " names the user and"
                    + " password before the host, which the driver does not read; give "
                    + (source ? "-Ddsynq.sourceUsername and -Ddsynq.sourcePassword" : "<username> and <password>"));
        }
        for (Driver driver : ServiceLoader.load(Driver.class, classLoader)) {
            try {
                if (driver.acceptsURL(url)) {
                    return driver;
                }
            } catch (SQLException e) {
                // try the next driver
            }
        }
        try {
            return DriverManager.getDriver(url);
        } catch (SQLException e) {
            // a driver added for an engine dsynq has no dialect for would only meet the next refusal
            throw new DsynqException("database " + database + ": no JDBC driver for " + spec.redactedUrl()
                    + "; dsynq works with H2, PostgreSQL and MariaDB/MySQL (URLs jdbc:h2:, jdbc:postgresql:,"
                    + " jdbc:mariadb: or jdbc:mysql:), whose drivers the Maven plugin carries and dsynq-core does"
                    + " not: a program using dsynq-core puts the one it needs on its class path (com.h2database:h2,"
                    + " org.postgresql:postgresql, org.mariadb.jdbc:mariadb-java-client), a build adds another"
                    + " driver that reaches one of them to the plugin's <dependencies>");
        }
    }

    /** Why a connection failed, in a few words a person can act on; the password never appears. */
    static String reason(SQLException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException) {
                return "connection refused: is the server running and listening there?";
            }
            if (cause instanceof UnknownHostException) {
                return "unknown host " + cause.getMessage();
            }
        }
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        String lower = message.toLowerCase(Locale.ROOT);
        if (state.equals("28P01")
                || state.equals("28000")
                || lower.contains("access denied")
                || lower.contains("password authentication failed")
                || lower.contains("wrong user name or password")) {
            return "bad credentials: the server refused the user name or password";
        }
        if (e.getErrorCode() == H2_ALREADY_OPEN) {
            return "the database file " + quotedFile(message) + " is open in another process that did not open it in"
                    + " H2's auto-server mode (an application, a test run or an H2 console whose URL lacks"
                    + " ;AUTO_SERVER=TRUE, which dsynq's embedded databases have): close it there, or add"
                    + " ;AUTO_SERVER=TRUE to its URL so that both can open it";
        }
        if (e.getErrorCode() == H2_FILE_VERSION) {
            return "the database file " + quotedFile(message) + " is not one this H2 reads: another H2 version's"
                    + " format (1.4's, say), or no H2 database; export it with the H2 that made it (its Script tool)"
                    + " and run the script with this one, or delete it (for an embedded database under the build"
                    + " directory: mvn clean, then create its tables and apply again)";
        }
        if (e.getErrorCode() == H2_NOT_FOUND) {
            // H2's words name IFEXISTS=TRUE, which dsynq added, or remote creation, which is not the point
            return "missing database: there is no H2 database " + quotedFile(message);
        }
        if (state.equals("3D000")
                || lower.contains("unknown database")
                || lower.contains("does not exist") && lower.contains("database")) {
            return "missing database: " + firstLine(message);
        }
        if (lower.contains("connection refused") || state.startsWith("08")) {
            return "cannot connect: " + firstLine(message);
        }
        return firstLine(message);
    }

    /** The file an H2 message names in double quotes, else the message's first line. */
    private static String quotedFile(String message) {
        int start = message.indexOf('"');
        int end = start < 0 ? -1 : message.indexOf('"', start + 1);
        return end < 0 ? "(" + firstLine(message) + ")" : message.substring(start, end + 1);
    }

    private static String firstLine(String message) {
        int newline = message.indexOf('\n');
        String line = newline < 0 ? message : message.substring(0, newline);
        return ConnectionSpec.redact(line.replaceFirst("^\\(conn=\\d+\\) ", ""));
    }
}
