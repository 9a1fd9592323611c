package io.dsynq.core.diff;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.dsynq.core.jdbc.Dialect;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The reader thread of a {@link RowStream} and its consumer. */
class RowStreamTest {

    @Test
    void anErrorOfTheReaderReachesTheConsumerInsteadOfHangingIt() {
        Connection failing = (Connection) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    return switch (method.getName()) {
                        case "getAutoCommit" -> true;
                        case "getMetaData" -> Proxy.newProxyInstance(
                                getClass().getClassLoader(),
                                new Class<?>[] {java.sql.DatabaseMetaData.class},
                                (meta, call, values) -> call.getName().equals("getDatabaseProductName") ? "H2" : null);
                        case "prepareStatement" -> throw new OutOfMemoryError("test: no memory for the statement");
                        default -> null;
                    };
                });
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            try (RowStream stream = new RowStream("target", failing, Dialect.of(failing), "SELECT 1", List.of())) {
                assertThatThrownBy(stream::next)
                        .isInstanceOf(OutOfMemoryError.class)
                        .hasMessageContaining("no memory for the statement");
            }
        });
    }
}
