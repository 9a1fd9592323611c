package io.dsynq.maven;

import io.dsynq.core.ApplyRequest;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Rolls back the newest applied deltas: {@code apply} with offset {@code -count}. Each rollback runs the reverse
 * delta stored when the delta was applied, after checking that the rows it touches still hold what the delta left.
 *
 * @since 0.1.0
 */
@Mojo(name = "rollback", threadSafe = true)
public class RollbackMojo extends AbstractDsynqMojo {

    /**
     * How many deltas to roll back.
     *
     * @since 0.1.0
     */
    @Parameter(property = "dsynq.count", defaultValue = "1")
    private int count;

    /**
     * Rolls back even where rows were changed by someone else since the delta was applied, overwriting them; and goes
     * on past the mark of an H2 commit a process that ended left, from what the history says.
     *
     * @since 0.1.0
     */
    @Parameter(property = "dsynq.force", defaultValue = "false")
    private boolean force;

    /**
     * Runs everything, then rolls the transaction back: prints what would change and changes nothing.
     *
     * @since 0.1.0
     */
    @Parameter(property = "dsynq.dryRun", defaultValue = "false")
    private boolean dryRun;

    /**
     * {@code apply}'s target, which rollback does not take: given on the command line of a rollback, where it would
     * go unheeded, it is refused.
     *
     * @since 0.1.0
     */
    @Parameter(property = "dsynq.to")
    private String to;

    /**
     * {@code apply}'s offset, which rollback does not take: given on the command line of a rollback, where it would
     * go unheeded, it is refused unless it is {@code -count}.
     *
     * @since 0.1.0
     */
    @Parameter(property = "dsynq.offset")
    private Integer offset;

    @Parameter(defaultValue = "${mojoExecution}", readonly = true, required = true)
    private MojoExecution execution;

    @Override
    protected void run() throws MojoFailureException {
        if (count < 1) {
            throw new MojoFailureException("dsynq.count must be 1 or more, not " + count);
        }
        // a build that binds rollback to a phase may pass -Ddsynq.to or -Ddsynq.offset for its apply
        if (execution.getSource() == MojoExecution.Source.CLI) {
            String rolls = "dsynq:rollback rolls back the newest dsynq.count deltas (" + count + ") and takes no ";
            if (to != null && !to.isBlank()) {
                throw new MojoFailureException(rolls + "dsynq.to (" + to.strip()
                        + "), which is apply's: run dsynq:apply -Ddsynq.to=" + to.strip());
            }
            if (offset != null && offset != -count) {
                throw new MojoFailureException(rolls + "dsynq.offset (" + offset + "), which is apply's: run "
                        + (offset < 0 ? "dsynq:rollback -Ddsynq.count=" + -offset + ", or " : "")
                        + "dsynq:apply -Ddsynq.offset=" + offset);
            }
        }
        move(ApplyRequest.offset(-count).force(force).dryRun(dryRun));
    }
}
