package io.dsynq.maven;

import io.dsynq.core.ApplyRequest;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Moves each database to the newest delta, or to {@code dsynq.to}, or by {@code dsynq.offset}. Each delta is applied
 * (or rolled back) in one transaction, with its reverse delta stored in the history table and exported for review:
 * database {@code shop}'s delta {@code 1700000000.000001} to {@code target/dsynq/shop/delta.rev/1700000000.000001/}
 * (in the build directory).
 *
 * @since 0.1.0
 */
@Mojo(name = "apply", defaultPhase = LifecyclePhase.PRE_INTEGRATION_TEST, threadSafe = true)
public class ApplyMojo extends AbstractDsynqMojo {

    /**
     * The delta to end at, forward or back; {@code 0} is before the first delta. Cannot be combined with
     * {@code offset}.
     *
     * @since 0.1.0
     */
    @Parameter(property = "dsynq.to")
    private String to;

    /**
     * How many deltas to move: {@code -1} rolls back the newest applied delta, {@code 2} applies the next two.
     * Cannot be combined with {@code to}.
     *
     * @since 0.1.0
     */
    @Parameter(property = "dsynq.offset")
    private Integer offset;

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

    @Override
    protected void run() throws MojoFailureException {
        if (to != null && !to.isBlank() && offset != null) {
            throw new MojoFailureException("give dsynq.to or dsynq.offset, not both");
        }
        ApplyRequest request = to != null && !to.isBlank()
                ? ApplyRequest.to(to)
                : offset != null ? ApplyRequest.offset(offset) : ApplyRequest.latest();
        move(request.force(force).dryRun(dryRun));
    }
}
