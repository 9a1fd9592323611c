package io.dsynq.core.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What PostgreSQL's intervals of each restricted type hold without rounding or cutting. */
class PostgresIntervalTest {

    @Test
    void eachRestrictionHoldsItsFieldsOnly() {
        assertThat(PostgresInterval.cannotHold("interval", "1 year 2 mons -3 days +04:05:06.123456"))
                .isNull();
        assertThat(PostgresInterval.cannotHold("interval", "1.5 seconds")).isNull();
        assertThat(PostgresInterval.cannotHold("interval", "00:00:00.1234567")).contains("beyond the 6");
        assertThat(PostgresInterval.cannotHold("interval(6)", "2 hours")).isNull();
        assertThat(PostgresInterval.cannotHold("interval(0)", "00:00:01.000")).isNull();
        assertThat(PostgresInterval.cannotHold("interval(0)", "00:00:01.5")).contains("beyond the 0");
        assertThat(PostgresInterval.cannotHold("interval second(2)", "-00:00:01.25"))
                .isNull();
        assertThat(PostgresInterval.cannotHold("interval second(2)", "-00:00:01.255"))
                .contains("beyond the 2");
        assertThat(PostgresInterval.cannotHold("interval year", "-2 years")).isNull();
        assertThat(PostgresInterval.cannotHold("interval year", "1 year 1 mon")).contains("whole years");
        assertThat(PostgresInterval.cannotHold("interval month", "14 mons")).isNull();
        assertThat(PostgresInterval.cannotHold("interval year to month", "1 year 00:00:01"))
                .contains("days, hours");
        assertThat(PostgresInterval.cannotHold("interval day", "1 mon 3 days")).isNull();
        assertThat(PostgresInterval.cannotHold("interval day", "3 days 01:00:00"))
                .contains("hours, minutes");
        assertThat(PostgresInterval.cannotHold("interval day to hour", "3 days 25:00:00"))
                .isNull();
        assertThat(PostgresInterval.cannotHold("interval hour", "01:30:00")).contains("minutes or seconds");
        assertThat(PostgresInterval.cannotHold("interval hour to minute", "01:30:00"))
                .isNull();
        assertThat(PostgresInterval.cannotHold("interval minute", "00:01:00.5")).contains("has seconds");
        assertThat(PostgresInterval.cannotHold("interval minute to second(1)", "00:01:00.5"))
                .isNull();
        assertThat(PostgresInterval.cannotHold("interval hour", "5")).startsWith("is not written as PostgreSQL");
        assertThat(PostgresInterval.cannotHold("interval hour", "")).startsWith("is not written as PostgreSQL");
        assertThat(PostgresInterval.cannotHold("interval hour", "1 year2 mons"))
                .startsWith("is not written as PostgreSQL");
    }
}
