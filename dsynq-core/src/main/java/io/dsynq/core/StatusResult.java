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

    /** The newest applied delta, or {@code null}. */
    public DeltaId lastApplied() {
        return deltas.stream()
                .filter(d -> d.history() != null)
                .map(DeltaStatus::id)
                .reduce((a, b) -> b)
                .orElse(null);
    }
}
