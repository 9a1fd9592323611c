package io.dsynq.maven;

import org.apache.maven.plugin.logging.Log;

/**
 * The goals' log: its lines start with the project's artifactId, as {@code [app] }, where one is given (in a parallel
 * build, {@code -T}, Maven 3 prints the lines of several modules as they come, and a delta's lines would not say whose
 * they are); and control characters show as escapes ({@link #printable}).
 */
final class ProjectLog implements Log {

    private final Log log;

    private final String prefix;

    /** @param artifactId the project's artifactId to start each line with, or {@code null} for none */
    ProjectLog(Log log, String artifactId) {
        this.log = log;
        this.prefix = artifactId == null ? "" : "[" + artifactId + "] ";
    }

    private CharSequence prefixed(CharSequence content) {
        return prefix + printable(content);
    }

    /**
     * {@code text} with every control character but the line feed and the tab shown as an escape ({@code \r},
     * {@code \u001b}), as values are shown: a table's or column's name comes from a delta's file name or header, which
     * a contributor or a fetched bundle writes, and a terminal would otherwise take an escape sequence in it for a
     * command (colour, a window title, a line rewritten after a carriage return).
     */
    static String printable(CharSequence text) {
        if (text == null) {
            return null;
        }
        StringBuilder shown = new StringBuilder(text.length());
        text.chars().forEach(c -> {
            if (c == '\r') {
                shown.append("\\r");
            } else if (Character.isISOControl(c) && c != '\n' && c != '\t') {
                shown.append(String.format("\\u%04x", c));
            } else {
                shown.append((char) c);
            }
        });
        return shown.toString();
    }

    @Override
    public boolean isDebugEnabled() {
        return log.isDebugEnabled();
    }

    @Override
    public void debug(CharSequence content) {
        log.debug(prefixed(content));
    }

    @Override
    public void debug(CharSequence content, Throwable error) {
        log.debug(prefixed(content), error);
    }

    @Override
    public void debug(Throwable error) {
        log.debug(prefix, error);
    }

    @Override
    public boolean isInfoEnabled() {
        return log.isInfoEnabled();
    }

    @Override
    public void info(CharSequence content) {
        log.info(prefixed(content));
    }

    @Override
    public void info(CharSequence content, Throwable error) {
        log.info(prefixed(content), error);
    }

    @Override
    public void info(Throwable error) {
        log.info(prefix, error);
    }

    @Override
    public boolean isWarnEnabled() {
        return log.isWarnEnabled();
    }

    @Override
    public void warn(CharSequence content) {
        log.warn(prefixed(content));
    }

    @Override
    public void warn(CharSequence content, Throwable error) {
        log.warn(prefixed(content), error);
    }

    @Override
    public void warn(Throwable error) {
        log.warn(prefix, error);
    }

    @Override
    public boolean isErrorEnabled() {
        return log.isErrorEnabled();
    }

    @Override
    public void error(CharSequence content) {
        log.error(prefixed(content));
    }

    @Override
    public void error(CharSequence content, Throwable error) {
        log.error(prefixed(content), error);
    }

    @Override
    public void error(Throwable error) {
        log.error(prefix, error);
    }
}
