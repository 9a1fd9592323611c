package io.dsynq.core.apply;

import io.dsynq.core.DsynqListener;
import io.dsynq.core.jdbc.Dialect;
import java.util.ArrayList;
import java.util.List;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The staging tables of one session: unique names, and dropping them once the transaction that used them has
 * ended (dropping a table commits on some engines, and MariaDB keeps temporary tables past a rollback). Not
 * thread-safe.
 */
final class StagingTables {

    private final JdbcTemplate jdbc;

    private final Dialect dialect;

    private final DsynqListener listener;

    private static final int DROPPED_AT_ONCE = 100;

    private final List<String> created = new ArrayList<>();

    private int count;

    /** Makes the names unlikely to be taken by a real table, which a drop might otherwise reach. */
    private final String token = java.util.UUID.randomUUID().toString().substring(0, 8);

    StagingTables(JdbcTemplate jdbc, Dialect dialect, DsynqListener listener) {
        this.jdbc = jdbc;
        this.dialect = dialect;
        this.listener = listener;
    }

    /** A new name, remembered for {@link #dropAll()}. */
    String next() {
        String name = "dsynq_stage_" + token + "_" + (++count);
        created.add(name);
        return name;
    }

    /**
     * Drops every staging table made so far, a hundred in one statement: a delta over 500 tables made a thousand, and
     * their drops one by one took a quarter of its apply. Failures are ignored, as the tables vanish with the session
     * anyway; where a statement fails, its tables are dropped one by one.
     */
    void dropAll() {
        for (int from = 0; from < created.size(); from += DROPPED_AT_ONCE) {
            List<String> some = created.subList(from, Math.min(created.size(), from + DROPPED_AT_ONCE));
            if (!drop(some, false)) {
                some.forEach(name -> drop(List.of(name), true));
            }
        }
        created.clear();
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
