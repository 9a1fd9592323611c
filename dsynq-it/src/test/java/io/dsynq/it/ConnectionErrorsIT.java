package io.dsynq.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.dsynq.core.testing.Engine;
import io.dsynq.core.testing.TestServers;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An unreachable or wrong server fails the build with one line naming the database and why (refused, unknown host,
 * bad credentials, missing database), and shows a stack trace only with {@code -e}.
 */
class ConnectionErrorsIT {

    private record Case(String url, String user, String password, String reason) {}

    @ParameterizedTest
    @EnumSource(
            value = Engine.class,
            names = {"POSTGRESQL", "MARIADB"})
    void oneLineSaysWhichDatabaseAndWhy(Engine engine) {
        String server = TestServers.serverUrl(engine); // skipped, or failed under CI, without a server
        String base = server.substring(0, server.indexOf('/', server.indexOf("//") + 2));
        String scheme = engine == Engine.POSTGRESQL ? "jdbc:postgresql://" : "jdbc:mariadb://";
        String admin = engine == Engine.POSTGRESQL ? "postgres" : "root";
        List<Case> cases = List.of(
                new Case(
                        scheme + "127.0.0.1:1/shop",
                        admin,
                        "",
                        "connection refused: is the server running and" + " listening there?"),
                new Case(scheme + "no-such-host.invalid/shop", admin, "", "unknown host no-such-host.invalid"),
                new Case(
                        base + "/" + (engine == Engine.POSTGRESQL ? "postgres" : ""),
                        engine == Engine.POSTGRESQL ? "no_such_user" : "root",
                        "wrong-password",
                        "bad credentials: the server refused the user name or password"),
                new Case(
                        base + "/no_such_database",
                        admin,
                        "",
                        engine == Engine.POSTGRESQL
                                ? "missing database: FATAL: database \"no_such_database\" does not exist"
                                : "missing database: Unknown database 'no_such_database'"));
        Path project = MavenBuild.sample("goals", MavenBuild.workFolder("connection-errors-" + engine));
        for (Case failing : cases) {
            MavenBuild maven = new MavenBuild(project)
                    .property("db.url", failing.url())
                    .property("db.user", failing.user())
                    .property("db.password", failing.password());

            String log = maven.run("dsynq:status").failed().log();
            assertThat(log)
                    .contains("[ERROR] Failed to execute goal io.dsynq:dsynq-maven-plugin:")
                    .contains("database shop (" + failing.url() + "): " + failing.reason() + " -> [Help 1]")
                    .doesNotContain("\tat ")
                    .doesNotContain("Caused by")
                    .doesNotContain("wrong-password");
            assertThat(maven.run("-e", "dsynq:status").failed().log()).contains("Caused by");
        }
    }

    /**
     * An H2 file URL whose path names no database, as one with a typo does: H2 made an empty database there, so that
     * dsynq:status reported every delta pending and an apply failed on an unknown table, leaving the file behind. It
     * is a missing database, as on the servers, and no file is made.
     */
    @Test
    void anH2FileUrlNamingNoDatabaseIsAMissingDatabase() {
        Path folder = MavenBuild.workFolder("connection-errors-h2");
        Path project = MavenBuild.sample("goals", folder);
        String url = "jdbc:h2:file:" + folder.resolve("shpo") + ";AUTO_SERVER=TRUE";
        MavenBuild maven = new MavenBuild(project)
                .property("db.url", url)
                .property("db.user", "sa")
                .property("db.password", "");

        for (String goal : List.of("dsynq:status", "dsynq:apply")) {
            assertThat(maven.run(goal).failed().log())
                    .contains("database shop (" + url + "): missing database: there is no H2 database \""
                            + folder.resolve("shpo") + "\" -> [Help 1]");
            assertThat(folder.resolve("shpo.mv.db")).doesNotExist();
        }
    }
}
