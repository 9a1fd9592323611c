package io.dsynq.core.jdbc;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a database is and how to log in. {@link #toString()} and {@link #redactedUrl()} show neither the user nor
 * the password (credentials from {@code settings.xml} never reach any output), not even ones written into the URL.
 *
 * @param url the JDBC URL
 * @param username the user, or {@code null} for the driver's default ({@code sa} for H2)
 * @param password the password, or {@code null}
 */
public record ConnectionSpec(String url, String username, String password) {

    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)((?:password|pwd|passwd)\\s*=)([^&;]*)");

    private static final Pattern USER_INFO = Pattern.compile("(//[^/@?;]*?:)([^/@?;]*)@");

    /** The URL with every password in it replaced by {@code ****}. */
    public String redactedUrl() {
        return redact(url);
    }

    /** {@code text} with every password a JDBC URL can carry replaced by {@code ****}. */
    public static String redact(String text) {
        if (text == null) {
            return null;
        }
        String redacted = PASSWORD_PARAMETER.matcher(text).replaceAll("$1****");
        return USER_INFO.matcher(redacted).replaceAll("$1****@");
    }

    /** Whether the URL names a user and password before the host ({@code //user:password@host}). */
    public boolean hasUserInfo() {
        return url != null && USER_INFO.matcher(url).find();
    }

    /** The password and every password the URL carries, which no message may show even where a driver quotes them. */
    public List<String> secrets() {
        List<String> secrets = new ArrayList<>();
        if (password != null && !password.isEmpty()) {
            secrets.add(password);
        }
        if (url != null) {
            for (Pattern pattern : List.of(PASSWORD_PARAMETER, USER_INFO)) {
                Matcher matcher = pattern.matcher(url);
                while (matcher.find()) {
                    if (!matcher.group(2).isEmpty()) {
                        secrets.add(matcher.group(2));
                    }
                }
            }
        }
        return secrets;
    }

    @Override
    public String toString() {
        return redactedUrl();
    }
}
