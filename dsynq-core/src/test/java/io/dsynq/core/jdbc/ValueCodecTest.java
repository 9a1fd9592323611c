package io.dsynq.core.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ValueCodecTest {

    private static Column column(ValueKind kind, String type) {
        return new Column("c", type, 0, kind, true, false, false, 0, false, 0, 0, null, null);
    }

    private static Column integer(long min, long max) {
        return new Column(
                "c",
                "int4",
                0,
                ValueKind.INTEGER,
                true,
                false,
                false,
                0,
                false,
                0,
                0,
                BigInteger.valueOf(min),
                BigInteger.valueOf(max));
    }

    private static Column decimal(int precision, int scale) {
        return new Column(
                "c", "numeric", 0, ValueKind.DECIMAL, true, false, false, 0, false, precision, scale, null, null);
    }

    private static Column text(long length, boolean bytes) {
        return new Column("c", "varchar", 0, ValueKind.TEXT, true, false, false, length, bytes, 0, 0, null, null);
    }

    private static Column temporal(ValueKind kind, int fraction) {
        return new Column("c", "timestamp", 0, kind, true, false, false, 0, false, 0, fraction, null, null);
    }

    @Test
    void nullIsNullAndRefusedInNotNullColumns() throws Exception {
        assertThat(ValueCodec.parse(text(10, false), null)).isNull();
        Column notNull = new Column("c", "int4", 0, ValueKind.INTEGER, false, false, false, 0, false, 0, 0, null, null);
        assertThatThrownBy(() -> ValueCodec.parse(notNull, null)).hasMessage("NULL in NOT NULL column");
    }

    @Test
    void integersArePlainAndInRange() throws Exception {
        Column int4 = integer(Integer.MIN_VALUE, Integer.MAX_VALUE);
        assertThat(ValueCodec.parse(int4, "-42")).isEqualTo(-42L);
        assertThat(ValueCodec.parse(int4, "2147483647")).isEqualTo(2147483647L);
        assertThatThrownBy(() -> ValueCodec.parse(int4, "2147483648"))
                .hasMessage("is out of range for integer (-2147483648 to 2147483647)");
        assertThatThrownBy(() -> ValueCodec.parse(int4, " 42")).hasMessage("is not an integer");
        assertThatThrownBy(() -> ValueCodec.parse(int4, "4.0")).hasMessage("is not an integer");
        assertThatThrownBy(() -> ValueCodec.parse(int4, "+4")).hasMessage("is not an integer");
        assertThatThrownBy(() -> ValueCodec.parse(int4, "")).hasMessage("is not an integer");
        Column unsignedBig = new Column(
                "c",
                "BIGINT UNSIGNED",
                0,
                ValueKind.INTEGER,
                true,
                false,
                false,
                0,
                false,
                0,
                0,
                BigInteger.ZERO,
                BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE));
        assertThat(ValueCodec.parse(unsignedBig, "18446744073709551615"))
                .isEqualTo(new BigInteger("18446744073709551615"));
    }

    @Test
    void decimalsAreNeverRounded() throws Exception {
        Column money = decimal(12, 2);
        assertThat(ValueCodec.parse(money, "12.5")).isEqualTo(new BigDecimal("12.5"));
        assertThat(ValueCodec.parse(money, "1.500")).isEqualTo(new BigDecimal("1.500"));
        assertThat(ValueCodec.parse(money, "9999999999.99")).isEqualTo(new BigDecimal("9999999999.99"));
        assertThatThrownBy(() -> ValueCodec.parse(money, "12.345"))
                .hasMessage("has 3 digits after the point but numeric(12,2) holds 2 (dsynq never rounds)");
        assertThatThrownBy(() -> ValueCodec.parse(money, "10000000000"))
                .hasMessage("is too large for numeric(12,2) (10 digits before the point)");
        assertThatThrownBy(() -> ValueCodec.parse(decimal(3, 2), "13.86"))
                .hasMessage("is too large for numeric(3,2) (1 digit before the point)");
        assertThatThrownBy(() -> ValueCodec.parse(money, "1e3")).hasMessageStartingWith("is not a decimal number");
        assertThatThrownBy(() -> ValueCodec.parse(money, "1,5")).hasMessageStartingWith("is not a decimal number");
        assertThat(ValueCodec.parse(decimal(0, 0), "123456789012345678901234567890.123456789"))
                .isEqualTo(new BigDecimal("123456789012345678901234567890.123456789"));
    }

    /**
     * PostgreSQL 15's scales below 0 ({@code numeric(5,-2)} holds hundreds, up to 9,999,900) and above the precision
     * ({@code numeric(3,5)} holds 0.00000 to 0.00999): values such columns hold were refused as too large, and the
     * driver's 2046 for -2 was taken for the scale (found by a fuzz run).
     */
    @Test
    void decimalScalesBelowZeroOrAboveThePrecision() throws Exception {
        Column hundreds = decimal(5, -2);
        assertThat(ValueCodec.parse(hundreds, "1200")).isEqualTo(new BigDecimal("1200"));
        assertThat(ValueCodec.parse(hundreds, "-9999900")).isEqualTo(new BigDecimal("-9999900"));
        assertThat(ValueCodec.parse(hundreds, "0")).isEqualTo(new BigDecimal("0"));
        assertThatThrownBy(() -> ValueCodec.parse(hundreds, "1250"))
                .hasMessage("is not a multiple of 100, which numeric(5,-2) holds (dsynq never rounds)");
        assertThatThrownBy(() -> ValueCodec.parse(hundreds, "5"))
                .hasMessage("is not a multiple of 100, which numeric(5,-2) holds (dsynq never rounds)");
        assertThatThrownBy(() -> ValueCodec.parse(hundreds, "1200.5"))
                .hasMessage("has 1 digits after the point but numeric(5,-2) holds 0 (dsynq never rounds)");
        assertThatThrownBy(() -> ValueCodec.parse(hundreds, "10000000"))
                .hasMessage("is too large for numeric(5,-2) (7 digits before the point)");

        Column small = decimal(3, 5);
        assertThat(ValueCodec.parse(small, "0.00123")).isEqualTo(new BigDecimal("0.00123"));
        assertThat(ValueCodec.parse(small, "-0.00999")).isEqualTo(new BigDecimal("-0.00999"));
        assertThatThrownBy(() -> ValueCodec.parse(small, "0.0123"))
                .hasMessage("is too large for numeric(3,5) (below 0.01)");
        assertThatThrownBy(() -> ValueCodec.parse(small, "1")).hasMessage("is too large for numeric(3,5) (below 0.01)");
        assertThatThrownBy(() -> ValueCodec.parse(small, "0.000001"))
                .hasMessage("has 6 digits after the point but numeric(3,5) holds 5 (dsynq never rounds)");
    }

    /**
     * What PostgreSQL's numeric holds besides numbers (infinities only where it declares no precision), and dsynq's
     * diff writes. A parsed value is bound by an engine whose decimals hold numbers only.
     */
    @Test
    void decimalsMayBeNaNOrInfiniteOnPostgres() throws Exception {
        for (String text : List.of("NaN", "Infinity", "-Infinity")) {
            ValueCodec.check(decimal(0, 0), text);
            assertThatThrownBy(() -> ValueCodec.parse(decimal(0, 0), text))
                    .hasMessage("is no number, which only PostgreSQL's numeric holds");
        }
        ValueCodec.check(decimal(12, 2), "NaN");
        assertThatThrownBy(() -> ValueCodec.check(decimal(12, 2), "-Infinity"))
                .hasMessage("is infinite, which numeric(12,2) cannot hold");
        assertThatThrownBy(() -> ValueCodec.check(decimal(12, 2), "nan")).hasMessageStartingWith("is not a decimal");
        assertThatThrownBy(() -> ValueCodec.check(decimal(12, 2), "+Infinity"))
                .hasMessageStartingWith("is not a decimal");
    }

    @Test
    void booleansAreTrueOrFalse() throws Exception {
        Column bool = column(ValueKind.BOOLEAN, "bool");
        assertThat(ValueCodec.parse(bool, "true")).isEqualTo(true);
        assertThat(ValueCodec.parse(bool, "false")).isEqualTo(false);
        assertThatThrownBy(() -> ValueCodec.parse(bool, "1")).hasMessage("is not a boolean: write true or false");
        assertThatThrownBy(() -> ValueCodec.parse(bool, "TRUE")).hasMessage("is not a boolean: write true or false");
    }

    @Test
    void textIsNeverTruncated() throws Exception {
        assertThat(ValueCodec.parse(text(5, false), "日本語😀x")).isEqualTo("日本語😀x");
        assertThatThrownBy(() -> ValueCodec.parse(text(5, false), "abcdef"))
                .hasMessage("is 6 characters long but varchar(5) holds 5 (dsynq never truncates)");
        assertThatThrownBy(() -> ValueCodec.parse(text(5, true), "äää"))
                .hasMessage("is 6 bytes long but varchar(5) holds 5 (dsynq never truncates)");
        assertThat(ValueCodec.parse(text(0, false), "")).isEqualTo("");
        // PostgreSQL's driver calls char(3) bpchar
        Column fixed = new Column("c", "bpchar", 0, ValueKind.TEXT, true, false, false, 3, false, 0, 0, null, null);
        assertThatThrownBy(() -> ValueCodec.parse(fixed, "abcd"))
                .hasMessage("is 4 characters long but char(3) holds 3 (dsynq never truncates)");
    }

    @Test
    void datesAndTimesAreStrict() throws Exception {
        assertThat(ValueCodec.parse(column(ValueKind.DATE, "date"), "2024-02-29"))
                .isEqualTo(LocalDate.of(2024, 2, 29));
        assertThatThrownBy(() -> ValueCodec.parse(column(ValueKind.DATE, "date"), "2023-02-29"))
                .hasMessage("is not a date yyyy-mm-dd that exists");
        assertThatThrownBy(() -> ValueCodec.parse(column(ValueKind.DATE, "date"), "31.01.2024"))
                .hasMessage("is not a date yyyy-mm-dd");
        assertThat(ValueCodec.parse(temporal(ValueKind.TIME, 6), "13:45:00.5"))
                .isEqualTo(LocalTime.of(13, 45, 0, 500_000_000));
        assertThatThrownBy(() -> ValueCodec.parse(temporal(ValueKind.TIME, 6), "13:45"))
                .hasMessage("is not a time hh:mm:ss");
        assertThat(ValueCodec.parse(temporal(ValueKind.TIMESTAMP, 6), "2024-01-31T13:45:00.123456"))
                .isEqualTo(LocalDateTime.of(2024, 1, 31, 13, 45, 0, 123_456_000));
        assertThatThrownBy(() -> ValueCodec.parse(temporal(ValueKind.TIMESTAMP, 6), "2024-01-31 13:45:00"))
                .hasMessage("is not a timestamp yyyy-mm-ddThh:mm:ss");
        assertThatThrownBy(() -> ValueCodec.parse(temporal(ValueKind.TIMESTAMP, 3), "2024-01-31T13:45:00.1234"))
                .hasMessage("has 4 fractional second digits but timestamp holds 3 (dsynq never rounds)");
        assertThat(ValueCodec.parse(temporal(ValueKind.TIMESTAMP, 0), "2024-01-31T13:45:00.000"))
                .isEqualTo(LocalDateTime.of(2024, 1, 31, 13, 45));
        assertThat(ValueCodec.parse(temporal(ValueKind.TIMESTAMP_TZ, 6), "2024-01-31T13:45:00+05:30"))
                .isEqualTo(OffsetDateTime.of(2024, 1, 31, 13, 45, 0, 0, ZoneOffset.ofHoursMinutes(5, 30)));
        assertThat(ValueCodec.parse(temporal(ValueKind.TIMESTAMP_TZ, 6), "2024-01-31T13:45:00Z"))
                .isEqualTo(OffsetDateTime.of(2024, 1, 31, 13, 45, 0, 0, ZoneOffset.UTC));
        assertThatThrownBy(() -> ValueCodec.parse(temporal(ValueKind.TIMESTAMP_TZ, 6), "2024-01-31T13:45:00"))
                .hasMessage("is not a timestamp with offset yyyy-mm-ddThh:mm:ss+hh:mm");
    }

    @Test
    void timesMayEndTheDay() throws Exception {
        assertThat(ValueCodec.parse(temporal(ValueKind.TIME, 6), "24:00:00")).isEqualTo(LocalTime.MAX);
        assertThat(ValueCodec.parse(temporal(ValueKind.TIME_TZ, 6), "24:00:00-01:00"))
                .isEqualTo(java.time.OffsetTime.of(LocalTime.MAX, ZoneOffset.ofHours(-1)));
        assertThatThrownBy(() -> ValueCodec.parse(temporal(ValueKind.TIME, 6), "24:00:01"))
                .hasMessage("is not a time hh:mm:ss");
        assertThatThrownBy(() -> ValueCodec.parse(temporal(ValueKind.TIME_TZ, 6), "24:00:00.5+01:00"))
                .hasMessage("is not a time with offset hh:mm:ss+hh:mm");
    }

    @Test
    void datesAndTimestampsMayBeInfinite() throws Exception {
        assertThat(ValueCodec.parse(column(ValueKind.DATE, "date"), "infinity")).isEqualTo(LocalDate.MAX);
        assertThat(ValueCodec.parse(temporal(ValueKind.TIMESTAMP, 0), "-infinity"))
                .isEqualTo(LocalDateTime.MIN);
        assertThat(ValueCodec.parse(temporal(ValueKind.TIMESTAMP_TZ, 6), "infinity"))
                .isEqualTo(OffsetDateTime.MAX);
        assertThatThrownBy(() -> ValueCodec.parse(temporal(ValueKind.TIME, 6), "infinity"))
                .hasMessage("is not a time hh:mm:ss");
        assertThatThrownBy(() -> ValueCodec.parse(column(ValueKind.DATE, "date"), "Infinity"))
                .hasMessage("is not a date yyyy-mm-dd");
    }

    @Test
    void binaryIsCanonicalBase64() throws Exception {
        Column bytes = new Column("c", "bytea", 0, ValueKind.BINARY, true, false, false, 3, false, 0, 0, null, null);
        assertThat((byte[]) ValueCodec.parse(bytes, "AQID")).containsExactly(1, 2, 3);
        assertThat((byte[]) ValueCodec.parse(bytes, "")).isEmpty();
        assertThatThrownBy(() -> ValueCodec.parse(bytes, "AQ*D")).hasMessage("is not valid base64");
        assertThatThrownBy(() -> ValueCodec.parse(bytes, "AQIDBA=="))
                .hasMessage("is 4 bytes long but bytea(3) holds 3 (dsynq never truncates)");
    }

    @Test
    void uuidsAndJson() throws Exception {
        assertThat(ValueCodec.parse(column(ValueKind.UUID, "uuid"), "123e4567-e89b-12d3-a456-426614174000"))
                .isEqualTo(UUID.fromString("123e4567-e89b-12d3-a456-426614174000"));
        assertThatThrownBy(() -> ValueCodec.parse(column(ValueKind.UUID, "uuid"), "1-2-3-4-5"))
                .hasMessage("is not a UUID xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx");
        assertThat(ValueCodec.parse(column(ValueKind.JSON, "json"), "{\"a\":[1,2]}"))
                .isEqualTo("{\"a\":[1,2]}");
        assertThatThrownBy(() -> ValueCodec.parse(column(ValueKind.JSON, "json"), "{\"a\":"))
                .hasMessageStartingWith("is not valid JSON");
        assertThatThrownBy(() -> ValueCodec.parse(column(ValueKind.JSON, "json"), "{} x"))
                .hasMessageStartingWith("is not valid JSON");
        assertThatThrownBy(() -> ValueCodec.parse(column(ValueKind.JSON, "json"), ""))
                .hasMessageStartingWith("is not valid JSON");
        // valid JSON beyond the parser's default limits, which PostgreSQL holds
        String deep = "[".repeat(1_500) + "]".repeat(1_500);
        String longNumber = "{\"n\":" + "9".repeat(1_200) + "}";
        assertThat(ValueCodec.parse(column(ValueKind.JSON, "json"), deep)).isEqualTo(deep);
        assertThat(ValueCodec.parse(column(ValueKind.JSON, "json"), longNumber)).isEqualTo(longNumber);
    }

    /**
     * JSON nested without bound took memory by the level: a value of 20 million characters, well within what a row may
     * hold, nested 10 million deep ran out of a heap of 1 GiB after more than a minute.
     */
    @Test
    void jsonNestedPastTheBoundIsRefusedAtTheBound() throws Exception {
        Column json = column(ValueKind.JSON, "json");
        int depth = ValueCodec.MAX_JSON_DEPTH;
        String deepest = "[".repeat(depth) + "]".repeat(depth);
        String deeper = "[".repeat(10 * depth) + "]".repeat(10 * depth);
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();

        assertThat(ValueCodec.parse(json, deepest)).isEqualTo(deepest);
        long before = threads.getCurrentThreadAllocatedBytes();
        assertThatThrownBy(() -> ValueCodec.parse(json, deeper))
                .hasMessage("is JSON nested deeper than 100000 levels, more than dsynq reads (PostgreSQL takes some"
                        + " 10,000 with its default stack depth limit)");
        assertThat(threads.getCurrentThreadAllocatedBytes() - before).isLessThan(200L << 20);
    }

    @Test
    void floatingPointReadsWhatJavaWrites() throws Exception {
        Column real = column(ValueKind.REAL, "float4");
        assertThat(ValueCodec.parse(real, Float.toString(0.1f))).isEqualTo(0.1f);
        assertThat(ValueCodec.parse(column(ValueKind.DOUBLE, "float8"), "1.0E-5"))
                .isEqualTo(1.0E-5);
        assertThatThrownBy(() -> ValueCodec.parse(real, "1e39")).hasMessage("is out of range for real");
        assertThatThrownBy(() -> ValueCodec.parse(real, " 1")).hasMessage("is not a number");
    }

    /**
     * A number too large or too close to 0 for its type turned infinite or 0 as it was bound: H2 stored {@code 1e400}
     * in a {@code DOUBLE} as {@code Infinity}, and H2 and MariaDB stored {@code 1e-50} in a {@code REAL} or
     * {@code 1e-400} in a {@code DOUBLE} as 0, its sign lost with it. Now they are refused as out of range, as
     * PostgreSQL refuses them; the least numbers that are not 0, zeros and the infinities as written are held.
     */
    @Test
    void floatingPointNumbersThatWouldTurnInfiniteOrZeroAreOutOfRange() throws Exception {
        Column real = column(ValueKind.REAL, "float4");
        Column dbl = column(ValueKind.DOUBLE, "float8");
        for (String text : List.of("1e-50", "-1e-46", "0.00000000000000000000000000000000000000000000001")) {
            assertThatThrownBy(() -> ValueCodec.parse(real, text)).as(text).hasMessage("is out of range for real");
        }
        for (String text : List.of("1e400", "-1e400", "1e-400", "-4.9E-325")) {
            assertThatThrownBy(() -> ValueCodec.parse(dbl, text))
                    .as(text)
                    .hasMessage("is out of range for double precision");
            assertThatThrownBy(() -> ValueCodec.check(dbl, text))
                    .as(text)
                    .hasMessage("is out of range for double precision");
        }
        assertThat(ValueCodec.parse(real, "1.4E-45")).isEqualTo(Float.MIN_VALUE);
        assertThat(ValueCodec.parse(real, "-0.0")).isEqualTo(-0.0f);
        assertThat(ValueCodec.parse(real, "0E10")).isEqualTo(0.0f);
        assertThat(ValueCodec.parse(real, "-Infinity")).isEqualTo(Float.NEGATIVE_INFINITY);
        assertThat(ValueCodec.parse(dbl, "4.9E-324")).isEqualTo(Double.MIN_VALUE);
        assertThat(ValueCodec.parse(dbl, "1.7976931348623157E308")).isEqualTo(Double.MAX_VALUE);
        assertThat(ValueCodec.parse(dbl, "Infinity")).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat((Double) ValueCodec.parse(dbl, "NaN")).isNaN();
    }

    @Test
    void valuesAreShownQuotedWithControlCharactersEscapedAndLongOnesCut() {
        assertThat(ValueCodec.show(null)).isEqualTo("NULL");
        assertThat(ValueCodec.show("a\nb\rc\td\u0000é😀")).isEqualTo("'a\\nb\\rc\\u0009d\\u0000é😀'");
        assertThat(ValueCodec.show("x".repeat(61))).isEqualTo("'" + "x".repeat(57) + "…'");
    }
}
