package io.dsynq.core.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.Base64;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Turns the canonical text of a CSV field into the Java value bound for its column, refusing anything that
 * the database would have to trim, round, truncate or guess (DESIGN.md section 3). Thread-safe.
 */
public final class ValueCodec {

    private static final Pattern INTEGER = Pattern.compile("-?[0-9]+");
    private static final Pattern DECIMAL = Pattern.compile("-?[0-9]+(\\.[0-9]+)?");
    private static final Pattern FLOATING = Pattern.compile("-?([0-9]+(\\.[0-9]+)?([eE]-?[0-9]+)?|Infinity)|NaN");
    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private ValueCodec() {}

    /**
     * The value to bind for {@code text} in {@code column}: {@code null} for NULL, else a {@link Boolean},
     * {@link Long} or {@link BigInteger}, {@link BigDecimal}, {@link Float}, {@link Double}, {@link String},
     * a {@code java.time} value, {@code byte[]} or {@link UUID}.
     *
     * @throws InvalidValueException saying why the text does not fit
     */
    public static Object parse(Column column, String text) throws InvalidValueException {
        if (text == null) {
            if (!column.nullable()) {
                throw new InvalidValueException("NULL in NOT NULL column");
            }
            return null;
        }
        return switch (column.kind()) {
            case BOOLEAN -> parseBoolean(text);
            case INTEGER -> parseInteger(column, text);
            case DECIMAL -> parseDecimal(column, text);
            case REAL -> (float) parseFloating(column, text);
            case DOUBLE -> parseFloating(column, text);
            case TEXT -> checkLength(column, text);
            case DATE -> parseDate(text);
            case TIME -> checkFraction(column, text, parse(column, text, "a time hh:mm:ss", CanonicalText::parseTime));
            case TIME_TZ -> checkFraction(
                    column, text, parse(column, text, "a time with offset hh:mm:ss+hh:mm", CanonicalText::parseTimeTz));
            case TIMESTAMP -> checkFraction(
                    column,
                    text,
                    parse(column, text, "a timestamp yyyy-mm-ddThh:mm:ss", CanonicalText::parseTimestamp));
            case TIMESTAMP_TZ -> checkFraction(
                    column,
                    text,
                    parse(
                            column,
                            text,
                            "a timestamp with offset yyyy-mm-ddThh:mm:ss+hh:mm",
                            CanonicalText::parseTimestampTz));
            case BINARY -> parseBinary(column, text);
            case UUID -> parseUuid(text);
            case JSON -> parseJson(text);
            case OTHER -> text;
        };
    }

    private static Boolean parseBoolean(String text) throws InvalidValueException {
        return switch (text) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw new InvalidValueException("is not a boolean: write true or false");
        };
    }

    private static Object parseInteger(Column column, String text) throws InvalidValueException {
        if (!INTEGER.matcher(text).matches()) {
            throw new InvalidValueException("is not an integer");
        }
        BigInteger value = new BigInteger(text);
        if ((column.min() != null && value.compareTo(column.min()) < 0)
                || (column.max() != null && value.compareTo(column.max()) > 0)) {
            throw new InvalidValueException(
                    "is out of range for " + column.displayType() + " (" + column.min() + " to " + column.max() + ")");
        }
        return value.bitLength() < 64 ? (Object) value.longValue() : value;
    }

    private static BigDecimal parseDecimal(Column column, String text) throws InvalidValueException {
        if (!DECIMAL.matcher(text).matches()) {
            throw new InvalidValueException("is not a decimal number (digits with an optional . and no exponent)");
        }
        BigDecimal value = new BigDecimal(text);
        if (column.precision() > 0) {
            BigDecimal stripped = value.signum() == 0 ? BigDecimal.ZERO : value.stripTrailingZeros();
            if (stripped.scale() > column.scale()) {
                throw new InvalidValueException("has " + stripped.scale() + " digits after the point but "
                        + column.displayType() + " holds " + column.scale() + " (dsynq never rounds)");
            }
            int integerDigits = Math.max(0, stripped.precision() - stripped.scale());
            if (integerDigits > column.precision() - column.scale()) {
                throw new InvalidValueException("is too large for " + column.displayType() + " ("
                        + (column.precision() - column.scale()) + " digits before the point)");
            }
        }
        return value;
    }

    private static double parseFloating(Column column, String text) throws InvalidValueException {
        if (!FLOATING.matcher(text).matches()) {
            throw new InvalidValueException("is not a number");
        }
        double value = Double.parseDouble(text);
        if (column.kind() == ValueKind.REAL && Float.isInfinite((float) value) && !Double.isInfinite(value)) {
            throw new InvalidValueException("is out of range for " + column.displayType());
        }
        return value;
    }

    private static String checkLength(Column column, String text) throws InvalidValueException {
        if (column.length() > 0) {
            long length = column.lengthInBytes()
                    ? text.getBytes(StandardCharsets.UTF_8).length
                    : text.codePointCount(0, text.length());
            if (length > column.length()) {
                throw new InvalidValueException("is " + length + (column.lengthInBytes() ? " bytes" : " characters")
                        + " long but " + column.displayType() + " holds " + column.length()
                        + " (dsynq never truncates)");
            }
        }
        return text;
    }

    private static LocalDate parseDate(String text) throws InvalidValueException {
        try {
            return LocalDate.parse(text, DateTimeFormatter.ISO_LOCAL_DATE);
        } catch (DateTimeParseException e) {
            throw new InvalidValueException(
                    "is not a date yyyy-mm-dd" + (text.matches("\\d{4}-\\d{2}-\\d{2}") ? " that exists" : ""));
        }
    }

    @FunctionalInterface
    private interface Parser<T> {
        T parse(String text);
    }

    private static <T> T parse(Column column, String text, String expected, Parser<T> parser)
            throws InvalidValueException {
        try {
            return parser.parse(text);
        } catch (DateTimeParseException e) {
            throw new InvalidValueException("is not " + expected);
        }
    }

    private static <T extends TemporalAccessor> T checkFraction(Column column, String text, T value)
            throws InvalidValueException {
        int nanos = value.get(ChronoField.NANO_OF_SECOND);
        int digits = 9;
        while (digits > 0 && nanos % 10 == 0) {
            nanos /= 10;
            digits--;
        }
        if (digits > column.scale()) {
            throw new InvalidValueException("has " + digits + " fractional second digits but " + column.displayType()
                    + " holds " + column.scale() + " (dsynq never rounds)");
        }
        return value;
    }

    private static byte[] parseBinary(Column column, String text) throws InvalidValueException {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidValueException("is not valid base64");
        }
        if (!text.equals(Base64.getEncoder().encodeToString(bytes))
                && !text.equals(Base64.getEncoder().withoutPadding().encodeToString(bytes))) {
            throw new InvalidValueException("is not canonical base64");
        }
        if (column.length() > 0 && bytes.length > column.length()) {
            throw new InvalidValueException("is " + bytes.length + " bytes long but " + column.displayType() + " holds "
                    + column.length() + " (dsynq never truncates)");
        }
        return bytes;
    }

    private static UUID parseUuid(String text) throws InvalidValueException {
        if (!UUID_TEXT.matcher(text).matches()) {
            throw new InvalidValueException("is not a UUID xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx");
        }
        return UUID.fromString(text);
    }

    private static String parseJson(String text) throws InvalidValueException {
        try {
            if (JSON.readTree(text).isMissingNode()) {
                throw new InvalidValueException("is not valid JSON: there is no value");
            }
            return text;
        } catch (JsonProcessingException e) {
            throw new InvalidValueException("is not valid JSON: " + e.getOriginalMessage());
        }
    }
}
