package io.dsynq.core.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.Base64;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Checks the canonical text of a CSV field against its column, refusing anything the database would have to trim,
 * round, truncate or guess (DESIGN.md section 3), and turns it into the Java value bound for the column.
 *
 * <p>{@link #check} allocates nothing for the common kinds, so the bulk loaders can pass the text through as it is;
 * {@link #parse} checks the same and converts. Both throw the same {@link InvalidValueException}. Thread-safe.
 */
public final class ValueCodec {

    /** A decimal as dsynq writes one: digits, and after a point more. */
    private static final Pattern DECIMAL_TEXT = Pattern.compile("-?[0-9]+(\\.[0-9]+)?");

    private static final Pattern FLOATING = Pattern.compile("-?([0-9]+(\\.[0-9]+)?([eE]-?[0-9]+)?|Infinity)|NaN");
    private static final ObjectMapper JSON =
            jsonMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    /** What PostgreSQL's {@code numeric} holds besides numbers; other engines refuse them as they load. */
    private static final java.util.Set<String> NOT_NUMBERS = java.util.Set.of("NaN", "Infinity", "-Infinity");

    private ValueCodec() {}

    /**
     * The deepest JSON read: ten times what PostgreSQL 15 takes with its default stack depth limit (10,000 levels, not
     * 100,000). Each level takes the parser and the tree some 600 bytes, so that a value of 20 million characters
     * nested 10 million deep ran out of a heap of 1 GiB after a minute and more.
     */
    static final int MAX_JSON_DEPTH = 100_000;

    /**
     * A JSON mapper without the parser's limits (1,000 levels of nesting, numbers of 1,000 digits, strings of 20
     * million characters), which the databases' JSON does not have: such a value is no less valid. Nesting stays
     * bounded, to {@value #MAX_JSON_DEPTH} levels, as it takes memory by the level.
     */
    public static JsonMapper.Builder jsonMapper() {
        return JsonMapper.builder(com.fasterxml.jackson.core.JsonFactory.builder()
                .streamReadConstraints(com.fasterxml.jackson.core.StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_JSON_DEPTH)
                        .maxNumberLength(Integer.MAX_VALUE)
                        .maxStringLength(Integer.MAX_VALUE)
                        .build())
                .build());
    }

    /**
     * A value as messages show it: quoted, line breaks escaped, other control characters as hexadecimal escapes
     * (a NUL as backslash, u0000), and cut after 57 characters; NULL unquoted.
     */
    public static String show(String value) {
        if (value == null) {
            return "NULL";
        }
        String shown = value.length() > 60 ? value.substring(0, 57) + "…" : value;
        StringBuilder text = new StringBuilder("'");
        shown.chars().forEach(c -> {
            switch (c) {
                case '\n' -> text.append("\\n");
                case '\r' -> text.append("\\r");
                default -> text.append(
                        Character.isISOControl(c) ? String.format("\\u%04x", c) : String.valueOf((char) c));
            }
        });
        return text.append("'").toString();
    }

    /**
     * Whether the column is H2's {@code DECFLOAT}, a decimal floating point: its precision counts the significant
     * digits wherever the point is, it has no scale, and it holds {@code NaN}, {@code Infinity} and {@code -Infinity}.
     */
    public static boolean isDecfloat(Column column) {
        return column.kind() == ValueKind.DECIMAL && column.typeName().equalsIgnoreCase("DECFLOAT");
    }

    /** A {@code DECFLOAT}'s text: a decimal of at most its precision's significant digits, or no number. */
    private static void checkDecfloat(Column column, String text) throws InvalidValueException {
        if (isNotANumber(text)) {
            return;
        }
        if (!DECIMAL_TEXT.matcher(text).matches()) {
            throw new InvalidValueException("is not a decimal number (digits with an optional . and no exponent)");
        }
        BigDecimal value = new BigDecimal(text);
        int digits = value.signum() == 0 ? 1 : value.stripTrailingZeros().precision();
        if (column.precision() > 0 && digits > column.precision()) {
            throw new InvalidValueException("has " + digits + " significant digits but " + column.displayType()
                    + " holds " + column.precision() + " (dsynq never rounds)");
        }
    }

    /** Why a decimal of an engine other than PostgreSQL cannot be {@link #isNotANumber}. */
    public static final String NOT_A_NUMBER = "is no number, which only PostgreSQL's numeric holds";

    /**
     * Whether {@code text} of a decimal (or float) column is no number: {@code NaN}, {@code Infinity} or
     * {@code -Infinity}; not NULL.
     */
    public static boolean isNotANumber(String text) {
        return text != null && NOT_NUMBERS.contains(text);
    }

    /** Why a date or timestamp of an engine other than PostgreSQL cannot be {@link #isInfinity}. */
    public static final String INFINITY = "is infinity, which only PostgreSQL's dates and timestamps hold";

    /**
     * Whether {@code text} of a date or timestamp column is {@code infinity} or {@code -infinity}, which PostgreSQL
     * holds (later and earlier than any date); not NULL.
     */
    public static boolean isInfinity(String text) {
        return "infinity".equals(text) || "-infinity".equals(text);
    }

    /** Whether {@code text} of a column of {@code kind} is {@link #isInfinity}: of a date or timestamp column. */
    public static boolean isInfinity(ValueKind kind, String text) {
        return (kind == ValueKind.DATE || kind == ValueKind.TIMESTAMP || kind == ValueKind.TIMESTAMP_TZ)
                && isInfinity(text);
    }

    /**
     * Checks {@code text} for {@code column}: {@code null} is NULL.
     *
     * @throws InvalidValueException saying why the text does not fit
     */
    public static void check(Column column, String text) throws InvalidValueException {
        if (text == null) {
            if (!column.nullable()) {
                throw new InvalidValueException("NULL in NOT NULL column");
            }
            return;
        }
        if (isInfinity(column.kind(), text)) {
            return;
        }
        if (isEndOfDay(column.kind(), text)) {
            endOfDay(column, text);
            return;
        }
        switch (column.kind()) {
            case BOOLEAN -> checkBoolean(text);
            case INTEGER -> checkInteger(column, text);
            case DECIMAL -> checkDecimal(column, text);
            case REAL, DOUBLE -> parseFloating(column, text);
            case TEXT -> checkText(column, text);
            case DATE -> Temporal.date(text, 0);
            case TIME -> checkFraction(column, Temporal.time(text, 0, text.length()));
            case TIMESTAMP -> checkFraction(column, Temporal.timestamp(text));
            case TIME_TZ, TIMESTAMP_TZ -> parse(column, text);
            case BINARY -> parseBinary(column, text);
            case UUID -> checkUuid(text);
            case JSON -> checkJson(text);
            case OTHER -> {}
        }
    }

    /**
     * The value to bind for {@code text} in {@code column}: {@code null} for NULL, else a {@link Boolean},
     * {@link Long} or {@link BigInteger}, {@link BigDecimal} (or the text of H2's {@code DECFLOAT} {@code NaN} and
     * infinities), {@link Float}, {@link Double}, {@link String},
     * a {@code java.time} value, {@code byte[]} or {@link UUID}.
     *
     * @throws InvalidValueException saying why the text does not fit
     */
    public static Object parse(Column column, String text) throws InvalidValueException {
        if (text == null) {
            check(column, null);
            return null;
        }
        if (isInfinity(column.kind(), text)) {
            // PostgreSQL's driver binds them as infinity; other engines refuse them first (Dialect#cannotHold)
            boolean later = text.charAt(0) != '-';
            return switch (column.kind()) {
                case DATE -> later ? LocalDate.MAX : LocalDate.MIN;
                case TIMESTAMP -> later ? LocalDateTime.MAX : LocalDateTime.MIN;
                default -> later ? OffsetDateTime.MAX : OffsetDateTime.MIN;
            };
        }
        if (isEndOfDay(column.kind(), text)) {
            return endOfDay(column, text); // PostgreSQL's driver binds LocalTime.MAX as 24:00:00
        }
        return switch (column.kind()) {
            case BOOLEAN -> checkBoolean(text);
            case INTEGER -> checkInteger(column, text);
            case DECIMAL -> {
                checkDecimal(column, text);
                if (isNotANumber(text)) {
                    if (isDecfloat(column)) {
                        yield text; // H2's DECFLOAT holds them, bound as text: no BigDecimal does
                    }
                    // parsed values are bound, by engines whose decimals hold numbers only
                    throw new InvalidValueException(NOT_A_NUMBER);
                }
                yield new BigDecimal(text);
            }
            case REAL -> (float) parseFloating(column, text);
            case DOUBLE -> parseFloating(column, text);
            case TEXT -> checkText(column, text);
            case DATE -> Temporal.date(text, 0);
            case TIME -> checkFraction(column, Temporal.time(text, 0, text.length()));
            case TIME_TZ -> checkFraction(
                    column, parsed(text, "a time with offset hh:mm:ss+hh:mm", CanonicalText::parseTimeTz));
            case TIMESTAMP -> checkFraction(column, Temporal.timestamp(text));
            case TIMESTAMP_TZ -> checkFraction(
                    column,
                    parsed(text, "a timestamp with offset yyyy-mm-ddThh:mm:ss+hh:mm", CanonicalText::parseTimestampTz));
            case BINARY -> parseBinary(column, text);
            case UUID -> {
                checkUuid(text);
                yield UUID.fromString(text);
            }
            case JSON -> checkJson(text);
            case OTHER -> text;
        };
    }

    /** Why a time of an engine other than PostgreSQL cannot be {@link #isEndOfDay}. */
    public static final String END_OF_DAY = "is 24:00:00, the end of a day, which only PostgreSQL's times hold";

    /**
     * Whether {@code text} of a time column ({@code kind}) is {@code 24:00:00}, with an offset where it is zoned: the
     * end of a day, which PostgreSQL's times hold and {@code java.time} does not.
     */
    public static boolean isEndOfDay(ValueKind kind, String text) {
        return text != null
                && (kind == ValueKind.TIME && text.equals("24:00:00")
                        || kind == ValueKind.TIME_TZ
                                && text.startsWith("24:00:00")
                                && text.length() > 8
                                && "+-Z".indexOf(text.charAt(8)) >= 0);
    }

    /** The end of a day as {@code java.time} comes closest: the last nanosecond, at the offset given. */
    private static Object endOfDay(Column column, String text) throws InvalidValueException {
        if (column.kind() == ValueKind.TIME) {
            return LocalTime.MAX;
        }
        java.time.OffsetTime midnight =
                parsed("00:00:00" + text.substring(8), "a time with offset hh:mm:ss+hh:mm", CanonicalText::parseTimeTz);
        return java.time.OffsetTime.of(LocalTime.MAX, midnight.getOffset());
    }

    private static Boolean checkBoolean(String text) throws InvalidValueException {
        return switch (text) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw new InvalidValueException("is not a boolean: write true or false");
        };
    }

    /** An integer of digits with an optional minus, in the column's range: a {@link Long}, or a BigInteger. */
    private static Object checkInteger(Column column, String text) throws InvalidValueException {
        int length = text.length();
        int start = length > 0 && text.charAt(0) == '-' ? 1 : 0;
        if (start == length) {
            throw new InvalidValueException("is not an integer");
        }
        long value = 0;
        boolean fits = length - start <= 18;
        for (int i = start; i < length; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw new InvalidValueException("is not an integer");
            }
            value = value * 10 + (c - '0');
        }
        if (fits) {
            value = start == 1 ? -value : value;
            if ((column.min() != null
                            && column.min().compareTo(LONG_MIN) > 0
                            && value < column.min().longValue())
                    || (column.max() != null
                            && column.max().compareTo(LONG_MAX) < 0
                            && value > column.max().longValue())) {
                throw outOfRange(column);
            }
            return value;
        }
        BigInteger big = new BigInteger(text);
        if ((column.min() != null && big.compareTo(column.min()) < 0)
                || (column.max() != null && big.compareTo(column.max()) > 0)) {
            throw outOfRange(column);
        }
        return big.bitLength() < 64 ? (Object) big.longValue() : big;
    }

    private static InvalidValueException outOfRange(Column column) {
        return new InvalidValueException(
                "is out of range for " + column.displayType() + " (" + column.min() + " to " + column.max() + ")");
    }

    /** Digits, an optional point and digits, no exponent; at most the column's digits on either side. */
    private static void checkDecimal(Column column, String text) throws InvalidValueException {
        if (isDecfloat(column)) {
            checkDecfloat(column, text);
            return;
        }
        if (isNotANumber(text)) {
            if (!text.equals("NaN") && column.precision() > 0) {
                throw new InvalidValueException("is infinite, which " + column.displayType() + " cannot hold");
            }
            return;
        }
        int length = text.length();
        int i = length > 0 && text.charAt(0) == '-' ? 1 : 0;
        int integerStart = i;
        while (i < length && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
            i++;
        }
        int integerEnd = i;
        int fractionDigits = 0;
        if (i < length && text.charAt(i) == '.') {
            int fractionStart = ++i;
            while (i < length && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
                i++;
            }
            int last = i - 1;
            while (last >= fractionStart && text.charAt(last) == '0') {
                last--;
            }
            fractionDigits = last - fractionStart + 1;
            if (i == fractionStart) {
                integerEnd = -1; // a point without digits after it
            }
        }
        if (i != length || integerEnd <= integerStart) {
            throw new InvalidValueException("is not a decimal number (digits with an optional . and no exponent)");
        }
        if (column.precision() <= 0) {
            return;
        }
        int scale = column.scale();
        if (fractionDigits > Math.max(scale, 0)) {
            throw new InvalidValueException("has " + fractionDigits + " digits after the point but "
                    + column.displayType() + " holds " + Math.max(scale, 0) + " (dsynq never rounds)");
        }
        int first = integerStart;
        while (first < integerEnd && text.charAt(first) == '0') {
            first++;
        }
        int integerDigits = integerEnd - first;
        if (scale < 0 && integerDigits > 0) {
            // numeric(5,-2) holds hundreds: the last two digits before the point are zeros
            for (int z = integerEnd + scale; z < integerEnd; z++) {
                if (z < first || text.charAt(z) != '0') {
                    throw new InvalidValueException("is not a multiple of 1" + "0".repeat(-scale) + ", which "
                            + column.displayType() + " holds (dsynq never rounds)");
                }
            }
        }
        // the place of the first digit that is not zero, 0 for the units; -1 for a number without one
        int magnitude = integerDigits > 0 ? integerDigits - 1 : -1;
        if (integerDigits == 0 && fractionDigits > 0) {
            int point = text.indexOf('.');
            int lead = 0;
            while (text.charAt(point + 1 + lead) == '0') {
                lead++;
            }
            magnitude = -lead - 1;
        }
        int room = column.precision() - scale; // the value must be below 10 to this power
        if ((integerDigits > 0 || fractionDigits > 0) && magnitude >= room) {
            throw new InvalidValueException("is too large for " + column.displayType() + " ("
                    + (room >= 0
                            ? room + (room == 1 ? " digit" : " digits") + " before the point"
                            : "below 0." + "0".repeat(-room - 1) + "1")
                    + ")");
        }
    }

    private static double parseFloating(Column column, String text) throws InvalidValueException {
        if (!FLOATING.matcher(text).matches()) {
            throw new InvalidValueException("is not a number");
        }
        double value = Double.parseDouble(text);
        if (Double.isNaN(value) || text.endsWith("Infinity")) {
            return value;
        }
        // a number beyond the type's range turns infinite, one too close to 0 turns 0: PostgreSQL refuses both, H2 and
        // MariaDB would store them
        double held = column.kind() == ValueKind.REAL ? (float) value : value;
        if (Double.isInfinite(held) || (held == 0) != writesZero(text)) {
            throw new InvalidValueException("is out of range for " + column.displayType());
        }
        return value;
    }

    /** Whether a number's text (digits, a point, an exponent) is 0: no digit before its exponent other than 0. */
    private static boolean writesZero(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 'e' || c == 'E') {
                return true;
            }
            if (c >= '1' && c <= '9') {
                return false;
            }
        }
        return true;
    }

    private static String checkText(Column column, String text) throws InvalidValueException {
        if (column.repertoire() != null) {
            int unheld = column.repertoire().firstUnheld(text);
            if (unheld >= 0) {
                throw new InvalidValueException("holds " + show(Character.toString(unheld)) + " (U+"
                        + String.format("%04X", unheld) + "), which " + column.displayType() + " cannot hold");
            }
        }
        long max = column.length();
        if (max <= 0 || text.length() <= (column.lengthInBytes() ? max / 3 : max)) {
            return text; // short enough whatever its characters
        }
        long length = column.lengthInBytes()
                ? text.getBytes(StandardCharsets.UTF_8).length
                : text.codePointCount(0, text.length());
        if (length > max) {
            throw new InvalidValueException("is " + length + (column.lengthInBytes() ? " bytes" : " characters")
                    + " long but " + column.displayType() + " holds " + max + " (dsynq never truncates)");
        }
        return text;
    }

    @FunctionalInterface
    private interface Parser<T> {
        T parse(String text);
    }

    private static <T> T parsed(String text, String expected, Parser<T> parser) throws InvalidValueException {
        try {
            return parser.parse(text);
        } catch (DateTimeParseException e) {
            throw new InvalidValueException("is not " + expected);
        }
    }

    private static <T extends TemporalAccessor> T checkFraction(Column column, T value) throws InvalidValueException {
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

    private static void checkUuid(String text) throws InvalidValueException {
        boolean valid = text.length() == 36;
        for (int i = 0; i < 36 && valid; i++) {
            char c = text.charAt(i);
            valid = i == 8 || i == 13 || i == 18 || i == 23
                    ? c == '-'
                    : (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
        }
        if (!valid) {
            throw new InvalidValueException("is not a UUID xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx");
        }
    }

    private static String checkJson(String text) throws InvalidValueException {
        try {
            if (JSON.readTree(text).isMissingNode()) {
                throw new InvalidValueException("is not valid JSON: there is no value");
            }
            return text;
        } catch (com.fasterxml.jackson.core.exc.StreamConstraintsException e) {
            throw new InvalidValueException("is JSON nested deeper than " + MAX_JSON_DEPTH + " levels, more than dsynq"
                    + " reads (PostgreSQL takes some 10,000 with its default stack depth limit)");
        } catch (JsonProcessingException e) {
            throw new InvalidValueException("is not valid JSON: " + e.getOriginalMessage());
        }
    }

    /**
     * The first escape of half a character in JSON {@code text}: a surrogate, U+D800 to U+DFFF, escaped without its
     * other half beside it (the escape of U+D800 alone), which JSON's grammar allows and Jackson takes, but which is no
     * character: MariaDB's {@code json_valid} and H2's JSON refuse it. {@code null} where there is none.
     */
    static String halfCharacterEscape(String text) {
        boolean inString = false;
        boolean highBefore = false; // the escape just read was the first half of a character
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!inString) {
                inString = c == '"';
                continue;
            }
            boolean high = false;
            if (c == '\\' && i + 1 < text.length()) {
                if (text.charAt(i + 1) == 'u' && i + 6 <= text.length()) {
                    int unit = 0;
                    for (int d = i + 2; d < i + 6; d++) {
                        unit = unit << 4 | Math.max(Character.digit(text.charAt(d), 16), 0);
                    }
                    boolean low = Character.isLowSurrogate((char) unit);
                    if (highBefore && !low) {
                        return text.substring(i - 6, i);
                    }
                    if (low && !highBefore) {
                        return text.substring(i, i + 6);
                    }
                    high = Character.isHighSurrogate((char) unit);
                    i += 5;
                } else if (highBefore) {
                    return text.substring(i - 6, i);
                } else {
                    i++;
                }
            } else if (highBefore) {
                return text.substring(i - 6, i);
            } else if (c == '"') {
                inString = false;
            }
            highBefore = high;
        }
        return null;
    }

    /**
     * Why {@code engine}'s JSON cannot hold {@code json}, which has a {@link #halfCharacterEscape}, or {@code null}
     * where it has none.
     */
    public static String halfACharacter(String json, String engine) {
        String escape = halfCharacterEscape(json);
        return escape == null
                ? null
                : "has " + escape + ", an escape of half a character (a surrogate without its other half), which "
                        + engine + "'s JSON does not take";
    }

    /**
     * Reads the canonical date and time forms by hand: {@code yyyy-mm-dd}, {@code hh:mm:ss[.f…]} and the two joined
     * by {@code T}, checking each field's range, the day of the month included. Several times faster than a
     * formatter, which matters at a million rows.
     */
    private static final class Temporal {

        private static final int[] POWERS_OF_TEN = {
            1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000
        };

        private Temporal() {}

        static LocalDate date(String text, int from) throws InvalidValueException {
            if (text.startsWith("+") || text.startsWith("-")) { // a year beyond 9999 or before 0
                return parsed(
                        text,
                        "a date yyyy-mm-dd",
                        t -> LocalDate.parse(t, java.time.format.DateTimeFormatter.ISO_LOCAL_DATE));
            }
            if (text.length() < from + 10 || text.charAt(from + 4) != '-' || text.charAt(from + 7) != '-') {
                throw new InvalidValueException("is not a date yyyy-mm-dd");
            }
            int year = digits(text, from, 4, "is not a date yyyy-mm-dd");
            int month = digits(text, from + 5, 2, "is not a date yyyy-mm-dd");
            int day = digits(text, from + 8, 2, "is not a date yyyy-mm-dd");
            if (from == 0 && text.length() != 10) {
                throw new InvalidValueException("is not a date yyyy-mm-dd");
            }
            if (month < 1
                    || month > 12
                    || day < 1
                    || day > java.time.YearMonth.of(year, month).lengthOfMonth()) {
                throw new InvalidValueException("is not a date yyyy-mm-dd that exists");
            }
            return LocalDate.of(year, month, day);
        }

        static LocalTime time(String text, int from, int to) throws InvalidValueException {
            String expected = from == 0 ? "is not a time hh:mm:ss" : "is not a timestamp yyyy-mm-ddThh:mm:ss";
            if (to - from < 8 || text.charAt(from + 2) != ':' || text.charAt(from + 5) != ':') {
                throw new InvalidValueException(expected);
            }
            int hour = digits(text, from, 2, expected);
            int minute = digits(text, from + 3, 2, expected);
            int second = digits(text, from + 6, 2, expected);
            int nanos = 0;
            if (to - from > 8) {
                if (text.charAt(from + 8) != '.' || to - from == 9 || to - from > 18) {
                    throw new InvalidValueException(expected);
                }
                int fraction = digits(text, from + 9, to - from - 9, expected);
                nanos = fraction * POWERS_OF_TEN[9 - (to - from - 9)];
            }
            if (hour > 23 || minute > 59 || second > 59) {
                throw new InvalidValueException(expected);
            }
            return LocalTime.of(hour, minute, second, nanos);
        }

        static LocalDateTime timestamp(String text) throws InvalidValueException {
            if (text.startsWith("+") || text.startsWith("-")) { // a year beyond 9999 or before 0
                return parsed(text, "a timestamp yyyy-mm-ddThh:mm:ss", CanonicalText::parseTimestamp);
            }
            if (text.length() < 19 || text.charAt(10) != 'T') {
                throw new InvalidValueException("is not a timestamp yyyy-mm-ddThh:mm:ss");
            }
            return LocalDateTime.of(dateWithin(text), time(text, 11, text.length()));
        }

        /** The date part of a timestamp, with the timestamp's messages. */
        private static LocalDate dateWithin(String text) throws InvalidValueException {
            if (text.charAt(4) != '-' || text.charAt(7) != '-') {
                throw new InvalidValueException("is not a timestamp yyyy-mm-ddThh:mm:ss");
            }
            int year = digits(text, 0, 4, "is not a timestamp yyyy-mm-ddThh:mm:ss");
            int month = digits(text, 5, 2, "is not a timestamp yyyy-mm-ddThh:mm:ss");
            int day = digits(text, 8, 2, "is not a timestamp yyyy-mm-ddThh:mm:ss");
            if (month < 1
                    || month > 12
                    || day < 1
                    || day > java.time.YearMonth.of(year, month).lengthOfMonth()) {
                throw new InvalidValueException("is not a timestamp yyyy-mm-ddThh:mm:ss with a date that exists");
            }
            return LocalDate.of(year, month, day);
        }

        private static int digits(String text, int from, int count, String problem) throws InvalidValueException {
            int value = 0;
            for (int i = from; i < from + count; i++) {
                char c = text.charAt(i);
                if (c < '0' || c > '9') {
                    throw new InvalidValueException(problem);
                }
                value = value * 10 + (c - '0');
            }
            return value;
        }
    }
}
