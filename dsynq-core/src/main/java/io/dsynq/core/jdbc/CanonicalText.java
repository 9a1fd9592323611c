package io.dsynq.core.jdbc;

import static java.time.temporal.ChronoField.HOUR_OF_DAY;
import static java.time.temporal.ChronoField.MINUTE_OF_HOUR;
import static java.time.temporal.ChronoField.NANO_OF_SECOND;
import static java.time.temporal.ChronoField.SECOND_OF_MINUTE;

import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;

/**
 * The canonical text of times and timestamps (DESIGN.md section 3): seconds always written, the fraction only
 * as long as it needs to be, offsets as {@code +HH:MM}. Reading accepts exactly that, and {@code Z} for UTC.
 */
final class CanonicalText {

    private static final DateTimeFormatter TIME_OUT = time(false);
    private static final DateTimeFormatter TIME_IN = time(true);
    private static final DateTimeFormatter TIMESTAMP_OUT = timestamp(TIME_OUT);
    private static final DateTimeFormatter TIMESTAMP_IN = timestamp(TIME_IN);
    private static final DateTimeFormatter TIME_TZ_OUT = printedWithOffset(TIME_OUT);
    private static final DateTimeFormatter TIME_TZ_IN = parsedWithOffset(TIME_IN);
    private static final DateTimeFormatter TIMESTAMP_TZ_OUT = printedWithOffset(TIMESTAMP_OUT);
    private static final DateTimeFormatter TIMESTAMP_TZ_IN = parsedWithOffset(TIMESTAMP_IN);

    private CanonicalText() {}

    private static DateTimeFormatter time(boolean parsing) {
        return new DateTimeFormatterBuilder()
                .appendValue(HOUR_OF_DAY, 2)
                .appendLiteral(':')
                .appendValue(MINUTE_OF_HOUR, 2)
                .appendLiteral(':')
                .appendValue(SECOND_OF_MINUTE, 2)
                .optionalStart()
                .appendFraction(NANO_OF_SECOND, parsing ? 1 : 0, 9, true)
                .optionalEnd()
                .toFormatter()
                .withResolverStyle(ResolverStyle.STRICT);
    }

    private static DateTimeFormatter timestamp(DateTimeFormatter time) {
        return new DateTimeFormatterBuilder()
                .append(DateTimeFormatter.ISO_LOCAL_DATE)
                .appendLiteral('T')
                .append(time)
                .toFormatter()
                .withResolverStyle(ResolverStyle.STRICT);
    }

    private static DateTimeFormatter printedWithOffset(DateTimeFormatter local) {
        return new DateTimeFormatterBuilder()
                .append(local)
                .appendOffset("+HH:MM:ss", "+00:00")
                .toFormatter()
                .withResolverStyle(ResolverStyle.STRICT);
    }

    private static DateTimeFormatter parsedWithOffset(DateTimeFormatter local) {
        return new DateTimeFormatterBuilder()
                .append(local)
                .appendOffsetId()
                .toFormatter()
                .withResolverStyle(ResolverStyle.STRICT);
    }

    /**
     * The canonical form of a timestamp or time a server printed in ISO form ({@code 2024-01-31 13:45:00.500000}):
     * {@code T} between date and time, the fraction without trailing zeros. Anything not of that form comes back
     * unchanged, and the caller reads the value the slow way.
     */
    static String fromServerText(String text) {
        if (text == null) {
            return null;
        }
        char[] chars = text.toCharArray();
        int end = chars.length;
        int dot = text.lastIndexOf('.');
        if (dot > 0 && dot > text.lastIndexOf(':')) {
            while (end > dot + 1 && chars[end - 1] == '0') {
                end--;
            }
            if (end == dot + 1) {
                end = dot;
            }
        }
        if (chars.length > 10 && chars[10] == ' ') {
            chars[10] = 'T';
        }
        return new String(chars, 0, end);
    }

    static String format(LocalTime value) {
        return TIME_OUT.format(value);
    }

    static String format(LocalDateTime value) {
        return TIMESTAMP_OUT.format(value);
    }

    static String format(OffsetTime value) {
        return TIME_TZ_OUT.format(value);
    }

    static String format(OffsetDateTime value) {
        return TIMESTAMP_TZ_OUT.format(value);
    }

    static LocalTime parseTime(String text) {
        return LocalTime.parse(text, TIME_IN);
    }

    static LocalDateTime parseTimestamp(String text) {
        return LocalDateTime.parse(text, TIMESTAMP_IN);
    }

    static OffsetTime parseTimeTz(String text) {
        return OffsetTime.parse(text, TIME_TZ_IN);
    }

    static OffsetDateTime parseTimestampTz(String text) {
        return OffsetDateTime.parse(text, TIMESTAMP_TZ_IN);
    }
}
