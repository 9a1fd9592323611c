package io.dsynq.core.csv;

import io.dsynq.core.DsynqException;

/** A file that is not valid CSV of the dsynq dialect; the message names the file and line. */
public class CsvFormatException extends DsynqException {

    private static final long serialVersionUID = 1L;

    private final String source;

    private final long line;

    public CsvFormatException(String source, long line, String problem) {
        super(source + ", line " + line + ": " + problem);
        this.source = source;
        this.line = line;
    }

    public CsvFormatException(String source, long line, String problem, Throwable cause) {
        super(source + ", line " + line + ": " + problem, cause);
        this.source = source;
        this.line = line;
    }

    /** The file (or other input) at fault. */
    public String source() {
        return source;
    }

    /** The physical line at fault, the header being line 1. */
    public long line() {
        return line;
    }
}
