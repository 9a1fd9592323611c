package io.dsynq.core.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;

class MariaDbDialectTest {

    private static final Column UUID =
            new Column("u", "UUID", 0, ValueKind.UUID, true, false, false, 0, false, 0, 0, null, null);

    /** UUIDs MariaDB 10.11.19's UUID refuses as text, as tried on the server. */
    private static final List<String> REFUSED = List.of(
            "12345678-1234-8234-0100-123456789abc",
            "12345678-1234-8234-7234-123456789abc",
            "12345678-1234-f234-80ff-123456789abc",
            "ffffffff-ffff-8fff-7fff-ffffffffffff",
            "FFFFFFFF-FFFF-FFFF-7FFF-FFFFFFFFFFFF");

    /** UUIDs it holds, as tried on the server: the nil and the max UUID, and the edges of the refused ones. */
    private static final List<String> HELD = List.of(
            "00000000-0000-0000-0000-000000000000",
            "ffffffff-ffff-ffff-ffff-ffffffffffff",
            "123e4567-e89b-12d3-a456-426614174000",
            "0189f81d-498e-72f8-b0fa-246d7be1adb1",
            "12345678-1234-7234-7234-123456789abc",
            "00000000-0000-8000-0000-000000000000",
            "12345678-1234-8234-0034-123456789abc",
            "12345678-1234-f234-81ff-123456789abc",
            "12345678-1234-F234-FFFF-123456789ABC");

    @Test
    void uuidsOfAVersionFrom8WhoseFourthGroupIs0100To80ffAreRefusedByRecentServers() {
        for (String version : List.of("10.11.19-MariaDB-0+deb12u1", "10.11.5-MariaDB", "11.0.3-MariaDB", "11.8.2")) {
            MariaDbDialect dialect = new MariaDbDialect(version);
            for (String value : REFUSED) {
                assertThat(dialect.cannotHold(UUID, value))
                        .as("%s on %s", value, version)
                        .isEqualTo("has 8 to f as its 13th digit and 0100 to 80ff as its fourth group, which"
                                + " MariaDB's UUID cannot hold");
            }
            for (String value : HELD) {
                assertThat(dialect.cannotHold(UUID, value))
                        .as("%s on %s", value, version)
                        .isNull();
            }
            assertThat(dialect.cannotHold(UUID, null)).isNull();
        }
    }

    @Test
    void serversBeforeMdev29959HoldEveryUuid() {
        for (String version : List.of("10.7.8-MariaDB", "10.9.7-MariaDB", "10.10.5-MariaDB", "10.11.4-MariaDB-log")) {
            MariaDbDialect dialect = new MariaDbDialect(version);
            for (String value : REFUSED) {
                assertThat(dialect.cannotHold(UUID, value))
                        .as("%s on %s", value, version)
                        .isNull();
            }
        }
        assertThat(MariaDbDialect.refusesSomeUuids("10.9.8-MariaDB")).isTrue();
        assertThat(MariaDbDialect.refusesSomeUuids("10.10.6-MariaDB")).isTrue();
        assertThat(MariaDbDialect.refusesSomeUuids("11.0.2-MariaDB")).isFalse();
    }

    /**
     * The server running out of resources stops a move at once, as running it again only meets the same: MariaDB
     * gives no SQLSTATE of class 53 for it (disk full, out of memory, InnoDB's lock table full: HY000 and HY001), which
     * provoking would fill the disk or the memory of a server others share. A trigger's SIGNAL of class 53 is told by
     * its state; a duplicate key is refused, not stopped.
     */
    @Test
    void runningOutOfResourcesIsTheServerStoppingTheMove() {
        MariaDbDialect dialect = new MariaDbDialect("10.11.19-MariaDB");
        assertThat(dialect.stopped(
                        new SQLException("Disk full (/tmp/x); waiting for someone to free space", "HY000", 1021)))
                .isTrue();
        assertThat(dialect.stopped(new SQLException("Out of memory", "HY001", 1037)))
                .isTrue();
        assertThat(dialect.stopped(
                        new SQLException("The total number of locks exceeds the lock table size", "HY000", 1206)))
                .isTrue();
        assertThat(dialect.stopped(new SQLException("disk full", "53100", 1644)))
                .isTrue();
        assertThat(dialect.stopped(new SQLException("Duplicate entry '1' for key 'PRIMARY'", "23000", 1062)))
                .isFalse();
        // a full disk as InnoDB reports it on a write, through the operating system's ENOSPC (28) or EDQUOT (122)
        assertThat(dialect.stopped(new SQLException(
                        "(conn=7) Got error 28 \"No space left on device\" from storage engine InnoDB", "HY000", 1030)))
                .isTrue();
        assertThat(dialect.stopped(new SQLException(
                        "Got error 122 \"Disk quota exceeded\" from storage engine Aria", "HY000", 1030)))
                .isTrue();
        // the same code for an error of the engine that has nothing to do with resources: refused, as before
        assertThat(dialect.stopped(new SQLException(
                        "Got error 1 \"Operation not permitted\" from storage engine InnoDB", "HY000", 1030)))
                .isFalse();
        assertThat(dialect.stopped(new SQLException(
                        "Got error 280 \"Unknown error 280\" from storage engine InnoDB", "HY000", 1030)))
                .isFalse();
    }

