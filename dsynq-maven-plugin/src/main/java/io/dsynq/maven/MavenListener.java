package io.dsynq.maven;

import io.dsynq.core.ApplyResult;
import io.dsynq.core.DsynqListener;
import io.dsynq.core.apply.TableCounts;
import java.util.Locale;
import org.apache.maven.plugin.logging.Log;

/** Sends what the core says to Maven's log, one readable line per delta and table. */
final class MavenListener implements DsynqListener {

    private final Log log;

    MavenListener(Log log) {
        this.log = log;
    }

    @Override
    public void info(String message) {
        log.info(message);
    }

    @Override
    public void warn(String message) {
        // each line marked, as Maven marks only the line it is given
        message.lines().forEach(log::warn);
    }

    @Override
    public void debug(String message) {
        if (log.isDebugEnabled()) {
            log.debug(message);
        }
    }

    @Override
    public void stepDone(String database, ApplyResult.Step step) {
        int width =
                step.tables().stream().mapToInt(t -> t.table().length()).max().orElse(0);
        for (TableCounts table : step.tables()) {
            log.info(String.format(
                    Locale.ROOT,
                    "      %-" + width + "s  %s",
                    table.table(),
                    counts(table.inserted(), table.updated(), table.deleted())));
        }
        log.info("      " + (step.tables().isEmpty() ? "no rows, " : "") + (step.forward() ? "applied" : "rolled back")
                + " in " + step.millis() + " ms" + (step.kept() ? "" : ", not kept (dry run)"));
    }

    /** {@code n} and the noun, plural unless one: "1 file", "2 files", "1,024 rows". */
    static String count(long n, String noun) {
        return number(n) + " " + noun + (n == 1 ? "" : "s");
    }

    /** {@code n} as every line writes a count: "1,024". */
    static String number(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    static String counts(long inserted, long updated, long deleted) {
        return String.format(Locale.ROOT, "%,d inserted, %,d updated, %,d deleted", inserted, updated, deleted);
    }
}
