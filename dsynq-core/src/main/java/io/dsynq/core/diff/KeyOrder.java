package io.dsynq.core.diff;

import io.dsynq.core.DsynqException;
import io.dsynq.core.jdbc.Column;
import io.dsynq.core.jdbc.ValueCodec;
import io.dsynq.core.jdbc.ValueKind;
import java.math.BigDecimal;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;

/**
 * The order both sides of a diff are merged in: key columns compared by value (numbers, instants), by code point
 * (text, UUIDs) or by unsigned byte (binary), NULL first. The servers sort by the same rules through
 * {@link io.dsynq.core.jdbc.Dialect#codePointOrder}; each side's keys are checked against this order as they arrive.
 * Thread-safe.
 */
final class KeyOrder implements Comparator<String[]> {

    private final Comparator<String>[] columns;

    @SuppressWarnings("unchecked")
    private KeyOrder(List<Column> targetKey, List<Column> sourceKey) {
        columns = new Comparator[targetKey.size()];
        for (int i = 0; i < columns.length; i++) {
            columns[i] = of(targetKey.get(i), sourceKey.get(i));
        }
    }

    /**
     * The order of a key of these columns, the same on both sides.
     *
     * @param table for the message when a column's type cannot be ordered the same on every engine
     * @param targetKey the key columns in the target
     * @param sourceKey the same columns in the source, in the same order
     * @param wholeRow whether the key is every column ({@code table:*})
     * @throws DsynqException when a key column is of such a type (JSON, or one dsynq does not know)
     */
    static KeyOrder of(String table, List<Column> targetKey, List<Column> sourceKey, boolean wholeRow) {
        for (Column column : java.util.stream.Stream.concat(targetKey.stream(), sourceKey.stream())
                .toList()) {
            if (column.kind() == ValueKind.JSON || column.kind() == ValueKind.OTHER) {
                throw new DsynqException("table " + table + ": "
                        + (wholeRow
                                ? "rows identified by all their values (" + table + ":*) include column "
                                        + column.name() + ", of type "
                                : "key column " + column.name() + " is of type ")
                        + column.displayType() + ", which dsynq cannot order the same way on every engine; declare "
                        + (wholeRow ? "a key of other columns" : "another key") + " with -Ddsynq.keys=" + table
                        + ":col1+col2");
            }
        }
        return new KeyOrder(targetKey, sourceKey);
    }

    /** The order of a key column as both sides hold it. */
    private static Comparator<String> of(Column target, Column source) {
        if (isChar(target) || isChar(source)) {
            // the padding of CHAR is not part of the value: PostgreSQL keeps it, MariaDB drops it
            return (a, b) -> compareCodePoints(withoutPadding(a), withoutPadding(b));
        }
        if ((target.kind() == ValueKind.DECIMAL && source.kind() == ValueKind.INTEGER)
                || (target.kind() == ValueKind.INTEGER && source.kind() == ValueKind.DECIMAL)) {
            return KeyOrder::compareDecimals; // 1 and 1.00 are the same key
        }
        return of(target);
    }

    /** Decimals by value, in PostgreSQL's order of those that are no number: -Infinity, numbers, Infinity, NaN. */
    private static int compareDecimals(String a, String b) {
        int rankA = rank(a);
        int rankB = rank(b);
        return rankA != rankB || rankA != 1
                ? Integer.compare(rankA, rankB)
                : new BigDecimal(a).compareTo(new BigDecimal(b));
    }

    private static int rank(String decimal) {
        return switch (decimal) {
            case "-Infinity" -> 0;
            case "Infinity" -> 2;
            case "NaN" -> 3;
            default -> 1;
        };
    }

    /** A fixed-length {@code CHAR}, whose padding is not part of the value. */
    static boolean isChar(Column column) {
        return column.kind() == ValueKind.TEXT
                && (column.jdbcType() == java.sql.Types.CHAR || column.jdbcType() == java.sql.Types.NCHAR);
    }

    static String withoutPadding(String text) {
        int end = text.length();
        while (end > 0 && text.charAt(end - 1) == ' ') {
            end--;
        }
        return end == text.length() ? text : text.substring(0, end);
    }

    /**
     * Canonical dates or timestamps in time order, as PostgreSQL orders them: {@code -infinity} first and
     * {@code infinity} last, years before 1 ({@code -0043}) and beyond 9999 ({@code +10000}) by value; those of four
     * digits as text.
     */
    static int compareDates(String a, String b) {
        if (infinity(a) != 0 || infinity(b) != 0) {
            return Integer.compare(infinity(a), infinity(b));
        }
        if (Character.isDigit(a.charAt(0)) && Character.isDigit(b.charAt(0))) {
            return compareCodePoints(a, b);
        }
        int yearA = a.indexOf('-', 1);
        int yearB = b.indexOf('-', 1);
        int byYear = Long.compare(Long.parseLong(a.substring(0, yearA)), Long.parseLong(b.substring(0, yearB)));
        return byYear != 0 ? byYear : compareCodePoints(a.substring(yearA), b.substring(yearB));
    }

