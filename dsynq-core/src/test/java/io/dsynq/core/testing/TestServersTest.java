package io.dsynq.core.testing;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

class TestServersTest {

    @Test
    void aMissingServerSkipsTheTestButFailsItUnderCi() {
        assertThatThrownBy(() -> TestServers.unavailable("no POSTGRESQL server: refused", Map.of()))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("no POSTGRESQL server: refused");
        assertThatThrownBy(() -> TestServers.unavailable("no MARIADB server: refused", Map.of("CI", "true")))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessage("no MARIADB server: refused (CI=true: a skipped database test is a failure)");
    }
}
