package io.dsynq.maven;

import static org.assertj.core.api.Assertions.assertThat;

import io.dsynq.core.DeltaStatus;
import io.dsynq.core.model.DeltaId;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.logging.SystemStreamLog;
import org.junit.jupiter.api.Test;

class StatusMojoTest {

    /**
     * A database of a long-lived project has thousands of applied deltas: status gave each its line (20,000 lines for
     * 20,000 deltas), burying the pending ones. A run of applied deltas folds into one line but for its last five;
     * pending deltas and short runs stay listed, and {@code -X} lists each.
     */
    @Test
    void aLongRunOfAppliedDeltasFoldsIntoOneLine() throws Exception {
        List<DeltaStatus> deltas = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            deltas.add(delta(i, DeltaStatus.State.APPLIED));
        }
        deltas.add(delta(5_000, DeltaStatus.State.PENDING)); // merged from a branch, older than applied ones
        for (int i = 5_001; i < 5_004; i++) {
            deltas.add(delta(i, DeltaStatus.State.APPLIED));
        }
        deltas.add(delta(5_004, DeltaStatus.State.PENDING));

        assertThat(listed(deltas, false))
                .containsExactly(
                        "  1700000000.000000 to 1700004994.000000  APPLIED  4,995 deltas, each listed with -X",
                        "  1700004995.000000  APPLIED",
                        "  1700004996.000000  APPLIED",
                        "  1700004997.000000  APPLIED",
                        "  1700004998.000000  APPLIED",
                        "  1700004999.000000  APPLIED",
                        "  1700005000.000000  PENDING",
                        "  1700005001.000000  APPLIED",
                        "  1700005002.000000  APPLIED",
                        "  1700005003.000000  APPLIED",
                        "  1700005004.000000  PENDING");
        assertThat(listed(deltas, true)).hasSize(deltas.size());
        assertThat(listed(deltas.subList(0, 10), false)).hasSize(10);
        assertThat(listed(deltas.subList(0, 11), false))
                .startsWith("  1700000000.000000 to 1700000005.000000  APPLIED  6 deltas, each listed with -X")
                .hasSize(6);
    }

    private static DeltaStatus delta(int i, DeltaStatus.State state) {
        return new DeltaStatus(DeltaId.parse((1_700_000_000L + i) + ".000000"), state, null, null);
    }

    private static List<String> listed(List<DeltaStatus> deltas, boolean debug) throws Exception {
        List<String> lines = new ArrayList<>();
        StatusMojo mojo = new StatusMojo();
        mojo.setLog(new SystemStreamLog() {
            @Override
            public boolean isDebugEnabled() {
                return debug;
            }

            @Override
            public void info(CharSequence content) {
                lines.add(content.toString());
            }
        });
        mojo.list(deltas);
        return lines;
    }
}
