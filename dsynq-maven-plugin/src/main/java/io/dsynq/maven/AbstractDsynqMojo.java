package io.dsynq.maven;

import io.dsynq.core.ApplyRequest;
import io.dsynq.core.ApplyResult;
import io.dsynq.core.Dsynq;
import io.dsynq.core.DsynqException;
import io.dsynq.core.jdbc.ConnectionSpec;
import io.dsynq.core.model.DeltaDirectory;
import io.dsynq.core.model.DeltaSources;
import io.dsynq.core.model.Words;
import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.descriptor.PluginDescriptor;
import org.apache.maven.plugin.logging.Log;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.building.SettingsProblem;
import org.apache.maven.settings.crypto.DefaultSettingsDecryptionRequest;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.apache.maven.settings.crypto.SettingsDecryptionResult;
import org.eclipse.aether.RepositorySystem;

/**
 * What every dsynq goal shares: skipping, the delta directory, the databases and how to pick one. Goals map
 * their parameters to a core request and the result to log lines; data and user errors fail the build with one
 * message (a stack trace only with {@code -e}).
 */
public abstract class AbstractDsynqMojo extends AbstractMojo {

    /**
     * Skips the goal.
     *
     * @since 0.1.0
     */
    @Parameter(property = "dsynq.skip", defaultValue = "false")
    private boolean skip;

    /**
     * The root of the delta layout: database {@code shop}'s delta {@code 1700000000.000001} inserts rows into table
     * {@code item} from {@code shop/delta/1700000000.000001/item.i.csv} in it, updates from {@code item.u.csv} and
     * deletes from {@code item.d.csv}. A Dsynq {@code data/.databases} folder works unchanged.
     *
     * @since 0.1.0
     */
    @Parameter(property = "dsynq.deltaDirectory", defaultValue = "${project.basedir}/src/main/dsynq")
    private File deltaDirectory;

    /**
     * The databases: each a {@code database} element with a {@code name}, and optionally a {@code url}, and a
     * {@code serverId} or a {@code username} and {@code password}. A database without URL is an embedded H2 file
     * database under {@code target/dsynq/h2} (in the build directory), named as the database: {@code h2/shop} for
     * {@code shop}. With none configured, each folder of the delta directory is such an embedded database.
     *
     * @since 0.1.0
     */
    @Parameter
    private List<Database> databases;

    /**
     * Works on this database only. In a build of several projects, a project that does not have it skips the goal
     * where another project of the build has it.
     *
     * @since 0.1.0
     */
    @Parameter(property = "dsynq.database")
    private String database;

    /**
     * The name of the history table dsynq keeps in each database.
     *
     * @since 0.1.0
     */
    @Parameter(property = "dsynq.historyTable", defaultValue = "dsynq_history")
    private String historyTable;

    /**
     * Keys for tables without primary key or unique index over NOT NULL columns: {@code table:col1+col2}, or
     * {@code table:*} to identify rows by all their values (identical rows are copies); a table of another schema than
     * the current one named with its schema ({@code audit.item:id}). On the command line, several separated by
     * commas.
     *
     * @since 0.1.0
     */
    @Parameter(property = "dsynq.keys")
    private List<String> keys;

    /**
     * How many seconds an apply waits for another apply on the same database to finish; also how long a goal that
     * serves an embedded H2 database to other processes waits at its end for them to disconnect.
     *
     * @since 0.1.0
     */
    @Parameter(property = "dsynq.lockTimeout", defaultValue = "600")
    private int lockTimeout;

    /**
     * Delta bundles to use besides the delta directory's deltas, by coordinates
     * {@code groupId:artifactId:version}, optionally {@code :classifier} ({@code dsynq} when none): what the
     * {@code package} goal of another project attached and {@code deploy} published. They are resolved through
     * Maven Resolver with the build's repositories, mirrors, proxies, credentials and offline mode, checked
     * against their manifests and extracted under {@code target/dsynq/fetched} (in the build directory). Their deltas
     * and the local ones are ordered by id together; the same id from two sources is an error.
     *
     * @since 0.1.0
     */
    @Parameter
    private List<String> deltaArtifacts;

