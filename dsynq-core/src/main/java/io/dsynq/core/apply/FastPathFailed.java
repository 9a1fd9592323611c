package io.dsynq.core.apply;

/**
 * The database refused something on the fast path (a duplicate or missing key, a dangling reference, a count that
 * does not add up). The transaction is rolled back and the move runs again on the strict path, which finds the row
 * at fault and names it, or goes through where the fast path was only too cautious.
 */
final class FastPathFailed extends RuntimeException {

    private static final long serialVersionUID = 1L;

    FastPathFailed(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
