package io.dsynq.core.jdbc;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dsynq.core.DsynqException;
import java.util.List;
import org.junit.jupiter.api.Test;

class DatabaseConnectorTest {

    /** A driver that cannot read a URL may quote the part it choked on: a password written into the URL. */
    @Test
    void aPasswordInTheUrlNeverReachesTheMessage() {
        DatabaseConnector connector = new DatabaseConnector(getClass().getClassLoader());
        for (String url : List.of(
                "jdbc:mysql://app:s3cretpw@127.0.0.1:3306/shop", "jdbc:mariadb://app:s3cretpw@127.0.0.1:3306/shop")) {
            assertThatThrownBy(() -> connector.connect("shop", new ConnectionSpec(url, null, null)))
                    .isInstanceOf(DsynqException.class)
                    .hasMessageStartingWith("database shop (" + url.replace("s3cretpw", "****") + "): ")
                    .message()
                    .doesNotContain("s3cretpw");
        }
    }
}
