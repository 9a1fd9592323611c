package io.dsynq.core;

import io.dsynq.core.apply.HistoryEntry;
import io.dsynq.core.model.Delta;
import io.dsynq.core.model.DeltaId;

/**
 * The state of one delta in one database.
 *
 * @param id the delta's id
 * @param state applied, pending, modified or missing
 * @param delta the delta in the source tree, or {@code null} when it is missing there
 * @param history its history entry, or {@code null} when it is not applied
 */
public record DeltaStatus(DeltaId id, State state, Delta delta, HistoryEntry history) {

    /** The states of DESIGN.md section 5, goal {@code status}. */
    public enum State {
        /** Applied, and its files are what was applied. */
        APPLIED,
        /** In the source tree, not applied. */
        PENDING,
        /** Applied, but its files changed since. */
        MODIFIED,
        /** Applied, but no longer in the source tree; its stored reverse can still roll it back. */
        MISSING
    }

    /** The description from the source tree, else from the history. */
    public String description() {
        if (delta != null && !delta.description().isEmpty()) {
            return delta.description();
        }
        return history == null || history.description() == null ? "" : history.description();
    }
}
