package io.dsynq.maven;

import static org.assertj.core.api.Assertions.assertThat;

import io.dsynq.core.archive.BundleManifest;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.logging.SystemStreamLog;
import org.junit.jupiter.api.Test;

class FetchMojoTest {

    /**
     * A bundle of a long-lived project holds thousands of deltas: fetch gave each its line with its checksum (20,000
     * lines for a bundle of 20,000 deltas). A database's deltas fold into one line but for the last five; a database
     * of ten or fewer stays listed, and {@code -X} lists each.
     */
    @Test
    void aBundleOfManyDeltasIsListedInAFewLines() {
        List<BundleManifest.DeltaEntry> deltas = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            deltas.add(delta("db", i));
        }
        for (int i = 0; i < 3; i++) {
            deltas.add(delta("other", i));
        }

        assertThat(listed(deltas, false))
                .containsExactly(
                        "  db 1700000000.000000 to 1700019994.000000  19,995 deltas, each listed with its checksum"
                                + " with -X",
                        "  db 1700019995.000000  c1700019995",
                        "  db 1700019996.000000  c1700019996",
                        "  db 1700019997.000000  c1700019997",
                        "  db 1700019998.000000  c1700019998",
                        "  db 1700019999.000000  c1700019999",
                        "  other 1700000000.000000  c1700000000",
                        "  other 1700000001.000000  c1700000001",
                        "  other 1700000002.000000  c1700000002");
        assertThat(listed(deltas, true)).hasSize(deltas.size());
        assertThat(listed(deltas.subList(0, 10), false)).hasSize(10);
    }

    private static BundleManifest.DeltaEntry delta(String database, int i) {
        long id = 1_700_000_000L + i;
        return new BundleManifest.DeltaEntry(database, id + ".000000", "c" + id, List.of());
    }

    private static List<String> listed(List<BundleManifest.DeltaEntry> deltas, boolean debug) {
        List<String> lines = new ArrayList<>();
        FetchMojo mojo = new FetchMojo();
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
