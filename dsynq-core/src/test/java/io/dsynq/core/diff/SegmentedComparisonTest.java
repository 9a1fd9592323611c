package io.dsynq.core.diff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** The checksum queries {@link SegmentedComparison} runs on both sides at once. */
class SegmentedComparisonTest {

    private final Connection target = connection();

    private final Connection source = connection();

    @Test
    void bothSidesAnswerInTheirOrder() throws SQLException {
        assertThat(SegmentedComparison.both(target, source, c -> c == target ? "target" : "source"))
                .containsExactly("target", "source");
    }

    /** A server that cancels, times out or fails one side's checksums: the error says which side it was. */
    @Test
    void aFailedChecksumQueryNamesItsSide() {
        SQLException canceled = new SQLException("ERROR: canceling statement due to user request", "57014");
        for (String side : new String[] {"target", "source"}) {
            Connection failing = side.equals("target") ? target : source;
            assertThatThrownBy(() -> SegmentedComparison.both(target, source, c -> {
                        if (c == failing) {
                            throw canceled;
                        }
                        return 1;
                    }))
                    .isInstanceOf(SQLException.class)
                    .hasMessage("the " + side + "'s segment checksums: ERROR: canceling statement due to user request")
                    .hasCause(canceled)
                    .extracting(e -> ((SQLException) e).getSQLState())
                    .isEqualTo("57014");
        }
    }

    private static Connection connection() {
        return (Connection) Proxy.newProxyInstance(
                SegmentedComparisonTest.class.getClassLoader(), new Class<?>[] {Connection.class}, (p, m, a) -> {
                    throw new UnsupportedOperationException(m.getName());
                });
    }
}
