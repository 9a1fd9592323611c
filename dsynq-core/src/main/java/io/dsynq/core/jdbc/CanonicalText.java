package io.dsynq.core.jdbc;

import static java.time.temporal.ChronoField.HOUR_OF_DAY;
import static java.time.temporal.ChronoField.MINUTE_OF_HOUR;
import static java.time.temporal.ChronoField.NANO_OF_SECOND;
import static java.time.temporal.ChronoField.SECOND_OF_MINUTE;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
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
        int space = text.indexOf(' ');
        if (space >= 10) { // after a year of four digits, or more with its sign
            chars[space] = 'T';
        }
        return new String(chars, 0, end);
    }

    static String format(LocalTime value) {
        return TIME_OUT.format(value);
    }

    static String format(LocalDateTime value) {
        return format(value.toLocalDate(), value.toLocalTime().toNanoOfDay());
    }

    /**
     * {@link #format(LocalDateTime)} of a date and the nanoseconds into it, without building the date-time: two digits
     * at a time, six of the fraction where it holds microseconds, which a server's timestamps do.
     */
    static String format(LocalDate date, long nanoOfDay) {
        int year = date.getYear();
        if (year < 0 || year > 9999) {
            return TIMESTAMP_OUT.format(date.atTime(LocalTime.ofNanoOfDay(nanoOfDay))); // a sign, or more digits
        }
        byte[] out = new byte[29];
        two(out, 0, year / 100);
        two(out, 2, year % 100);
        out[4] = '-';
        two(out, 5, date.getMonthValue());
        out[7] = '-';
        two(out, 8, date.getDayOfMonth());
        out[10] = 'T';
        int seconds = (int) (nanoOfDay / 1_000_000_000);
        int end = time(out, 11, seconds / 3600, seconds / 60 % 60, seconds % 60, (int) (nanoOfDay % 1_000_000_000));
        return new String(out, 0, end, StandardCharsets.ISO_8859_1);
    }

    /** {@link #format(LocalDateTime)} by the formatter: the reference the fast one is tested against. */
    static String slowFormat(LocalDateTime value) {
        return TIMESTAMP_OUT.format(value);
    }

    /** Writes {@code hh:mm:ss} and the fraction without trailing zeros at {@code at}; returns where it ends. */
    private static int time(byte[] out, int at, int hour, int minute, int second, int nano) {
        two(out, at, hour);
        out[at + 2] = ':';
        two(out, at + 3, minute);
        out[at + 5] = ':';
        two(out, at + 6, second);
        int end = at + 8;
        if (nano != 0) {
            out[end] = '.';
            int digits = nano % 1000 == 0 ? 6 : 9;
            int fraction = digits == 6 ? nano / 1000 : nano;
            for (int i = end + digits; i > end + 1; i -= 2) {
                two(out, i - 1, fraction % 100);
                fraction /= 100;
            }
            if (digits == 9) {
                out[end + 1] = (byte) ('0' + fraction);
            }
            end += digits + 1;
            while (out[end - 1] == '0') {
                end--;
            }
        }
        return end;
    }

    private static final byte[] PAIRS = new byte[200];

    static {
        for (int i = 0; i < 100; i++) {
            PAIRS[2 * i] = (byte) ('0' + i / 10);
            PAIRS[2 * i + 1] = (byte) ('0' + i % 10);
        }
    }

    /** {@code value}, 0 to 99, as two digits at {@code at}. */
    private static void two(byte[] out, int at, int value) {
        out[at] = PAIRS[2 * value];
        out[at + 1] = PAIRS[2 * value + 1];
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