    /**
     * Floats by value as the databases' indexes order them: -0 is 0 (where {@link Double#compare} puts it first), and
     * NaN comes last.
     */
    static int compareFloats(String a, String b) {
        double x = Double.parseDouble(a);
        double y = Double.parseDouble(b);
        return x == y ? 0 : Double.compare(x, y);
    }

    /**
     * Canonical times with offset as PostgreSQL orders them: by the time at offset zero, then the greater offset
     * first, so that two times of one instant at different offsets are two keys; {@code 24:00:00} ends a day.
     */
    static int compareZonedTimes(String a, String b) {
        int byInstant = compareInstants(a, b);
        return byInstant != 0 ? byInstant : Long.compare(zonedTime(b)[1], zonedTime(a)[1]);
    }

    /** Canonical times with offset by the time at offset zero alone, as H2 compares them. */
    static int compareInstants(String a, String b) {
        long[] x = zonedTime(a);
        long[] y = zonedTime(b);
        return Long.compare(x[0] - x[1] * 1_000_000_000L, y[0] - y[1] * 1_000_000_000L);
    }

    /**
     * Whether a time with offset is one value with its offset, as PostgreSQL's {@code timetz} is ({@code 12:00+01} is
     * not {@code 11:00+00}), rather than an instant of the day, as H2's {@code TIME WITH TIME ZONE} is.
     */
    static boolean offsetCounts(Column column) {
        return column.typeName().equalsIgnoreCase("timetz");
    }

    /** A canonical time with offset as its nanosecond of the day and its offset in seconds. */
    private static long[] zonedTime(String text) {
        int sign = text.endsWith("Z") ? text.length() - 1 : Math.max(text.lastIndexOf('+'), text.lastIndexOf('-'));
        String time = text.substring(0, sign);
        long nanos = time.equals("24:00:00")
                ? 86_400_000_000_000L
                : LocalTime.parse(time).toNanoOfDay();
        return new long[] {nanos, ZoneOffset.of(text.substring(sign)).getTotalSeconds()};
    }

    /** -1 for {@code -infinity}, 1 for {@code infinity}, 0 for any other date or timestamp. */
    private static int infinity(String text) {
        return ValueCodec.isInfinity(text) ? (text.charAt(0) == '-' ? -1 : 1) : 0;
    }

    private static Comparator<String> of(Column column) {
        return switch (column.kind()) {
            case INTEGER -> KeyOrder::compareIntegers;
            case DECIMAL -> KeyOrder::compareDecimals;
            case REAL, DOUBLE -> KeyOrder::compareFloats;
            case BINARY -> (a, b) -> Arrays.compareUnsigned(
                    Base64.getDecoder().decode(a), Base64.getDecoder().decode(b));
            case DATE, TIMESTAMP -> KeyOrder::compareDates;
            case TIMESTAMP_TZ -> (a, b) -> infinity(a) != 0 || infinity(b) != 0
                    ? Integer.compare(infinity(a), infinity(b))
                    : OffsetDateTime.parse(a)
                            .toInstant()
                            .compareTo(OffsetDateTime.parse(b).toInstant());
            case TIME_TZ -> offsetCounts(column) ? KeyOrder::compareZonedTimes : KeyOrder::compareInstants;
                // canonical dates, times and timestamps order as text; booleans as false, true; UUIDs in lower case
            default -> KeyOrder::compareCodePoints;
        };
    }

    @Override
    public int compare(String[] a, String[] b) {
        for (int i = 0; i < columns.length; i++) {
            String x = a[i];
            String y = b[i];
            if (x == null || y == null) {
                if (x != y) {
                    return x == null ? -1 : 1;
                }
                continue;
            }
            int c = columns[i].compare(x, y);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    /** Compares canonical integers (no leading zeros, {@code -} for negatives) without parsing them. */
    static int compareIntegers(String a, String b) {
        boolean negativeA = a.charAt(0) == '-';
        boolean negativeB = b.charAt(0) == '-';
        if (negativeA != negativeB) {
            return negativeA ? -1 : 1;
        }
        int c = a.length() != b.length() ? Integer.compare(a.length(), b.length()) : a.compareTo(b);
        return negativeA ? -c : c;
    }

    /**
     * Compares by Unicode code point, as UTF-8 bytes compare; {@link String#compareTo} compares UTF-16 units, which
     * puts supplementary characters (surrogate pairs) before U+E000 to U+FFFF.
     */
    static int compareCodePoints(String a, String b) {
        int length = Math.min(a.length(), b.length());
        for (int i = 0; i < length; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                return codePointRank(x) - codePointRank(y);
            }
        }
        return a.length() - b.length();
    }

    /** A UTF-16 unit moved so that surrogates rank above every other unit, as their code points do. */
    private static int codePointRank(char c) {
        if (c < Character.MIN_SURROGATE) {
            return c;
        }
        return c <= Character.MAX_SURROGATE ? c + 0x2000 : c - 0x800;
    }
}
