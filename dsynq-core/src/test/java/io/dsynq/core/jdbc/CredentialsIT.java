package io.dsynq.core.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.dsynq.core.DsynqException;
import io.dsynq.core.testing.Engine;
import io.dsynq.core.testing.TestDatabase;
import io.dsynq.core.testing.TestServers;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What a refused login leaves in dsynq's error, which Maven prints with its causes under {@code -e}. */
class CredentialsIT {

    /**
     * The servers name the user they refuse ("Access denied for user 'app'@…", "password authentication failed for
     * user"): dsynq's message hid it, but the driver's exception, its cause, carried it to Maven's {@code -e} output
     * (found by an exploratory test of the goals). The cause keeps its trace, without the user or password.
     */
    @ParameterizedTest
    @EnumSource(
            value = Engine.class,
            names = {"POSTGRESQL", "MARIADB"})
    void aRefusedUserAndPasswordAppearInNoMessageOfTheErrorNorOfItsCauses(Engine engine) throws Exception {
        try (TestDatabase database = TestServers.create(engine)) {
            String user = "dsynq_nobody_x7";
            String password = "s3cret_pw_x7";
            Throwable thrown =
                    catchThrowable(() -> new DatabaseConnector(getClass().getClassLoader())
                            .connect("shop", new ConnectionSpec(database.url(), user, password))
                            .close());

            assertThat(thrown).isInstanceOf(DsynqException.class).hasMessageContaining("database shop (");
            assertThat(thrown.getCause()).isNotNull();
            assertThat(thrown.getCause().getStackTrace()).isNotEmpty();
            for (Throwable t = thrown; t != null; t = t.getCause()) {
                assertThat(String.valueOf(t.getMessage())).doesNotContain(user).doesNotContain(password);
                assertThat(t.toString()).doesNotContain(user);
            }
        }
    }
}
