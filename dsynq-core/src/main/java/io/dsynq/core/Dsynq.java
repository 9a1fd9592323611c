package io.dsynq.core;

import io.dsynq.core.apply.Transitions;
import io.dsynq.core.diff.DiffEngine;
import io.dsynq.core.diff.DiffRequest;
import io.dsynq.core.diff.DiffResult;
import io.dsynq.core.jdbc.ConnectionSpec;
import io.dsynq.core.model.DeltaId;
import io.dsynq.core.model.DeltaVerifier;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * dsynq for one database, usable without Maven:
 *
 * <pre>{@code
 * Dsynq dsynq = Dsynq.configure()
 *         .database("hello")
 *         .url("jdbc:postgresql://localhost:5432/hello")
 *         .username("app").password(secret)
 *         .deltaDirectory(Path.of("src/main/dsynq"))
 *         .build();
 * ApplyResult result = dsynq.apply(ApplyRequest.latest());
 * }</pre>
 *
 * <p>Thread-safe once built: every call opens its own connections and closes them before it returns.
 */
public final class Dsynq {

    private final DatabaseSettings settings;

    private final Transitions transitions;

    private final DiffEngine diffs;

    private Dsynq(DatabaseSettings settings, Clock clock) {
        this.settings = settings;
        this.transitions = new Transitions(settings, clock);
        this.diffs = new DiffEngine(settings, clock);
    }

    /** Starts a configuration. */
    public static Builder configure() {
        return new Builder();
    }

    /** What this instance was configured with. */
    public DatabaseSettings settings() {
        return settings;
    }

    /**
     * Moves the database to the newest delta, to an id, or by an offset, each delta in its own transaction.
     *
     * @throws DsynqException with a message naming database, delta, file, line and value, leaving the database
     *     at the last delta that completed
     */
    public ApplyResult apply(ApplyRequest request) {
        return transitions.apply(Objects.requireNonNull(request, "request"));
    }

    /**
     * Whether {@code request} can move this database, asked as {@link #apply} plans it but without the lock and
     * without moving anything: what a build moving several databases, each in its own transactions, asks of every one
     * before it moves any.
     *
     * @throws DsynqException naming the database and why the apply would fail before it changed anything
     */
    public void check(ApplyRequest request) {
        transitions.check(Objects.requireNonNull(request, "request"));
    }

    /** The state of every delta found in the delta folder, the further sources, or in the database's history. */
    public StatusResult status() {
        return transitions.status();
    }

    /**
     * Checks this database's deltas without connecting: layout, unique ids, well-formed files, meta checksums.
     *
     * @throws DsynqException when the layout is broken; other problems are in the report
     */
    public DeltaVerifier.Report verify() {
        return DeltaVerifier.verify(settings.sources(), settings.name());
    }

    /** Creates a new delta with stub files for the given tables. */
    public NewDeltaResult newDelta(NewDeltaRequest request) {
        return transitions.newDelta(Objects.requireNonNull(request, "request"));
    }

    /**
     * Compares this database (the target) with another one (the source), on any two engines, and writes the
     * difference as a new delta that, applied here, makes every compared table equal to the source's. Nothing is
     * written when nothing differs or {@link DiffRequest#summaryOnly()} is set.
     *
     * @throws DsynqException when a server cannot be reached or the tables cannot be compared (a table on one side
     *     only, different columns or keys, no key), before anything is written
     */
    public DiffResult diff(DiffRequest request) {
        Objects.requireNonNull(request, "request");
        List<DeltaId> pending = transitions.pending();
        if (!pending.isEmpty()) {
            settings.listener()
                    .warn("database " + settings.name() + " has " + pending.size()
                            + (pending.size() == 1 ? " pending delta (" : " pending deltas (") + pending.get(0)
                            + (pending.size() == 1 ? "" : ", …") + "): the new delta starts from the database as it"
                            + " is now and may not apply after them; apply them first (dsynq:apply) and diff again");
        }
        return diffs.diff(request);
    }

    /**
     * Parses declared keys written as {@code table:col1+col2}, several separated by commas or given as separate
     * strings, into a map by table name folded to lower case.
     *
     * @throws DsynqException when one is malformed
     */
    public static Map<String, List<String>> parseKeys(List<String> declarations) {
        Map<String, List<String>> keys = new LinkedHashMap<>();
        for (String declaration : declarations) {
            for (String one : declaration.split(",")) {
                String trimmed = one.strip();
                if (trimmed.isEmpty()) {
                    continue;
                }
                int colon = trimmed.indexOf(':');
                if (colon <= 0 || colon == trimmed.length() - 1) {
                    throw new DsynqException("key '" + trimmed + "' is not of the form table:col1+col2");
                }
                List<String> columns = Arrays.stream(
                                trimmed.substring(colon + 1).split("\\+"))
                        .map(String::strip)
                        .toList();
                if (columns.stream().anyMatch(String::isEmpty)) {
                    throw new DsynqException("key '" + trimmed + "' names an empty column");
                }
                keys.put(trimmed.substring(0, colon).strip().toLowerCase(Locale.ROOT), columns);
            }
        }
        return keys;
    }

