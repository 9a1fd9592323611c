package io.dsynq.core.diff;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dsynq.core.jdbc.Column;
import io.dsynq.core.jdbc.InvalidValueException;
import io.dsynq.core.jdbc.ValueCodec;
import io.dsynq.core.jdbc.ValueKind;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Compares a target value with a source value by meaning (DESIGN.md section 8), both in canonical text, and writes a
 * source value in the target column's canonical form: {@code 1.5} equals {@code 1.50} in a decimal column, times
 * compare at the precision both columns hold, zoned timestamps by instant, JSON by its tree (numbers as decimals), {@code CHAR} without
 * its padding; text otherwise exactly, {@code 'a '} differing from {@code 'a'}. Thread-safe.
 */
final class ValueMeaning {

    /**
     * Numbers read as they are written, not as doubles that would make {@code 0.1} equal to a longer decimal; an
     * object with a key twice is no tree to compare (MariaDB takes the first of its values, PostgreSQL and Jackson the
     * last), so such a text equals only itself.
     */
    private static final ObjectMapper JSON = ValueCodec.jsonMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    /**
     * A source's text as PostgreSQL's {@code jsonb} stores it, which keeps the last of a key's values (as Jackson
     * does), never the key twice: written into such a target, {@code {"a":1,"a":2}} is {@code {"a": 2}}.
     */
    private static final ObjectMapper JSON_LAST_OF_A_KEY = ValueCodec.jsonMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            .build();

