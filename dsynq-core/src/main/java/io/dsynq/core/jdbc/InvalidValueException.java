package io.dsynq.core.jdbc;

/**
 * A value that does not fit its column; the message says why, for a person ("is not an integer"). The
 * caller adds where the value came from.
 */
public final class InvalidValueException extends Exception {

    private static final long serialVersionUID = 1L;

    public InvalidValueException(String problem) {
        super(problem, null, false, false);
    }
}
