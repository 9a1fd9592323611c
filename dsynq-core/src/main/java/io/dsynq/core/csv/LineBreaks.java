package io.dsynq.core.csv;

/**
 * Counts physical lines as the dialect does: {@code \n}, {@code \r\n} and a lone {@code \r} are one break each, also
 * when a {@code \r\n} is split between two blocks of characters. Not thread-safe.
 */
final class LineBreaks {

    private long count;

    private boolean afterCarriageReturn;

    /** The breaks counted so far. */
    long count() {
        return count;
    }

    /** Counts the breaks in {@code chars[from, to)}, which follow what was counted before. */
    void scan(char[] chars, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = chars[i];
            if (c == '\n') {
                if (!afterCarriageReturn) {
                    count++;
                }
                afterCarriageReturn = false;
            } else if (c == '\r') {
                count++;
                afterCarriageReturn = true;
            } else {
                afterCarriageReturn = false;
            }
        }
    }

    /** One whole break read elsewhere (a {@code \r\n} counted once there). */
    void add() {
        count++;
        afterCarriageReturn = false;
    }

    /** A character that is not a line break came between, such as a quote the caller did not scan. */
    void interrupt() {
        afterCarriageReturn = false;
    }
}
