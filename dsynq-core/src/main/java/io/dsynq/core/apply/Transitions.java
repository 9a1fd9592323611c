package io.dsynq.core.apply;

import io.dsynq.core.ApplyRequest;
import io.dsynq.core.ApplyResult;
import io.dsynq.core.DatabaseSettings;
import io.dsynq.core.DeltaStatus;
import io.dsynq.core.DsynqException;
import io.dsynq.core.DsynqListener;
import io.dsynq.core.NewDeltaRequest;
import io.dsynq.core.NewDeltaResult;
import io.dsynq.core.StatusResult;
import io.dsynq.core.archive.TarArchive;
import io.dsynq.core.csv.CsvDialect;
import io.dsynq.core.jdbc.Column;
import io.dsynq.core.jdbc.Dialect;
import io.dsynq.core.jdbc.Table;
import io.dsynq.core.model.Delta;
import io.dsynq.core.model.DeltaDirectory;
import io.dsynq.core.model.DeltaFile;
import io.dsynq.core.model.DeltaId;
import io.dsynq.core.model.DeltaMeta;
import io.dsynq.core.model.Operation;
import io.dsynq.core.model.TableName;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;

/**
 * Moves one database between delta states: plans the moves, applies each delta or rolls it back in a transaction
 * of its own under the session lock, and keeps the history and reverse deltas. Internal: use
 * {@link io.dsynq.core.Dsynq}. Thread-safe: each call opens its own session.
 */
public final class Transitions {

    /** The reverse bundle is compressed for speed: it is written on every apply and usually read never. */
    private static final int REVERSE_COMPRESSION = Deflater.BEST_SPEED;

    private static final long MAX_REVERSE_ENTRY = Long.MAX_VALUE;

    private final DatabaseSettings settings;

    private final DsynqListener listener;

    private final DeltaDirectory directory;

    private final Clock clock;

    public Transitions(DatabaseSettings settings, Clock clock) {
        this.settings = settings;
        this.listener = settings.listener();
        this.directory = new DeltaDirectory(settings.deltaDirectory());
        this.clock = clock;
    }

    /** Moves the database as {@code request} says. */
    public ApplyResult apply(ApplyRequest request) {
        List<Delta> local = directory.deltas(settings.name());
        Map<DeltaId, String> checksums = new HashMap<>();
        try (Session session = Session.open(settings, true)) {
            session.history.create();
            List<HistoryEntry> applied = session.history.entries();
            List<TransitionPlanner.Move> moves = TransitionPlanner.plan(
                    settings.name(),
                    local,
                    applied,
                    delta -> checksums.computeIfAbsent(delta.id(), id -> delta.checksum()),
                    request);
            List<ApplyResult.Step> steps = new ArrayList<>();
            for (TransitionPlanner.Move move : moves) {
                ApplyResult.Step step = move.forward()
                        ? applyDelta(
                                session,
                                move.delta(),
                                checksums.computeIfAbsent(
                                        move.id(), id -> move.delta().checksum()),
                                request.dryRun())
                        : rollBack(session, move.entry(), request.force(), request.dryRun());
                steps.add(step);
                listener.stepDone(settings.name(), step);
                if (request.dryRun()) {
                    // each dry-run step was rolled back, so later steps would start from the wrong state
                    if (moves.size() > 1) {
                        listener.info("database " + settings.name() + ": dry run stops after the first of "
                                + moves.size() + " moves, since it changes nothing that later moves build on");
                    }
                    break;
                }
            }
            DeltaId current = request.dryRun()
                    ? applied.isEmpty() ? null : applied.get(applied.size() - 1).id()
                    : session.history.entries().stream()
                            .map(HistoryEntry::id)
                            .reduce((a, b) -> b)
                            .orElse(null);
            return new ApplyResult(settings.name(), steps, current, request.dryRun());
        }
    }

