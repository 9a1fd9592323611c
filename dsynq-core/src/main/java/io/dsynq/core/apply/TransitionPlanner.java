package io.dsynq.core.apply;

import io.dsynq.core.ApplyRequest;
import io.dsynq.core.DsynqException;
import io.dsynq.core.model.Delta;
import io.dsynq.core.model.DeltaId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Plans the moves from the applied deltas to a request's target (DESIGN.md section 4, "Transitions"). The target
 * is a sorted set of ids; the applied deltas that are not a common prefix with it are rolled back newest first,
 * and the target's remaining deltas applied oldest first. So a delta older than the newest applied one (merged
 * from a branch) is applied in its place, the newer ones rolled back and applied again after it.
 *
 * <p>Applied deltas that are missing from the source tree stay applied where they are; a plan that would have
 * to apply one again fails. A delta modified after it was applied makes every plan fail that keeps it applied,
 * except one that only rolls back newer deltas. Pure logic: thread-safe.
 */
final class TransitionPlanner {

    /** One move: apply {@code delta}, or roll back the delta of {@code entry}. */
    record Move(boolean forward, DeltaId id, Delta delta, HistoryEntry entry) {}

    private TransitionPlanner() {}

    /**
     * @param local the deltas in the source tree
     * @param applied the history
     * @param checksum the checksum of a local delta (called only for applied ones)
     * @param fetched whether a delta is of a fetched bundle, whose files the user cannot restore
     * @throws DsynqException when the request cannot be met
     */
    static List<Move> plan(
            String database,
            List<Delta> local,
            List<HistoryEntry> applied,
            Function<Delta, String> checksum,
            Predicate<Delta> fetched,
            ApplyRequest request) {
        Map<DeltaId, Delta> localById = local.stream().collect(Collectors.toMap(Delta::id, d -> d));
        List<HistoryEntry> history =
                applied.stream().sorted(Comparator.comparing(HistoryEntry::id)).toList();
        List<DeltaId> appliedIds = history.stream().map(HistoryEntry::id).toList();
        TreeSet<DeltaId> missing = new TreeSet<>(appliedIds);
        missing.removeAll(localById.keySet());

        TreeSet<DeltaId> target = new TreeSet<>();
        if (request.isLatest()) {
            target.addAll(localById.keySet());
            target.addAll(missing);
        } else if (request.toStart()) {
            // nothing applied
        } else if (request.to() != null) {
            DeltaId to = request.to();
            if (!localById.containsKey(to) && !appliedIds.contains(to)) {
                throw new DsynqException("database " + database + ": there is no delta " + to
                        + " in the delta folder nor in the history");
            }
            localById.keySet().stream().filter(id -> id.compareTo(to) <= 0).forEach(target::add);
            missing.stream().filter(id -> id.compareTo(to) <= 0).forEach(target::add);
        } else if (request.offset() < 0) {
            int back = -request.offset();
            if (back > appliedIds.size()) {
                throw new DsynqException("database " + database + ": cannot move back " + back + " delta"
                        + (back == 1 ? "" : "s") + ", only " + appliedIds.size() + " applied");
            }
            target.addAll(appliedIds.subList(0, appliedIds.size() - back));
        } else {
            DeltaId newest = appliedIds.isEmpty() ? null : appliedIds.get(appliedIds.size() - 1);
            // newer than the newest applied, so none is applied (a lookup in the list per delta was quadratic)
            List<DeltaId> pending = localById.keySet().stream()
                    .filter(id -> newest == null || id.compareTo(newest) > 0)
                    .sorted()
                    .toList();
            int forward = request.offset();
            if (forward > pending.size()) {
                throw new DsynqException("database " + database + ": cannot move forward " + forward + " delta"
                        + (forward == 1 ? "" : "s") + ", only " + pending.size() + " pending");
            }
            DeltaId to = forward == 0 ? newest : pending.get(forward - 1);
            if (to != null) {
                localById.keySet().stream().filter(id -> id.compareTo(to) <= 0).forEach(target::add);
                missing.stream().filter(id -> id.compareTo(to) <= 0).forEach(target::add);
            }
        }

        List<DeltaId> wanted = new ArrayList<>(target);
        int common = 0;
        while (common < appliedIds.size()
                && common < wanted.size()
                && appliedIds.get(common).equals(wanted.get(common))) {
            common++;
        }
        List<Move> moves = new ArrayList<>();
        List<HistoryEntry> toRollBack = new ArrayList<>(history.subList(common, history.size()));
        Collections.reverse(toRollBack);
        for (HistoryEntry entry : toRollBack) {
            moves.add(new Move(false, entry.id(), localById.get(entry.id()), entry));
        }
        for (DeltaId id : wanted.subList(common, wanted.size())) {
            Delta delta = localById.get(id);
            if (delta == null) {
                TreeSet<DeltaId> appliedSet = new TreeSet<>(appliedIds);
                List<String> older = wanted.subList(common, wanted.size()).stream()
                        .filter(w -> w.compareTo(id) < 0 && !appliedSet.contains(w))
                        .map(DeltaId::text)
                        .toList();
                TreeSet<DeltaId> known = new TreeSet<>(localById.keySet());
                known.addAll(appliedIds);
                DeltaId before = known.lower(id);
                throw new DsynqException("database " + database + ": delta " + id + " would have to be rolled back and"
                        + " applied again after the older pending "
                        + (older.isEmpty()
                                ? "delta"
                                : (older.size() == 1 ? "delta " : "deltas ") + io.dsynq.core.model.Words.of(older))
                        + ", but it is missing from the delta folder (the"
                        + " history holds its reverse, not its files); restore its files, or roll it back with"
                        + " -Ddsynq.to=" + (before == null ? "0" : before.text()) + ", which applies "
                        + (older.size() == 1 ? "the older one" : "the older ones") + " too");
            }
            moves.add(new Move(true, id, delta, null));
        }

        boolean onlyRollsBack = !moves.isEmpty() && moves.stream().noneMatch(Move::forward);
        if (!onlyRollsBack) {
            for (HistoryEntry entry : applied) {
                Delta delta = localById.get(entry.id());
                if (delta != null
                        && target.contains(entry.id())
                        && !checksum.apply(delta).equals(entry.checksum())) {
                    throw new DsynqException("database " + database + ": delta " + entry.id() + " was modified after"
                            + " it was applied (" + delta.directory() + "); roll it back first (-Ddsynq.to="
                            + previous(appliedIds, entry.id()) + "), then apply again, or "
                            + (fetched.test(delta)
                                    ? "depend on the version of its artifact that was applied"
                                    // the rows may read the same: an editor's final newline changed its bytes
                                    : "restore its files (their bytes count: a line end added or taken away after a"
                                            + " file's last record changes them too)"));
                }
            }
        }
        return moves;
    }

    private static String previous(List<DeltaId> applied, DeltaId id) {
        int index = applied.indexOf(id);
        return index <= 0 ? "0" : applied.get(index - 1).text();
    }
}
