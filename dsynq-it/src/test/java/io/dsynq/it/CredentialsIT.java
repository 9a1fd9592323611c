package io.dsynq.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.dsynq.core.testing.Engine;
import io.dsynq.core.testing.TestDatabase;
import io.dsynq.core.testing.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Credentials from a {@code settings.xml} server with a password encrypted by Maven itself: the build logs in with
 * them, and neither the password nor the user name appears anywhere in its output, {@code -X} debug output
 * included. Giving both a server and a password is an error.
 */
class CredentialsIT {

    private static final Pattern ENCRYPTED = Pattern.compile("^(\\{[^}\\s]+})\\s*$", Pattern.MULTILINE);

    @ParameterizedTest
    @EnumSource(Engine.class)
    void passwordsFromSettingsAreDecryptedAndNeverShown(Engine engine) throws Exception {
        Path tmp = MavenBuild.workFolder("credentials-" + engine);
        String user = "dsynq_u_" + UUID.randomUUID().toString().substring(0, 8);
        String password = "pw-" + UUID.randomUUID().toString().substring(0, 12);
        try (TestDatabase database = TestServers.create(engine, tmp)) {
            database.execute(Databases.goalsSchema(engine));
            try (Users users = Users.create(engine, database, user, password)) {
                Path project = MavenBuild.sample("credentials", tmp);
                Path security = tmp.resolve("settings-security.xml");
                String master = encrypt(project, "--encrypt-master-password", "master-" + UUID.randomUUID());
                Files.writeString(security, "<settingsSecurity><master>" + master + "</master></settingsSecurity>");
                String encrypted = encrypt(project, "--encrypt-password", password, "-Dsettings.security=" + security);
                Path settings = tmp.resolve("settings.xml");
                Files.writeString(
                        settings,
                        "<settings><servers><server><id>shop-db</id><username>" + user + "</username><password>"
                                + encrypted + "</password></server></servers></settings>");
                MavenBuild maven = new MavenBuild(project)
                        .arguments("-s", settings.toString(), "-Dsettings.security=" + security)
                        .property("db.url", database.url());

                String debug = maven.run("-X", "dsynq:apply", "dsynq:status")
                        .succeeded()
                        .log();
                assertThat(debug)
                        .contains("shop is now at 1700000002.000000")
                        .contains("[DEBUG]")
                        .doesNotContain(password)
                        .doesNotContain(user);
                assertThat(Databases.rows(database, "SELECT COUNT(*) FROM item"))
                        .containsExactly("2");

                Path pom = project.resolve("pom.xml");
                Files.writeString(
                        pom,
                        Files.readString(pom)
                                .replace(
                                        "<serverId>shop-db</serverId>",
                                        "<serverId>shop-db</serverId><password>x</password>"));
                assertThat(maven.run("dsynq:status").failed().log())
                        .contains("database shop: give <serverId> or <username>/<password>, not both")
                        .doesNotContain(password);
            }
        }
    }

    /** Runs Maven's own encryption and returns the {@code {…}} it prints. */
    private static String encrypt(Path project, String... arguments) {
        String log =
                new MavenBuild(project).arguments(arguments).run().succeeded().log();
        Matcher matcher = ENCRYPTED.matcher(log);
        assertThat(matcher.find()).as("an encrypted value in%n%s", log).isTrue();
        return matcher.group(1);
    }
}
