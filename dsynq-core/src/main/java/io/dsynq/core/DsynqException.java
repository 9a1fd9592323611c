package io.dsynq.core;

/**
 * A problem with the user's input, configuration or data that dsynq detected and explained: a malformed
 * delta, a row that is missing, a locked database, an unreachable server. The message is meant for a person
 * and names the database, delta, file, line and value where they apply.
 *
 * <p>Anything else thrown by dsynq is a bug or an environment failure and carries its cause.
 */
public class DsynqException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public DsynqException(String message) {
        super(message);
    }

    public DsynqException(String message, Throwable cause) {
        super(message, cause);
    }
}
