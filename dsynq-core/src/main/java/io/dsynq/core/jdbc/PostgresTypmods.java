package io.dsynq.core.jdbc;

import java.math.BigDecimal;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What PostgreSQL's columns that dsynq passes as the server's text hold where their type restricts it, which the
 * server does not check but rounds to: an array of {@code numeric(4,1)} rounds {@code {1.25}} to {@code {1.3}}, one of
 * {@code timestamp(0)} its elements to the second; a domain rounds as its base type does, and one over an integer
 * reads {@code ' 7'} as 7; an interval as {@link PostgresInterval} says. A column's type is named as {@code format_type}
 * names it, a domain as its name with its base's in parentheses: {@code tenth (numeric(4,1))}. Thread-safe.
 */
final class PostgresTypmods {

    private static final Pattern NUMERIC = Pattern.compile("numeric\\(([0-9]+)(?:,([0-9]+))?\\)");
    private static final Pattern TEMPORAL =
            Pattern.compile("(?:time|timestamp)(?:\\(([0-9])\\))? with(?:out)? time zone");
    private static final Pattern INTEGER = Pattern.compile("smallint|integer|bigint");

    /** A number as the server reads one ({@code 1.25}, {@code .5}, {@code 125e-1}), not part of a word. */
    private static final Pattern NUMBER = Pattern.compile(
            "(?<![0-9A-Za-z.])[-+]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][-+]?[0-9]{1,4})?(?![0-9A-Za-z.])");

    /** A time of day with digits after its seconds. */
    private static final Pattern FRACTION = Pattern.compile("[0-9]:[0-5][0-9]:[0-5][0-9]\\.([0-9]+)");

    private PostgresTypmods() {}

    /** Whether values of {@code type} ({@code format_type}'s name of a base or element type) are checked here. */
    static boolean checks(String type) {
        return declared(type).kind() != Kind.NONE;
    }

    /** The name of a domain for {@link #cannotHold}: its own, with its base type's. */
    static String domain(String name, String base) {
        return name + " (" + base + ")";
    }

    /** An integer as {@link #cannotHold} takes it for a column of an integer type: digits, perhaps a minus. */
    private static final Pattern WHOLE = Pattern.compile("-?[0-9]+");

    /** What a type restricts its values to, as {@link #cannotHold} checks them. */
    private enum Kind {
        INTERVAL,
        NUMERIC,
        TEMPORAL,
        INTEGER,
        NONE
    }

    /** A type {@link #cannotHold} read: its element's kind and name, whether an array, and the digits it keeps. */
    private record Declared(Kind kind, String element, boolean array, int kept) {}

    /** The types {@link #cannotHold} read, by name: read once, not for each value of a delta. */
    private static final java.util.Map<String, Declared> DECLARED = new java.util.concurrent.ConcurrentHashMap<>();

    private static Declared declared(String type) {
        String base = type;
        int open = type.indexOf(" (");
        if (open > 0 && type.endsWith(")")) {
            base = type.substring(open + 2, type.length() - 1);
        }
        boolean array = base.endsWith("[]");
        String element = array ? base.substring(0, base.length() - 2) : base;
        if (element.startsWith("interval")) {
            return new Declared(Kind.INTERVAL, element, array, 0);
        }
        Matcher numeric = NUMERIC.matcher(element);
        if (numeric.matches()) {
            return new Declared(
                    Kind.NUMERIC, element, array, numeric.group(2) == null ? 0 : Integer.parseInt(numeric.group(2)));
        }
        Matcher temporal = TEMPORAL.matcher(element);
        if (temporal.matches()) {
            return new Declared(
                    Kind.TEMPORAL, element, array, temporal.group(1) == null ? 6 : Integer.parseInt(temporal.group(1)));
        }
        return new Declared(INTEGER.matcher(element).matches() ? Kind.INTEGER : Kind.NONE, element, array, 0);
    }

    /**
     * Why a column of {@code type} cannot hold {@code value} without rounding or reading it otherwise, or
     * {@code null} where it can (or where the server refuses what it cannot hold).
     */
    static String cannotHold(String type, String value) {
        Declared declared = DECLARED.computeIfAbsent(type, PostgresTypmods::declared);
        int kept = declared.kept();
        return switch (declared.kind()) {
            case INTERVAL -> {
                if (!declared.array()) {
                    yield PostgresInterval.cannotHold(declared.element(), value);
                }
                for (String each : elements(value)) {
                    String refused = PostgresInterval.cannotHold(declared.element(), each);
                    if (refused != null) {
                        yield refused;
                    }
                }
                yield null;
            }
            case NUMERIC -> beyond(value, kept)
                    ? "has digits after the point beyond the " + kept + " " + type + " holds (dsynq never rounds)"
                    : null;
            case TEMPORAL -> beyond(FRACTION, value, kept)
                    ? "has digits of seconds beyond the " + kept + " after the point " + type
                            + " holds (dsynq never rounds)"
                    : null;
            case INTEGER -> !declared.array() && !WHOLE.matcher(value).matches()
                    ? "is not an integer, as " + type + " holds"
                    : null;
            case NONE -> null;
        };
    }

    /**
     * The elements of an array's text ({@code {00:00:01,"1 day",{NULL}}}) at any depth, unquoted, without its NULLs;
     * what is not such a text has none, and the server refuses it.
     */
    static java.util.List<String> elements(String array) {
        java.util.List<String> elements = new java.util.ArrayList<>();
        StringBuilder element = null;
        boolean quoted = false;
        boolean wasQuoted = false;
        for (int i = Math.max(0, array.indexOf('{')); i < array.length(); i++) {
            char c = array.charAt(i);
            if (quoted) {
                if (c == '\\' && i + 1 < array.length()) {
                    element.append(array.charAt(++i));
                } else if (c == '"') {
                    quoted = false;
                } else {
                    element.append(c);
                }
            } else if (c == '"') {
                quoted = true;
                wasQuoted = true;
                element = element == null ? new StringBuilder() : element;
            } else if (c == ',' || c == '}') {
                if (element != null) {
                    String text =
                            wasQuoted ? element.toString() : element.toString().strip();
                    if (wasQuoted || !text.equalsIgnoreCase("NULL")) {
                        elements.add(text);
                    }
                }
                element = null;
                wasQuoted = false;
            } else if (c != '{' && !(Character.isWhitespace(c) && (element == null || wasQuoted))) {
                element = element == null ? new StringBuilder() : element;
                element.append(c);
            }
        }
        return elements;
    }

    /**
     * Whether some number in {@code value} has a digit other than 0 beyond the {@code kept} after its point, its
     * exponent counted ({@code 125e-2} has two, {@code 1.25e1} one).
     */
    private static boolean beyond(String value, int kept) {
        Matcher found = NUMBER.matcher(value);
        while (found.find()) {
            if (new BigDecimal(found.group()).stripTrailingZeros().scale() > kept) {
                return true;
            }
        }
        return false;
    }

    /** Whether some match of {@code numbers} in {@code value} has a digit other than 0 after its first {@code kept}. */
    private static boolean beyond(Pattern numbers, String value, int kept) {
        Matcher found = numbers.matcher(value);
        while (found.find()) {
            String fraction = found.group(1);
            for (int i = kept; i < fraction.length(); i++) {
                if (fraction.charAt(i) != '0') {
                    return true;
                }
            }
        }
        return false;
    }
}
