package io.dsynq.core.jdbc;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Reads PostgreSQL's binary {@code COPY … TO STDOUT} as it streams in and hands each row on as canonical text, the
 * same text {@link PostgresDialect#read} gives for the value. The server sends integers, decimals, timestamps and
 * dates as numbers, which costs it less than printing them, and this side less than parsing text; a column whose type
 * is not read here is selected as text ({@link #selectList}) and made canonical as text is.
 */
final class CopyOutBinaryRows extends OutputStream {

    private static final byte[] SIGNATURE = "PGCOPY\n\377\r\n\0".getBytes(StandardCharsets.ISO_8859_1);

    /** The server's epoch for dates and timestamps. */
    private static final LocalDate EPOCH = LocalDate.of(2000, 1, 1);

    private static final long EPOCH_DAY = EPOCH.toEpochDay();

    private static final long MICROS_PER_DAY = 86_400_000_000L;

    /** How a value of one column comes over: its bytes at an offset, and their number. */
    @FunctionalInterface
    private interface Decoder {
        String decode(byte[] bytes, int at, int length);
    }

    private final Decoder[] decoders;

    private final Consumer<String[]> rows;

    private byte[] buffer = new byte[1 << 16];

    private int filled;

    private boolean headerRead;

    private boolean ended;

    private long count;

    CopyOutBinaryRows(List<Column> columns, Consumer<String[]> rows) {
        this.decoders = columns.stream().map(CopyOutBinaryRows::decoder).toArray(Decoder[]::new);
        this.rows = rows;
    }

    /** The rows handed on so far. */
    long rows() {
        return count;
    }

    /**
     * The select list of a query whose rows this reads: each column as it is where it has a binary decoder here, else
     * cast to text.
     */
    static String selectList(Dialect dialect, String alias, List<Column> columns) {
        StringBuilder list = new StringBuilder();
        for (Column column : columns) {
            String name = (alias == null ? "" : alias + ".") + dialect.quote(column.name());
            list.append(list.length() == 0 ? "" : ", ")
                    .append(binaryType(column) == null ? asText(name, column) : name);
        }
        return list.toString();
    }

    /**
     * A column's value as PostgreSQL prints it, as {@link PostgresDialect#read} gets it. The cast to text does that
     * for every type but {@code inet}, whose cast adds the mask to a host ({@code 1.2.3.4/32}) and which is printed
     * without it, as other engines print an address.
     */
    private static String asText(String name, Column column) {
        return column.typeName().equalsIgnoreCase("inet")
                ? "textin(inet_out(" + name + "))"
                : "CAST(" + name + " AS TEXT)";
    }

    /** The binary form a column's values come in, or {@code null} when it is read as text. */
    private static String binaryType(Column column) {
        String type = column.typeName().toLowerCase(Locale.ROOT);
        String binary =
                switch (type) {
                    case "int2", "smallserial" -> "int2";
                    case "int4", "serial" -> "int4";
                    case "int8", "bigserial" -> "int8";
                    case "numeric", "varchar", "text", "bpchar", "timestamp", "date", "bool", "bytea", "uuid" -> type;
                    default -> null;
                };
        ValueKind expected = binary == null
                ? null
                : switch (binary) {
                    case "int2", "int4", "int8" -> ValueKind.INTEGER;
                    case "numeric" -> ValueKind.DECIMAL;
                    case "varchar", "text", "bpchar" -> ValueKind.TEXT;
                    case "timestamp" -> ValueKind.TIMESTAMP;
                    case "date" -> ValueKind.DATE;
                    case "bool" -> ValueKind.BOOLEAN;
                    case "bytea" -> ValueKind.BINARY;
                    default -> ValueKind.UUID;
                };
        return column.kind() == expected ? binary : null;
    }

    private static Decoder decoder(Column column) {
        String type = binaryType(column);
        if (type == null) {
            return (bytes, at, length) ->
                    PostgresText.canonical(column, new String(bytes, at, length, StandardCharsets.UTF_8));
        }
        return switch (type) {
            case "int2" -> (bytes, at, length) -> Integer.toString((short) int16(bytes, at));
            case "int4" -> (bytes, at, length) -> Integer.toString(int32(bytes, at));
            case "int8" -> (bytes, at, length) -> Long.toString(int64(bytes, at));
            case "numeric" -> CopyOutBinaryRows::numeric;
            case "timestamp" -> (bytes, at, length) -> timestamp(int64(bytes, at));
            case "date" -> (bytes, at, length) -> date(int32(bytes, at));
            case "bool" -> (bytes, at, length) -> bytes[at] != 0 ? "true" : "false";
            case "bytea" -> (bytes, at, length) ->
                    Base64.getEncoder().encodeToString(Arrays.copyOfRange(bytes, at, at + length));
            case "uuid" -> (bytes, at, length) -> new UUID(int64(bytes, at), int64(bytes, at + 8)).toString();
            default -> (bytes, at, length) -> new String(bytes, at, length, StandardCharsets.UTF_8);
        };
    }

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        if (filled + length > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, filled + length));
        }
        System.arraycopy(bytes, offset, buffer, filled, length);
        filled += length;
        int used = parse();
        if (used > 0) {
            System.arraycopy(buffer, used, buffer, 0, filled - used);
            filled -= used;
        }
    }

    @Override
    public void close() throws IOException {
        if (!ended || filled > 0) {
            throw new IOException("the binary copy ended inside a row or without its trailer");
        }
    }

    /** Hands on every complete row in the buffer; returns the bytes used. */
    private int parse() {
        int at = 0;
        if (!headerRead) {
            if (filled < SIGNATURE.length + 8) {
                return 0;
            }
            if (!Arrays.equals(buffer, 0, SIGNATURE.length, SIGNATURE, 0, SIGNATURE.length)) {
                throw new IllegalStateException("not a binary copy: its signature is missing");
            }
            int extension = int32(buffer, SIGNATURE.length + 4);
            if (filled < SIGNATURE.length + 8 + extension) {
                return 0;
            }
            at = SIGNATURE.length + 8 + extension;
            headerRead = true;
        }
        while (!ended && at + 2 <= filled) {
            int fields = (short) int16(buffer, at);
            if (fields == -1) {
                ended = true;
                at += 2;
                break;
            }
            if (fields != decoders.length) {
                throw new IllegalStateException(
                        "a row of " + fields + " fields where " + decoders.length + " were asked for");
            }
            // the whole row first: a value is decoded only once all of it is here
            int end = at + 2;
            for (int i = 0; i < fields; i++) {
                if (end + 4 > filled) {
                    return at;
                }
                int length = int32(buffer, end);
                end += 4 + Math.max(length, 0);
                if (end > filled) {
                    return at;
                }
            }
            String[] values = new String[fields];
            int field = at + 2;
            for (int i = 0; i < fields; i++) {
                int length = int32(buffer, field);
                field += 4;
                if (length >= 0) {
                    values[i] = decoders[i].decode(buffer, field, length);
                    field += length;
                }
            }
            at = end;
            count++;
            rows.accept(values);
        }
        return at;
    }

    /**
     * A {@code numeric} as {@code numeric_out} prints it: digits in base 10000 from the weight's group down, as many
     * decimal places as the value's scale, {@code NaN} and the infinities by name.
     */
    static String numeric(byte[] bytes, int at, int length) {
        int groups = int16(bytes, at);
        int weight = (short) int16(bytes, at + 2);
        int sign = int16(bytes, at + 4);
        int scale = int16(bytes, at + 6);
        switch (sign) {
            case 0xC000 -> {
                return "NaN";
            }
            case 0xD000 -> {
                return "Infinity";
            }
            case 0xF000 -> {
                return "-Infinity";
            }
            default -> {
                // a number
            }
        }
        StringBuilder text = new StringBuilder(8 + 4 * (Math.max(weight, 0) + 1) + scale);
        if (sign == 0x4000) {
            text.append('-');
        }
        if (weight < 0) {
            text.append('0');
        } else {
            for (int group = 0; group <= weight; group++) {
                int digits = group < groups ? int16(bytes, at + 8 + 2 * group) : 0;
                if (group == 0) {
                    text.append(digits);
                } else {
                    appendFour(text, digits);
                }
            }
        }
        if (scale > 0) {
            text.append('.');
            int start = text.length();
            for (int group = weight + 1; text.length() - start < scale; group++) {
                int digits = group >= 0 && group < groups ? int16(bytes, at + 8 + 2 * group) : 0;
                appendFour(text, digits);
            }
            text.setLength(start + scale);
        }
        return text.toString();
    }

    private static void appendFour(StringBuilder text, int digits) {
        text.append((char) ('0' + digits / 1000))
                .append((char) ('0' + digits / 100 % 10))
                .append((char) ('0' + digits / 10 % 10))
                .append((char) ('0' + digits % 10));
    }

    /** A {@code timestamp}, microseconds from the server's epoch, as canonical text ({@code infinity} as it is). */
    static String timestamp(long micros) {
        if (micros == Long.MAX_VALUE || micros == Long.MIN_VALUE) {
            return micros == Long.MAX_VALUE ? "infinity" : "-infinity";
        }
        long days = Math.floorDiv(micros, MICROS_PER_DAY);
        long time = Math.floorMod(micros, MICROS_PER_DAY);
        return CanonicalText.format(LocalDate.ofEpochDay(EPOCH_DAY + days), time * 1000);
    }

    /** A {@code date}, days from the server's epoch, as canonical text ({@code infinity} as it is). */
    static String date(int days) {
        if (days == Integer.MAX_VALUE || days == Integer.MIN_VALUE) {
            return days == Integer.MAX_VALUE ? "infinity" : "-infinity";
        }
        return LocalDate.ofEpochDay(EPOCH_DAY + days).toString();
    }

    private static int int16(byte[] bytes, int at) {
        return ((bytes[at] & 0xFF) << 8) | (bytes[at + 1] & 0xFF);
    }

    private static int int32(byte[] bytes, int at) {
        return ((bytes[at] & 0xFF) << 24)
                | ((bytes[at + 1] & 0xFF) << 16)
                | ((bytes[at + 2] & 0xFF) << 8)
                | (bytes[at + 3] & 0xFF);
    }

    private static long int64(byte[] bytes, int at) {
        return ((long) int32(bytes, at) << 32) | (int32(bytes, at + 4) & 0xFFFFFFFFL);
    }
}
