package io.dsynq.core.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
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

    /**
     * A password parameter ended at {@code &} or {@code ;}, whichever came first, though PostgreSQL's and MariaDB's
     * drivers end it at {@code &} only and H2 at {@code ;} only: a password {@code Sec;Leak} in a PostgreSQL or MariaDB
     * URL, or {@code Sec&Leak} in an H2 one, was shown as {@code password=****;Leak} on every goal's first line.
     */
    @Test
    void aPasswordHoldingTheOtherEnginesSeparatorIsRedactedWhole() {
        assertThat(ConnectionSpec.redact("jdbc:postgresql://db/x?user=app&password=Sec;Leak&ssl=true"))
                .isEqualTo("jdbc:postgresql://db/x?user=app&password=****&ssl=true");
        assertThat(ConnectionSpec.redact("jdbc:mariadb://db/x?password=Sec;Leak"))
                .isEqualTo("jdbc:mariadb://db/x?password=****");
        assertThat(ConnectionSpec.redact("jdbc:h2:mem:x;USER=sa;PASSWORD=Sec&Leak;DB_CLOSE_DELAY=-1"))
                .isEqualTo("jdbc:h2:mem:x;USER=sa;PASSWORD=****;DB_CLOSE_DELAY=-1");
        assertThat(new ConnectionSpec("jdbc:mariadb://db/x?password=Sec;Leak&user=app", null, null).secrets())
                .containsExactly("Sec;Leak");
        assertThat(new ConnectionSpec("jdbc:h2:mem:x;PASSWORD=Sec&Leak", null, "other").secrets())
                .containsExactly("other", "Sec&Leak");
    }
    /**
     * A password before the host was hidden up to its first {@code /}, {@code ?} or {@code @}: {@code Sec/Leak} was
     * shown whole on every goal's first line ('Database shop (jdbc:mariadb://app:Sec/Leak@db:3306/shop)'), and the
     * driver quoted it ('Incorrect port value : Sec'), {@code Sec@Leak} as {@code app:****@Leak@db}.
     */
    @Test
    void aPasswordBeforeTheHostIsRedactedWholeWhatItHolds() {
        assertThat(ConnectionSpec.redact("jdbc:mariadb://app:Sec/Leak@db:3306/shop"))
                .isEqualTo("jdbc:mariadb://app:****@db:3306/shop");
        assertThat(ConnectionSpec.redact("jdbc:postgresql://app:Sec@Leak@db/shop?ssl=true"))
                .isEqualTo("jdbc:postgresql://app:****@db/shop?ssl=true");
        assertThat(ConnectionSpec.redact("jdbc:mysql://app:Sec?Le;ak@db/shop"))
                .isEqualTo("jdbc:mysql://app:****@db/shop");
        assertThat(ConnectionSpec.redact("cannot open jdbc:mariadb://app:Sec/Leak@db/shop: refused"))
                .isEqualTo("cannot open jdbc:mariadb://app:****@db/shop: refused");
        ConnectionSpec spec = new ConnectionSpec("jdbc:mariadb://app:Sec/Leak@db:3306/shop", null, null);
        assertThat(spec.hasUserInfo()).isTrue();
        assertThat(spec.secrets()).containsExactly("Sec/Leak");
    }

    /** A port is no password, whatever the parameters after it hold (Azure's {@code user=admin@server}). */
    @Test
    void aPortBeforeAnAtInTheParametersIsNoPassword() {
        for (String url : List.of(
                "jdbc:postgresql://db:5432/shop?user=admin@server&ssl=true",
                "jdbc:mariadb://db1:3306,db2:3306/shop?user=admin@server",
                "jdbc:mariadb://[::1]:3306/shop?user=admin@server",
                "jdbc:h2:tcp://localhost:9092/~/shop;USER=admin@server")) {
            assertThat(ConnectionSpec.redact(url)).isEqualTo(url);
            assertThat(new ConnectionSpec(url, null, null).hasUserInfo()).isFalse();
        }
    }
}