    /** The state of every delta found in the folder or the history. */
    public StatusResult status() {
        List<Delta> local = directory.deltas(settings.name());
        List<HistoryEntry> applied;
        try (Session session = Session.open(settings, false)) {
            applied = session.history.entries();
        }
        Map<DeltaId, Delta> localById = new TreeMap<>();
        local.forEach(d -> localById.put(d.id(), d));
        Map<DeltaId, HistoryEntry> appliedById = new TreeMap<>();
        applied.forEach(e -> appliedById.put(e.id(), e));
        TreeMap<DeltaId, DeltaStatus> all = new TreeMap<>();
        for (Delta delta : local) {
            HistoryEntry entry = appliedById.get(delta.id());
            DeltaStatus.State state = entry == null
                    ? DeltaStatus.State.PENDING
                    : entry.checksum().equals(delta.checksum())
                            ? DeltaStatus.State.APPLIED
                            : DeltaStatus.State.MODIFIED;
            all.put(delta.id(), new DeltaStatus(delta.id(), state, delta, entry));
        }
        for (HistoryEntry entry : applied) {
            if (!localById.containsKey(entry.id())) {
                all.put(entry.id(), new DeltaStatus(entry.id(), DeltaStatus.State.MISSING, null, entry));
            }
        }
        return new StatusResult(settings.name(), directory.deltaFolder(settings.name()), new ArrayList<>(all.values()));
    }