    /**
     * More delta bundles by coordinates, separated by commas, added to {@code deltaArtifacts}: for the command line.
     *
     * @since 0.1.0
     */
    @Parameter(property = "dsynq.artifact")
    private String artifact;

    /**
     * The largest file a fetched delta bundle may hold, in bytes; a larger one stops the build before anything is
     * applied. One GiB by default.
     *
     * @since 0.1.0
     */
    @Parameter(property = "dsynq.maxArtifactEntryBytes", defaultValue = "1073741824")
    private long maxArtifactEntryBytes;

    /**
     * The most a fetched delta bundle may hold in all, in bytes, uncompressed; so a decompression bomb stops with
     * an error. Four GiB by default.
     *
     * @since 0.1.0
     */
    @Parameter(property = "dsynq.maxArtifactBytes", defaultValue = "4294967296")
    private long maxArtifactBytes;

    /**
     * The most files and folders a fetched delta bundle may hold; more stop the build before anything is applied.
     * 100,000 by default.
     *
     * @since 0.1.0
     */
    @Parameter(property = "dsynq.maxArtifactEntries", defaultValue = "100000")
    private long maxArtifactEntries;

    /** Where dsynq writes: reverse deltas for review, embedded H2 databases. */
    @Parameter(defaultValue = "${project.build.directory}/dsynq", readonly = true, required = true)
    private File outputDirectory;

    @Parameter(defaultValue = "${settings}", readonly = true, required = true)
    private Settings settings;

    @Parameter(defaultValue = "${session}", readonly = true, required = true)
    private MavenSession session;

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    private MavenProject project;

    @Parameter(defaultValue = "${plugin}", readonly = true, required = true)
    private PluginDescriptor plugin;

    @Component
    private SettingsDecrypter settingsDecrypter;

    @Component
    private RepositorySystem repositorySystem;

    /** The fetched bundles, once resolved in this execution. */
    private List<DeltaArtifacts.Fetched> fetched;

