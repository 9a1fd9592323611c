package io.dsynq.core.testing;

import java.util.List;

/**
 * A column type the applier supports: its name on each engine ({@code null} where the engine has none) and three
 * values in canonical text, none of them {@code NULL}. {@link #ALL} lists every type, for tests that must cover them
 * all.
 */
public record ColumnType(String column, String h2, String postgres, String mariadb, List<String> values) {

    /** Every type the applier supports. */
    public static final List<ColumnType> ALL = List.of(
            new ColumnType("c_smallint", "SMALLINT", "SMALLINT", "SMALLINT", List.of("-32768", "32767", "0")),
            new ColumnType("c_int", "INT", "INT", "INT", List.of("-2147483648", "2147483647", "-1")),
            new ColumnType(
                    "c_bigint",
                    "BIGINT",
                    "BIGINT",
                    "BIGINT",
                    List.of("-9223372036854775808", "9223372036854775807", "42")),
            new ColumnType(
                    "c_decimal",
                    "DECIMAL(12,2)",
                    "NUMERIC(12,2)",
                    "DECIMAL(12,2)",
                    List.of("0.00", "-1234567890.12", "9999999999.99")),
            // canonical text of a float is what the running JDK prints (the shortest form only from JDK 19)
            new ColumnType(
                    "c_real",
                    "REAL",
                    "REAL",
                    "FLOAT",
                    List.of(Float.toString(0.1f), Float.toString(-1.5E10f), Float.toString(Float.MAX_VALUE))),
            new ColumnType(
                    "c_double",
                    "DOUBLE PRECISION",
                    "DOUBLE PRECISION",
                    "DOUBLE",
                    List.of("0.1", "-1.0E-5", "1.7976931348623157E308")),
            new ColumnType("c_boolean", "BOOLEAN", "BOOLEAN", "BOOLEAN", List.of("true", "false", "true")),
            new ColumnType("c_char", "CHAR(5)", "CHAR(5)", "CHAR(5)", List.of("abcde", "äöü12", "\"'\",x")),
            new ColumnType(
                    "c_varchar",
                    "VARCHAR(40)",
                    "VARCHAR(40)",
                    "VARCHAR(40)",
                    List.of("", "NULL", "a \"quoted\", text\nwith a line break", " padded ")),
            new ColumnType(
                    "c_text",
                    "CHARACTER LARGE OBJECT",
                    "TEXT",
                    "TEXT",
                    List.of("日本語 – Ελληνικά – 😀", "crlf\r\ninside", "\\N", "tab\there")),
            new ColumnType("c_date", "DATE", "DATE", "DATE", List.of("1970-01-01", "2024-02-29", "9999-12-31")),
            new ColumnType(
                    "c_time", "TIME(6)", "TIME(6)", "TIME(6)", List.of("00:00:00", "23:59:59.999999", "13:45:00.5")),
            new ColumnType(
                    "c_timestamp",
                    "TIMESTAMP(6)",
                    "TIMESTAMP(6)",
                    "DATETIME(6)",
                    List.of("2024-01-31T13:45:00.123456", "1970-01-01T00:00:00", "2038-01-19T03:14:08")),
            new ColumnType(
                    "c_timestamptz",
                    "TIMESTAMP(6) WITH TIME ZONE",
                    "TIMESTAMPTZ(6)",
                    null,
                    List.of(
                            "2024-01-31T13:45:00.123456+05:30",
                            "1999-12-31T23:59:59+00:00",
                            "2024-06-01T00:00:00.5+00:00")),
            new ColumnType("c_binary", "VARBINARY(32)", "BYTEA", "VARBINARY(32)", List.of("", "AA==", "3q2+7wABAgP/")),
            new ColumnType(
                    "c_uuid",
                    "UUID",
                    "UUID",
                    "UUID",
                    List.of(
                            "123e4567-e89b-42d3-a456-426614174000",
                            "00000000-0000-4000-8000-000000000000",
                            "ffffffff-ffff-4fff-bfff-ffffffffffff")),
            new ColumnType("c_json", "JSON", "JSON", "JSON", List.of("{\"a\":1}", "[1,2,3]", "\"text\"")));

    /** The type's name on {@code engine}, {@code null} when it has none. */
    public String on(Engine engine) {
        return switch (engine) {
            case H2 -> h2;
            case POSTGRESQL -> postgres;
            case MARIADB -> mariadb;
        };
    }

    /** The same type with other values. */
    public ColumnType withValues(List<String> values) {
        return new ColumnType(column, h2, postgres, mariadb, values);
    }
}
