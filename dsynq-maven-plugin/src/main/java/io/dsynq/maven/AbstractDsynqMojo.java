package io.dsynq.maven;

import io.dsynq.core.ApplyRequest;
import io.dsynq.core.ApplyResult;
import io.dsynq.core.Dsynq;
import io.dsynq.core.DsynqException;
import io.dsynq.core.jdbc.ConnectionSpec;
import io.dsynq.core.model.DeltaDirectory;
import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.building.SettingsProblem;
import org.apache.maven.settings.crypto.DefaultSettingsDecryptionRequest;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.apache.maven.settings.crypto.SettingsDecryptionResult;

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
     * The root of the delta layout: {@code <deltaDirectory>/<database>/delta/<id>/<table>.<i|u|d>.csv}. A Dsynq
     * {@code data/.databases} folder works unchanged.
     *
     * @since 0.1.0
     */
    @Parameter(property = "dsynq.deltaDirectory", defaultValue = "${project.basedir}/src/main/dsynq")
    private File deltaDirectory;

    /**
     * The databases: each a {@code <database>} with {@code <name>}, and optionally {@code <url>}, {@code <serverId>}
     * or {@code <username>}/{@code <password>}. A database without URL is an embedded H2 file database under
     * {@code ${project.build.directory}/dsynq/h2/<name>}. With none configured, each folder of the delta
     * directory is such an embedded database.
     *
     * @since 0.1.0
     */
    @Parameter
    private List<Database> databases;

    /**
     * Works on this database only.
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
     * Keys for tables without primary key or unique index: {@code table:col1+col2}. On the command line, several
     * separated by commas.
     *
     * @since 0.1.0
     */
    @Parameter(property = "dsynq.keys")
    private List<String> keys;

    /**
     * How many seconds an apply waits for another apply on the same database to finish.
     *
     * @since 0.1.0
     */
    @Parameter(property = "dsynq.lockTimeout", defaultValue = "600")
    private int lockTimeout;

    /** Where dsynq writes: reverse deltas for review, embedded H2 databases. */
    @Parameter(defaultValue = "${project.build.directory}/dsynq", readonly = true, required = true)
    private File outputDirectory;

    @Parameter(defaultValue = "${settings}", readonly = true, required = true)
    private Settings settings;

    @Parameter(defaultValue = "${session}", readonly = true, required = true)
    private MavenSession session;

    @Component
    private SettingsDecrypter settingsDecrypter;

    @Override
    public final void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("dsynq: skipped (dsynq.skip)");
            return;
        }
        try {
            run();
        } catch (DsynqException e) {
            // Maven appends every cause's message to the error line; the driver's own words (which may name the
            // user) and the stack trace are for -e only
            throw session.getRequest().isShowErrors()
                    ? new MojoFailureException(e.getMessage(), e)
                    : new MojoFailureException(e.getMessage());
        } catch (RuntimeException e) {
            throw new MojoExecutionException("dsynq failed unexpectedly: " + e, e);
        }
    }

    /** Does the goal's work. */
    protected abstract void run() throws MojoFailureException;

    /** The delta directory. */
    protected File deltaDirectory() {
        return deltaDirectory;
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
                if (databases == null || databases.isEmpty()) {
                    chosen = List.of(new Database(database));
                } else {
                    throw new MojoFailureException("dsynq.database=" + database + " is not configured; the configured"
                            + " databases are " + names(configured));
                }
            }
        }
        List<Dsynq> result = new ArrayList<>();
        for (Database one : chosen) {
            result.add(build(one));
        }
        return result;
    }

    /** The one database a goal such as {@code new} works on. */
    protected Dsynq single() throws MojoFailureException {
        List<Dsynq> chosen = selected();
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

    /** The configured databases, or one embedded database per folder of the delta directory. */
    protected List<Database> configured() {
        if (databases != null && !databases.isEmpty()) {
            return databases;
        }
        return new DeltaDirectory(deltaDirectory.toPath())
                .databases().stream().map(Database::new).toList();
    }

    private Dsynq build(Database config) throws MojoFailureException {
        if (config.getName() == null || config.getName().isBlank()) {
            throw new MojoFailureException("a <database> has no <name>");
        }
        String url = config.getUrl();
        if (url == null || url.isBlank()) {
            // auto-server, so other processes (a second build, a console) can open it while a build runs
            url = "jdbc:h2:file:" + new File(outputDirectory, "h2/" + config.getName()).getAbsolutePath()
                    + ";AUTO_SERVER=TRUE;AUTO_RECONNECT=TRUE";
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
        return Dsynq.configure()
                .database(config.getName())
                .url(url)
                .username(username)
                .password(password)
                .deltaDirectory(deltaDirectory.toPath())
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
        for (Dsynq dsynq : selected()) {
            getLog().info("Database " + dsynq.settings().name() + " (" + where(dsynq) + ")"
                    + (request.dryRun() ? ": dry run, nothing will be kept" : ""));
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

    private static String names(List<Database> databases) {
        return databases.stream().map(Database::getName).collect(Collectors.joining(", "));
    }
}
