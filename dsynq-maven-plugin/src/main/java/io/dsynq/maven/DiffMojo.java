package io.dsynq.maven;

import io.dsynq.core.Dsynq;
import io.dsynq.core.diff.DiffMode;
import io.dsynq.core.diff.DiffRequest;
import io.dsynq.core.diff.DiffResult;
import io.dsynq.core.jdbc.ConnectionSpec;
import java.util.List;
import java.util.Locale;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Compares the database ({@code dsynq.database}, the target; where two databases are configured and the source is
 * one of them, the other) with another one ({@code dsynq.source}), on any two engines, and writes the difference as a new delta that, applied to the target, makes every compared table equal
 * to the source's; rolling it back restores the target. Rows are matched by key and values compared by meaning
 * ({@code 1.5} equals {@code 1.50} in a decimal column, timestamps at the precision both sides hold), text exactly
 * whatever the servers' collations. Both sides stream in key order: memory stays flat whatever the tables' sizes.
 * Nothing is written when nothing differs.
 *
 * @since 0.1.0
 */
@Mojo(name = "diff", threadSafe = true)
public class DiffMojo extends AbstractDsynqMojo {

    /**
     * The database to compare with: the name of a configured database, or a JDBC URL (with
     * {@code dsynq.sourceUsername} and {@code dsynq.sourcePassword}). Required.
     *
     * @since 0.1.0
     */
    @Parameter(property = "dsynq.source")
    private String source;

    /**
     * The user for a {@code dsynq.source} given as a JDBC URL.
     *
     * @since 0.1.0
     */
    @Parameter(property = "dsynq.sourceUsername")
    private String sourceUsername;

    /**
     * The password for a {@code dsynq.source} given as a JDBC URL. dsynq never prints it, but Maven's own {@code -X}
     * dump of the goal's parameters does: prefer a configured database with a {@code serverId}.
     *
     * @since 0.1.0
     */
    @Parameter(property = "dsynq.sourcePassword")
    private String sourcePassword;

    /**
     * The tables to compare, as name patterns with {@code *} and {@code ?}, ignoring case, separated by commas; all
     * tables by default (dsynq's own history tables never).
     *
     * @since 0.1.0
     */
    @Parameter(property = "dsynq.include")
    private List<String> include;

    /**
     * Tables to leave out, as name patterns like {@code dsynq.include}.
     *
     * @since 0.1.0
     */
    @Parameter(property = "dsynq.exclude")
    private List<String> exclude;

    /**
     * The schemas (databases on MariaDB/MySQL) to compare, separated by commas; the connections' current ones by
     * default. Tables outside the target's current schema are written schema-qualified ({@code sales.item}).
     *
     * @since 0.1.0
     */
    @Parameter(property = "dsynq.schemas")
    private List<String> schemas;

    /**
     * Prints per table the rows to insert, update and delete, and writes nothing.
     *
     * @since 0.1.0
     */
    @Parameter(property = "dsynq.summaryOnly", defaultValue = "false")
    private boolean summaryOnly;

    /**
     * How tables are read: {@code FULL} reads every row of both sides; {@code SEGMENTS} asks each server for
     * checksums of key ranges and reads only the ranges that differ (tables with a single integer key the databases
     * keep, both sides on PostgreSQL or both on MariaDB; other tables are read in full); {@code AUTO} uses segments
     * for such tables whose key values span 100,000 or more.
     *
     * @since 0.1.0
     */
    @Parameter(property = "dsynq.diffMode", defaultValue = "AUTO")
    private String diffMode;

    /**
     * What the delta is for, kept in its meta file; by default it names the source.
     *
     * @since 0.1.0
     */
    @Parameter(property = "dsynq.description")
    private String description;

    /** Writes a database's first delta as {@code new} does: the target need not have a delta folder yet. */
    @Override
    protected boolean startsDatabases() {
        return true;
    }

    @Override
    protected void run() throws MojoFailureException {
        if (source == null || source.isBlank()) {
            throw new MojoFailureException(
                    "dsynq:diff needs the database to compare with: -Ddsynq.source=<configured name or JDBC URL>");
        }
        DiffMode mode;
        try {
            mode = diffMode == null || diffMode.isBlank()
                    ? DiffMode.AUTO
                    : DiffMode.valueOf(diffMode.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new MojoFailureException("dsynq.diffMode=" + diffMode + " is none of FULL, SEGMENTS, AUTO");
        }
        Dsynq named = null;
        if (!source.startsWith("jdbc:")) {
            named = configuredDatabase(source);
            if (named == null) {
                throw new MojoFailureException("dsynq.source=" + source + " is neither a configured database nor a"
                        + " JDBC URL (jdbc:postgresql://host/db, jdbc:mariadb://host/db, jdbc:h2:file:...)");
            }
        }
        Dsynq target = target(named != null);
        ConnectionSpec spec;
        String sourceName;
        if (named == null) {
            spec = new ConnectionSpec(source, sourceUsername, sourcePassword);
            sourceName = spec.redactedUrl();
        } else {
            if (named.settings().name().equals(target.settings().name())) {
                throw new MojoFailureException("dsynq.source=" + source + " is the database being compared; pick the"
                        + " target with -Ddsynq.database=<name>");
            }
            spec = named.settings().connection();
            sourceName = source;
        }
        getLog().info("Database " + target.settings().name() + " (" + where(target) + ") against " + sourceName
                + (summaryOnly ? ": summary only, nothing will be written" : ""));
        DiffResult result = target.diff(new DiffRequest(
                sourceName,
                spec,
                include == null ? List.of() : include,
                exclude == null ? List.of() : exclude,
                schemas == null ? List.of() : schemas,
                summaryOnly,
                mode,
                description));
        int width =
                result.tables().stream().mapToInt(t -> t.table().length()).max().orElse(0);
        getLog().info("Summary:");
        for (DiffResult.TableDiff table : result.tables()) {
            getLog().info(String.format(
                    Locale.ROOT,
                    "  %-" + width + "s  %,d to insert, %,d to update, %,d to delete",
                    table.table(),
                    table.inserts(),
                    table.updates(),
                    table.deletes()));
        }
        if (!result.differs()) {
            int tables = result.tables().size();
            getLog().info("No difference: " + tables + (tables == 1 ? " table of " : " tables of ")
                    + target.settings().name() + (tables == 1 ? " equals " : " equal ") + sourceName
                    + "; no delta written");
        } else if (result.id() == null) {
            getLog().info("Summary only: no delta written");
        } else {
            getLog().info("New delta " + result.id() + " for database "
                    + target.settings().name() + ": " + result.folder());
        }
    }

    /**
     * The database {@code dsynq.database} picks; where it picks none and the source is a configured database, the
     * only other one configured.
     */
    private Dsynq target(boolean sourceConfigured) throws MojoFailureException {
        List<Dsynq> selected = selected();
        List<Dsynq> others = selected.stream()
                .filter(d -> !d.settings().name().equals(source))
                .toList();
        return sourceConfigured && others.size() == 1 && selected.size() == 2 ? others.get(0) : single(selected);
    }
}
