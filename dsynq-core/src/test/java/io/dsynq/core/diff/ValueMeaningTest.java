package io.dsynq.core.diff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dsynq.core.jdbc.Column;
import io.dsynq.core.jdbc.InvalidValueException;
import io.dsynq.core.jdbc.ValueKind;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ValueMeaningTest {

    private static Column column(ValueKind kind, int jdbcType, int precision, int scale) {
        return new Column("c", kind.name(), jdbcType, kind, true, false, false, 0, false, precision, scale, null, null);
    }

    private static final Column DECIMAL_2 = column(ValueKind.DECIMAL, Types.DECIMAL, 12, 2);
    private static final Column DECIMAL_4 = column(ValueKind.DECIMAL, Types.DECIMAL, 12, 4);
    private static final Column TIMESTAMP_3 = column(ValueKind.TIMESTAMP, Types.TIMESTAMP, 0, 3);
    private static final Column TIMESTAMP_6 = column(ValueKind.TIMESTAMP, Types.TIMESTAMP, 0, 6);
    private static final Column ZONED = column(ValueKind.TIMESTAMP_TZ, Types.TIMESTAMP_WITH_TIMEZONE, 0, 6);
    private static final Column TEXT = column(ValueKind.TEXT, Types.VARCHAR, 0, 0);
    private static final Column CHAR = column(ValueKind.TEXT, Types.CHAR, 0, 0);
    private static final Column JSON = column(ValueKind.JSON, Types.OTHER, 0, 0);

    @Test
    void decimalsCompareByValueAndAreWrittenAtTheTargetsScale() throws InvalidValueException {
        assertThat(ValueMeaning.same(DECIMAL_2, "1.50", DECIMAL_4, "1.5000")).isTrue();
        assertThat(ValueMeaning.same(DECIMAL_2, "1.50", DECIMAL_4, "1.5001")).isFalse();
        assertThat(ValueMeaning.forTarget(DECIMAL_2, DECIMAL_4, "1.5000")).isEqualTo("1.50");
        assertThatThrownBy(() -> ValueMeaning.forTarget(DECIMAL_2, DECIMAL_4, "1.5001"))
                .hasMessageContaining("more digits after the point");
    }

    /** PostgreSQL's numeric holds NaN and ±Infinity, which no BigDecimal is: equal only to themselves. */
    @Test
    void decimalsThatAreNoNumbersCompareAsThemselves() throws InvalidValueException {
        assertThat(ValueMeaning.same(DECIMAL_2, "NaN", DECIMAL_4, "NaN")).isTrue();
        assertThat(ValueMeaning.same(DECIMAL_2, "NaN", DECIMAL_4, "1.5")).isFalse();
        assertThat(ValueMeaning.same(DECIMAL_2, "1.5", DECIMAL_4, "Infinity")).isFalse();
        assertThat(ValueMeaning.same(DECIMAL_2, "-Infinity", DECIMAL_4, "Infinity"))
                .isFalse();
        assertThat(ValueMeaning.forTarget(DECIMAL_2, DECIMAL_4, "NaN")).isEqualTo("NaN");
        Column integer = column(ValueKind.INTEGER, Types.INTEGER, 0, 0);
        assertThatThrownBy(() -> ValueMeaning.forTarget(integer, DECIMAL_4, "NaN"))
                .hasMessageContaining("is not a whole number");
    }

    @Test
    void timestampsCompareAtThePrecisionBothHold() throws InvalidValueException {
        assertThat(ValueMeaning.same(TIMESTAMP_3, "2024-01-31T13:45:00.123", TIMESTAMP_6, "2024-01-31T13:45:00.123456"))
                .isTrue();
        assertThat(ValueMeaning.same(TIMESTAMP_3, "2024-01-31T13:45:00.124", TIMESTAMP_6, "2024-01-31T13:45:00.123456"))
                .isFalse();
        assertThat(ValueMeaning.forTarget(TIMESTAMP_3, TIMESTAMP_6, "2024-01-31T13:45:00.100456"))
                .isEqualTo("2024-01-31T13:45:00.1");
        assertThat(ValueMeaning.same(ZONED, "2024-01-31T13:45:00+00:00", ZONED, "2024-01-31T19:15:00+05:30"))
                .isTrue();
        assertThat(ValueMeaning.same(ZONED, "infinity", ZONED, "infinity")).isTrue();
        assertThat(ValueMeaning.same(ZONED, "-infinity", ZONED, "2024-01-31T19:15:00+05:30"))
                .isFalse();
    }

    /** The values whose digits a target of fewer cuts, which the diff warns of. */
    @Test
    void aTimeDropsTheDigitsOtherThanZeroPastTheTargetsOnly() {
        assertThat(ValueMeaning.cutsFractions(TIMESTAMP_3, TIMESTAMP_6)).isTrue();
        assertThat(ValueMeaning.cutsFractions(TIMESTAMP_6, TIMESTAMP_3)).isFalse();
        assertThat(ValueMeaning.cutsFractions(TIMESTAMP_6, ZONED)).isFalse();
        assertThat(ValueMeaning.dropsFraction("2024-01-31T13:45:00.123456", 3)).isTrue();
        assertThat(ValueMeaning.dropsFraction("2024-01-31T13:45:00.123000", 3)).isFalse();
        assertThat(ValueMeaning.dropsFraction("2024-01-31T13:45:00.1234+05:30", 3))
                .isTrue();
        assertThat(ValueMeaning.dropsFraction("2024-01-31T13:45:00.5", 0)).isTrue();
        assertThat(ValueMeaning.dropsFraction("2024-01-31T13:45", 0)).isFalse();
        assertThat(ValueMeaning.dropsFraction("13:45:00.000001", 6)).isFalse();
        assertThat(ValueMeaning.dropsFraction("infinity", 0)).isFalse();
    }

    @Test
    void textIsExactButCharPaddingIsNotPartOfTheValue() {
        assertThat(ValueMeaning.same(TEXT, "AC/DC ", TEXT, "AC/DC")).isFalse();
        assertThat(ValueMeaning.same(TEXT, "a", TEXT, "ä")).isFalse();
        assertThat(ValueMeaning.same(TEXT, "", TEXT, null)).isFalse();
        assertThat(ValueMeaning.same(CHAR, "ab   ", CHAR, "ab")).isTrue();
        assertThat(ValueMeaning.same(CHAR, "infinity  ", TEXT, "infinity")).isTrue();
        assertThat(ValueMeaning.same(JSON, "{\"a\": 1, \"b\": [2]}", JSON, "{\"b\":[2],\"a\":1}"))
                .isTrue();
    }

    @Test
    void jsonNumbersCompareAsDecimalsNotAsDoubles() {
        assertThat(ValueMeaning.same(JSON, "{\"a\": 1.0}", JSON, "{\"a\": 1}")).isTrue();
        String deep = "[".repeat(1_500) + "1" + "]".repeat(1_500);
        assertThat(ValueMeaning.same(JSON, deep, JSON, deep.replace("1", "1.0")))
                .isTrue();
        assertThat(ValueMeaning.same(JSON, "[" + "9".repeat(1_200) + "]", JSON, "[" + "9".repeat(1_200) + ".0]"))
                .isTrue();
        assertThat(ValueMeaning.same(JSON, "[1e2]", JSON, "[100]")).isTrue();
        assertThat(ValueMeaning.same(JSON, "[0.1]", JSON, "[0.10000000000000000001]"))
                .isFalse();
        assertThat(ValueMeaning.same(JSON, "12345678901234567890", JSON, "12345678901234567891"))
                .isFalse();
        assertThat(ValueMeaning.same(JSON, "{\"a\": [1, \"1\"]}", JSON, "{\"a\": [1, 1]}"))
                .isFalse();
    }

    @Test
    void jsonWithAKeyTwiceIsTheSameOnlyAsItsOwnText() {
        // MariaDB takes the first of a key's values, PostgreSQL and Jackson the last
        assertThat(ValueMeaning.same(JSON, "{\"a\":1,\"a\":2}", JSON, "{\"a\":2}"))
                .isFalse();
        assertThat(ValueMeaning.same(JSON, "{\"a\":1}", JSON, "{\"a\":1,\"a\":1}"))
                .isFalse();
        assertThat(ValueMeaning.same(JSON, "[{\"a\":1,\"a\":2}]", JSON, "[{\"a\":1,\"a\":2}]"))
                .isTrue();
        assertThat(ValueMeaning.same(JSON, "{\"a\":{\"a\":1}}", JSON, "{\"a\": {\"a\": 1}}"))
                .isTrue();
    }

    @Test
    void integerKeysOrderByValueWithoutParsing() {
        List<String> keys = new ArrayList<>(List.of("10", "-9", "0", "9223372036854775807", "-10", "9", "-1"));
        keys.sort(KeyOrder::compareIntegers);
        assertThat(keys).containsExactly("-10", "-9", "-1", "0", "9", "10", "9223372036854775807");
    }

    @Test
    void textKeysOrderByCodePointNotByUtf16Unit() {
        List<String> keys = new ArrayList<>(List.of("😀", "ｱ", "é", "Z", "a", "ab ", "ab", "ab\t", "10", "9"));
        keys.sort(KeyOrder::compareCodePoints);
        assertThat(keys).containsExactly("10", "9", "Z", "a", "ab", "ab\t", "ab ", "é", "ｱ", "😀");
        assertThat("😀".compareTo("ｱ")).as("String.compareTo differs").isNegative();
    }

    @Test
    void dateKeysOrderInTime() {
        List<String> keys = new ArrayList<>(List.of(
                "2024-01-31",
                "infinity",
                "+10000-01-01",
                "-0043-03-15",
                "0000-01-01",
                "-0100-12-31",
                "-infinity",
                "2024-01-30",
                "-0043-03-14",
                "+9999999-01-01"));
        keys.sort(KeyOrder::compareDates);
        assertThat(keys)
                .containsExactly(
                        "-infinity",
                        "-0100-12-31",
                        "-0043-03-14",
                        "-0043-03-15",
                        "0000-01-01",
                        "2024-01-30",
                        "2024-01-31",
                        "+10000-01-01",
                        "+9999999-01-01",
                        "infinity");
    }
}