    /**
     * A {@code KILL QUERY} of a {@code LOAD DATA LOCAL} reaches dsynq in the words of whatever it stopped: the rows
     * streaming in (1317, as the load's error or as a warning at the row it reached), the engine writing them (its
     * error 188), or the index built after them (1034): each is the server stopping the move, not a row it refused,
     * also as the refused row the loader makes of it.
     */
    @Test
    void aKillALoadMeetsIsTheServerStoppingTheMove() {
        MariaDbDialect dialect = new MariaDbDialect("10.11.19-MariaDB");
        assertThat(dialect.stopped(new SQLException("(conn=83) Create index by sort failed", "HY000", 1034)))
                .isTrue();
        assertThat(dialect.stopped(new SQLException(
                        "Got error 188 \"Operation was interrupted by end user (probably kill command?)\" from storage"
                                + " engine Aria",
                        "HY000",
                        1030)))
                .isTrue();
        // the warning LOAD DATA LOCAL gives, which names a row: the code, not the words, tells it from a refusal
        assertThat(dialect.stopped(new RefusedRowException(
                        4097,
                        "Query execution was interrupted",
                        null,
                        new SQLException("Query execution was interrupted", null, 1317))))
                .isTrue();
        assertThat(dialect.stopped(new RefusedRowException(
                        3,
                        "Incorrect integer value: 'x' for column `code`",
                        null,
                        new SQLException("Incorrect integer value: 'x' for column `code`", null, 1366))))
                .isFalse();
    }

    /**
     * A deadlock InnoDB broke is told by its code (1213), as MariaDB gives it the SQLSTATE 40001 of a serialization
     * failure; PostgreSQL's by its own state (40P01), H2's by its code (40001).
     */
    @Test
    void aDeadlockIsToldByItsCode() {
        SQLException deadlock = new SQLException(
                "(conn=7) Deadlock found when trying to get lock; try restarting transaction", "40001", 1213);
        assertThat(new MariaDbDialect("10.11.19-MariaDB").deadlockedBy(new RuntimeException(deadlock)))
                .isTrue();
        assertThat(new MariaDbDialect("10.11.19-MariaDB")
                        .deadlock(new SQLException("Lock wait timeout exceeded", "HY000", 1205)))
                .isFalse();
        assertThat(new PostgresDialect().deadlock(new SQLException("ERROR: deadlock detected", "40P01")))
                .isTrue();
        assertThat(new PostgresDialect().deadlock(new SQLException("ERROR: could not serialize access", "40001")))
                .isFalse();
        assertThat(new H2Dialect().deadlock(new SQLException("Deadlock detected", "40001", 40001)))
                .isTrue();
    }

    /** MariaDB's privilege errors name the user, which may come from settings.xml: it is taken out, the rest kept. */
    @Test
    void theUserAServersMessageNamesIsTakenOut() {
        MariaDbDialect dialect = new MariaDbDialect("10.11.19-MariaDB");
        assertThat(dialect.withoutUser("(conn=7) UPDATE command denied to user 'shop'@'10.0.0.5' for column 'price'"
                        + " in table 'item'"))
                .isEqualTo("(conn=7) UPDATE command denied to user '****' for column 'price' in table 'item'");
        assertThat(dialect.withoutUser("Access denied for user 'o\\'brien'@'%' to database 'shop'"))
                .isEqualTo("Access denied for user '****' to database 'shop'");
        assertThat(dialect.withoutUser("Duplicate entry 'user '@'x'' for key 'PRIMARY'"))
                .isEqualTo("Duplicate entry 'user '@'x'' for key 'PRIMARY'");
    }
}
