package io.dsynq.core.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dsynq.core.DsynqException;
import java.util.List;
import org.junit.jupiter.api.Test;

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
     * supports no other engine.
     */
    @Test
    void aUrlNoDriverTakesNamesTheEnginesDsynqWorksWith() {
        assertThatThrownBy(() -> connector.connect("shop", new ConnectionSpec("jdbc:sqlite:shop.db", null, null)))
                .isInstanceOf(DsynqException.class)
                .hasMessage("database shop: no JDBC driver for jdbc:sqlite:shop.db; dsynq works with H2, PostgreSQL"
                        + " and MariaDB/MySQL, whose drivers the plugin carries: for another driver that reaches one"
                        + " of them, add it to the plugin's <dependencies>");
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
}
