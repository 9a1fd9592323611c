package io.dsynq.maven;

import org.apache.maven.plugin.logging.Log;

/**
 * A log whose lines start with the project's artifactId, as {@code [app] }: in a parallel build ({@code -T}) Maven 3
 * prints the lines of several modules as they come, and a delta's lines would not say whose they are.
 */
final class ProjectLog implements Log {

    private final Log log;

    private final String prefix;

    ProjectLog(Log log, String artifactId) {
        this.log = log;
        this.prefix = "[" + artifactId + "] ";
    }

    private CharSequence prefixed(CharSequence content) {
        return prefix + content;
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