    /**
     * Creates a delta folder with stub files: for each table an insert file with every column, an update file with
     * every column (keep the key and the columns to set) and a delete file with the key. Without a reachable
     * database, the stubs are empty files, which are valid and do nothing.
     */
    public NewDeltaResult newDelta(NewDeltaRequest request) {
        Path deltas = directory.deltaFolder(settings.name());
        DeltaId id = DeltaId.of(clock.instant());
        while (Files.exists(deltas.resolve(id.text()))) {
            id = DeltaId.of(id.instant().plusNanos(1000));
        }
        Path folder = deltas.resolve(id.text());
        Map<String, List<List<String>>> headers = headers(request.tables());
        List<Path> files = new ArrayList<>();
        try {
            Files.createDirectories(folder);
            for (String table : request.tables()) {
                List<List<String>> tableHeaders = headers.get(table);
                int i = 0;
                for (Operation operation : Operation.values()) {
                    Path file = folder.resolve(DeltaFile.fileName(TableName.parse(table), operation));
                    if (tableHeaders == null) {
                        Files.createFile(file);
                    } else {
                        try (OutputStream out = Files.newOutputStream(file)) {
                            CsvDialect.writer(out, tableHeaders.get(i)).close();
                        }
                    }
                    files.add(file);
                    i++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + folder, e);
        }
        DeltaDirectory.writeMeta(
                folder, new DeltaMeta(id.text(), clock.instant(), request.description(), request.tables(), null));
        return new NewDeltaResult(id, folder, files);
    }

    /** The stub headers per table (insert, update, delete), or an empty map when the database is unreachable. */
    private Map<String, List<List<String>>> headers(List<String> tables) {
        Map<String, List<List<String>>> headers = new HashMap<>();
        if (tables.isEmpty()) {
            return headers;
        }
        Session session;
        try {
            session = Session.open(settings, false);
        } catch (DsynqException e) {
            listener.warn(e.getMessage() + "; writing empty stubs");
            return headers;
        }
        try (session) {
            Dialect dialect = session.dialect;
            for (String name : tables) {
                Table table = session.catalog.table(TableName.parse(name));
                List<String> all = table.columns().stream()
                        .filter(c -> !c.generated())
                        .map(c -> dialect.displayName(c.name()))
                        .toList();
                List<String> key = table.keyColumns().stream()
                        .map(Column::name)
                        .map(dialect::displayName)
                        .toList();
                headers.put(name, List.of(all, all, key.isEmpty() ? all : key));
            }
        }
        return headers;
    }

    // ------------------------------------------------------------------------------------------------- moves

    private ApplyResult.Step applyDelta(Session session, Delta delta, String checksum, boolean dryRun) {
        String where = "database " + settings.name() + ", delta " + delta.id();
        Path work = createWorkFolder();
        try {
            ReverseFolder reverse = new ReverseFolder(work.resolve("bundle"));
            DeltaApplier applier = new DeltaApplier(session.jdbc, session.connection, session.catalog, where, listener);
            long started = System.nanoTime();
            List<TableCounts> counts;
            try {
                counts = session.transactions.execute(status -> {
                    List<TableCounts> done = applier.apply(delta.files(), reverse);
                    Path bundle = work.resolve("reverse.tar.gz");
                    String reverseChecksum = pack(reverse.root(), bundle);
                    long millis = (System.nanoTime() - started) / 1_000_000;
                    session.history.record(
                            new HistoryEntry(
                                    delta.id(),
                                    checksum,
                                    delta.description(),
                                    clock.instant(),
                                    appliedBy(),
                                    done.stream()
                                            .mapToLong(TableCounts::inserted)
                                            .sum(),
                                    done.stream()
                                            .mapToLong(TableCounts::updated)
                                            .sum(),
                                    done.stream()
                                            .mapToLong(TableCounts::deleted)
                                            .sum(),
                                    millis,
                                    size(bundle),
                                    reverseChecksum),
                            bundle);
                    if (dryRun) {
                        status.setRollbackOnly();
                    }
                    return done;
                });
            } finally {
                applier.dropStaging();
            }
            long millis = (System.nanoTime() - started) / 1_000_000;
            if (!dryRun) {
                export(delta.id(), reverse.reverse());
            }
            return new ApplyResult.Step(true, delta.id(), delta.description(), counts, millis);
        } finally {
            delete(work);
        }
    }

    private ApplyResult.Step rollBack(Session session, HistoryEntry entry, boolean force, boolean dryRun) {
        String where = "database " + settings.name() + ", rollback of delta " + entry.id();
        Path work = createWorkFolder();
        try {
            Path bundle = work.resolve("reverse.tar.gz");
            try (OutputStream out = Files.newOutputStream(bundle)) {
                session.history.readReverse(entry, out);
            }
            ReverseFolder reverse = new ReverseFolder(work.resolve("bundle"));
            Files.createDirectories(reverse.root());
            try (InputStream in = new GzipCompressorInputStream(Files.newInputStream(bundle))) {
                TarArchive.extract(
                        in, reverse.root(), "reverse of delta " + entry.id(), MAX_REVERSE_ENTRY, Long.MAX_VALUE);
            }
            DeltaApplier applier = new DeltaApplier(session.jdbc, session.connection, session.catalog, where, listener);
            long started = System.nanoTime();
            List<TableCounts> counts;
            try {
                counts = session.transactions.execute(status -> {
                    List<TableCounts> done = applier.rollBack(reverse, force);
                    session.history.remove(entry.id());
                    if (dryRun) {
                        status.setRollbackOnly();
                    }
                    return done;
                });
            } finally {
                applier.dropStaging();
            }
            if (!dryRun) {
                delete(exportFolder(entry.id()));
            }
            return new ApplyResult.Step(
                    false, entry.id(), entry.description(), counts, (System.nanoTime() - started) / 1_000_000);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            delete(work);
        }
    }

    // ------------------------------------------------------------------------------------------------- files

    /** Packs a folder as tar.gz, returning the SHA-256 of the bytes written. */
    private static String pack(Path folder, Path bundle) {
        MessageDigest digest = HistoryStore.sha256();
        GzipParameters parameters = new GzipParameters();
        parameters.setCompressionLevel(REVERSE_COMPRESSION);
        try {
            Files.createDirectories(folder);
            try (OutputStream out = new GzipCompressorOutputStream(
                    new DigestOutputStream(Files.newOutputStream(bundle), digest), parameters)) {
                TarArchive.write(folder, out, Instant.EPOCH);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private Path exportFolder(DeltaId id) {
        return settings.exportDirectory() == null
                ? null
                : settings.exportDirectory()
                        .resolve(settings.name())
                        .resolve("delta.rev")
                        .resolve(id.text());
    }

    /** Copies a reverse delta to where people can review it. */
    private void export(DeltaId id, Path reverse) {
        Path target = exportFolder(id);
        if (target == null) {
            return;
        }
        try {
            delete(target);
            Files.createDirectories(target);
            if (Files.isDirectory(reverse)) {
                try (Stream<Path> files = Files.list(reverse)) {
                    for (Path file : files.sorted().toList()) {
                        Files.copy(file, target.resolve(file.getFileName().toString()));
                    }
                }
            }
        } catch (IOException e) {
            listener.warn("could not export the reverse of delta " + id + " to " + target + ": " + e.getMessage());
        }
    }

    private static Path createWorkFolder() {
        try {
            return Files.createTempDirectory("dsynq-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path folder) {
        if (folder == null || !Files.exists(folder)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String appliedBy() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                host = "unknown";
            }
        }
        String user = System.getProperty("user.name", "unknown");
        String appliedBy = user + "@" + host;
        return appliedBy.length() > 255 ? appliedBy.substring(0, 255) : appliedBy;
    }
}
