package io.dsynq.core.jdbc;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a PostgreSQL interval column holds, which the server does not check but rounds to: an {@code interval(0)}
 * rounds {@code 00:00:01.5} to {@code 00:00:02}, an {@code interval year to month} drops the days, hours, minutes and
 * seconds of {@code 1 year 2 days}, an {@code interval hour} the minutes and seconds, and any interval the digits of
 * seconds beyond the sixth after the point. A value is checked as PostgreSQL writes an interval (its default
 * {@code IntervalStyle}, which dsynq sets): the server reads other texts by the column's type ({@code '5'} is five hours
 * in an {@code interval hour}), so a restricted column takes that text only. Thread-safe.
 */
final class PostgresInterval {

    /**
     * {@code 1 year 2 mons -3 days +04:05:06.5}, each part optional, as PostgreSQL writes an interval: a part after a
     * negative one has its sign, {@code -1 years +3 days}.
     */
    private static final Pattern WRITTEN = Pattern.compile("(?:([-+]?[0-9]{1,9}) years?)?"
            + "(?:(?:^| )([-+]?[0-9]{1,9}) mons?)?(?:(?:^| )([-+]?[0-9]{1,9}) days?)?"
            + "(?:(?:^| )([-+]?)([0-9]{1,12}):([0-5][0-9]):([0-5][0-9])(?:\\.([0-9]+))?)?");

    /** A restricted interval as {@code format_type} names it: its fields, and the digits after the point it holds. */
    private static final Pattern TYPE =
            Pattern.compile("interval(?: (year|month|day|hour|minute|second)(?: to (month|hour|minute|second))?)?"
                    + "(?:\\(([0-9])\\))?");

    private PostgresInterval() {}

    /**
     * Why a column of {@code type} ({@code interval}, or a restricted one as {@code format_type} names it) cannot hold
     * {@code value} without rounding or cutting it, or {@code null} where it can.
     */
    static String cannotHold(String type, String value) {
        String refused = refused(type, value);
        return refused == null || refused.startsWith("is not") ? refused : refused + " (dsynq never rounds)";
    }

    private static String refused(String type, String value) {
        Matcher declared = TYPE.matcher(type);
        if (!declared.matches()) {
            return null; // not an interval dsynq knows the restrictions of
        }
        String smallest = declared.group(2) != null ? declared.group(2) : declared.group(1);
        int digits = declared.group(3) == null ? 6 : Integer.parseInt(declared.group(3));
        boolean restricted = smallest != null || digits < 6;
        Matcher written = WRITTEN.matcher(value);
        if (value.isEmpty() || !written.matches()) {
            return restricted
                    ? "is not written as PostgreSQL writes an interval (1 year 2 mons -3 days +04:05:06.5), which dsynq"
                            + " needs to tell that " + type + " holds it without rounding"
                    : null; // the server reads it as any interval, to the microsecond
        }
        long months = number(written.group(2)) + 12 * number(written.group(1));
        boolean days = number(written.group(3)) != 0;
        String fraction = written.group(8) == null ? "" : written.group(8);
        long minutes = number(written.group(5)) * 60 + number(written.group(6));
        boolean seconds = number(written.group(7)) != 0 || !fraction.matches("0*");
        boolean time = minutes != 0 || seconds;
        if (smallest != null) {
            switch (smallest) {
                case "year" -> {
                    if (months % 12 != 0) {
                        return "has months beyond whole years, which " + type + " does not hold";
                    }
                    if (days || time) {
                        return "has days, hours, minutes or seconds, which " + type + " does not hold";
                    }
                }
                case "month" -> {
                    if (days || time) {
                        return "has days, hours, minutes or seconds, which " + type + " does not hold";
                    }
                }
                case "day" -> {
                    if (time) {
                        return "has hours, minutes or seconds, which " + type + " does not hold";
                    }
                }
                case "hour" -> {
                    if (minutes % 60 != 0 || seconds) {
                        return "has minutes or seconds, which " + type + " does not hold";
                    }
                }
                case "minute" -> {
                    if (seconds) {
                        return "has seconds, which " + type + " does not hold";
                    }
                }
                default -> {}
            }
        }
        for (int i = digits; i < fraction.length(); i++) {
            if (fraction.charAt(i) != '0') {
                return "has digits of seconds beyond the " + digits + " after the point " + type + " holds";
            }
        }
        return null;
    }

    private static long number(String digits) {
        return digits == null ? 0 : Long.parseLong(digits);
    }
}
