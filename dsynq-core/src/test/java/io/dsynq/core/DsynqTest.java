package io.dsynq.core;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** What the public API refuses, at the call that is given it. */
class DsynqTest {

    private static Dsynq.Builder configure() {
        return Dsynq.configure().database("db").url("jdbc:h2:mem:refused").deltaDirectory(Path.of("no-such-folder"));
    }

    /**
     * A setting that has a default set to null was taken, and failed the first call that needed it, deep inside and
     * in Java's words: a null listener as the apply started ('Cannot invoke "io.dsynq.core.DsynqListener.debug(String)"
     * because "this.listener" is null'), a null lock timeout as the lock was taken ('cannot take the dsynq lock: Cannot
     * invoke "java.time.Duration.toNanos()"'), a null history table as the session opened, a null clock at
     * newDelta; a negative lock timeout was taken for none.
     */
    @Test
    void aSettingSetToNullOrOutOfRangeIsRefusedByBuild() {
        refused(b -> b.listener(null), "database db: listener is null; leave it unset for its default");
        refused(b -> b.lockTimeout(null), "database db: lockTimeout is null; leave it unset for its default");
        refused(b -> b.historyTable(null), "database db: historyTable is null; leave it unset for its default");
        refused(b -> b.clock(null), "database db: clock is null; leave it unset for its default");
        refused(b -> b.deltaDirectory(null), "database db: deltaDirectory is null; leave it unset for its default");
        refused(b -> b.lockTimeout(Duration.ofSeconds(-1)), "database db: lockTimeout must be 0 or more, not PT-1S");
        refused(b -> b.keys(Arrays.asList("kv:k", null)), "database db: keys holds a null");
        refused(b -> b.deltaSources(Arrays.asList((Path) null)), "database db: deltaSources holds a null");
    }

    /** A null request failed after the deltas were read, or, for check, the database was connected to. */
    @Test
    void aNullRequestIsRefusedByTheCall() {
        Dsynq dsynq = configure().build();
        assertThatThrownBy(() -> dsynq.apply(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("request");
        assertThatThrownBy(() -> dsynq.check(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("request");
        assertThatThrownBy(() -> dsynq.diff(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("request");
        assertThatThrownBy(() -> dsynq.newDelta(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("request");
        assertThatThrownBy(() -> ApplyRequest.to(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("id");
    }

    private static void refused(UnaryOperator<Dsynq.Builder> setting, String message) {
        assertThatThrownBy(() -> setting.apply(configure()).build())
                .isInstanceOf(DsynqException.class)
                .hasMessage(message);
    }
}