    /** Builds a {@link Dsynq}. Not thread-safe. */
    public static final class Builder {

        private String name;
        private String url;
        private String username;
        private String password;
        private Path deltaDirectory = Path.of("src", "main", "dsynq");
        private final List<Path> deltaSources = new ArrayList<>();
        private Path exportDirectory;
        private String historyTable = "dsynq_history";
        private final List<String> keys = new ArrayList<>();
        private Duration lockTimeout = Duration.ofMinutes(10);
        private DsynqListener listener = DsynqListener.SILENT;
        private ClassLoader driverLoader = Dsynq.class.getClassLoader();
        private Clock clock = Clock.systemUTC();

        private Builder() {}

        /** The database's name: its folder under the delta directory. Required. */
        public Builder database(String name) {
            this.name = name;
            return this;
        }

        /** The JDBC URL. Required. */
        public Builder url(String url) {
            this.url = url;
            return this;
        }

        /** The user; none by default ({@code sa} for H2). */
        public Builder username(String username) {
            this.username = username;
            return this;
        }

        /** The password; none by default. Never printed. */
        public Builder password(String password) {
            this.password = password;
            return this;
        }

        /** The root of the delta layout; {@code src/main/dsynq} by default. */
        public Builder deltaDirectory(Path deltaDirectory) {
            this.deltaDirectory = deltaDirectory;
            return this;
        }

        /**
         * Adds roots laid out as the delta directory, such as extracted delta bundles, whose deltas join the delta
         * directory's: all are ordered by id together, and the same id from two sources is an error. None by
         * default.
         */
        public Builder deltaSources(List<Path> roots) {
            this.deltaSources.addAll(Objects.requireNonNull(roots, "roots"));
            return this;
        }

        /** Where reverse deltas are exported for review ({@code <dir>/<database>/delta.rev/<id>}); none by default. */
        public Builder exportDirectory(Path exportDirectory) {
            this.exportDirectory = exportDirectory;
            return this;
        }

        /** The history table's name; {@code dsynq_history} by default. */
        public Builder historyTable(String historyTable) {
            this.historyTable = historyTable;
            return this;
        }

        /** Declares keys {@code table:col1+col2} for tables that have no primary key or unique index. */
        public Builder keys(List<String> declarations) {
            this.keys.addAll(Objects.requireNonNull(declarations, "declarations"));
            return this;
        }

        /** How long an apply waits for another one on the same database, 0 or more; 10 minutes by default. */
        public Builder lockTimeout(Duration lockTimeout) {
            this.lockTimeout = lockTimeout;
            return this;
        }

        /** Where progress goes; nowhere by default. */
        public Builder listener(DsynqListener listener) {
            this.listener = listener;
            return this;
        }

        /** The class loader to find JDBC drivers in; dsynq's own by default. */
        public Builder driverLoader(ClassLoader driverLoader) {
            this.driverLoader = driverLoader;
            return this;
        }

        /** The clock for new delta ids and history times; the system's by default. */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /**
         * Builds. A setting left unset takes its default; one set to {@code null} where it has a default, or to a
         * negative lock timeout, is refused here rather than failing the first call that needs it.
         *
         * @throws DsynqException when something required is missing or malformed, naming the database and the setting
         */
        public Dsynq build() {
            if (name == null || name.isBlank()) {
                throw new DsynqException("a database needs a name");
            }
            if (name.contains("/") || name.contains("\\") || name.equals("..") || name.equals(".")) {
                throw new DsynqException("database name '" + name + "' must not be a path");
            }
            if (url == null || url.isBlank()) {
                throw new DsynqException("database " + name + " needs a JDBC URL");
            }
            present(deltaDirectory, "deltaDirectory");
            present(historyTable, "historyTable");
            present(lockTimeout, "lockTimeout");
            present(listener, "listener");
            present(clock, "clock");
            if (lockTimeout.isNegative()) {
                throw new DsynqException("database " + name + ": lockTimeout must be 0 or more, not " + lockTimeout);
            }
            if (deltaSources.contains(null) || keys.contains(null)) {
                throw new DsynqException("database " + name + ": "
                        + (deltaSources.contains(null) ? "deltaSources" : "keys") + " holds a null");
            }
            return new Dsynq(
                    new DatabaseSettings(
                            name,
                            new ConnectionSpec(url, username, password),
                            deltaDirectory,
                            deltaSources,
                            exportDirectory,
                            historyTable,
                            parseKeys(keys),
                            lockTimeout,
                            listener,
                            driverLoader),
                    clock);
        }

        /** Refuses a setting that has a default set to {@code null}, which would fail the first call that needs it. */
        private void present(Object value, String setting) {
            if (value == null) {
                throw new DsynqException(
                        "database " + name + ": " + setting + " is null; leave it unset for its default");
            }
        }
    }
}
