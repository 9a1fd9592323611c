package io.dsynq.core.diff;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.dsynq.core.jdbc.Dialect;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The reader thread of a {@link RowStream} and its consumer. */
class RowStreamTest {

    @Test
    void anErrorOfTheReaderReachesTheConsumerInsteadOfHangingIt() {
        Connection failing = failing(new OutOfMemoryError("test: no memory for the statement"));
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            try (RowStream stream = new RowStream("target", failing, Dialect.of(failing), "SELECT 1", List.of())) {
                assertThatThrownBy(stream::next)
                        .isInstanceOf(OutOfMemoryError.class)
                        .hasMessageContaining("no memory for the statement");
            }
        });
    }

    /**
     * A read the server ends, or whose connection breaks, says which side it was: PostgreSQL's driver says no more
     * than "Database connection failed when reading from copy" of a session the server ended in a copy.
     */
    @Test
    void aFailedReadNamesItsSide() {
        SQLException broken = new SQLException("Database connection failed when reading from copy", "08006");
        Connection failing = failing(broken);
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            try (RowStream stream = new RowStream("source", failing, Dialect.of(failing), "SELECT 1", List.of())) {
                assertThatThrownBy(stream::next)
                        .isInstanceOf(SQLException.class)
                        .hasMessage("reading the source's rows: Database connection failed when reading from copy")
                        .hasCause(broken)
                        .extracting(e -> ((SQLException) e).getSQLState())
                        .isEqualTo("08006");
            }
        });
    }

    /** An H2 connection whose statements fail with {@code failure}. */
    private Connection failing(Throwable failure) {
        return (Connection) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    return switch (method.getName()) {
                        case "getAutoCommit" -> true;
                        case "getMetaData" -> Proxy.newProxyInstance(
                                getClass().getClassLoader(),
                                new Class<?>[] {java.sql.DatabaseMetaData.class},
                                (meta, call, values) -> call.getName().equals("getDatabaseProductName") ? "H2" : null);
                        case "prepareStatement" -> throw failure;
                        default -> null;
                    };
                });
    }
}
