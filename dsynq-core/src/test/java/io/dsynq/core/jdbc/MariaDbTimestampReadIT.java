package io.dsynq.core.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.dsynq.core.testing.Engine;
import io.dsynq.core.testing.TestDatabase;
import io.dsynq.core.testing.TestServers;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * MariaDB's DATETIME and TIMESTAMP read through {@code getObject(LocalDateTime)} give the same canonical text as the
 * driver's {@code getString}, the way they were read before: fractions of every precision, the first and last
 * years, zero dates and zero parts of dates, NULL.
 */
class MariaDbTimestampReadIT {

    private static final List<String> TYPES =
            List.of("DATETIME", "DATETIME(1)", "DATETIME(3)", "DATETIME(6)", "TIMESTAMP(6) NULL", "TIMESTAMP NULL");

    private static final List<String> VALUES = List.of(
            "'2024-01-31 13:45:00'",
            "'2024-01-31 13:45:00.5'",
            "'2024-01-31 13:45:00.123456'",
            "'2024-01-31 13:45:00.000001'",
            "'2024-01-31 13:45:00.100000'",
            "'2024-02-29 23:59:59.999999'",
            "'1000-01-01 00:00:00'",
            "'1970-01-01 00:00:01'",
            "'2038-01-19 03:14:07.999999'",
            "'9999-12-31 23:59:59.999999'",
            "'0001-01-01 00:00:00'",
            "'0000-00-00 00:00:00'",
            "'2024-00-15 10:00:00'",
            "'2024-05-00 10:00:00.25'",
            "'2024-02-30 10:00:00'",
            "NULL");

    @Test
    void timestampsReadAsGetStringReadThem() throws Exception {
        try (TestDatabase db = TestServers.create(Engine.MARIADB, null, "dsynq_read_");
                Connection connection = db.connect();
                Statement statement = connection.createStatement()) {
            MariaDbDialect dialect = (MariaDbDialect) Dialect.of(connection);
            statement.execute("SET SESSION sql_mode = 'ALLOW_INVALID_DATES'");
            statement.execute("SET SESSION time_zone = '+05:30'");
            StringBuilder create = new StringBuilder("CREATE TABLE t (id INT PRIMARY KEY");
            for (int c = 0; c < TYPES.size(); c++) {
                create.append(", c").append(c).append(' ').append(TYPES.get(c));
            }
            statement.execute(create.append(')').toString());
            for (int r = 0; r < VALUES.size(); r++) {
                StringBuilder insert = new StringBuilder("INSERT IGNORE INTO t VALUES (" + r);
                for (int c = 0; c < TYPES.size(); c++) {
                    insert.append(", ").append(VALUES.get(r));
                }
                statement.execute(insert.append(')').toString());
            }
            Column column =
                    new Column("c", "datetime", 0, ValueKind.TIMESTAMP, true, false, false, 0, false, 0, 6, null, null);
            List<String> read = new ArrayList<>();
            List<String> expected = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery("SELECT * FROM t ORDER BY id")) {
                while (rows.next()) {
                    for (int c = 2; c <= TYPES.size() + 1; c++) {
                        try {
                            read.add(dialect.read(rows, c, column));
                        } catch (java.sql.SQLException e) {
                            assertThat(e.getMessage()).contains(", which is no date: MariaDB keeps zero dates");
                            read.add("no date");
                        }
                        String before = asBefore(rows, c);
                        expected.add(exists(before) ? before : "no date");
                    }
                }
            }
            assertThat(read).hasSize(VALUES.size() * TYPES.size());
            assertThat(read).containsExactlyElementsOf(expected);
            assertThat(read).contains("no date", "2024-01-31T13:45:00.5", "9999-12-31T23:59:59.999999");
        }
    }

    /**
     * Whether a timestamp read as before has a date that exists: zero dates, zero months and days and days past the
     * month's end are refused now, as no delta can write them back.
     */
    private static boolean exists(String text) {
        try {
            return text == null || java.time.LocalDate.parse(text.substring(0, 10)) != null;
        } catch (java.time.DateTimeException e) {
            return false;
        }
    }

    /** The way {@code MariaDbDialect.read} read a timestamp before it asked for a {@code LocalDateTime}. */
    private static String asBefore(ResultSet rows, int index) throws Exception {
        String text = rows.getString(index);
        if (text == null || text.startsWith("-") || text.length() > 26) {
            LocalDateTime value = rows.getObject(index, LocalDateTime.class);
            return value == null ? null : CanonicalText.slowFormat(value);
        }
        return CanonicalText.fromServerText(text);
    }
}
