package io.dsynq.core.jdbc;

import java.util.Base64;
import java.util.HexFormat;

/**
 * PostgreSQL's text output of a value (as {@code getString} or {@code COPY … TO} give it) turned into dsynq's
 * canonical text: timestamps with {@code T} and an offset {@code +hh:mm}, fractions without trailing zeros, booleans
 * spelled out, bytea as base64, floats as Java prints them. The rest is canonical already.
 */
final class PostgresText {

    private PostgresText() {}

    /** The canonical text of {@code text}, a value of {@code column} as PostgreSQL printed it; null stays null. */
    static String canonical(Column column, String text) {
        if (text == null) {
            return null;
        }
        return switch (column.kind()) {
            case BOOLEAN -> text.equals("t") ? "true" : "false";
            case DATE, TIME, TIMESTAMP -> CanonicalText.fromServerText(text);
            case TIME_TZ, TIMESTAMP_TZ -> zoned(text);
            case BINARY -> Base64.getEncoder()
                    .encodeToString(HexFormat.of().parseHex(text, text.startsWith("\\x") ? 2 : 0, text.length()));
            case REAL -> Float.toString(Float.parseFloat(text));
            case DOUBLE -> Double.toString(Double.parseDouble(text));
            default -> text;
        };
    }

    /** {@code 2024-01-31 13:45:00.500+05:30} or {@code …+00} as {@code 2024-01-31T13:45:00.5+05:30}. */
    private static String zoned(String text) {
        int sign = Math.max(text.lastIndexOf('+'), text.lastIndexOf('-'));
        if (sign < text.lastIndexOf(':') - 3 || sign <= 7) {
            return text; // not a form this knows; passed on as it is
        }
        String local = CanonicalText.fromServerText(text.substring(0, sign));
        String offset = text.substring(sign);
        if (offset.length() == 3) {
            offset += ":00";
        }
        return local + offset;
    }
}
