package io.dsynq.core.apply;

import io.dsynq.core.DsynqListener;
import io.dsynq.core.jdbc.Dialect;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The staging tables of one session: unique names, tables handed out again within a transaction once their rows are
 * no longer needed, and dropping them once the transaction that used them has ended (dropping a table commits on some
 * engines, and MariaDB keeps temporary tables past a rollback). Where the dialect {@linkplain Dialect#stagesApart
 * stages apart}, a connection of their own makes them, and those a process left that died are dropped first. Not
 * thread-safe.
 *
 * <p>A transaction holds a lock on every table it made until it ends, dropped or not: on PostgreSQL each takes a slot
 * of the server's lock table (three where a column holds text of unbounded length: the table, its TOAST table and
 * index), of which there are about {@code max_locks_per_transaction} times the connections (6,400 by default), and a
 * rollback over 1,300 tables, staging five files each, ran out of them. A table {@linkplain #release released} is
 * emptied and handed out again to a file that a table made alike would stage, the same columns of the same table: the
 * rollback's guard and reverse of one table share them.
 */
final class StagingTables {

    private final JdbcTemplate jdbc;

    /** Where new tables are made: {@link #jdbc}, or a connection of their own where the dialect stages apart. */
    private final JdbcTemplate maker;

    private final Dialect dialect;

    private final DsynqListener listener;

    private static final int DROPPED_AT_ONCE = 100;

    private final List<String> created = new ArrayList<>();

    private int count;

    /** The statement that made each table that may be handed out again, its name left out. */
    private final Map<String, String> made = new HashMap<>();

    /** The tables released, by the statement that made them, their name left out. */
    private Map<String, Deque<String>> free = new HashMap<>();

    /** The tables handed out and not released. */
    private Set<String> taken = new HashSet<>();

    /** Makes the names unlikely to be taken by a real table, which a drop might otherwise reach. */
    private final String token = java.util.UUID.randomUUID().toString().substring(0, 8);

    /**
     * @param jdbc the session's connection, on which the tables are used and dropped
     * @param maker the connection on which they are made: {@code jdbc} unless the dialect stages apart
     */
    StagingTables(JdbcTemplate jdbc, JdbcTemplate maker, Dialect dialect, DsynqListener listener) {
        this.jdbc = jdbc;
        this.maker = maker;
        this.dialect = dialect;
        this.listener = listener;
    }

    /**
     * Drops the staging tables a process left that died before it dropped them, where the dialect stages apart; once
     * the session holds the dsynq lock, so that they are no other apply's.
     *
     * @return how many
     */
    int dropLeftovers() {
        String query = dialect.leftoverStagings();
        if (query == null) {
            return 0;
        }
        return drop(jdbc.queryForList(query, String.class));
    }

    /** A new name, remembered for {@link #dropAll()}. */
    String next() {
        String name = name(++count);
        created.add(name);
        return name;
    }

    private String name(int number) {
        return Dialect.STAGING_PREFIX + token + "_" + number;
    }

    /**
     * A staging table as {@code create} makes one of a name: one made alike and {@linkplain #release released} in this
     * transaction, emptied by {@code run} on the session's connection, or a new one that {@code run} makes on the
     * connection that makes them.
     */
    String take(Function<String, String> create, BiConsumer<JdbcTemplate, String> run) {
        String shape = create.apply("?");
        Deque<String> alike = free.get(shape);
        String name = alike == null ? null : alike.poll();
        if (name != null) {
            run.accept(jdbc, dialect.emptyStaging(name));
        } else {
            name = next();
            run.accept(maker, create.apply(name));
            if (maker != jdbc) {
                // the session's transaction holds it from now on, so that no other apply drops it as a leftover
                run.accept(jdbc, dialect.emptyStaging(name));
            }
            made.put(name, shape);
        }
        taken.add(name);
        return name;
    }

    /** Lets a table {@link #take} handed out be handed out again: its rows are no longer needed. */
    void release(String name) {
        if (taken.remove(name) && made.containsKey(name)) {
            free.computeIfAbsent(made.get(name), shape -> new ArrayDeque<>()).add(name);
        }
    }

    /** Never hands a table out again: it changed from how it was made (an index added). */
    void changed(String name) {
        made.remove(name);
    }

    /** Where the tables stand, for {@link #rollBackTo} after a rollback to a savepoint set now. */
    Mark mark() {
        Map<String, Deque<String>> copy = new HashMap<>();
        free.forEach((shape, names) -> copy.put(shape, new ArrayDeque<>(names)));
        return new Mark(count, copy, new HashSet<>(taken));
    }

    /**
     * Back to where the tables stood at {@code mark}, after a rollback to the savepoint set then: those made since are
     * forgotten (PostgreSQL undid them; elsewhere they are dropped with the others), those taken since are free again.
     */
    void rollBackTo(Mark mark) {
        for (int number = mark.count() + 1; number <= count; number++) {
            made.remove(name(number));
        }
        free = new HashMap<>();
        mark.free().forEach((shape, names) -> free.put(shape, new ArrayDeque<>(names)));
        taken = new HashSet<>(mark.taken());
    }

    /** Where the tables stood when a savepoint was set. */
    record Mark(int count, Map<String, Deque<String>> free, Set<String> taken) {}

    /** Drops every staging table made so far ({@link #drop(List)}). */
    void dropAll() {
        drop(created);
        created.clear();
        made.clear();
        free.clear();
        taken.clear();
    }

    /**
     * Drops tables, a hundred in one statement: a delta over 500 tables made a thousand, and their drops one by one took
     * a quarter of its apply. Failures are ignored, as temporary tables vanish with the session anyway and the next
     * apply drops those made apart that are left; where a statement fails, its tables are dropped one by one.
     *
     * @return how many were dropped
     */
    private int drop(List<String> names) {
        int dropped = 0;
        for (int from = 0; from < names.size(); from += DROPPED_AT_ONCE) {
            List<String> some = names.subList(from, Math.min(names.size(), from + DROPPED_AT_ONCE));
            if (drop(some, false)) {
                dropped += some.size();
            } else {
                for (String name : some) {
                    dropped += drop(List.of(name), true) ? 1 : 0;
                }
            }
        }
        return dropped;
    }

    private boolean drop(List<String> names, boolean tell) {
        try {
            jdbc.execute(dialect.dropStaging(names));
            return true;
        } catch (DataAccessException e) {
            if (tell) {
                listener.debug("could not drop " + String.join(", ", names) + ": "
                        + e.getMostSpecificCause().getMessage());
            }
            return false;
        }
    }
}
