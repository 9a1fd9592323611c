package io.dsynq.core.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dsynq.core.DsynqException;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseConnectorTest {

    private final DatabaseConnector connector = new DatabaseConnector(getClass().getClassLoader());

    /** The drivers dsynq carries do not read MySQL's {@code user:password@host}: it says so, the password masked. */
    @Test
    void aUserAndPasswordBeforeTheHostAreRefusedWithoutShowingThePassword() {
        for (String url : List.of(
                "jdbc:mysql://app:s3cretpw@127.0.0.1:3306/shop",
                "jdbc:mariadb://app:s3cretpw@127.0.0.1:3306/shop",
                "jdbc:postgresql://app:s3cretpw@127.0.0.1:5432/shop")) {
            assertThatThrownBy(() -> connector.connect("shop", new ConnectionSpec(url, null, null)))
                    .isInstanceOf(DsynqException.class)
                    .hasMessage("database shop: " + url.replace("s3cretpw", "****") + " names the user and password"
                            + " before the host, which the driver does not read; give <username> and <password>");
            assertThatThrownBy(() -> connector.connectSource("source", new ConnectionSpec(url, null, null)))
                    .hasMessage("database source: " + url.replace("s3cretpw", "****") + " names the user and password"
                            + " before the host, which the driver does not read; give -Ddsynq.sourceUsername and"
                            + " -Ddsynq.sourcePassword");
        }
    }

    /** A driver that cannot read a URL may quote the part it choked on, a password written into the URL among it. */
    @Test
    void aPasswordADriverQuotesNeverReachesTheMessage() {
        String url = "jdbc:h2:tcp://app:s3cretpw@127.0.0.1:1/shop";
        assertThatThrownBy(() -> connector.connect("shop", new ConnectionSpec(url, null, null)))
                .isInstanceOf(DsynqException.class)
                .hasMessageContaining("****")
                .message()
                .doesNotContain("s3cretpw");
    }

    /**
     * A URL no carried driver takes: the error said to add the driver, and with it the build stopped again, as dsynq
     * supports no other engine. A program using dsynq-core without the driver of its URL was told that the plugin
     * carries it and to add drivers to the plugin's dependencies, as if it ran in Maven.
     */
    @Test
    void aUrlNoDriverTakesNamesTheEnginesDsynqWorksWith() {
        assertThatThrownBy(() -> connector.connect("shop", new ConnectionSpec("jdbc:sqlite:shop.db", null, null)))
                .isInstanceOf(DsynqException.class)
                .hasMessage("database shop: no JDBC driver for jdbc:sqlite:shop.db; dsynq works with H2, PostgreSQL"
                        + " and MariaDB/MySQL (URLs jdbc:h2:, jdbc:postgresql:, jdbc:mariadb: or jdbc:mysql:), whose"
                        + " drivers the Maven plugin carries and dsynq-core does not: a program using dsynq-core puts"
                        + " the one it needs on its class path (com.h2database:h2, org.postgresql:postgresql,"
                        + " org.mariadb.jdbc:mariadb-java-client), a build adds another driver that reaches one of"
                        + " them to the plugin's <dependencies>");
    }

    /**
     * A URL of an engine dsynq works with, by a name its driver does not take (jdbc:postgres:, as a postgres:// URL
     * becomes): the error said that the plugin carries PostgreSQL's driver, and not what URL it takes.
     */
    @Test
    void aUrlOfASupportedEngineByAnotherNameNamesTheUrlsTheDriversTake() {
        assertThatThrownBy(() -> connector.connect(
                        "shop", new ConnectionSpec("jdbc:postgres://localhost:5432/shop", null, null)))
                .isInstanceOf(DsynqException.class)
                .hasMessageContaining("no JDBC driver for jdbc:postgres://localhost:5432/shop;")
                .hasMessageContaining("(URLs jdbc:h2:, jdbc:postgresql:, jdbc:mariadb: or jdbc:mysql:)");
    }

    /**
     * H2's default user, {@code sa}, is no credential: a message naming a path that holds those letters
     * ({@code /home/isaac/shop}) showed it as {@code /home/i****ac/shop}.
     */
    @Test
    void aPathHoldingTheLettersOfH2sDefaultUserIsShownWhole(@TempDir Path folder) {
        Path database = folder.resolve("isaac").resolve("shop");
        String url = "jdbc:h2:file:" + database;
        assertThatThrownBy(() -> connector.connectSource("source", new ConnectionSpec(url, null, null)))
                .isInstanceOf(DsynqException.class)
                .hasMessageContaining("missing database: there is no H2 database \"" + database + "\"")
                .message()
                .doesNotContain("****");
    }

    /**
     * An H2 file URL naming no database, such as one with a typo in its path: H2 made an empty database there, so that
     * dsynq:status reported every delta pending where the URL was wrong, and an apply failed on an unknown table,
     * leaving the new file behind. It is a missing database, as on the other engines, and no file is made; a URL that
     * says IFEXISTS=FALSE (the plugin's own embedded databases) is made as before, and an in-memory one as ever.
     */
    @Test
    void anH2FileUrlNamingNoDatabaseIsAMissingDatabaseAndMakesNone(@TempDir Path folder) throws Exception {
        String url = "jdbc:h2:file:" + folder.resolve("shpo") + ";AUTO_SERVER=TRUE";
        assertThatThrownBy(() -> connector.connect("shop", new ConnectionSpec(url, null, null)))
                .isInstanceOf(DsynqException.class)
                .hasMessageStartingWith("database shop (" + url + "): missing database: there is no H2 database \""
                        + folder.resolve("shpo") + "\"");
        assertThat(folder).isEmptyDirectory();

        String made = "jdbc:h2:file:" + folder.resolve("shop") + ";AUTO_SERVER=TRUE;IFEXISTS=FALSE";
        connector.connect("shop", new ConnectionSpec(made, null, null)).close();
        assertThat(folder.resolve("shop.mv.db")).isRegularFile();
        connector
                .connect("shop", new ConnectionSpec("jdbc:h2:mem:fresh", null, null))
                .close();
    }

    /**
     * An H2 file URL whose INIT script makes the tables (a test database built from its schema at each connection):
     * it was refused as a missing database, where the script says how to make one.
     */
    @Test
    void anH2FileUrlWithAnInitScriptIsMade(@TempDir Path folder) throws Exception {
        String url =
                "jdbc:h2:file:" + folder.resolve("shop") + ";INIT=CREATE TABLE IF NOT EXISTS item (id INT PRIMARY KEY)";
        try (java.sql.Connection connection = connector.connect("shop", new ConnectionSpec(url, null, null));
                java.sql.Statement statement = connection.createStatement()) {
            statement.executeQuery("SELECT id FROM item").close();
        }
        assertThat(folder.resolve("shop.mv.db")).isRegularFile();
    }

    /** An H2 URL that names its user and password: dsynq's default user for H2 came on top, and H2 refused both. */
    @Test
    void anH2UrlMayNameItsUserAndPassword() throws Exception {
        String url = "jdbc:h2:mem:urlsettings;USER=app;PASSWORD=s3cretpw;DB_CLOSE_DELAY=-1";
        try (java.sql.Connection connection = connector.connect("shop", new ConnectionSpec(url, null, null))) {
            assertThat(connection.getMetaData().getUserName()).isEqualTo("APP");
        }
        try (java.sql.Connection connection = connector.connect(
                "shop", new ConnectionSpec("jdbc:h2:mem:urlsettings;user=app;password=s3cretpw", null, null))) {
            assertThat(connection.getMetaData().getUserName()).isEqualTo("APP");
        }
        assertThatThrownBy(() -> connector.connect(
                        "shop", new ConnectionSpec("jdbc:h2:mem:urlsettings;USER=app;PASSWORD=wrong", null, null)))
                .isInstanceOf(DsynqException.class)
                .message()
                .doesNotContain("wrong");
    }

    /**
     * A project's own H2 among the plugin's dependencies replaces the plugin's: one older than 2.2 (Spring Boot 2.7
     * brings 2.1.214) failed on a column of H2's information schema it lacks, having made the embedded database in
     * its own format, which H2 2.2 and later refuse.
     */
    @Test
    void anH2DriverOlderThan2_2IsRefusedBeforeItMakesTheDatabase(@TempDir Path folder) throws IOException {
        Path services = Files.writeString(folder.resolve("java.sql.Driver"), H2Driver21.class.getName() + "\n");
        ClassLoader withH2Driver21 = new ClassLoader(getClass().getClassLoader()) {
            @Override
            public Enumeration<URL> getResources(String name) throws IOException {
                return name.equals("META-INF/services/java.sql.Driver")
                        ? Collections.enumeration(List.of(services.toUri().toURL()))
                        : super.getResources(name);
            }
        };
        String url = "jdbc:h2:file:" + folder.resolve("shop") + ";AUTO_SERVER=TRUE";
        assertThatThrownBy(() ->
                        new DatabaseConnector(withH2Driver21).connect("shop", new ConnectionSpec(url, null, null)))
                .isInstanceOf(DsynqException.class)
                .hasMessage("database shop: the H2 driver is 2.1, older than 2.2, the oldest H2 dsynq works with"
                        + " (dsynq's Maven plugin carries H2 2.5; an h2 among the plugin's <dependencies> takes its"
                        + " place: give it version 2.2 or newer, or drop it)");
        assertThat(folder.resolve("shop.mv.db")).doesNotExist();
    }

    /**
     * An embedded database that another process (an application, a test run, an H2 console) opened without H2's
     * auto-server mode: after 15 s of silence, H2 said 'Database may be already in use: "…shop.mv.db". Possible
     * solutions: close all other connection(s); use the server mode', the server mode being no setting of dsynq's.
     */
    @Test
    void anEmbeddedDatabaseAnotherProcessHoldsSaysWhatToDo(@TempDir Path folder) throws Exception {
        Path h2 = Path.of(org.h2.Driver.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
        Process holder = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        h2.toString(),
                        "org.h2.tools.Shell",
                        "-url",
                        "jdbc:h2:file:" + folder.resolve("shop"),
                        "-user",
                        "sa")
                .redirectErrorStream(true)
                .start();
        try {
            // H2's shell prompts once it has opened the database
            StringBuilder said = new StringBuilder();
            int c;
            while (!said.toString().endsWith("sql>")
                    && (c = holder.getInputStream().read()) >= 0) {
                said.append((char) c);
            }
            assertThat(said).as("H2's shell holding the database").endsWith("sql>");
            String url = "jdbc:h2:file:" + folder.resolve("shop") + ";AUTO_SERVER=TRUE";
            long start = System.nanoTime();
            assertThatThrownBy(() -> connector.connect("shop", new ConnectionSpec(url, null, null)))
                    .isInstanceOf(DsynqException.class)
                    .hasMessage("database shop (" + url + "): the database file \"" + folder.resolve("shop.mv.db")
                            + "\" is open in another process that did not open it in H2's auto-server mode (an"
                            + " application, a test run or an H2 console whose URL lacks ;AUTO_SERVER=TRUE, which"
                            + " dsynq's embedded databases have): close it there, or add ;AUTO_SERVER=TRUE to its URL"
                            + " so that both can open it");
            // at once: such a process starts no server to wait for, where an auto-server one may (15 s)
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        } finally {
            holder.getOutputStream().close();
            holder.destroy();
            holder.waitFor(1, TimeUnit.MINUTES);
        }
    }

    /**
     * A process that closes an embedded database stops its auto-server first and gives up the database's lock after:
     * a second process that connected in between, as two builds on one database may, lost its connection to the
     * stopped server and failed ("connection refused: is the server running and listening there?") where the
     * database was about to be free. Here a lock held in this process names a server that closes each connection it
     * takes, and is given up once the second connection, H2's connection to that server, is closed.
     */
    @Test
    void anEmbeddedDatabaseWhoseAutoServerHasJustStoppedIsOpenedOnceItsLockIsGivenUp(@TempDir Path folder)
            throws Exception {
        Path database = folder.resolve("shop");
        org.h2.store.FileLock lock =
                new org.h2.store.FileLock(new org.h2.message.TraceSystem(null), database + ".lock.db", 1000);
        lock.lock(org.h2.store.FileLockMethod.FILE);
        try (java.net.ServerSocket server = new java.net.ServerSocket(0)) {
            server.setSoTimeout(30_000);
            lock.setProperty("server", "127.0.0.1:" + server.getLocalPort());
            lock.save();
            Thread closing = new Thread(() -> {
                try {
                    // H2 asks whether the server runs, then connects to it
                    for (int i = 0; i < 2; i++) {
                        server.accept().close();
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                } finally {
                    lock.unlock();
                }
            });
            closing.start();
            String url = "jdbc:h2:file:" + database + ";AUTO_SERVER=TRUE;AUTO_RECONNECT=TRUE;IFEXISTS=FALSE";
            try (java.sql.Connection connection = connector.connect("shop", new ConnectionSpec(url, null, null))) {
                assertThat(connection.isValid(1)).isTrue();
            } finally {
                closing.join();
            }
        }
    }

    /** A database file of H2 1.4 (as the first lines of one say), which H2 2 cannot read: H2's words said no more. */
    @Test
    void aDatabaseFileOfAnotherH2VersionSaysWhatToDo(@TempDir Path folder) throws Exception {
        String header = "H:2,block:3,blockSize:1000,chunk:2,clean:1,created:1a24ff6259a,format:1,version:2,"
                + "fletcher:bdd3720f\n";
        String block = header + " ".repeat(4096 - header.length());
        Files.writeString(folder.resolve("shop.mv.db"), block + block);
        String url = "jdbc:h2:file:" + folder.resolve("shop");
        assertThatThrownBy(() -> connector.connect("shop", new ConnectionSpec(url, null, null)))
                .isInstanceOf(DsynqException.class)
                .hasMessage("database shop (" + url + "): the database file \"" + folder.resolve("shop.mv.db")
                        + "\" is not one this H2 reads: another H2 version's format (1.4's, say), or no H2 database;"
                        + " export it with the H2 that made it (its Script tool) and run the script with this one, or"
                        + " delete it (for an embedded database under the build directory: mvn clean, then create its"
                        + " tables and apply again)");
    }

    /** H2's driver as H2 2.1 would report its version. */
    public static final class H2Driver21 extends org.h2.Driver {

        @Override
        public int getMajorVersion() {
            return 2;
        }

        @Override
        public int getMinorVersion() {
            return 1;
        }
    }
}
