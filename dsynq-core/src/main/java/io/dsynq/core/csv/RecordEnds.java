package io.dsynq.core.csv;

/**
 * Rewrites a CSV file's bytes as the {@link CsvReader} reads them alike: each line break that ends a record
 * ({@code \r\n} or a lone {@code \r}, outside quotes) as {@code \n}, and without a leading byte order mark. Git's
 * {@code core.autocrlf} or an editor that converts a file's line ends thus leaves it the same; a line break inside a
 * quoted field is part of the value and stays as it is. Quotes count as the reader counts them: only a quote that
 * starts a field opens one, a quote inside an unquoted field is taken as it is. Works on UTF-8, whose multi-byte
 * characters hold none of the bytes it looks at. Not thread-safe: one per file, fed its bytes in order.
 */
public final class RecordEnds {

    private static final byte[] BYTE_ORDER_MARK = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private enum State {
        FIELD_START,
        UNQUOTED,
        QUOTED,
        /** A quote inside a quoted field: it closes the field unless another quote follows. */
        QUOTE_IN_QUOTED
    }

    private State state = State.FIELD_START;

    private boolean afterCarriageReturn;

    /** Bytes read so far while they could still be a leading byte order mark; -1 once they cannot. */
    private int start;

    /**
     * Writes {@code bytes[offset, offset + count)} as rewritten into {@code out}, which must hold {@code count} bytes
     * more than the byte order mark read before, and returns how many it wrote.
     */
    public int rewrite(byte[] bytes, int offset, int count, byte[] out) {
        int written = 0;
        for (int i = offset; i < offset + count; i++) {
            byte b = bytes[i];
            if (start >= 0) {
                if (b == BYTE_ORDER_MARK[start]) {
                    if (++start == BYTE_ORDER_MARK.length) {
                        start = -1;
                    }
                    continue;
                }
                // not a byte order mark after all: what was taken for one is the file's
                System.arraycopy(BYTE_ORDER_MARK, 0, out, written, start);
                written += start;
                if (start > 0) {
                    state = State.UNQUOTED;
                }
                start = -1;
            }
            boolean carriageReturnBefore = afterCarriageReturn;
            afterCarriageReturn = false;
            if (state == State.QUOTED) {
                if (b == '"') {
                    state = State.QUOTE_IN_QUOTED;
                }
                out[written++] = b;
                continue;
            }
            if (b == '\r' || b == '\n') {
                state = State.FIELD_START;
                if (b == '\r') {
                    afterCarriageReturn = true;
                    out[written++] = '\n';
                } else if (!carriageReturnBefore) {
                    out[written++] = '\n';
                }
                continue;
            }
            // a quote at a field's start opens it; one right after a closing quote makes a doubled quote
            state = switch (state) {
                case FIELD_START, QUOTE_IN_QUOTED -> b == '"'
                        ? State.QUOTED
                        : b == ',' ? State.FIELD_START : State.UNQUOTED;
                default -> b == ',' ? State.FIELD_START : State.UNQUOTED;
            };
            out[written++] = b;
        }
        return written;
    }

    /** Writes what the end of the file leaves pending (the start of a byte order mark) into {@code out}. */
    public int finish(byte[] out) {
        int written = Math.max(start, 0);
        System.arraycopy(BYTE_ORDER_MARK, 0, out, 0, written);
        start = -1;
        return written;
    }
}