    @Override
    public final void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("dsynq: skipped (dsynq.skip)");
            return;
        }
        try {
            List<String> elsewhere = elsewhere();
            if (!elsewhere.isEmpty()) {
                getLog().info("dsynq: skipped, dsynq.database=" + database + " is a database of "
                        + (elsewhere.size() == 1 ? "project " : "projects ") + Words.of(elsewhere)
                        + ", not of this one");
                return;
            }
            run();
        } catch (DsynqException e) {
            // Maven appends every cause's message to the error line; the driver's own words (without the user and
            // password, which DatabaseConnector takes out) and the stack trace are for -e only
            throw failure(e.getMessage(), session.getRequest().isShowErrors() ? e : null);
        } catch (MojoFailureException e) {
            throw failure(e.getMessage(), e.getCause());
        } catch (RuntimeException e) {
            throw new MojoExecutionException("dsynq failed unexpectedly: " + e, e);
        }
    }

    /** The build's failure with {@code message}, whose control characters show as escapes as the log's lines do. */
    static MojoFailureException failure(String message, Throwable cause) {
        String shown = ProjectLog.printable(message);
        return cause == null ? new MojoFailureException(shown) : new MojoFailureException(shown, cause);
    }

    /** Does the goal's work. */
    protected abstract void run() throws MojoFailureException;

    /**
     * Maven's log; in a parallel build of several projects ({@code -T}), each line starting with the project's
     * artifactId, as Maven 3 prints the lines of modules built at once as they come; control characters shown as
     * escapes ({@link ProjectLog#printable}).
     */
    @Override
    public Log getLog() {
        Log log = super.getLog();
        return new ProjectLog(
                log,
                session != null && session.isParallel() && session.getProjects().size() > 1 && project != null
                        ? project.getArtifactId()
                        : null);
    }

    /** The delta directory. */
    protected File deltaDirectory() {
        return deltaDirectory;
    }

    /** The database {@code dsynq.database} names, or {@code null} for all. */
    protected String databaseName() {
        return database == null || database.isBlank() ? null : database;
    }

    /** The project the goal runs in. */
    protected MavenProject project() {
        return project;
    }

    /**
     * Whether {@code dsynq.database} may name a database that is neither configured nor a folder of the delta
     * directory, so that the goal starts it: {@code new} writes a new database's first delta; other goals refuse
     * such a name.
     */
    protected boolean startsDatabases() {
        return false;
    }

    /** Whether the goal reads the deltas of {@code deltaArtifacts}; {@code new} and {@code package} do not. */
    protected boolean usesDeltaArtifacts() {
        return true;
    }

    /** The coordinates of {@code deltaArtifacts} and {@code dsynq.artifact}. */
    protected List<String> deltaArtifactCoordinates() {
        return DeltaArtifacts.coordinates(deltaArtifacts, artifact);
    }

    /**
     * The delta bundles the goal uses, resolved and extracted on first call; none when the goal does not use them.
     *
     * @throws MojoFailureException when one cannot be resolved or is refused
     */
    protected List<DeltaArtifacts.Fetched> fetched() throws MojoFailureException {
        if (fetched == null) {
            List<String> coordinates = usesDeltaArtifacts() ? deltaArtifactCoordinates() : List.of();
            fetched = coordinates.isEmpty()
                    ? List.of()
                    : new DeltaArtifacts(
                                    repositorySystem,
                                    session.getRepositorySession(),
                                    project.getRemoteProjectRepositories(),
                                    session.getProjects().stream()
                                            .map(p -> p.getGroupId() + ":" + p.getArtifactId() + ":" + p.getVersion())
                                            .collect(Collectors.toSet()),
                                    new File(outputDirectory, "fetched").toPath(),
                                    maxArtifactEntryBytes,
                                    maxArtifactBytes,
                                    maxArtifactEntries)
                            .fetch(coordinates);
            for (DeltaArtifacts.Fetched one : fetched) {
                getLog().info("Delta artifact " + one.name() + ": " + DeltaArtifacts.describe(one.manifest())
                        + ", checksums verified, in " + one.folder());
            }
        }
        return fetched;
    }

    /** The delta directory and the fetched bundles together. */
    protected DeltaSources sources() throws MojoFailureException {
        return DeltaSources.of(
                deltaDirectory.toPath(),
                fetched().stream().map(DeltaArtifacts.Fetched::folder).toList());
    }

    /**
     * Warns of what the delta directory holds that no goal reads: a folder that is no database's, a database's
     * folder beside its {@code delta} folder, the deltas of a database that is not configured.
     */
    protected void warnUnread() {
        new DeltaDirectory(deltaDirectory.toPath())
                .unread(
                        databasesConfigured()
                                ? databases.stream().map(Database::getName).toList()
                                : null)
                .forEach(getLog()::warn);
    }

    /**
     * Says that the goal found no database, where it would else end without a word: no {@code <databases>} are
     * configured and the delta directory holds no database's deltas. A warning, but where other projects of the build
     * have databases, as the root of a reactor beside its modules: there it is as it should be.
     *
     * @param nothing what the goal therefore did not do
     */
    protected void warnNoDatabases(String nothing) {
        String line = "No databases: " + deltaDirectory + " holds no database's deltas (<database>/delta/<id>/"
                + (deltaArtifactCoordinates().isEmpty() ? "" : ", nor do the delta artifacts")
                + ") and no <databases> are configured; " + nothing;
        if (otherProjects(names -> !names.isEmpty()).isEmpty()) {
            getLog().warn(line);
        } else {
            // the root of a reactor, or a module without databases, beside the modules that have them
            getLog().info(line);
        }
    }

    /** The databases the goal works on: the one {@code dsynq.database} names, else all. */
    protected List<Dsynq> selected() throws MojoFailureException {
        List<Database> configured = configured();
        List<Database> chosen = configured;
        if (database != null && !database.isBlank()) {
            chosen = configured.stream()
                    .filter(d -> database.equals(d.getName()))
                    .toList();
            if (chosen.isEmpty()) {
                boolean unconfigured = databases == null || databases.isEmpty();
                if (unconfigured && (startsDatabases() || embeddedExists(database))) {
                    chosen = List.of(new Database(database));
                } else if (unconfigured) {
                    // else a typo would apply to, or report on, a new empty embedded database and succeed
                    throw new MojoFailureException("dsynq.database=" + database + " is neither configured nor a"
                            + " folder of " + deltaDirectory + (fetched().isEmpty() ? "" : " or of a delta artifact")
                            + " nor an embedded database of " + new File(outputDirectory, "h2")
                            + "; the databases found are "
                            + (configured.isEmpty() ? "none" : names(configured))
                            + noOtherProject());
                } else {
                    throw new MojoFailureException("dsynq.database=" + database + " is not configured; the configured"
                            + " databases are " + names(configured) + noOtherProject());
                }
            }
        }
        List<Dsynq> result = new ArrayList<>();
        for (Database one : chosen) {
            result.add(build(one));
        }
        return result;
    }

    /**
     * In a build of several projects, where {@code dsynq.database} names a database this project does not have: the
     * other projects that have it, by artifactId; none where this project has it, or no other has, so that the goal
     * works on it or refuses the name as in a build of one project.
     */
    private List<String> elsewhere() throws MojoFailureException {
        String name = databaseName();
        if (name == null || session.getProjects().size() < 2) {
            return List.of();
        }
        boolean here = databasesConfigured()
                ? databases.stream().anyMatch(d -> name.equals(d.getName()))
                : sources().databases().contains(name) || embeddedExists(name);
        if (here) {
            return List.of();
        }
        return otherProjects(names -> names.contains(name));
    }

    /**
     * In a build of several projects, the other projects whose databases, as their goals would find them, {@code
     * test} accepts, by artifactId.
     */
    private List<String> otherProjects(Predicate<Set<String>> test) {
        if (session == null || session.getProjects().size() < 2) {
            return List.of();
        }
        String directory = session.getUserProperties().getProperty("dsynq.deltaDirectory");
        return session.getProjects().stream()
                .filter(p -> p != project && test.test(Reactor.databases(p, plugin.getPluginLookupKey(), directory)))
                .map(MavenProject::getArtifactId)
                .toList();
    }

    /** For the refusal of a {@code dsynq.database} in a build of several projects: none of them has it. */
    private String noOtherProject() {
        return session != null && session.getProjects().size() > 1
                ? "; nor is it a database of another project of this build"
                : "";
    }

    /** The file name, less H2's {@code .mv.db}, of the embedded database of a database without a URL. */
    private File embedded(String name) {
        return new File(outputDirectory, "h2/" + name);
    }

    /**
     * Whether a database without a URL has been made already: one whose delta folder is gone keeps its history, which
     * a rollback or status still reads.
     */
    private boolean embeddedExists(String name) {
        return new File(embedded(name).getPath() + ".mv.db").isFile();
    }

    /**
     * Whether {@code dsynq} is a database without URL whose embedded database is not there (yet, or since {@code mvn
     * clean}): connecting makes it anew, empty.
     */
    protected boolean embeddedMissing(Dsynq dsynq) {
        String name = dsynq.settings().name();
        return dsynq.settings()
                        .connection()
                        .url()
                        .startsWith("jdbc:h2:file:" + embedded(name).getAbsolutePath() + ";")
                && !embeddedExists(name);
    }

    /** Says that a goal made a database's embedded database anew, so that its history and tables are gone. */
    protected void tellEmbeddedMade(Dsynq dsynq) {
        String name = dsynq.settings().name();
        getLog().info("  " + name + " had no embedded database (" + embedded(name) + ".mv.db; mvn clean deletes it"
                + " with the build directory): a new, empty one is made, no delta applied and no table in it;"
                + " create its tables before applying");
    }

    /** The one database a goal such as {@code new} works on. */
    protected Dsynq single() throws MojoFailureException {
        return single(selected());
    }

    /** The one database of those {@link #selected()} chose. */
    protected static Dsynq single(List<Dsynq> chosen) throws MojoFailureException {
        if (chosen.size() != 1) {
            throw new MojoFailureException(
                    chosen.isEmpty()
                            ? "no database: configure <databases> or name one with -Ddsynq.database=<name>"
                            : "several databases are configured ("
                                    + chosen.stream()
                                            .map(d -> d.settings().name())
                                            .collect(Collectors.joining(", "))
                                    + "); pick one with -Ddsynq.database=<name>");
        }
        return chosen.get(0);
    }

    /**
     * The configured database named {@code name}, as {@link #selected()} would build it; {@code null} when none has
     * that name.
     */
    protected Dsynq configuredDatabase(String name) throws MojoFailureException {
        for (Database one : configured()) {
            if (name.equals(one.getName())) {
                return build(one);
            }
        }
        return null;
    }

    /** Whether the POM lists {@code <databases>}, rather than dsynq taking one per folder of the delta directory. */
    protected boolean databasesConfigured() {
        return databases != null && !databases.isEmpty();
    }

    /**
     * The configured databases, or one embedded database per database folder of the delta directory and the fetched
     * bundles.
     */
    protected List<Database> configured() throws MojoFailureException {
        List<Database> configured = databasesConfigured()
                ? databases
                : sources().databases().stream().map(Database::new).toList();
        // a file system that ignores case (macOS, Windows) would give both one embedded database, history and all
        Map<String, String> embeddedNames = new HashMap<>();
        for (Database one : configured) {
            if (one.getName() != null && (one.getUrl() == null || one.getUrl().isBlank())) {
                String other = embeddedNames.putIfAbsent(one.getName().toLowerCase(Locale.ROOT), one.getName());
                if (other != null && !other.equals(one.getName())) {
                    throw new MojoFailureException("databases " + other + " and " + one.getName() + " differ only in"
                            + " case, and without <url> would be one embedded H2 database where file names ignore case"
                            + " (macOS, Windows); rename one, or give one a <url>");
                }
            }
        }
        return configured;
    }

    private Dsynq build(Database config) throws MojoFailureException {
        if (config.getName() == null || config.getName().isBlank()) {
            throw new MojoFailureException("a <database> has no <name>");
        }
        String url = config.getUrl();
        if (url == null || url.isBlank()) {
            String file = embedded(config.getName()).getAbsolutePath();
            if (file.contains(";")) {
                // H2 reads the settings of its URL from the first ';' on
                throw new MojoFailureException("database " + config.getName() + ": its embedded H2 database would be "
                        + file + ", and H2 takes a ';' in a URL for the start of its settings; "
                        + (config.getName().contains(";")
                                ? "name the database without ';', or give it a <url>"
                                : "build the project in a folder without ';' in its path, or give the database a"
                                        + " <url>"));
            }
            // auto-server, so other processes (a second build, a console) can open it while a build runs; made where
            // it is missing, which a URL the POM gives is not
            url = "jdbc:h2:file:" + file + ";AUTO_SERVER=TRUE;AUTO_RECONNECT=TRUE;IFEXISTS=FALSE";
        }
        String username = config.getUsername();
        String password = config.getPassword();
        if (config.getServerId() != null) {
            if (username != null || password != null) {
                throw new MojoFailureException(
                        "database " + config.getName() + ": give <serverId> or" + " <username>/<password>, not both");
            }
            Server server = server(config);
            username = server.getUsername();
            password = server.getPassword();
        }
        if (lockTimeout < 0) {
            throw new MojoFailureException("dsynq.lockTimeout must be 0 or more seconds, not " + lockTimeout);
        }
        return Dsynq.configure()
                .database(config.getName())
                .url(url)
                .username(username)
                .password(password)
                .deltaDirectory(deltaDirectory.toPath())
                .deltaSources(
                        fetched().stream().map(DeltaArtifacts.Fetched::folder).toList())
                .exportDirectory(outputDirectory.toPath())
                .historyTable(historyTable)
                .keys(keys == null ? List.of() : keys)
                .lockTimeout(Duration.ofSeconds(lockTimeout))
                .listener(new MavenListener(getLog()))
                .driverLoader(getClass().getClassLoader())
                .build();
    }

    private Server server(Database config) throws MojoFailureException {
        Server server = settings.getServer(config.getServerId());
        if (server == null) {
            throw new MojoFailureException("database " + config.getName() + ": there is no <server> with id "
                    + config.getServerId() + " in settings.xml");
        }
        SettingsDecryptionResult decrypted = settingsDecrypter.decrypt(new DefaultSettingsDecryptionRequest(server));
        for (SettingsProblem problem : decrypted.getProblems()) {
            if (problem.getSeverity() != SettingsProblem.Severity.WARNING) {
                throw new MojoFailureException("database " + config.getName() + ": cannot decrypt the password of"
                        + " server " + config.getServerId() + ": " + problem.getMessage());
            }
        }
        return decrypted.getServer();
    }

    /** Moves each selected database as {@code request} says, and reports what it did. */
    protected void move(ApplyRequest request) throws MojoFailureException {
        try {
            fetched();
        } catch (MojoFailureException e) {
            // no cause: Maven would print the message twice
            throw new MojoFailureException(e.getMessage() + "; nothing was applied");
        }
        warnUnread();
        List<Dsynq> chosen = selected();
        if (chosen.isEmpty()) {
            warnNoDatabases("nothing was moved");
        }
        // asked before a check connects and makes them
        List<Dsynq> made = chosen.stream().filter(this::embeddedMissing).toList();
        if (chosen.size() > 1) {
            // each database moves in transactions of its own: a move one of them cannot make stops the goal before
            // another has moved
            for (Dsynq dsynq : chosen) {
                try {
                    dsynq.check(request);
                } catch (DsynqException e) {
                    throw new MojoFailureException(e.getMessage()
                            + "; no database was moved (pick the database with -Ddsynq.database=<name>)");
                }
            }
        }
        for (Dsynq dsynq : chosen) {
            getLog().info("Database " + dsynq.settings().name() + " (" + where(dsynq) + ")"
                    + (request.dryRun() ? ": dry run, nothing will be kept" : ""));
            if (made.contains(dsynq)) {
                tellEmbeddedMade(dsynq);
            }
            ApplyResult result = dsynq.apply(request);
            long forward =
                    result.steps().stream().filter(ApplyResult.Step::forward).count();
            long back = result.steps().size() - forward;
            String at = result.current() == null ? "before the first delta" : "at " + result.current();
            String name = dsynq.settings().name();
            if (result.steps().isEmpty()) {
                getLog().info("  " + name + " is up to date, " + at);
            } else if (result.dryRun()) {
                getLog().info("  dry run: " + name + " would be " + at + " (" + forward + " to apply, " + back
                        + " to roll back); nothing was kept");
            } else {
                getLog().info("  " + name + " is now " + at + " (" + forward + " applied, " + back + " rolled back)");
            }
        }
    }

    /** A database's URL as logs show it: without any password. */
    protected static String where(Dsynq dsynq) {
        return ConnectionSpec.redact(dsynq.settings().connection().url());
    }

    protected static String names(List<Database> databases) {
        return databases.stream().map(Database::getName).collect(Collectors.joining(", "));
    }
}
