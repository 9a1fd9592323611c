package io.dsynq.core.apply;

import io.dsynq.core.DsynqException;

/**
 * A rollback refused because rows it would touch changed after the delta was applied; the message lists them
 * with the expected and found values.
 */
public class DriftException extends DsynqException {

    private static final long serialVersionUID = 1L;

    public DriftException(String message) {
        super(message);
    }
}
