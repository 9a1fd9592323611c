package io.dsynq.core.jdbc;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a PostgreSQL interval column holds, which the server does not check but rounds to: an {@code interval(0)}
 * rounds {@code 00:00:01.5} to {@code 00:00:02}, an {@code interval year to month} drops the days, hours, minutes and
 * seconds of {@code 1 year 2 days}, an {@code interval hour} the minutes and seconds, and any interval the digits of
 * seconds beyond the sixth after the point. A value is checked as PostgreSQL writes an interval (its default
 * {@code IntervalStyle}, which dsynq sets), or spelled out with its units ({@code PT1H}, {@code @ 1 hour ago},
 * {@code 2 hours}): the server reads other texts by the column's type ({@code '5'} is five hours in an
 * {@code interval hour}), so a restricted column takes those texts only. Thread-safe.
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

    /** What a type holds ({@link #TYPE}): its smallest field, or {@code null} for all, and its digits of seconds. */
    private record Declared(String smallest, int digits) {

        static final Declared NONE = new Declared(null, -1);
    }

    /** The types {@link #refused} read, by name: read once, not for each value of a delta. */
    private static final java.util.Map<String, Declared> DECLARED = new java.util.concurrent.ConcurrentHashMap<>();

    private static Declared declared(String type) {
        Matcher declared = TYPE.matcher(type);
        return declared.matches()
                ? new Declared(
                        declared.group(2) != null ? declared.group(2) : declared.group(1),
                        declared.group(3) == null ? 6 : Integer.parseInt(declared.group(3)))
                : Declared.NONE;
    }

    private static boolean zeros(String digits) {
        for (int i = 0; i < digits.length(); i++) {
            if (digits.charAt(i) != '0') {
                return false;
            }
        }
        return true;
    }

    private static String refused(String type, String value) {
        Declared declared = DECLARED.computeIfAbsent(type, PostgresInterval::declared);
        if (declared == Declared.NONE) {
            return null; // not an interval dsynq knows the restrictions of
        }
        String smallest = declared.smallest();
        int digits = declared.digits();
        boolean restricted = smallest != null || digits < 6;
        Matcher written = WRITTEN.matcher(value);
        long[] held;
        try {
            held = !value.isEmpty() && written.matches() ? written(written) : spelled(value);
        } catch (ArithmeticException e) {
            return null; // beyond what an interval holds: the server says so
        }
        if (held == null) {
            return restricted
                    ? "is not written as PostgreSQL writes an interval (1 year 2 mons -3 days +04:05:06.5), which dsynq"
                            + " needs to tell that " + type + " holds it without rounding"
                    : null; // the server reads it as any interval, to the microsecond
        }
        return refused(type, smallest, digits, held);
    }

    /**
     * The months, days and microseconds of an interval as PostgreSQL writes it ({@link #WRITTEN}), as
     * {@link #spelled} gives them.
     */
    private static long[] written(Matcher written) {
        boolean negative = "-".equals(written.group(4));
        long[] held = {
            Math.addExact(number(written.group(2)), Math.multiplyExact(12, number(written.group(1)))),
            number(written.group(3)),
            Math.addExact(
                    Math.multiplyExact(number(written.group(5)), negative ? -HOUR : HOUR),
                    Math.multiplyExact(number(written.group(6)), negative ? -MINUTE : MINUTE)),
            0
        };
        return written.group(7) == null
                ? held
                : seconds(
                        held,
                        (negative ? "-" : "")
                                + written.group(7)
                                + (written.group(8) == null ? "" : "." + written.group(8)));
    }

    /** Microseconds of an hour, a minute, a second. */
    private static final long HOUR = 3_600_000_000L, MINUTE = 60_000_000L, SECOND = 1_000_000L;

    /** An interval as the ISO 8601 style writes one: {@code P1Y2M3DT-4H-5M-6.5S}, {@code PT0S}. */
    private static final Pattern ISO = Pattern.compile("P(?:([-+]?[0-9]{1,9})Y)?(?:([-+]?[0-9]{1,9})M)?"
            + "(?:([-+]?[0-9]{1,9})W)?(?:([-+]?[0-9]{1,9})D)?(?:T(?=[-+0-9])(?:([-+]?[0-9]{1,9})H)?"
            + "(?:([-+]?[0-9]{1,9})M)?(?:([-+]?[0-9]{1,12}(?:\\.[0-9]+)?)S)?)?");

    /** A number and its unit, as the verbose style writes them and a person does: {@code 2 hours}, {@code -6.5 secs}. */
    private static final Pattern UNIT = Pattern.compile(
            "([-+]?[0-9]{1,9}|[-+]?[0-9]{1,12}\\.[0-9]+) ?(years?|mons?|months?|weeks?|days?|hours?|mins?|minutes?|secs?"
                    + "|seconds?)(?: |$)");

    /**
     * The months, days and microseconds of an interval spelled out, as PostgreSQL's {@code iso_8601} and
     * {@code postgres_verbose} styles write one ({@code PT1H}, {@code @ 1 hour ago}) and as a person does
     * ({@code 2 hours 30 mins}), which the server reads alike whatever the column's fields; with a fourth element 1
     * where seconds have digits beyond the sixth after the point; or {@code null} for any other text, or a fraction
     * of a unit other than seconds, which the server spreads over smaller units.
     */
    private static long[] spelled(String value) {
        try {
            Matcher iso = ISO.matcher(value);
            if (value.length() > 1 && iso.matches()) {
                long[] held = {
                    number(iso.group(2)) + 12 * number(iso.group(1)),
                    number(iso.group(4)) + 7 * number(iso.group(3)),
                    0,
                    0
                };
                held[2] = Math.addExact(
                        Math.multiplyExact(number(iso.group(5)), HOUR),
                        Math.multiplyExact(number(iso.group(6)), MINUTE));
                return seconds(held, iso.group(7));
            }
            String text = value.startsWith("@") ? value.substring(1).strip() : value;
            boolean ago = text.endsWith(" ago");
            text = ago ? text.substring(0, text.length() - 4) : text;
            if (text.equals("0")) {
                return new long[4];
            }
            long[] held = new long[4];
            Matcher unit = UNIT.matcher(text);
            int at = 0;
            while (at < text.length() && unit.find(at) && unit.start() == at) {
                String number = unit.group(1);
                String name = unit.group(2);
                if (number.contains(".") && !name.startsWith("sec")) {
                    return null;
                }
                switch (name.replaceAll("s$", "")) {
                    case "year" -> held[0] = Math.addExact(held[0], 12 * Long.parseLong(number));
                    case "mon", "month" -> held[0] = Math.addExact(held[0], Long.parseLong(number));
                    case "week" -> held[1] = Math.addExact(held[1], 7 * Long.parseLong(number));
                    case "day" -> held[1] = Math.addExact(held[1], Long.parseLong(number));
                    case "hour" -> held[2] = Math.addExact(held[2], Math.multiplyExact(Long.parseLong(number), HOUR));
                    case "min", "minute" -> held[2] =
                            Math.addExact(held[2], Math.multiplyExact(Long.parseLong(number), MINUTE));
                    default -> held = seconds(held, number);
                }
                at = unit.end();
            }
            if (at == 0 || at < text.length()) {
                return null;
            }
            if (ago) {
                held[0] = -held[0];
                held[1] = -held[1];
                held[2] = -held[2];
            }
            return held;
        } catch (ArithmeticException e) {
            return null; // beyond what an interval holds: the server says so
        }
    }

    /** {@code held} with {@code seconds} ({@code -6.5}) added to its microseconds. */
    private static long[] seconds(long[] held, String seconds) {
        if (seconds == null) {
            return held;
        }
        int point = seconds.indexOf('.');
        String whole = point < 0 ? seconds : seconds.substring(0, point);
        String fraction = point < 0 ? "" : seconds.substring(point + 1);
        long micros = Math.addExact(
                Math.multiplyExact(Long.parseLong(whole), SECOND),
                (seconds.startsWith("-") ? -1 : 1) * Long.parseLong((fraction + "000000").substring(0, 6)));
        held[2] = Math.addExact(held[2], micros);
        if (!zeros(fraction.substring(Math.min(6, fraction.length())))) {
            held[3] = 1;
        }
        return held;
    }

    /** Why {@code type} cannot hold an interval of {@code held} months, days and microseconds ({@link #spelled}). */
    private static String refused(String type, String smallest, int digits, long[] held) {
        long months = held[0];
        boolean days = held[1] != 0;
        long micros = held[2];
        boolean finer = held[3] != 0; // digits of seconds beyond the sixth
        if (smallest != null) {
            switch (smallest) {
                case "year" -> {
                    if (months % 12 != 0) {
                        return "has months beyond whole years, which " + type + " does not hold";
                    }
                    if (days || micros != 0 || finer) {
                        return "has days, hours, minutes or seconds, which " + type + " does not hold";
                    }
                }
                case "month" -> {
                    if (days || micros != 0 || finer) {
                        return "has days, hours, minutes or seconds, which " + type + " does not hold";
                    }
                }
                case "day" -> {
                    if (micros != 0 || finer) {
                        return "has hours, minutes or seconds, which " + type + " does not hold";
                    }
                }
                case "hour" -> {
                    if (micros % HOUR != 0 || finer) {
                        return "has minutes or seconds, which " + type + " does not hold";
                    }
                }
                case "minute" -> {
                    if (micros % MINUTE != 0 || finer) {
                        return "has seconds, which " + type + " does not hold";
                    }
                }
                default -> {}
            }
        }
        return finer || micros % (long) Math.pow(10, Math.max(0, 6 - digits)) != 0
                ? "has digits of seconds beyond the " + digits + " after the point " + type + " holds"
                : null;
    }

    private static long number(String digits) {
        return digits == null ? 0 : Long.parseLong(digits);
    }
}
