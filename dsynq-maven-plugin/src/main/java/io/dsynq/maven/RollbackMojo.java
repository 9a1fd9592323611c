package io.dsynq.maven;

import io.dsynq.core.ApplyRequest;
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
     * Rolls back even where rows were changed by someone else since the delta was applied, overwriting them.
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

    @Override
    protected void run() throws MojoFailureException {
        if (count < 1) {
            throw new MojoFailureException("dsynq.count must be 1 or more, not " + count);
        }
        move(ApplyRequest.offset(-count).force(force).dryRun(dryRun));
    }
}
