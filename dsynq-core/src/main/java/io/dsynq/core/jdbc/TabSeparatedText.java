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
        appendEscaped(text, value, 0, value.length());
    }

    /** Appends the characters of {@code value} from {@code from} to before {@code to} with the format's escapes. */
    static void appendEscaped(StringBuilder text, String value, int from, int to) {
        int plain = from;
        while (plain < to) {
            char c = value.charAt(plain);
            if (c == '\\' || c == '\t' || c == '\n' || c == '\r') {
                break;
            }
            plain++;
        }
        text.append(value, from, plain); // nearly every value: nothing to escape
        for (int i = plain; i < to; i++) {
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
