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
import io.dsynq.core.csv.CsvDialect;
import io.dsynq.core.jdbc.Column;
import io.dsynq.core.jdbc.Dialect;
import io.dsynq.core.jdbc.Table;
import io.dsynq.core.jdbc.TableRef;
import io.dsynq.core.model.Delta;
import io.dsynq.core.model.DeltaDirectory;
import io.dsynq.core.model.DeltaFile;
import io.dsynq.core.model.DeltaId;
import io.dsynq.core.model.DeltaMeta;
import io.dsynq.core.model.DeltaSources;
import io.dsynq.core.model.Operation;
import io.dsynq.core.model.TableName;
import io.dsynq.core.model.TemporaryFolder;
import io.dsynq.core.model.Words;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.commons.io.file.PathUtils;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.dao.DataAccessException;
import org.springframework.transaction.TransactionSystemException;

/**
 * Moves one database between delta states: plans the moves, applies each delta or rolls it back in a transaction
 * of its own under the session lock, and keeps the history and reverse deltas. Internal: use
 * {@link io.dsynq.core.Dsynq}. Thread-safe: each call opens its own session.
 */
public final class Transitions {

    private final DatabaseSettings settings;

    private final DsynqListener listener;

    private final DeltaDirectory directory;

    private final DeltaSources sources;

    private final Clock clock;

    public Transitions(DatabaseSettings settings, Clock clock) {
        this.settings = settings;
        this.listener = settings.listener();
        this.directory = new DeltaDirectory(settings.deltaDirectory());
        this.sources = settings.sources();
        this.clock = clock;
    }

    /**
     * Moves the database as {@code request} says, each delta in a transaction of its own under the session lock. A
     * dry run runs every move in one transaction and rolls it back, printing the statements; it takes no lock and
     * creates no history table.
     */
    public ApplyResult apply(ApplyRequest request) {
        try {
            return move(request);
        } catch (DataAccessException e) {
            throw new DsynqException(
                    "database " + settings.name() + ": "
                            + e.getMostSpecificCause().getMessage(),
                    e);
        } catch (DsynqException e) {
            throw named(e);
        }
    }

    /**
     * {@code e}, its message starting with this database's name as every error of a goal does: the catalog's and the
     * history's own words name none ('cannot read the metadata of table dsynq_history: …' on a session the server
     * ended), and several databases may be configured.
     */
    private DsynqException named(DsynqException e) {
        String database = "database " + settings.name();
        String message = String.valueOf(e.getMessage());
        return message.startsWith(database + ":")
                        || message.startsWith(database + ",")
                        || message.startsWith(database + " ")
                ? e
                : new DsynqException(database + ": " + message, e);
    }

    private ApplyResult move(ApplyRequest request) {
        listener.debug("-- reading the deltas");
        List<Delta> local = localDeltas();
        ChecksumCache cache = checksumCache();
        Map<DeltaId, String> checksums = new java.util.concurrent.ConcurrentHashMap<>();
        boolean dryRun = request.dryRun();
        DsynqListener out = dryRun ? printingStatements(listener) : listener;
        try (Session session = Session.open(settings, !dryRun)) {
            listener.debug("-- connected" + (dryRun ? "" : " and locked"));
            boolean recorded = session.history.exists();
            if (!recorded) {
                List<String> elsewhere = List.of();
                try {
                    elsewhere = session.history.elsewhere();
                } catch (RuntimeException e) { // a warning's question, which must not stop the apply
                    listener.debug("-- cannot look for a history in other schemas: " + e.getMessage());
                }
                if (!elsewhere.isEmpty()) {
                    listener.warn("database " + settings.name() + ": no history (" + session.history.table()
                            + ") in the connection's current schema, which deltas apply to, but in schema "
                            + String.join(", ", elsewhere) + ": if the current schema changed (search_path,"
                            + " currentSchema), every delta applies again, into this schema's tables");
                }
                int orphaned = session.history.orphanedReverses();
                if (orphaned > 0) { // before a history is made afresh, which a failure would drop with them
                    String table = session.history.table();
                    throw new DsynqException("database " + settings.name() + ": " + table + "_reverse holds the"
                            + " reverse deltas of " + orphaned + (orphaned == 1 ? " applied delta" : " applied deltas")
                            + ", but " + table + ", which records them, is missing: restore it from a backup to roll"
                            + " them back, or, to apply every delta afresh, drop " + table + "_reverse");
                }
            }
            boolean created = !dryRun && !recorded;
            if (created) {
                createHistory(session);
                recorded = true;
            }
            List<HistoryEntry> applied = recorded ? entries(session, dryRun) : List.of();
            java.util.function.Function<Delta, String> checksum =
                    delta -> checksums.computeIfAbsent(delta.id(), id -> cache.checksum(delta));
            List<TransitionPlanner.Move> moves;
            try {
                moves = TransitionPlanner.plan(settings.name(), local, applied, checksum, sources::fetched, request);
            } catch (DsynqException e) {
                warnMissing(local, applied, checksum, Set.of());
                throw e;
            }
            warnMissing(
                    local,
                    applied,
                    checksum,
                    moves.stream()
                            .filter(m -> !m.forward())
                            .map(TransitionPlanner.Move::id)
                            .collect(Collectors.toSet()));
            if (!dryRun && !moves.isEmpty()) { // before anything is applied
                checkWritable(session);
            }
            if (dryRun && !moves.isEmpty()) {
                String readOnly = readOnly(session);
                if (readOnly != null) {
                    throw new DsynqException("database " + settings.name() + ": cannot try the deltas in a dry run,"
                            + " which applies them in a transaction it then rolls back: " + readOnly);
                }
            }
            StagingTables staging = new StagingTables(session.jdbc, session.stagingMaker(), session.dialect, out);
            if (!dryRun) { // under the lock
                checkCommitsEnded(session, request.force());
                int left = staging.dropLeftovers();
                if (left > 0) {
                    listener.info("database " + settings.name() + ": dropped " + left + " staging "
                            + (left == 1 ? "table" : "tables")
                            + " left by an apply, a rollback or a diff that did not end");
                }
            }
            ExecutorService compressor = Executors.newFixedThreadPool(2, runnable -> {
                Thread thread = new Thread(runnable, "dsynq reverse compression");
                thread.setDaemon(true);
                return thread;
            });
            try {
                Mover mover = new Mover(
                        session, staging, compressor, out, checksums, cache, request.force(), recorded, !dryRun);
                return dryRun ? dryRun(session, applied, moves, staging, mover) : run(session, moves, staging, mover);
            } catch (RuntimeException e) {
                if (created) {
                    dropEmptyHistory(session, e);
                }
                throw e;
            } finally {
                compressor.shutdownNow();
                cache.save();
            }
        }
    }

