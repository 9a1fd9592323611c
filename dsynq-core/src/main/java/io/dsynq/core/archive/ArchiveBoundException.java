package io.dsynq.core.archive;

import io.dsynq.core.DsynqException;

/** An archive refused for going past one of the bounds an {@link ExtractRequest} sets, which says which. */
public final class ArchiveBoundException extends DsynqException {

    private static final long serialVersionUID = 1L;

    /** The bounds of an {@link ExtractRequest}. */
    public enum Bound {
        /** The largest entry. */
        ENTRY_BYTES,
        /** The bytes of all entries together. */
        TOTAL_BYTES,
        /** The number of entries. */
        ENTRIES
    }

    private final Bound bound;

    ArchiveBoundException(Bound bound, String message) {
        super(message);
        this.bound = bound;
    }

    /** The bound the archive went past. */
    public Bound bound() {
        return bound;
    }
}
