package io.dsynq.core.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What PostgreSQL's restricted intervals, arrays and domains hold without rounding or cutting. */
class PostgresTypmodsTest {

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
        // PostgreSQL writes a field after a negative one with its sign
        assertThat(PostgresInterval.cannotHold("interval(0)", "-1 years +3 days -00:00:01"))
                .isNull();
        assertThat(PostgresInterval.cannotHold("interval day", "-1 mons +2 days"))
                .isNull();
        assertThat(PostgresInterval.cannotHold("interval day", "-1 years +2 mons +3 days +01:00:00"))
                .contains("hours, minutes");
        // as the iso_8601 and postgres_verbose styles write an interval, and as a person spells one
        assertThat(PostgresInterval.cannotHold("interval hour", "PT-2H")).isNull();
        assertThat(PostgresInterval.cannotHold("interval hour", "PT1H30M")).contains("minutes or seconds");
        assertThat(PostgresInterval.cannotHold("interval hour", "@ 1 hour 30 mins ago"))
                .contains("minutes");
        assertThat(PostgresInterval.cannotHold("interval hour", "1 hour -60 mins"))
                .isNull();
        assertThat(PostgresInterval.cannotHold("interval year to month", "@ 1 year 2 mons ago"))
                .isNull();
        assertThat(PostgresInterval.cannotHold("interval year to month", "P1Y2M3D"))
                .contains("days, hours");
        assertThat(PostgresInterval.cannotHold("interval year", "13 months")).contains("whole years");
        assertThat(PostgresInterval.cannotHold("interval(0)", "@ 10 mons 3 days -4 hours -5 mins -6 secs"))
                .isNull();
        assertThat(PostgresInterval.cannotHold("interval(1)", "PT-6.05S")).contains("beyond the 1");
        assertThat(PostgresInterval.cannotHold("interval(2)", "-1.01 secs")).isNull();
        assertThat(PostgresInterval.cannotHold("interval", "1.0000001 secs")).contains("beyond the 6");
        assertThat(PostgresInterval.cannotHold("interval day", "1 week")).isNull();
        assertThat(PostgresInterval.cannotHold("interval day", "1.5 days")).startsWith("is not written");
        assertThat(PostgresInterval.cannotHold("interval hour", "1 hours ago ago"))
                .startsWith("is not written");
        assertThat(PostgresInterval.cannotHold("interval hour", "5")).startsWith("is not written as PostgreSQL");
        assertThat(PostgresInterval.cannotHold("interval hour", "")).startsWith("is not written as PostgreSQL");
        assertThat(PostgresInterval.cannotHold("interval hour", "1 year2 mons"))
                .startsWith("is not written as PostgreSQL");
    }

    @Test
    void arraysAndDomainsHoldWhatTheirElementsOrBaseHold() {
        assertThat(PostgresTypmods.cannotHold("numeric(4,1)[]", "{1.5,-2,NULL,\"3.0\"}"))
                .isNull();
        assertThat(PostgresTypmods.cannotHold("numeric(4,1)[]", "{{1.5},{2.25}}"))
                .contains("beyond the 1");
        assertThat(PostgresTypmods.cannotHold("numeric(4)[]", "{1.5}")).contains("beyond the 0");
        assertThat(PostgresTypmods.cannotHold("timestamp(0) without time zone[]", "{\"2024-01-01 00:00:01\"}"))
                .isNull();
        assertThat(PostgresTypmods.cannotHold("timestamp(3) with time zone[]", "{\"2024-01-01 00:00:01.0005+00\"}"))
                .contains("beyond the 3");
        assertThat(PostgresTypmods.cannotHold("tenth (numeric(4,1))", "-0.5")).isNull();
        assertThat(PostgresTypmods.cannotHold("tenth (numeric(4,1))", "0.05")).contains("beyond the 1");
        assertThat(PostgresTypmods.cannotHold("second (timestamp(0) without time zone)", "2024-01-01T00:00:00.5"))
                .contains("beyond the 0");
        assertThat(PostgresTypmods.cannotHold("positive (integer)", "-7")).isNull();
        assertThat(PostgresTypmods.cannotHold("positive (integer)", "7 ")).startsWith("is not an integer");
        assertThat(PostgresTypmods.cannotHold("short (interval(0))", "00:00:00.5"))
                .contains("beyond the 0");
        // a number with an exponent, or without a digit before its point, is a number the server rounds too
        assertThat(PostgresTypmods.cannotHold("tenth (numeric(4,1))", "12.5e-1"))
                .contains("beyond the 1");
        assertThat(PostgresTypmods.cannotHold("tenth (numeric(4,1))", "-.25")).contains("beyond the 1");
        assertThat(PostgresTypmods.cannotHold("numeric(4,1)[]", "{1.25E+1,0.125e1}"))
                .contains("beyond the 1");
        assertThat(PostgresTypmods.cannotHold("numeric(4,1)[]", "{1.25e1,125E-1,.5,1.,1e2,\"2.50\"}"))
                .isNull();
        assertThat(PostgresTypmods.cannotHold("numeric(4)[]", "{1e1,15E0}")).isNull();
        assertThat(PostgresTypmods.cannotHold("interval(0)[]", "{{00:00:01, NULL},{\"1 day -00:00:02\",PT1S}}"))
                .isNull();
        assertThat(PostgresTypmods.cannotHold("interval(0)[]", "{\"1 day\",00:00:01.5}"))
                .contains("beyond the 0");
        assertThat(PostgresTypmods.cannotHold("interval hour[]", "[0:0]={\"-1 days +02:30:00\"}"))
                .contains("minutes or seconds");
        assertThat(PostgresTypmods.elements("{{a, \" b\\\"\" },{NULL,\"NULL\"},{}}"))
                .containsExactly("a", " b\"", "NULL");
        assertThat(PostgresTypmods.cannotHold("integer[]", "{ 1, 2 }")).isNull();
        assertThat(PostgresTypmods.cannotHold("text[]", "{1.25}")).isNull();
    }
}