    /** {@link Session#commitEnded} after {@code failed}, which a failure of its own is added to. */
    private static void commitEnded(Session session, RuntimeException failed) {
        try {
            session.commitEnded();
        } catch (RuntimeException e) {
            failed.addSuppressed(e);
        }
    }

    /**
     * Refuses to go on where a commit began and did not end ({@link Session#commitCutShort}): the process ended in
     * the middle of it, and the database may hold part of that delta or rollback, with or without its history entry;
     * under {@code force}, warns and goes on from what the history says.
     */
    private void checkCommitsEnded(Session session, boolean force) {
        String cut = session.commitCutShort();
        if (cut == null) {
            return;
        }
        if (!force) {
            throw commitCutShort(cut);
        }
        listener.warn(didNotEnd(cut) + "; going on from what the history says, as -Ddsynq.force asks");
        session.commitEnded();
    }

    /** The error of an apply or rollback that finds the commit of {@code cut} did not end. */
    private DsynqException commitCutShort(String cut) {
        return new DsynqException(didNotEnd(cut) + ". Check the tables it changes against it, or build the database"
                + " again; then run again with -Ddsynq.force to go on from what the history says");
    }

    private String didNotEnd(String cut) {
        return "database " + settings.name() + ": the commit of " + cut + " did not end, as the process that made it"
                + " ended in the middle of it (killed, or stopped by Ctrl-C or a CI's SIGTERM), and H2 keeps the part"
                + " of a transaction its commit had reached then: the database may hold part of it, with or without its"
                + " history entry";
    }

