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

    /** A password parameter in text of any kind, such as a driver's message: it ends at either URL's separator. */
    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)((?:password|pwd|passwd)\\s*=)([^&;]*)");

    /** A password setting of an H2 URL, whose settings end at {@code ;} only: the password may hold {@code &}. */
    private static final Pattern H2_PASSWORD_SETTING = Pattern.compile("(?i)((?:password|pwd|passwd)\\s*=)([^;]*)");

    /**
     * A password parameter of another JDBC URL, whose parameters end at {@code &} only (PostgreSQL's, MariaDB's): the
     * password may hold {@code ;}.
     */
    private static final Pattern QUERY_PASSWORD_PARAMETER =
            Pattern.compile("(?i)((?:password|pwd|passwd)\\s*=)([^&]*)");

    /**
     * A user and password before the host of a JDBC URL ({@code //user:password@host}): the password runs to the
     * URL's last {@code @}, as it may hold {@code /}, {@code ?} and {@code @} themselves. A port after the host
     * ({@code //host:5432/db?user=admin@server}) is none.
     */
    private static final Pattern USER_INFO = Pattern.compile("(//[^/@?;:\\[\\s]*:)(?!\\d+(?:[,/?;]|$))(.*)@");

    /** A user and password before a host in text of any kind: the password runs to the last {@code @} of its word. */
    private static final Pattern TEXT_USER_INFO = Pattern.compile("(//[^/@?;:\\[\\s]*:)(?!\\d+(?:[,/?;\\s]|$))(\\S*)@");

    /** The URL with every password in it replaced by {@code ****}. */
    public String redactedUrl() {
        return redact(url);
    }

    /** {@code text} with every password a JDBC URL can carry replaced by {@code ****}. */
    public static String redact(String text) {
        if (text == null) {
            return null;
        }
        String redacted = passwordParameter(text).matcher(text).replaceAll("$1****");
        return userInfo(text).matcher(redacted).replaceAll("$1****@");
    }

    /** How a user and password before a host end in {@code text}: at the URL's last {@code @}, where it is a URL. */
    private static Pattern userInfo(String text) {
        return text.startsWith("jdbc:") ? USER_INFO : TEXT_USER_INFO;
    }

    /** How a password parameter ends in {@code text}: as its URL's engine reads it, where it is a JDBC URL. */
    private static Pattern passwordParameter(String text) {
        if (text.startsWith("jdbc:h2:")) {
            return H2_PASSWORD_SETTING;
        }
        return text.startsWith("jdbc:") ? QUERY_PASSWORD_PARAMETER : PASSWORD_PARAMETER;
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
            for (Pattern pattern : List.of(passwordParameter(url), USER_INFO)) {
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
