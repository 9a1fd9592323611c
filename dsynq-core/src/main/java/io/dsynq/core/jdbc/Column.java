package io.dsynq.core.jdbc;

import java.math.BigInteger;

/**
 * A column as the database's metadata describes it, with the limits dsynq checks values against before the
 * database sees them.
 *
 * @param name the name as the database stores it
 * @param typeName the database's type name, for messages ({@code varchar}, {@code int4}, {@code DECIMAL})
 * @param jdbcType the {@link java.sql.Types} code
 * @param kind how values are read, written and checked
 * @param nullable whether NULL is allowed
 * @param generated whether the database computes the value (a generated column); never written
 * @param autoIncrement whether the database numbers it (identity, serial, auto_increment)
 * @param length the maximum length of text (characters, or bytes when {@code lengthInBytes}) or binary
 *     (bytes); 0 when unbounded
 * @param lengthInBytes whether {@code length} of text counts UTF-8 bytes rather than characters
 * @param precision total digits of a decimal; 0 when unconstrained
 * @param scale digits after the point of a decimal, or fractional second digits of a time or timestamp
 * @param min the least integer the column holds, or {@code null}
 * @param max the greatest integer the column holds, or {@code null}
 * @param repertoire the characters text holds where its character set holds less than all of Unicode, else
 *     {@code null}
 */
public record Column(
        String name,
        String typeName,
        int jdbcType,
        ValueKind kind,
        boolean nullable,
        boolean generated,
        boolean autoIncrement,
        long length,
        boolean lengthInBytes,
        int precision,
        int scale,
        BigInteger min,
        BigInteger max,
        Repertoire repertoire) {

    /** A column whose text, if any, holds all of Unicode. */
    public Column(
            String name,
            String typeName,
            int jdbcType,
            ValueKind kind,
            boolean nullable,
            boolean generated,
            boolean autoIncrement,
            long length,
            boolean lengthInBytes,
            int precision,
            int scale,
            BigInteger min,
            BigInteger max) {
        this(
                name,
                typeName,
                jdbcType,
                kind,
                nullable,
                generated,
                autoIncrement,
                length,
                lengthInBytes,
                precision,
                scale,
                min,
                max,
                null);
    }

    /** This column under another name of its type: as the catalog declares it ({@code interval(0)}, {@code enum('a')}). */
    public Column withTypeName(String typeName) {
        return new Column(
                name,
                typeName,
                jdbcType,
                kind,
                nullable,
                generated,
                autoIncrement,
                length,
                lengthInBytes,
                precision,
                scale,
                min,
                max,
                repertoire);
    }

    /** This column, holding only the characters of {@code repertoire}. */
    public Column withRepertoire(Repertoire repertoire) {
        return new Column(
                name,
                typeName,
                jdbcType,
                kind,
                nullable,
                generated,
                autoIncrement,
                length,
                lengthInBytes,
                precision,
                scale,
                min,
                max,
                repertoire);
    }

    /** The SQL names of the types PostgreSQL's driver names by their internal names; no other engine uses these. */
    private static final java.util.Map<String, String> POSTGRESQL_INTERNAL_NAMES = java.util.Map.of(
            "int2", "smallint",
            "int4", "integer",
            "int8", "bigint",
            "float4", "real",
            "float8", "double precision",
            "bpchar", "char",
            "bool", "boolean",
            "varbit", "bit varying",
            "timestamptz", "timestamp with time zone",
            "timetz", "time with time zone");

    /**
     * The type as a person reads it in a message: {@code varchar(20)}, {@code numeric(12,2)}; PostgreSQL's driver
     * names some types by their internal names ({@code int4}, {@code bpchar}), which it writes as SQL does.
     */
    public String displayType() {
        String type = typeName.toLowerCase(java.util.Locale.ROOT);
        type = POSTGRESQL_INTERNAL_NAMES.getOrDefault(type, type);
        return switch (kind) {
            case DECIMAL -> precision <= 0
                    ? type
                    : ValueCodec.isDecfloat(this)
                            ? type + "(" + precision + ")"
                            : type + "(" + precision + "," + scale + ")";
            case TEXT, BINARY -> (length > 0 && length < Integer.MAX_VALUE && !type.contains("(")
                            ? type + "(" + length + ")"
                            : type)
                    + (repertoire == null ? "" : " in " + repertoire.name());
            default -> type;
        };
    }
}
