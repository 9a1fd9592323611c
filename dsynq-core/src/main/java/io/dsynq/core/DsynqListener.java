package io.dsynq.core;

/**
 * Receives what dsynq has to say while it works: progress lines and warnings for a person, and the SQL it runs
 * for debugging. Results come back from the calls themselves. Implementations must be thread-safe when one
 * {@link Dsynq} is used from several threads.
 *
 * <p>An exception a listener throws stops the call, which fails with it: the delta at work is rolled back, those
 * committed before stay, each whole, as after any failure.
 */
public interface DsynqListener {

    /** A line of progress. */
    default void info(String message) {}

    /** Something the user should look at; the work goes on. */
    default void warn(String message) {}

    /** Detail for debugging, such as each SQL statement. */
    default void debug(String message) {}

    /** A delta was applied or rolled back and committed (or, in a dry run, rolled back at the end). */
    default void stepDone(String database, ApplyResult.Step step) {}

    /** A listener that drops everything. */
    DsynqListener SILENT = new DsynqListener() {};
}
