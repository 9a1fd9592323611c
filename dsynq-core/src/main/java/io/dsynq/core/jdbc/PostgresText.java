package io.dsynq.core.jdbc;

import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;

/**
 * PostgreSQL's text output of a value (as {@code getString} or {@code COPY … TO} give it) turned into dsynq's
 * canonical text: timestamps with {@code T} and an offset {@code +hh:mm}, fractions without trailing zeros, booleans
 * spelled out, bytea as base64, floats as Java prints them. The rest is canonical already.
 */
final class PostgresText {

    private PostgresText() {}

    /** The canonical text of {@code text}, a value of {@code column} as PostgreSQL printed it; null stays null. */
    static String canonical(Column column, String text) {
        if (text == null || ValueCodec.isInfinity(column.kind(), text)) {
            return text;
        }
        return switch (column.kind()) {
            case BOOLEAN -> text.equals("t") ? "true" : "false";
            case TIME -> CanonicalText.fromServerText(text);
            case DATE, TIMESTAMP -> CanonicalText.fromServerText(isoYear(text));
            case TIME_TZ -> zoned(text);
            case TIMESTAMP_TZ -> zoned(isoYear(text));
            case BINARY -> Base64.getEncoder()
                    .encodeToString(HexFormat.of().parseHex(text, text.startsWith("\\x") ? 2 : 0, text.length()));
            case REAL -> Float.toString(Float.parseFloat(text));
            case DOUBLE -> Double.toString(Double.parseDouble(text));
            default -> text;
        };
    }

    /**
     * A date or timestamp PostgreSQL printed with a year beyond 9999 ({@code 10000-01-01}) or before Christ
     * ({@code 0044-03-15 10:30:00 BC}) with its year as ISO 8601 writes it, as canonical text does: {@code +10000},
     * {@code -0043} (1 BC is the year 0). Any other text as it is.
     */
    static String isoYear(String text) {
        boolean beforeChrist = text.endsWith(" BC");
        int dash = text.indexOf('-');
        if (!beforeChrist && dash <= 4) {
            return text;
        }
        long year = Long.parseLong(text.substring(0, dash));
        String rest = text.substring(dash, text.length() - (beforeChrist ? 3 : 0));
        return beforeChrist
                ? (year == 1 ? "0000" : String.format(Locale.ROOT, "-%04d", year - 1)) + rest
                : "+" + year + rest;
    }

    /**
     * The other way: a canonical date or timestamp whose year is beyond 9999 or before 1 ({@code +10000-01-01},
     * {@code -0043-03-15T10:30:00}, {@code 0000-01-01}) as PostgreSQL reads it, which takes no sign; any other as it
     * is.
     */
    static String serverYear(String text) {
        if (ValueCodec.isInfinity(text)) {
            return text;
        }
        if (text.startsWith("+")) {
            return text.substring(1);
        }
        if (!text.startsWith("-") && !text.startsWith("0000-")) {
            return text;
        }
        int dash = text.indexOf('-', 1);
        long year = Long.parseLong(text.substring(0, dash));
        return String.format(Locale.ROOT, "%04d", 1 - year) + text.substring(dash) + " BC";
    }

    /**
     * {@code 2024-01-31 13:45:00.500+05:30}, {@code …+00} or {@code 1930-06-01 13:19:32+01:19:32} (a zone's local
     * mean time before it took a standard offset) as {@code 2024-01-31T13:45:00.5+05:30}, {@code …+00:00},
     * {@code 1930-06-01T13:19:32+01:19:32}.
     */
    private static String zoned(String text) {
        int sign = Math.max(text.lastIndexOf('+'), text.lastIndexOf('-'));
        if (sign <= 7 || !isOffset(text, sign)) {
            return text; // not a form this knows; passed on as it is
        }
        String offset = text.substring(sign);
        return CanonicalText.fromServerText(text.substring(0, sign)) + (offset.length() == 3 ? offset + ":00" : offset);
    }

    /** Whether {@code text} ends, from {@code sign} on, in an offset: {@code +hh}, {@code +hh:mm} or {@code +hh:mm:ss}. */
    private static boolean isOffset(String text, int sign) {
        int length = text.length() - sign;
        if (length != 3 && length != 6 && length != 9) {
            return false;
        }
        for (int i = 1; i < length; i++) {
            char c = text.charAt(sign + i);
            if (i % 3 == 0 ? c != ':' : c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