    /**
     * Drops the history tables this apply made, where its first delta failed and they hold nothing, so that the
     * database is left as it was, through a connection of its own where the server ended the session's; a failure
     * here is added to the apply's. Only while the lock holds: where the server ended its session too, another apply
     * may have taken it and be applying into the tables, which stay then.
     */
    private void dropEmptyHistory(Session session, RuntimeException failure) {
        try {
            if (!session.holdsLock()) {
                failure.addSuppressed(new DsynqException("database " + settings.name() + ": the history tables "
                        + session.history.table() + " this apply made are left, empty, as the server ended the"
                        + " session that held the dsynq lock"));
            } else if (session.connection.isValid(30)) {
                dropIfEmpty(session.history);
            } else {
                try (Session fresh = Session.open(settings, false)) {
                    dropIfEmpty(fresh.history);
                }
            }
        } catch (SQLException | RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    private static void dropIfEmpty(HistoryStore history) {
        if (history.empty()) {
            history.drop();
        }
    }

    /**
     * Warns of applied deltas no source has any longer: they stay applied, and roll back by the reverse the history
     * keeps, but a move that says it is up to date would hide them. Every source is named: a delta of a bundle
     * deployed again without it was never in the delta directory. A pending delta holding the same content as a
     * missing one (its folder renamed, as a rebase onto newer deltas may want, or cherry-picked under a new id) is
     * named with it: applying it makes the same changes again.
     */
    private void warnMissing(
            List<Delta> local,
            List<HistoryEntry> applied,
            java.util.function.Function<Delta, String> checksum,
            Set<DeltaId> rolledBack) {
        Set<DeltaId> found = local.stream().map(Delta::id).collect(Collectors.toSet());
        List<HistoryEntry> gone =
                applied.stream().filter(e -> !found.contains(e.id())).toList();
        if (gone.isEmpty()) {
            return;
        }
        List<DeltaId> missing = gone.stream().map(HistoryEntry::id).toList();
        List<DeltaId> rolling = missing.stream().filter(rolledBack::contains).toList();
        List<DeltaId> staying =
                missing.stream().filter(id -> !rolledBack.contains(id)).toList();
        boolean one = missing.size() == 1;
        StringBuilder warning = new StringBuilder("database " + settings.name() + ": " + ids("delta", missing)
                + (one ? " is" : " are") + " applied but missing from " + searched());
        if (!rolling.isEmpty()) { // by their stored reverses
            warning.append("; this move rolls ")
                    .append(rolling.size() == missing.size() ? (one ? "it" : "them") : texts(rolling))
                    .append(" back from the reverse stored at the apply");
        }
        if (!staying.isEmpty()) {
            warning.append("; ")
                    .append(staying.size() == missing.size() ? (one ? "it" : "they") : texts(staying))
                    .append(staying.size() == 1 ? " stays" : " stay")
                    .append(" applied, and dsynq:status shows ")
                    .append(staying.size() == 1 ? "it" : "them")
                    .append(" as MISSING");
        }
        Set<DeltaId> appliedIds = applied.stream().map(HistoryEntry::id).collect(Collectors.toSet());
        Map<String, List<HistoryEntry>> goneBySum =
                gone.stream().collect(Collectors.groupingBy(HistoryEntry::checksum));
        TreeSet<DeltaId> known = new TreeSet<>(found);
        known.addAll(appliedIds);
        for (Delta delta : local) {
            if (appliedIds.contains(delta.id())) {
                continue;
            }
            List<HistoryEntry> same;
            try {
                same = goneBySum.get(checksum.apply(delta));
            } catch (RuntimeException e) { // a delta that cannot be read, which the move reports
                continue;
            }
            if (same != null && !rolledBack.contains(same.get(0).id())) {
                DeltaId old = same.get(0).id();
                DeltaId before = known.lower(old);
                warning.append("; pending delta ")
                        .append(delta.id().text())
                        .append(" holds the same content as ")
                        .append(old.text())
                        .append(" (renamed, or cherry-picked under a new id?), and applying it makes the same changes"
                                + " again: roll ")
                        .append(old.text())
                        .append(" back first (-Ddsynq.to=")
                        .append(before == null ? "0" : before.text())
                        .append(")");
            }
        }
        listener.warn(warning.toString());
    }

    /** The delta folders of this database in every source: {@code a}, {@code a and b}, {@code a, b and c}. */
    private String searched() {
        List<String> folders = new ArrayList<>();
        folders.add(directory.deltaFolder(settings.name()).toString());
        sources.others().forEach(o -> folders.add(o.deltaFolder(settings.name()).toString()));
        return Words.of(folders);
    }

    /** Runs every move in one transaction, printing the statements, and rolls it back. */
    private ApplyResult dryRun(
            Session session,
            List<HistoryEntry> applied,
            List<TransitionPlanner.Move> moves,
            StagingTables staging,
            Mover mover) {
        List<ApplyResult.Step> steps = new ArrayList<>();
        try {
            session.transactions.execute(status -> {
                for (TransitionPlanner.Move move : moves) {
                    ApplyResult.Step step = mover.move(move, false);
                    steps.add(step);
                    listener.stepDone(settings.name(), step);
                }
                status.setRollbackOnly();
                return null;
            });
        } finally {
            staging.dropAll();
            mover.cleanUp();
        }
        TreeSet<DeltaId> wouldBe = new TreeSet<>();
        applied.forEach(e -> wouldBe.add(e.id()));
        for (TransitionPlanner.Move move : moves) {
            if (move.forward()) {
                wouldBe.add(move.id());
            } else {
                wouldBe.remove(move.id());
            }
        }
        return new ApplyResult(settings.name(), steps, wouldBe.isEmpty() ? null : wouldBe.last(), true);
    }

    /**
     * Runs each move in a transaction of its own: first on the fast path, in the isolation the engine wants for it;
     * if the database refuses anything there, rolled back and run again on the strict path.
     */
    private ApplyResult run(Session session, List<TransitionPlanner.Move> moves, StagingTables staging, Mover mover) {
        List<ApplyResult.Step> steps = new ArrayList<>();
        try {
            runEach(session, moves, staging, mover, steps);
        } catch (RuntimeException e) {
            throw putBack(session, moves, staging, mover, steps, e);
        }
        DeltaId current = session.history.entries().stream()
                .map(HistoryEntry::id)
                .reduce((a, b) -> b)
                .orElse(null);
        return new ApplyResult(settings.name(), steps, current, false);
    }

    /**
     * Where a move failed after the apply had rolled back newer deltas to apply an older one in their place (a delta
     * merged from a branch), those deltas, applied before the goal ran, would be left rolled back by a goal that
     * failed: the moves made are undone, newest first, so the database is as it was, and the failure says so. Any
     * other failure is returned as it is: each delta moved before it stays moved.
     */
    private RuntimeException putBack(
            Session session,
            List<TransitionPlanner.Move> moves,
            StagingTables staging,
            Mover mover,
            List<ApplyResult.Step> done,
            RuntimeException failure) {
        Set<DeltaId> applyAgain = moves.stream()
                .filter(TransitionPlanner.Move::forward)
                .map(TransitionPlanner.Move::id)
                .collect(Collectors.toSet());
        List<TransitionPlanner.Move> made = moves.subList(0, done.size());
        List<DeltaId> rolledBack = made.stream()
                .filter(m -> !m.forward() && applyAgain.contains(m.id()))
                .map(TransitionPlanner.Move::id)
                .toList();
        if (rolledBack.isEmpty() || !(failure instanceof DsynqException || failure instanceof DataAccessException)) {
            return failure;
        }
        DeltaId newest = rolledBack.get(0); // rolled back newest first
        Set<DeltaId> wereApplied = moves.stream()
                .filter(m -> !m.forward())
                .map(TransitionPlanner.Move::id)
                .collect(Collectors.toSet());
        List<DeltaId> older = moves.stream()
                .filter(m -> m.forward() && !wereApplied.contains(m.id()) && m.id().compareTo(newest) < 0)
                .map(TransitionPlanner.Move::id)
                .toList();
        String message = (failure instanceof DataAccessException d
                        ? "database " + settings.name() + ": "
                                + d.getMostSpecificCause().getMessage()
                        : failure.getMessage())
                + "; to apply the older " + ids("delta", older) + " in "
                + (older.size() == 1 ? "its" : "their") + " place, this apply had rolled back the newer "
                + ids("delta", rolledBack) + ", applied before it ran";
        try {
            Map<DeltaId, HistoryEntry> entries = new HashMap<>();
            session.history.entries().forEach(e -> entries.put(e.id(), e));
            List<TransitionPlanner.Move> back = new ArrayList<>();
            for (int i = made.size() - 1; i >= 0; i--) {
                TransitionPlanner.Move move = made.get(i);
                back.add(
                        move.forward()
                                ? new TransitionPlanner.Move(false, move.id(), move.delta(), entries.get(move.id()))
                                : new TransitionPlanner.Move(true, move.id(), move.delta(), null));
            }
            listener.warn("database " + settings.name() + ": " + ids("delta", older) + " cannot go before the newer "
                    + ids("delta", rolledBack) + ", applied before; putting back what this apply moved");
            runEach(session, back, staging, mover, new ArrayList<>());
        } catch (RuntimeException again) {
            DsynqException both = new DsynqException(
                    message + "; putting the database back as it was failed too (" + again.getMessage()
                            + "): dsynq:status tells what is applied now",
                    failure);
            both.addSuppressed(again);
            return both;
        }
        if (failure instanceof DriftException) { // a newer delta's rollback: the drift report says what to do
            return new DriftException(failure.getMessage() + "\n(To apply the older " + ids("delta", older)
                    + " in " + (older.size() == 1 ? "its" : "their") + " place, this apply had rolled back the newer "
                    + ids("delta", rolledBack) + ", applied before it ran: the database is put back as it was.)");
        }
        return new DsynqException(
                message + ": the database is put back as it was, " + ids("delta", rolledBack) + " applied and "
                        + ids("delta", older) + " not; make the older " + (older.size() == 1 ? "delta" : "deltas")
                        + " and the newer agree (edit a pending delta, or roll back to before the newer with"
                        + " -Ddsynq.to=" + before(session, rolledBack.get(rolledBack.size() - 1)) + ", edit and"
                        + " apply)",
                failure);
    }

    /** {@code delta 1.0}, {@code deltas 1.0 and 2.0}. */
    private static String ids(String noun, List<DeltaId> ids) {
        return noun + (ids.size() == 1 ? " " : "s ") + texts(ids);
    }

    /** {@code 1.0}, {@code 1.0 and 2.0}. */
    private static String texts(List<DeltaId> ids) {
        return Words.of(ids.stream().map(DeltaId::text).toList());
    }

    /** The applied delta before {@code id}, or 0. */
    private static String before(Session session, DeltaId id) {
        return session.history.entries().stream()
                .map(HistoryEntry::id)
                .filter(applied -> applied.compareTo(id) < 0)
                .reduce((a, b) -> b)
                .map(DeltaId::text)
                .orElse("0");
    }

    /** Runs each move in a transaction of its own, adding its step to {@code steps} once it committed. */
    private void runEach(
            Session session,
            List<TransitionPlanner.Move> moves,
            StagingTables staging,
            Mover mover,
            List<ApplyResult.Step> steps) {
        for (TransitionPlanner.Move move : moves) {
            ApplyResult.Step step = null;
            try {
                clearDeadRows(session, move);
                try {
                    step = session.fastTransactions.execute(status -> mover.move(move, true));
                } catch (FastPathFailed refused) {
                    // the strict path would only meet the same: a stop, or a privilege the user lacks
                    if (stopped(session, refused) || session.dialect.deniedBy(refused)) {
                        throw new DsynqException(refused.getMessage(), refused.getCause());
                    }
                    // rolled back; the strict path names the row at fault, or goes through
                    listener.debug("the fast path stopped (" + refused.getMessage() + "); going the strict way");
                    staging.dropAll();
                    mover.cleanUp();
                    step = session.transactions.execute(status -> mover.move(move, false));
                } catch (org.springframework.dao.ConcurrencyFailureException conflict) {
                    if (stopped(session, conflict)) { // a lock timeout
                        throw new DsynqException(
                                where(move) + ": "
                                        + conflict.getMostSpecificCause()
                                                .getMessage()
                                                .replace('\n', ' '),
                                conflict);
                    }
                    // a concurrent writer changed a row under the fast path's snapshot
                    listener.debug("the fast path met a concurrent change; going the strict way");
                    staging.dropAll();
                    mover.cleanUp();
                    step = session.transactions.execute(status -> mover.move(move, false));
                }
                try {
                    session.commitEnded();
                } catch (RuntimeException e) {
                    listener.warn(where(move) + ": committed, but the mark of its commit is left (" + e.getMessage()
                            + "), and the next apply takes it for a commit that did not end");
                }
                // what the commit calls for is done before the listener hears of it, which may throw
                mover.afterCommit();
                if (move.forward()) {
                    export(move.id(), mover.reverseOf(move));
                } else {
                    unexport(move.id());
                }
                listener.debug("-- committed");
                listener.debug("-- reverse exported");
            } catch (RuntimeException failed) {
                if (step == null && !(failed instanceof TransactionSystemException)) {
                    commitEnded(session, failed); // rolled back: nothing of it is kept
                }
                String noun = move.forward() ? "delta" : "rollback";
                DsynqException full = step == null ? outOfTemporarySpace(move, failed) : null;
                if (full != null) {
                    throw full;
                }
                if (step == null
                        && session.ended()
                        && failed instanceof TransactionSystemException atCommit
                        && atCommit.getApplicationException() == null) { // the commit itself
                    throw endedAtCommit(session, move, atCommit);
                }
                if (step == null && session.ended()) { // before the commit went through
                    throw notKept(
                            session,
                            move,
                            failed,
                            "the server ended the session the " + noun + " ran in (killed, or timed out), and with it"
                                    + " the " + noun + "'s transaction");
                }
                if (step == null && session.dialect.deadlockedBy(failed)) { // the strict path's: the fast one ran again
                    throw notKept(
                            session,
                            move,
                            failed,
                            "the database ended the " + noun + "'s transaction to break a deadlock with another"
                                    + " session (each waited for a lock the other held)");
                }
                if (!(failed instanceof TransactionSystemException atCommit)) {
                    throw failed;
                }
                // a commit or a rollback that failed, on either path
                if (atCommit.getApplicationException() instanceof RuntimeException application) {
                    // the move failed, and its rollback too: the move's failure says why
                    RuntimeException failure = application instanceof FastPathFailed fast
                            ? new DsynqException(fast.getMessage(), fast.getCause())
                            : application;
                    failure.addSuppressed(atCommit);
                    throw failure;
                }
                throw refusedAtCommit(move, atCommit);
            } finally {
                staging.dropAll();
                mover.cleanUp();
            }
            steps.add(step);
            listener.stepDone(settings.name(), step);
        }
    }

    /**
     * Creates the history tables, naming what to grant where the user may not create tables: such a user can work
     * with tables an administrator made.
     */
    private void createHistory(Session session) {
        try {
            session.history.create();
        } catch (DataAccessException e) {
            if (!session.dialect.deniedBy(e)) {
                throw e;
            }
            String table = session.history.table();
            throw new DsynqException(
                    "database " + settings.name() + ": cannot create the history tables " + table + " and " + table
                            + "_reverse, as its user may not create tables here ("
                            + firstLine(session.dialect, e)
                            + "); grant it CREATE, or have a user who may create them (dsynq:apply -Ddsynq.to=0"
                            + " as that user does, applying nothing) and grant this one SELECT, INSERT and DELETE on"
                            + " both",
                    e);
        }
    }

    /** Why the session cannot write ({@link Session#readOnly}), or {@code null}. */
    private String readOnly(Session session) {
        try {
            return session.readOnly();
        } catch (SQLException e) {
            throw new DsynqException("database " + settings.name() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Stops where the user may not record or remove history entries, naming what to grant, or where the history would
     * keep an entry its transaction rolled back: checked only before a move is applied, as an apply that finds none
     * pending writes nothing and runs for a user who may only read the history.
     */
    private void checkWritable(Session session) {
        String nonTransactional = session.history.nonTransactional();
        if (nonTransactional != null) {
            throw new DsynqException("database " + settings.name() + ": " + nonTransactional);
        }
        String refused = session.history.unwritable();
        if (refused != null) {
            throw historyRefused(session, refused);
        }
    }

    /**
     * The history's entries; where the user may not read them (on MariaDB, one without a privilege on the history,
     * which it then does not see, makes it "again" where it may create tables), what to grant, as {@link
     * #checkWritable} names it.
     */
    private List<HistoryEntry> entries(Session session, boolean dryRun) {
        try {
            return session.history.entries();
        } catch (DataAccessException e) {
            if (dryRun || !session.dialect.deniedBy(e)) {
                throw e;
            }
            throw historyRefused(session, firstLine(session.dialect, e));
        }
    }

    /**
     * The first line of the server's message without the user it names: one from settings.xml never reaches the
     * output.
     */
    static String firstLine(Dialect dialect, Throwable e) {
        return dialect.firstLine(NestedExceptionUtils.getMostSpecificCause(e));
    }

    private DsynqException historyRefused(Session session, String reason) {
        String table = session.history.table();
        return new DsynqException("database " + settings.name() + ": its user may not write the history tables ("
                + reason + "); grant it SELECT, INSERT and DELETE on " + table + " and " + table + "_reverse");
    }

    /**
     * Whether the server stopped the move rather than refused its rows: a cancel, a statement or lock timeout, a
     * connection it ended.
     */
    private static boolean stopped(Session session, RuntimeException failure) {
        return session.dialect.stoppedBy(failure) || session.ended();
    }

    /** What an error of a move starts with: the database and the delta, or its rollback. */
    private String where(TransitionPlanner.Move move) {
        return "database " + settings.name() + ", " + what(move);
    }

    /** The delta a move applies, or the rollback of one, as errors name it. */
    private String what(TransitionPlanner.Move move) {
        return !move.forward()
                ? "rollback of delta " + move.id()
                : "delta " + (move.delta() == null ? move.id() : sources.name(move.delta()));
    }

    /**
     * A commit the database refused: a constraint or trigger it checks then (PostgreSQL's {@code DEFERRABLE INITIALLY
     * DEFERRED}), which names no row of the delta; nothing of the move is left.
     */
    private DsynqException refusedAtCommit(TransitionPlanner.Move move, TransactionSystemException e) {
        return new DsynqException(
                where(move) + ": the database refused the " + (move.forward() ? "delta" : "rollback")
                        + " as it committed it: "
                        + e.getMostSpecificCause().getMessage().replace('\n', ' '),
                e);
    }

    /**
     * A move the server ended before it committed, ending its transaction ({@code why}: it ended the session, or broke
     * a deadlock): its failure as the move met it, naming the file where one was at work, why, and that nothing of it
     * is kept.
     */
    private DsynqException notKept(Session session, TransitionPlanner.Move move, RuntimeException failed, String why) {
        // the catalog's words name neither the database nor the delta
        String said = failed instanceof DsynqException || failed instanceof FastPathFailed
                ? failed.getMessage()
                : firstLine(session.dialect, failed);
        String noun = move.forward() ? "delta" : "rollback";
        return new DsynqException(
                (said.startsWith(where(move)) ? said : where(move) + ": " + said) + "; " + why + ": nothing of the "
                        + noun + " is kept, run it again",
                failed instanceof FastPathFailed ? failed.getCause() : failed);
    }

    /**
     * A move whose session ended as it committed (the server ended it, or, on H2, the JVM stopping closed the
     * database): whether the database kept it is not known. A server commits whole, history entry and all, so the
     * history tells; H2 may have kept part of it, and its commit's mark stops the next apply.
     */
    private DsynqException endedAtCommit(Session session, TransitionPlanner.Move move, RuntimeException failed) {
        String noun = move.forward() ? "delta" : "rollback";
        return new DsynqException(
                where(move) + ": " + firstLine(session.dialect, failed) + "; the session ended as the " + noun
                        + " committed (the server ended it, or the JVM was stopping), so whether the database kept it"
                        + " is not known: "
                        + (session.dialect.commitMarker(settings.historyTable()) != null
                                ? "H2 may have kept part of it, and the next apply or rollback stops until it is"
                                        + " checked"
                                : "the database kept all of it, history entry included, or none of it, and"
                                        + " dsynq:status tells which"),
                failed);
    }

    /**
     * A move that failed writing its reverse delta into the temporary folder, where it is written as the delta is
     * applied and unpacked to be rolled back, whose disk is full: an error saying so and what to do, or {@code null}
     * for another failure.
     */
    private DsynqException outOfTemporarySpace(TransitionPlanner.Move move, RuntimeException failed) {
        return TemporaryFolder.outOfSpace(
                where(move),
                move.forward()
                        ? "the reverse delta, which holds the rows the delta deletes and the values it changes, as large"
                                + " as they are"
                        : "the reverse delta, unpacked there to be applied",
                "nothing of the " + (move.forward() ? "delta" : "rollback") + " is kept",
                failed);
    }

    /** From this many rows deleted by a delta, rolling it back first clears their dead versions away. */
    static final long CLEAR_FROM_DELETED_ROWS = 10_000;

    /**
     * Before rolling back a delta that deleted many rows, lets the engine clear their dead versions from the tables the
     * rollback puts them back into, outside the move's transaction. A delta no longer in the source tree is skipped;
     * so is anything that fails here, which only costs time.
     */
    private void clearDeadRows(Session session, TransitionPlanner.Move move) {
        if (move.forward() || move.delta() == null || move.entry().deleted() < CLEAR_FROM_DELETED_ROWS) {
            return;
        }
        List<TableRef> tables = move.delta().files().stream()
                .filter(file -> file.operation() == Operation.DELETE)
                .map(file -> session.catalog.find(file.table()))
                .flatMap(java.util.Optional::stream)
                .map(Table::ref)
                .distinct()
                .toList();
        try {
            if (session.dialect.clearDeadRows(session.connection, tables)) {
                listener.debug("-- dead rows cleared from " + tables);
            }
        } catch (SQLException | DataAccessException e) {
            listener.debug("-- could not clear the dead rows from " + tables + ": " + e.getMessage());
        }
    }

    /** The deltas in the source tree and further sources; a broken layout is an error naming this database. */
    private List<Delta> localDeltas() {
        try {
            return sources.deltas(settings.name());
        } catch (DsynqException e) {
            throw new DsynqException("database " + settings.name() + ": " + e.getMessage(), e);
        }
    }

    /** A listener that prints the SQL a dry run would run, which is otherwise debug output. */
    private static DsynqListener printingStatements(DsynqListener listener) {
        return new DsynqListener() {
            @Override
            public void info(String message) {
                listener.info(message);
            }

            @Override
            public void warn(String message) {
                listener.warn(message);
            }

            @Override
            public void debug(String message) {
                listener.info("    " + message);
            }
        };
    }

    /**
     * The ids of the deltas found in the folder that the database has not applied, without reading their files;
     * none where the deltas cannot be listed or the history read, which the caller's own work then reports.
     */
    public List<DeltaId> pending() {
        List<Delta> local;
        try {
            local = localDeltas();
        } catch (DsynqException e) {
            return List.of();
        }
        if (local.isEmpty()) {
            return List.of();
        }
        Set<DeltaId> applied;
        try (Session session = Session.open(settings, false)) {
            applied = session.history.entries().stream().map(HistoryEntry::id).collect(Collectors.toSet());
        } catch (DsynqException | DataAccessException e) {
            return List.of();
        }
        return local.stream().map(Delta::id).filter(id -> !applied.contains(id)).toList();
    }

    /**
     * Plans {@code request} as {@link #apply} would, from the deltas found and the history, without taking the lock or
     * moving anything.
     *
     * @throws DsynqException with the words the apply would fail with: no such delta, not so many to move, a delta
     *     modified after it was applied or missing where it would be applied again
     */
    public void check(ApplyRequest request) {
        ChecksumCache cache = checksumCache();
        try {
            List<HistoryEntry> history = history(cut -> {
                if (!request.force() && !request.dryRun()) {
                    throw commitCutShort(cut);
                }
            });
            TransitionPlanner.plan(settings.name(), localDeltas(), history, cache::checksum, sources::fetched, request);
        } finally {
            cache.save();
        }
    }

    /**
     * The checksums remembered between builds, so that telling whether an applied delta was modified reads only the
     * deltas whose files changed.
     */
    private ChecksumCache checksumCache() {
        return new ChecksumCache(
                settings.exportDirectory() == null
                        ? null
                        : settings.exportDirectory().resolve(settings.name()).resolve("checksums.properties"));
    }

    /**
     * The history, read without the lock; where the commit of a delta or rollback did not end ({@link
     * Session#commitCutShort}), {@code cutShort} hears what it was of first.
     */
    private List<HistoryEntry> history(Consumer<String> cutShort) {
        try (Session session = Session.open(settings, false)) {
            String cut = session.commitCutShort();
            if (cut != null) {
                cutShort.accept(cut);
            }
            return session.history.entries();
        } catch (DataAccessException e) {
            throw new DsynqException(
                    "database " + settings.name() + ": "
                            + e.getMostSpecificCause().getMessage(),
                    e);
        } catch (DsynqException e) {
            throw named(e);
        }
    }

    /** The state of every delta found in the folder or the history. */
    public StatusResult status() {
        List<Delta> local = localDeltas();
        List<HistoryEntry> applied = history(cut -> listener.warn(didNotEnd(cut) + "; an apply or a rollback stops"
                + " until it is checked, or goes on from what the history says with -Ddsynq.force"));
        Map<DeltaId, Delta> localById = new TreeMap<>();
        local.forEach(d -> localById.put(d.id(), d));
        Map<DeltaId, HistoryEntry> appliedById = new TreeMap<>();
        applied.forEach(e -> appliedById.put(e.id(), e));
        TreeMap<DeltaId, DeltaStatus> all = new TreeMap<>();
        ChecksumCache cache = checksumCache();
        try {
            for (Delta delta : local) {
                HistoryEntry entry = appliedById.get(delta.id());
                DeltaStatus.State state = entry == null
                        ? DeltaStatus.State.PENDING
                        : entry.checksum().equals(cache.checksum(delta))
                                ? DeltaStatus.State.APPLIED
                                : DeltaStatus.State.MODIFIED;
                all.put(delta.id(), new DeltaStatus(delta.id(), state, delta, entry));
            }
        } finally {
            cache.save();
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
        for (String table : request.tables()) {
            String name = DeltaFile.fileName(TableName.parse(table), Operation.INSERT);
            if (!DeltaDirectory.nameable(name)) {
                throw new DsynqException("table " + table + ": a delta's file is named after its table, and "
                        + DeltaDirectory.fileNameEncoding());
            }
            String tooLong = DeltaFile.tooLong(TableName.parse(table).toString());
            if (tooLong != null) {
                throw new DsynqException(
                        "table " + table + ": a delta's file is named after its table, and " + tooLong);
            }
        }
        Path deltas = directory.deltaFolder(settings.name());
        Map<String, List<List<String>>> headers = headers(request.tables());
        List<Path> files = new ArrayList<>();
        DeltaId id;
        Path folder = deltas;
        try {
            Files.createDirectories(deltas);
            while (true) { // the id is claimed by creating its folder, as a diff claims it
                id = directory.newId(settings.name(), clock.instant());
                folder = deltas.resolve(id.text());
                try {
                    Files.createDirectory(folder);
                    break;
                } catch (java.nio.file.FileAlreadyExistsException e) {
                    // another new delta or diff took this id between the look and the claim: the next one
                }
            }
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
            Map<io.dsynq.core.jdbc.TableRef, String> named = new HashMap<>();
            for (String name : tables) {
                Table table;
                try {
                    table = session.catalog.table(TableName.parse(name));
                } catch (DsynqException e) {
                    // the catalog's words name no database, and several may be configured
                    throw new DsynqException("database " + settings.name() + ": " + e.getMessage(), e);
                }
                String before = named.putIfAbsent(table.ref(), name);
                if (before != null) {
                    // the apply would refuse two files of one operation for a table
                    throw new DsynqException("database " + settings.name() + ": " + before + " and " + name
                            + " name the same table, " + table.ref() + "; name it once");
                }
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

    /**
     * Runs moves inside the caller's transaction: applies a delta (recording it with its reverse when the history
     * table exists) or rolls one back. Keeps each move's work folder until {@link #cleanUp()}, so the reverse can be
     * exported once the transaction has committed.
     */
    private final class Mover {

        private final Session session;
        private final StagingTables staging;
        private final ExecutorService compressor;
        private final DsynqListener out;
        private final Map<DeltaId, String> checksums;
        private final ChecksumCache cache;
        private final boolean force;
        private final boolean recorded;
        /** Whether the moves are committed: not in a dry run. */
        private final boolean kept;

        private final List<Path> work = new ArrayList<>();
        private boolean fast;
        private final Map<TableRef, List<Column>> identitiesAfterCommit = new LinkedHashMap<>();
        private final Map<DeltaId, Path> reverses = new HashMap<>();

        Mover(
                Session session,
                StagingTables staging,
                ExecutorService compressor,
                DsynqListener out,
                Map<DeltaId, String> checksums,
                ChecksumCache cache,
                boolean force,
                boolean recorded,
                boolean kept) {
            this.session = session;
            this.staging = staging;
            this.compressor = compressor;
            this.out = out;
            this.checksums = checksums;
            this.cache = cache;
            this.force = force;
            this.recorded = recorded;
            this.kept = kept;
        }

        /** The move whose line was printed last. */
        private TransitionPlanner.Move announced;

        /** Prints a move's line once, though the move runs again on the strict path after the fast one. */
        private void announce(TransitionPlanner.Move move, String line) {
            if (announced != move) {
                out.info(line);
                announced = move;
            }
        }

        /**
         * Runs one move.
         *
         * @param fast whether to take the fast path where the delta allows ({@link FastPathFailed} when refused)
         */
        ApplyResult.Step move(TransitionPlanner.Move move, boolean fast) {
            this.fast = fast;
            Path folder = createWorkFolder();
            work.add(folder);
            ReverseFolder reverse = new ReverseFolder(folder.resolve("bundle"), compressor);
            reverses.put(move.id(), reverse.reverse());
            long started = System.nanoTime();
            if (move.forward()) {
                Delta delta = move.delta();
                announce(move, "  applying     " + delta.id() + quoted(delta.description()));
                // the checksum is read from the files while the database is busy with them
                java.util.concurrent.Future<String> checksum =
                        compressor.submit(() -> checksums.computeIfAbsent(delta.id(), id -> cache.checksum(delta)));
                DeltaApplier applier = applier("delta " + sources.name(delta));
                List<TableCounts> counts = applier.apply(delta.files(), reverse);
                alignIdentities(applier);
                if (recorded) {
                    Path bundle = folder.resolve("reverse.tar");
                    String sum = join(checksum);
                    out.debug("-- checksum of the delta taken");
                    String reverseChecksum = pack(reverse, bundle);
                    out.debug("-- reverse delta packed: " + size(bundle) + " bytes");
                    session.history.record(
                            new HistoryEntry(
                                    delta.id(),
                                    sum,
                                    delta.description(),
                                    clock.instant(),
                                    appliedBy(),
                                    counts.stream()
                                            .mapToLong(TableCounts::inserted)
                                            .sum(),
                                    counts.stream()
                                            .mapToLong(TableCounts::updated)
                                            .sum(),
                                    counts.stream()
                                            .mapToLong(TableCounts::deleted)
                                            .sum(),
                                    millisSince(started),
                                    size(bundle),
                                    reverseChecksum),
                            bundle);
                    out.debug("-- history recorded");
                }
                session.checkLocked(where(move));
                if (kept) {
                    session.commitBegins(what(move));
                    out.debug("-- commit begins");
                }
                return new ApplyResult.Step(true, delta.id(), delta.description(), counts, millisSince(started), kept);
            }
            HistoryEntry entry = move.entry();
            announce(move, "  rolling back " + entry.id() + quoted(entry.description()));
            Path bundle = folder.resolve("reverse.tar");
            try {
                try (OutputStream bytes = Files.newOutputStream(bundle)) {
                    session.history.readReverse(entry, bytes);
                }
                try (InputStream in = Files.newInputStream(bundle)) {
                    reverse.unpack(in, "reverse of delta " + entry.id());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            DeltaApplier applier = applier("rollback of delta " + entry.id());
            List<TableCounts> counts = applier.rollBack(reverse, force);
            alignIdentities(applier);
            session.history.remove(entry.id());
            session.checkLocked(where(move));
            if (kept) {
                session.commitBegins(what(move));
                out.debug("-- commit begins");
            }
            return new ApplyResult.Step(false, entry.id(), entry.description(), counts, millisSince(started), kept);
        }

        /** Aligns identity sequences now, or after commit where that takes DDL that would commit. */
        private void alignIdentities(DeltaApplier applier) {
            if (session.dialect.identityAlignmentCommits()) {
                identitiesAfterCommit.putAll(applier.insertedIdentities());
                return;
            }
            applier.insertedIdentities().forEach(this::align);
        }

        /** Runs the alignments that had to wait for the commit; a failure only warns. */
        void afterCommit() {
            List<String> failed = new ArrayList<>();
            identitiesAfterCommit.forEach((table, columns) -> {
                try {
                    align(table, columns);
                } catch (DsynqException e) {
                    failed.add(e.getMessage());
                }
            });
            identitiesAfterCommit.clear();
            failed.forEach(listener::warn); // once every table is aligned, as a listener may throw
        }

        private void align(TableRef table, List<Column> columns) {
            for (Column column : columns) {
                try {
                    session.dialect.alignIdentity(session.connection, table, column);
                } catch (SQLException e) {
                    throw new DsynqException(
                            "database " + settings.name() + ": cannot move the identity of " + table + "."
                                    + column.name() + " past its greatest value: " + e.getMessage(),
                            e);
                }
            }
        }

        /** The reverse delta a forward move wrote. */
        Path reverseOf(TransitionPlanner.Move move) {
            return reverses.get(move.id());
        }

        /** Deletes the work folders; never fails, since what it cleans up is temporary anyway. */
        void cleanUp() {
            for (Path folder : work) {
                try {
                    delete(folder);
                    TemporaryFolder.removed(folder);
                } catch (UncheckedIOException e) {
                    listener.debug("could not delete " + folder + ": " + e.getMessage());
                }
            }
            work.clear();
            reverses.clear();
            identitiesAfterCommit.clear();
        }

        private DeltaApplier applier(String what) {
            return new DeltaApplier(
                    session.jdbc,
                    session.connection,
                    session.catalog,
                    staging,
                    settings.historyTable(),
                    "database " + settings.name() + ", " + what,
                    out,
                    fast);
        }
    }

    private static String quoted(String description) {
        return description == null || description.isEmpty() ? "" : " \"" + description + "\"";
    }

    /** The value of a background task, its failure rethrown as it was. */
    private static <T> T join(java.util.concurrent.Future<T> task) {
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DsynqException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new DsynqException(e.getCause().getMessage(), e.getCause());
        }
    }

    private static long millisSince(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }

    // ------------------------------------------------------------------------------------------------- files

    /** Packs a reverse folder, returning the SHA-256 of the bytes written. */
    private static String pack(ReverseFolder reverse, Path bundle) {
        MessageDigest digest = HistoryStore.sha256();
        try (OutputStream out = new DigestOutputStream(Files.newOutputStream(bundle), digest)) {
            reverse.pack(out);
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

    /** Removes the review copy of a rolled back delta's reverse; a failure only warns, the rollback is committed. */
    private void unexport(DeltaId id) {
        try {
            delete(exportFolder(id));
        } catch (UncheckedIOException e) {
            listener.warn("could not remove the exported reverse of delta " + id + ": " + e.getMessage());
        }
    }

    /** Copies a reverse delta to where people can review it; a failure only warns, the delta is committed. */
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
        } catch (IOException | UncheckedIOException e) {
            listener.warn("could not export the reverse of delta " + id + " to " + target + ": " + e.getMessage());
        }
    }

    private static Path createWorkFolder() {
        try {
            return TemporaryFolder.createFolder(null, "dsynq-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path folder) {
        if (folder == null || !Files.exists(folder)) {
            return;
        }
        try {
            PathUtils.deleteDirectory(folder);
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
