package io.dsynq.core;

import io.dsynq.core.model.DeltaId;
import java.nio.file.Path;
import java.util.List;

/**
 * The state of one database against its deltas.
 *
 * @param database the database's name
 * @param deltaFolder where its deltas are
 * @param deltas every delta found in the folder or in the history, by id
 */
public record StatusResult(String database, Path deltaFolder, List<DeltaStatus> deltas) {

    public StatusResult {
        deltas = List.copyOf(deltas);
    }

    /** The deltas in a state. */
    public List<DeltaStatus> in(DeltaStatus.State state) {
        return deltas.stream().filter(d -> d.state() == state).toList();
    }

    /**
     * The pending deltas older than the newest applied one (merged from a branch, say), oldest first: {@code apply}
     * rolls back the applied deltas newer than the first of them, applies it in its place, and applies them again.
     */
    public List<DeltaId> pendingBeforeLastApplied() {
        DeltaId last = lastApplied();
        return in(DeltaStatus.State.PENDING).stream()
                .map(DeltaStatus::id)
                .filter(id -> last != null && id.compareTo(last) < 0)
                .toList();
    }

    /** The applied deltas newer than {@code id}, oldest first. */
    public List<DeltaId> appliedAfter(DeltaId id) {
        return deltas.stream()
                .filter(d -> d.history() != null && d.id().compareTo(id) > 0)
                .map(DeltaStatus::id)
                .toList();
    }

    /** The newest applied delta, or {@code null}. */
    public DeltaId lastApplied() {
        return deltas.stream()
                .filter(d -> d.history() != null)
                .map(DeltaStatus::id)
                .reduce((a, b) -> b)
                .orElse(null);
    }
}
