package io.dsynq.maven;

import io.dsynq.core.archive.BundleRequest;
import io.dsynq.core.archive.BundleResult;
import io.dsynq.core.archive.DeltaBundle;
import io.dsynq.core.model.DeltaSources;
import io.dsynq.core.model.DeltaVerifier;
import java.io.File;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProjectHelper;

/**
 * Bundles the deltas of the delta directory, every database's, into one archive in the build directory, named by the
 * project's artifactId and version ({@code reference-data-1.0.0-dsynq.tar.xz}) with a manifest of databases, ids and
 * checksums, and attaches it to the project with classifier {@code dsynq} and type {@code tar.xz}, so {@code install}
 * and {@code deploy} publish it with no further configuration. Other projects then use it by coordinates through
 * {@code deltaArtifacts}.
 *
 * <p>The archive is reproducible: entries sorted, owner and mode fixed, every time taken from
 * {@code project.build.outputTimestamp}; two builds of the same deltas with the same dsynq version give the same bytes.
 * With {@code -Ddsynq.database=shop} only database {@code shop}'s deltas are bundled. With no deltas to bundle it warns
 * and attaches nothing. Deltas that {@code verify} refuses (a malformed CSV, a meta file's checksum that no longer
 * holds) fail the build before anything is written. Baselines are not bundled.
 *
 * @since 0.1.0
 */
@Mojo(name = "package", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true)
public class PackageMojo extends AbstractDsynqMojo {

    /** The time entries carry when {@code project.build.outputTimestamp} is not set, as Maven's archivers use. */
    static final Instant DEFAULT_TIMESTAMP = Instant.parse("1980-01-01T00:00:02Z");

    private static final int PROBLEMS_SHOWN = 50;

    /**
     * The time every entry of the archive carries, as Maven's archivers read it: ISO-8601 with offset
     * ({@code 2026-01-01T00:00:00Z}) or seconds since the epoch. When unset, 1980-01-01T00:00:02Z.
     *
     * @since 0.1.0
     */
    @Parameter(defaultValue = "${project.build.outputTimestamp}")
    private String outputTimestamp;

    /** Where the archive goes. */
    @Parameter(defaultValue = "${project.build.directory}", readonly = true, required = true)
    private File buildDirectory;

    @Component
    private MavenProjectHelper projectHelper;

    @Override
    protected boolean usesDeltaArtifacts() {
        return false;
    }

    @Override
    protected void run() throws MojoFailureException {
        String only = databaseName();
        List<String> databases = only == null ? List.of() : List.of(only);
        DeltaSources local = sources();
        // a delta outside the layout would be released without a word; every database folder is bundled
        local.local().unread(null).forEach(getLog()::warn);
        if (only != null
                && !local.databases().contains(only)
                && configured().stream().noneMatch(d -> only.equals(d.getName()))) {
            // a typo would release the project without its bundle
            throw new MojoFailureException("dsynq.database=" + only + " is not configured and has no deltas in "
                    + deltaDirectory()
                    + (databasesConfigured() ? "; the configured databases are " : "; the databases found are ")
                    + (configured().isEmpty() ? "none" : names(configured())));
        }
        long count = 0;
        List<String> problems = new ArrayList<>();
        for (String database : local.databases()) {
            if (databases.isEmpty() || databases.contains(database)) {
                // what verify refuses fails every consumer's verify, and a malformed file its apply; a release stays
                DeltaVerifier.Report report = DeltaVerifier.verify(local, database);
                count += report.deltas().size();
                report.problems().forEach(p -> problems.add("database " + database + ", " + p));
            }
        }
        if (!problems.isEmpty()) {
            problems.stream().limit(PROBLEMS_SHOWN).forEach(getLog()::error);
            throw new MojoFailureException((problems.size() == 1
                            ? problems.get(0)
                            : problems.size() + " problems in the deltas, the first: " + problems.get(0))
                    + "; nothing was packaged");
        }
        if (count == 0) {
            getLog().warn("No deltas " + (only == null ? "" : "of database " + only + " ") + "in " + deltaDirectory()
                    + ": nothing to package, no bundle is attached");
            return;
        }
        File archive = new File(
                buildDirectory,
                project().getArtifactId() + "-" + project().getVersion() + "-" + DeltaArtifacts.CLASSIFIER + "."
                        + DeltaArtifacts.EXTENSION);
        BundleResult result = DeltaBundle.write(
                new BundleRequest(deltaDirectory().toPath(), archive.toPath(), timestamp(), databases));
        projectHelper.attachArtifact(project(), DeltaArtifacts.EXTENSION, DeltaArtifacts.CLASSIFIER, archive);
        getLog().info("Packaged " + DeltaArtifacts.describe(result.manifest()) + " into " + archive + " ("
                + result.bytes() + " bytes from " + result.contentBytes() + "), attached with classifier "
                + DeltaArtifacts.CLASSIFIER);
    }

    /** The entries' time: {@code outputTimestamp} read as Maven's archivers read it, else the fixed default. */
    private Instant timestamp() throws MojoFailureException {
        if (outputTimestamp == null || outputTimestamp.length() < 2) {
            return DEFAULT_TIMESTAMP; // Maven's convention: one character means unset
        }
        try {
            return outputTimestamp.chars().allMatch(Character::isDigit)
                    ? Instant.ofEpochSecond(Long.parseLong(outputTimestamp))
                    : OffsetDateTime.parse(outputTimestamp, DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                            .toInstant();
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new MojoFailureException("project.build.outputTimestamp '" + outputTimestamp + "' is neither an"
                    + " ISO-8601 time with offset (2026-01-01T00:00:00Z) nor seconds since the epoch");
        }
    }
}
