package io.dsynq.core;

import io.dsynq.core.model.DeltaId;

/**
 * Where to move a database: to the newest delta, to exactly one delta ({@code 0} being before the first), or by
 * an offset of deltas. Immutable.
 *
 * @param to the delta to end at; {@code null} with {@code toStart} false means the newest
 * @param toStart whether to end before the first delta (the target {@code 0})
 * @param offset a number of deltas to move, negative for back, or {@code null}
 * @param force whether a rollback goes ahead over rows changed by someone else since the delta was applied, and a
 *     move past the mark of an H2 commit that did not end, from what the history says
 * @param dryRun whether to run everything and then roll the transaction back, changing nothing
 */
public record ApplyRequest(DeltaId to, boolean toStart, Integer offset, boolean force, boolean dryRun) {

    public ApplyRequest {
        int targets = (to != null ? 1 : 0) + (toStart ? 1 : 0) + (offset != null ? 1 : 0);
        if (targets > 1) {
            throw new IllegalArgumentException("give a target id or an offset, not both");
        }
    }

    /** To the newest delta. */
    public static ApplyRequest latest() {
        return new ApplyRequest(null, false, null, false, false);
    }

    /**
     * To exactly {@code id}, forward or back.
     *
     * @param id a delta id, or {@code 0} for before the first delta
     * @throws DsynqException when {@code id} is neither
     */
    public static ApplyRequest to(String id) {
        String trimmed = java.util.Objects.requireNonNull(id, "id").strip();
        if (trimmed.equals("0")) {
            return new ApplyRequest(null, true, null, false, false);
        }
        try {
            return new ApplyRequest(DeltaId.parse(trimmed), false, null, false, false);
        } catch (IllegalArgumentException e) {
            throw new DsynqException("dsynq.to: " + e.getMessage() + ", or 0 for before the first delta");
        }
    }

    /** By {@code offset} deltas: {@code -1} rolls back the newest applied delta, {@code +2} applies the next two. */
    public static ApplyRequest offset(int offset) {
        return new ApplyRequest(null, false, offset, false, false);
    }

    /** This request with {@link #force()} set. */
    public ApplyRequest force(boolean force) {
        return new ApplyRequest(to, toStart, offset, force, dryRun);
    }

    /** This request with {@link #dryRun()} set. */
    public ApplyRequest dryRun(boolean dryRun) {
        return new ApplyRequest(to, toStart, offset, force, dryRun);
    }

    /** Whether this asks for the newest delta. */
    public boolean isLatest() {
        return to == null && !toStart && offset == null;
    }
}
