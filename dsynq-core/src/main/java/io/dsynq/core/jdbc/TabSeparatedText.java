package io.dsynq.core.jdbc;

/**
 * The tab-separated text both bulk loaders read, PostgreSQL's {@code COPY … FROM STDIN} text format and MariaDB's
 * {@code LOAD DATA … FIELDS TERMINATED BY '\t' ESCAPED BY '\\'}: NULL as {@code \N}, and a backslash before the
 * backslash and the delimiters tab, newline and carriage return.
 */
final class TabSeparatedText {

    private TabSeparatedText() {}

    /** Appends {@code value} to {@code text} with the format's escapes. */
    static void appendEscaped(StringBuilder text, String value) {
        int length = value.length();
        int plain = 0;
        while (plain < length) {
            char c = value.charAt(plain);
            if (c == '\\' || c == '\t' || c == '\n' || c == '\r') {
                break;
            }
            plain++;
        }
        if (plain == length) {
            text.append(value); // nearly every value: nothing to escape
            return;
        }
        text.append(value, 0, plain);
        for (int i = plain; i < length; i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> text.append("\\\\");
                case '\t' -> text.append("\\t");
                case '\n' -> text.append("\\n");
                case '\r' -> text.append("\\r");
                default -> text.append(c);
            }
        }
    }
}
