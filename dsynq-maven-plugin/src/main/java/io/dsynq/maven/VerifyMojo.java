package io.dsynq.maven;

import io.dsynq.core.Dsynq;
import io.dsynq.core.model.DeltaVerifier;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Checks every delta without a database: the layout, ids unique and in order, every file well-formed CSV with a
 * usable header, and the checksums meta files record. Fails the build listing every problem found.
 *
 * @since 0.1.0
 */
@Mojo(name = "verify", defaultPhase = LifecyclePhase.VALIDATE, threadSafe = true)
public class VerifyMojo extends AbstractDsynqMojo {

    private static final int PROBLEMS_SHOWN = 50;

    @Override
    protected void run() throws MojoFailureException {
        warnUnread();
        List<String> problems = new ArrayList<>();
        List<Dsynq> chosen = selected();
        if (chosen.isEmpty()) {
            warnNoDatabases("nothing was verified");
        }
        for (Dsynq dsynq : chosen) {
            DeltaVerifier.Report report = dsynq.verify();
            getLog().info("Database " + dsynq.settings().name() + ": "
                    + MavenListener.count(report.deltas().size(), "delta") + ", "
                    + MavenListener.count(report.files(), "file") + ", " + MavenListener.count(report.rows(), "row")
                    + (report.problems().isEmpty()
                            ? ", all well-formed"
                            : ", " + MavenListener.count(report.problems().size(), "problem")));
            report.problems()
                    .forEach(p -> problems.add("database " + dsynq.settings().name() + ", " + p));
        }
        if (!problems.isEmpty()) {
            problems.stream().limit(PROBLEMS_SHOWN).forEach(getLog()::error);
            throw new MojoFailureException(
                    problems.size() == 1
                            ? problems.get(0)
                            : problems.size() + " problems in the deltas, the first: " + problems.get(0));
        }
    }
}
