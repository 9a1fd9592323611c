package io.dsynq.maven;

import io.dsynq.core.DeltaStatus;
import io.dsynq.core.Dsynq;
import io.dsynq.core.StatusResult;
import io.dsynq.core.apply.HistoryEntry;
import io.dsynq.core.model.DeltaId;
import io.dsynq.core.model.Words;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Shows, per database, the deltas found and their state: applied, pending, modified since applied, or missing from
 * the delta directory and the delta artifacts; the last applied delta; what is pending. A delta of a delta artifact names its coordinates.
 *
 * @since 0.1.0
 */
@Mojo(name = "status", threadSafe = true)
public class StatusMojo extends AbstractDsynqMojo {

    private static final DateTimeFormatter WHEN =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    /** The applied deltas listed at the end of a run of them; the ones before fold into one line. */
    static final int LISTED_APPLIED = 5;

    @Override
    protected void run() throws MojoFailureException {
        List<String> folders = sources().databases();
        getLog().info("Delta directory " + deltaDirectory()
                + (fetched().isEmpty()
                        ? ""
                        : " and " + MavenListener.count(fetched().size(), "delta artifact"))
                + ": "
                + (folders.isEmpty() ? "no databases found" : "databases found: " + String.join(", ", folders)));
        warnUnread();
        for (Dsynq dsynq : selected()) {
            boolean made = embeddedMissing(dsynq);
            StatusResult status = dsynq.status();
            getLog().info("Database " + status.database() + " (" + where(dsynq) + ")");
            if (made) {
                tellEmbeddedMade(dsynq);
            }
            list(status.deltas());
            int pending = status.in(DeltaStatus.State.PENDING).size();
            int modified = status.in(DeltaStatus.State.MODIFIED).size();
            int missing = status.in(DeltaStatus.State.MISSING).size();
            getLog().info("  " + MavenListener.count(status.deltas().size() - missing, "delta") + " found, "
                    + MavenListener.number(status.deltas().size() - pending) + " applied, last applied "
                    + (status.lastApplied() == null
                            ? "none"
                            : status.lastApplied().text()) + ", " + MavenListener.number(pending) + " pending"
                    + (modified > 0 ? ", " + MavenListener.number(modified) + " MODIFIED since applied" : "")
                    + (missing > 0
                            ? ", " + MavenListener.number(missing) + " MISSING from the delta directory"
                                    + (fetched().isEmpty() ? "" : " and the delta artifacts")
                            : ""));
            if (modified > 0) {
                getLog().warn("  " + status.database() + ": modified deltas make apply refuse; roll them back first");
            }
            List<DeltaId> older = status.pendingBeforeLastApplied();
            if (!older.isEmpty()) { // merged from a branch: the apply moves more than the pending deltas
                List<DeltaId> newer = status.appliedAfter(older.get(0));
                getLog().warn("  " + status.database() + ": pending " + (older.size() == 1 ? "delta " : "deltas ")
                        + Words.of(older.stream().map(DeltaId::text).toList())
                        + (older.size() == 1 ? " is" : " are") + " older than applied ones: apply rolls back the "
                        + (newer.size() == 1
                                ? "newer delta " + newer.get(0).text()
                                : newer.size() <= 5
                                        ? "newer deltas "
                                                + Words.of(newer.stream()
                                                        .map(DeltaId::text)
                                                        .toList())
                                        : MavenListener.number(newer.size()) + " newer deltas, "
                                                + newer.get(0).text() + " to "
                                                + newer.get(newer.size() - 1).text())
                        + " first, and applies "
                        + (newer.size() == 1 ? "it" : "them") + " again after");
            }
        }
    }

    /**
     * Logs a line for each delta, but for a long run of applied deltas, which folds into one line but for its last
     * {@value #LISTED_APPLIED} ({@link #foldedAt}): a long-lived project has thousands of applied deltas, whose lines
     * buried the few pending, modified or missing ones. With {@code -X} each is listed.
     */
    void list(List<DeltaStatus> deltas) throws MojoFailureException {
        for (int from = 0; from < deltas.size(); ) {
            int folded = getLog().isDebugEnabled() ? 0 : foldedAt(deltas, from);
            if (folded > 0) {
                getLog().info("  " + deltas.get(from).id() + " to "
                        + deltas.get(from + folded - 1).id() + "  APPLIED  " + MavenListener.number(folded)
                        + " deltas, each listed with -X");
                from += folded;
                continue;
            }
            DeltaStatus delta = deltas.get(from++);
            HistoryEntry history = delta.history();
            getLog().info(String.format(
                            Locale.ROOT,
                            "  %s  %-8s %s%s%s",
                            delta.id(),
                            delta.state(),
                            history == null
                                    ? ""
                                    : WHEN.format(history.appliedAt()) + " by " + history.appliedBy() + ", "
                                            + MavenListener.counts(
                                                    history.inserted(), history.updated(), history.deleted()),
                            delta.description().isEmpty() ? "" : "  \"" + delta.description() + "\"",
                            released(delta))
                    .stripTrailing());
        }
    }

    /**
     * How many deltas from {@code from} on fold into one line: where a run of more than twice {@value
     * #LISTED_APPLIED} applied deltas starts there, all of it but its last {@value #LISTED_APPLIED}, which stay listed
     * before what comes next; else none.
     */
    private static int foldedAt(List<DeltaStatus> deltas, int from) {
        int end = from;
        while (end < deltas.size() && deltas.get(end).state() == DeltaStatus.State.APPLIED) {
            end++;
        }
        int run = end - from;
        return run > 2 * LISTED_APPLIED ? run - LISTED_APPLIED : 0;
    }

    /** Where a delta of a delta artifact comes from, so that the released deltas stand out from the project's. */
    private String released(DeltaStatus delta) throws MojoFailureException {
        if (delta.delta() == null) {
            return "";
        }
        for (DeltaArtifacts.Fetched artifact : fetched()) {
            if (delta.delta().directory().startsWith(artifact.folder())) {
                return "  from " + artifact.name();
            }
        }
        return "";
    }
}
