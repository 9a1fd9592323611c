package io.dsynq.core.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConnectionSpecTest {

    @Test
    void passwordsInUrlsAreRedacted() {
        assertThat(ConnectionSpec.redact("jdbc:postgresql://db:5432/x?user=app&password=s3cret&ssl=true"))
                .isEqualTo("jdbc:postgresql://db:5432/x?user=app&password=****&ssl=true");
        assertThat(ConnectionSpec.redact("jdbc:h2:file:/tmp/x;USER=sa;PASSWORD=s3cret;AUTO_SERVER=TRUE"))
                .isEqualTo("jdbc:h2:file:/tmp/x;USER=sa;PASSWORD=****;AUTO_SERVER=TRUE");
        assertThat(ConnectionSpec.redact("jdbc:mariadb://app:s3cret@db:3306/x"))
                .isEqualTo("jdbc:mariadb://app:****@db:3306/x");
        assertThat(ConnectionSpec.redact("jdbc:mysql://db/x?pwd=s3cret")).isEqualTo("jdbc:mysql://db/x?pwd=****");
        assertThat(new ConnectionSpec("jdbc:postgresql://db/x", "app", "s3cret").toString())
                .isEqualTo("jdbc:postgresql://db/x");
    }
}
