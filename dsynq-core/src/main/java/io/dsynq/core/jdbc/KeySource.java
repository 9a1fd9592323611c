package io.dsynq.core.jdbc;

/** Where a table's row identity comes from (DESIGN.md section 4, "Keys"). */
public enum KeySource {
    /** The primary key. */
    PRIMARY_KEY,
    /** A unique index over NOT NULL columns. */
    UNIQUE_INDEX,
    /** A key declared in the configuration ({@code <keys>} or {@code dsynq.keys}); the database does not enforce it. */
    DECLARED,
    /**
     * Every column together ({@code table:*}, or the columns an insert into a table without key lists, when they are
     * all of them): rows may repeat, and a delta inserts or deletes copies of a row (DESIGN.md section 8).
     */
    WHOLE_ROW,
    /** None: rows can be inserted, not updated or deleted. */
    NONE
}
