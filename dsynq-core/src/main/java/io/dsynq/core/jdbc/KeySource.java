package io.dsynq.core.jdbc;

/** Where a table's row identity comes from (DESIGN.md section 4, "Keys"). */
public enum KeySource {
    /** The primary key. */
    PRIMARY_KEY,
    /** A unique index over NOT NULL columns. */
    UNIQUE_INDEX,
    /** A key declared in the configuration ({@code <keys>} or {@code dsynq.keys}); the database does not enforce it. */
    DECLARED,
    /** None: rows can be inserted, not updated or deleted. */
    NONE
}