    /** JSON numbers equal by value ({@code 1.0} = {@code 1}), anything else by Jackson's equality. */
    private static final Comparator<JsonNode> JSON_VALUES = (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0 ? 0 : 1;
        }
        return a.equals(b) ? 0 : 1;
    };

    private ValueMeaning() {}

    /** Whether equal canonical texts of the two columns always mean the same value. */
    static boolean textEqualMeansSame(Column targetColumn, Column sourceColumn) {
        return !isChar(targetColumn) && !isChar(sourceColumn);
    }

    /** Whether {@code target} (of {@code targetColumn}) and {@code source} (of {@code sourceColumn}) mean the same. */
    static boolean same(Column targetColumn, String target, Column sourceColumn, String source) {
        if (target == null || source == null) {
            return target == source;
        }
        if (target.equals(source) && !isChar(targetColumn) && !isChar(sourceColumn)) {
            return true;
        }
        ValueKind t = targetColumn.kind();
        ValueKind s = sourceColumn.kind();
        if (isNumber(t) && isNumber(s)) {
            if (ValueCodec.isNotANumber(target) || ValueCodec.isNotANumber(source)) {
                return target.equals(source);
            }
            return new BigDecimal(target).compareTo(new BigDecimal(source)) == 0;
        }
        if (t == ValueKind.REAL || s == ValueKind.REAL) {
            double a = Double.parseDouble(target);
            double b = Double.parseDouble(source);
            return fitsReal(a) && fitsReal(b) && Float.compare((float) a, (float) b) == 0;
        }
        if (t == ValueKind.DOUBLE || s == ValueKind.DOUBLE) {
            return Double.compare(Double.parseDouble(target), Double.parseDouble(source)) == 0;
        }
        int digits = Math.min(targetColumn.scale(), sourceColumn.scale());
        if (ValueCodec.isInfinity(t, target) || ValueCodec.isInfinity(s, source)) {
            return false; // equal texts are the same infinity
        }
        if (isTemporal(t) && isTemporal(s)) {
            String a = truncateFraction(target, digits);
            String b = truncateFraction(source, digits);
            if (t == ValueKind.TIMESTAMP_TZ && s == ValueKind.TIMESTAMP_TZ) {
                return OffsetDateTime.parse(a)
                        .toInstant()
                        .equals(OffsetDateTime.parse(b).toInstant());
            }
            if (t == ValueKind.TIME_TZ && s == ValueKind.TIME_TZ && !KeyOrder.offsetCounts(targetColumn)) {
                return KeyOrder.compareInstants(a, b) == 0;
            }
            return a.equals(b);
        }
        if (t == ValueKind.JSON || s == ValueKind.JSON) {
            try {
                ObjectMapper stored = targetColumn.typeName().equals("jsonb") ? JSON_LAST_OF_A_KEY : JSON;
                return JSON.readTree(target).equals(JSON_VALUES, stored.readTree(source));
            } catch (JsonProcessingException e) {
                return false;
            }
        }
        if (t == ValueKind.UUID || s == ValueKind.UUID) {
            return target.toLowerCase(Locale.ROOT).equals(source.toLowerCase(Locale.ROOT));
        }
        if (isChar(targetColumn) || isChar(sourceColumn)) {
            return withoutPadding(target).equals(withoutPadding(source));
        }
        if (t == ValueKind.BINARY && s == ValueKind.BINARY && isFixedBinary(targetColumn)) {
            byte[] held = Base64.getDecoder().decode(target);
            byte[] given = Base64.getDecoder().decode(source);
            return given.length < held.length && Arrays.equals(held, Arrays.copyOf(given, held.length));
        }
        if (isSet(targetColumn)) {
            return members(target).equals(members(source));
        }
        return false;
    }

    /**
     * Whether the column is MariaDB's {@code SET}, which holds its members once each, in the order it declares them:
     * it holds a text {@code c,b} as {@code b,c}, and an update writing the one could never make it the other. Case
     * counts: a set of a collation that tells case apart may declare both {@code a} and {@code A}.
     */
    private static boolean isSet(Column column) {
        return column.kind() == ValueKind.OTHER
                && (column.typeName().equals("SET") || column.typeName().startsWith("set("));
    }

    /** A {@code SET}'s members, which hold no comma. */
    private static Set<String> members(String text) {
        return text.isEmpty() ? Set.of() : new HashSet<>(Arrays.asList(text.split(",", -1)));
    }

    /** Whether the column is {@code BINARY(n)}, which pads shorter bytes with zeros (MariaDB, H2). */
    private static boolean isFixedBinary(Column column) {
        return column.jdbcType() == Types.BINARY && column.typeName().equalsIgnoreCase("BINARY");
    }

    /**
     * The source value as the target column's canonical text: a decimal at the target's scale, a time or timestamp cut
     * to the fractional digits the target holds (values that compare equal stay equal).
     *
     * @throws InvalidValueException when the target column cannot hold the value without rounding
     */
    static String forTarget(Column targetColumn, Column sourceColumn, String source) throws InvalidValueException {
        if (source == null) {
            return null;
        }
        ValueKind t = targetColumn.kind();
        if (isNumber(t) && ValueCodec.isNotANumber(source)) {
            if (t == ValueKind.INTEGER) {
                throw new InvalidValueException("is not a whole number, as " + targetColumn.displayType() + " needs");
            }
            return source;
        }
        if (t == ValueKind.DECIMAL
                && isNumber(sourceColumn.kind())
                && targetColumn.precision() > 0
                && !ValueCodec.isDecfloat(targetColumn)) { // which holds any scale
            try {
                return new BigDecimal(source)
                        .setScale(targetColumn.scale(), RoundingMode.UNNECESSARY)
                        .toPlainString();
            } catch (ArithmeticException e) {
                throw new InvalidValueException(
                        "has more digits after the point than " + targetColumn.displayType() + " holds");
            }
        }
        if (t == ValueKind.INTEGER && sourceColumn.kind() == ValueKind.DECIMAL) {
            try {
                return new BigDecimal(source).toBigIntegerExact().toString();
            } catch (ArithmeticException e) {
                throw new InvalidValueException("is not a whole number, as " + targetColumn.displayType() + " needs");
            }
        }
        if (isTemporal(t) && isTemporal(sourceColumn.kind())) {
            return truncateFraction(source, targetColumn.scale());
        }
        if (t == ValueKind.REAL && sourceColumn.kind() == ValueKind.DOUBLE) {
            double value = Double.parseDouble(source);
            if (!fitsReal(value)) {
                throw new InvalidValueException("is out of range for " + targetColumn.displayType());
            }
            return Float.toString((float) value);
        }
        if (t == ValueKind.UUID) {
            return source.toLowerCase(Locale.ROOT);
        }
        return source;
    }

    /** Whether a {@code real} holds {@code value}, rounded: not where it would turn infinite or zero. */
    private static boolean fitsReal(double value) {
        float rounded = (float) value;
        return Float.isInfinite(rounded) == Double.isInfinite(value) && (rounded == 0) == (value == 0);
    }

    /** Whether the source's column holds times or timestamps with more fractional digits than the target's. */
    static boolean cutsFractions(Column targetColumn, Column sourceColumn) {
        return isTemporal(targetColumn.kind())
                && isTemporal(sourceColumn.kind())
                && sourceColumn.scale() > targetColumn.scale();
    }

    /** Whether a canonical time or timestamp has digits other than {@code 0} after its first {@code digits}. */
    static boolean dropsFraction(String text, int digits) {
        int colon = text.indexOf(':');
        int dot = colon < 0 ? -1 : text.indexOf('.', colon);
        if (dot < 0) {
            return false;
        }
        for (int i = dot + 1; i < text.length() && Character.isDigit(text.charAt(i)); i++) {
            if (i > dot + digits && text.charAt(i) != '0') {
                return true;
            }
        }
        return false;
    }

    /** A canonical time or timestamp (zoned or not) with at most {@code digits} fractional digits, zeros dropped. */
    static String truncateFraction(String text, int digits) {
        int colon = text.indexOf(':');
        if (colon < 0) {
            return text; // a date
        }
        int dot = text.indexOf('.', colon);
        if (dot < 0) {
            return text;
        }
        int end = dot + 1;
        while (end < text.length() && Character.isDigit(text.charAt(end))) {
            end++;
        }
        int keep = Math.min(end, dot + 1 + digits);
        while (keep > dot + 1 && text.charAt(keep - 1) == '0') {
            keep--;
        }
        if (keep == dot + 1) {
            keep = dot;
        }
        return keep == end ? text : text.substring(0, keep) + text.substring(end);
    }

    private static boolean isNumber(ValueKind kind) {
        return kind == ValueKind.INTEGER || kind == ValueKind.DECIMAL;
    }

    private static boolean isTemporal(ValueKind kind) {
        return kind == ValueKind.TIME
                || kind == ValueKind.TIME_TZ
                || kind == ValueKind.TIMESTAMP
                || kind == ValueKind.TIMESTAMP_TZ;
    }

    /** A fixed-length {@code CHAR}, whose padding is not part of the value. */
    static boolean isChar(Column column) {
        return column.kind() == ValueKind.TEXT && (column.jdbcType() == Types.CHAR || column.jdbcType() == Types.NCHAR);
    }

    private static String withoutPadding(String text) {
        int end = text.length();
        while (end > 0 && text.charAt(end - 1) == ' ') {
            end--;
        }
        return text.substring(0, end);
    }
}
