package io.dsynq.core.model;

/** What a delta file does to its table; the letter is the file name's suffix ({@code item.i.csv}). */
public enum Operation {
    /** Whole rows to insert. */
    INSERT('i'),
    /** Key columns and the columns to set. */
    UPDATE('u'),
    /** Key columns of the rows to delete. */
    DELETE('d');

    private final char letter;

    Operation(char letter) {
        this.letter = letter;
    }

    public char letter() {
        return letter;
    }

    /** The operation of a file name's suffix letter, or {@code null}. */
    public static Operation ofLetter(char letter) {
        for (Operation operation : values()) {
            if (operation.letter == letter) {
                return operation;
            }
        }
        return null;
    }

    /** The operation that undoes this one. */
    public Operation reverse() {
        return switch (this) {
            case INSERT -> DELETE;
            case UPDATE -> UPDATE;
            case DELETE -> INSERT;
        };
    }
}
