package io.dsynq.core.jdbc;

/** How dsynq reads, writes and checks a column's values; each has one canonical text (DESIGN.md section 3). */
public enum ValueKind {
    /** {@code true} / {@code false}. */
    BOOLEAN,
    /** Plain integers in the column's range. */
    INTEGER,
    /** Plain decimals with at most the column's scale; never rounded. */
    DECIMAL,
    /** Single precision floating point, as {@link Float#toString(float)} writes it. */
    REAL,
    /** Double precision floating point, as {@link Double#toString(double)} writes it. */
    DOUBLE,
    /** Character data, at most the column's length. */
    TEXT,
    /** {@code 2024-01-31}. */
    DATE,
    /** {@code 13:45:00} with optional fraction. */
    TIME,
    /** {@code 13:45:00+01:00}. */
    TIME_TZ,
    /** {@code 2024-01-31T13:45:00.123456}. */
    TIMESTAMP,
    /** {@code 2024-01-31T13:45:00.123456+01:00}. */
    TIMESTAMP_TZ,
    /** Bytes as base64. */
    BINARY,
    /** Canonical lower-case UUID. */
    UUID,
    /** JSON text. */
    JSON,
    /** Anything else, passed as text for the server to convert. */
    OTHER
}
