package io.dsynq.core.model;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tukaani.xz.XZInputStream;

/**
 * One CSV file of a delta: {@code <table>.<i|u|d>.csv}, optionally xz-compressed ({@code .csv.xz}).
 *
 * @param path where the file is
 * @param table the table it changes
 * @param operation what it does
 * @param compressed whether it is xz-compressed
 */
public record DeltaFile(Path path, TableName table, Operation operation, boolean compressed) {

    // DOTALL: a table's name may hold a line break
    private static final Pattern NAME = Pattern.compile("(.+)\\.([iud])\\.csv(\\.xz)?", Pattern.DOTALL);

    /**
     * The delta file a file name describes, or {@code null} when the name is not of the form
     * {@code <table>.<i|u|d>.csv[.xz]}.
     */
    public static DeltaFile of(Path path) {
        Matcher matcher = NAME.matcher(path.getFileName().toString());
        if (!matcher.matches()) {
            return null;
        }
        String table = matcher.group(1);
        if (table.startsWith(".") || table.endsWith(".") || table.contains("..")) {
            return null; // not a table name: an empty schema or table part
        }
        return new DeltaFile(
                path,
                TableName.parse(matcher.group(1)),
                Operation.ofLetter(matcher.group(2).charAt(0)),
                matcher.group(3) != null);
    }

    /** The file name for a table and operation, uncompressed. */
    public static String fileName(TableName table, Operation operation) {
        return table + "." + operation.letter() + ".csv";
    }

    /**
     * The most bytes, in UTF-8, of a delta's file name uncompressed ({@code item.i.csv}): file systems take names of up
     * to 255 bytes, and an apply keeps the reverse delta in files named after the delta's with up to 4 bytes more.
     */
    public static final int LONGEST_NAME_BYTES = 251;

    /**
     * Why a table ({@code table} or {@code schema.table}) cannot name a delta's file, being too long for a file
     * system; {@code null} where it can.
     */
    public static String tooLong(String table) {
        String name = table + ".i.csv";
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        return bytes <= LONGEST_NAME_BYTES
                ? null
                : "its name as a delta's file (" + name + ") takes " + bytes + " bytes in UTF-8, more than the "
                        + LONGEST_NAME_BYTES + " a delta's file name may take (file systems take 255, and the"
                        + " reverse delta's files add 4)";
    }

    /** The file's name, as error messages show it. */
    public String name() {
        return path.getFileName().toString();
    }

    /** The name this file's content is known by, whatever its case or compression: {@code item.i.csv}. */
    public String canonicalName() {
        return table.folded() + "." + operation.letter() + ".csv";
    }

    /**
     * The most memory an {@code .xz} file may need to be decompressed, in KiB: 256 MiB. xz's own presets need at most
     * 65 MiB ({@code xz -9}); a file's header can declare a dictionary of up to 1.5 GiB, which decompressing allocates
     * at once, so a file of 68 bytes would otherwise take that much memory, or stop the build for want of it.
     */
    static final int MEMORY_LIMIT_KIB = 256 * 1024;

    /** A read failure as a person understands it: a truncated or corrupt {@code .xz} says so. */
    public static String describe(IOException e) {
        if (e instanceof org.tukaani.xz.MemoryLimitException limit) {
            return "decompressing it would need " + (limit.getMemoryNeeded() + 1023) / 1024 + " MiB of memory, more"
                    + " than the " + MEMORY_LIMIT_KIB / 1024 + " MiB dsynq allows (xz -9 needs 65 MiB); compress it"
                    + " again with a smaller dictionary (xz -9 or less)";
        }
        if (e instanceof java.io.EOFException) {
            return "the file ends too early (truncated)";
        }
        if (e instanceof org.tukaani.xz.XZFormatException || e instanceof org.tukaani.xz.CorruptedInputException) {
            return "not valid xz data (" + e.getMessage() + ")";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** The bytes every xz stream starts with. */
    private static final byte[] XZ_MAGIC = {(byte) 0xFD, '7', 'z', 'X', 'Z', 0};

    /** Opens the file's content, decompressed. */
    public InputStream open() throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(path), 1 << 16);
        if (!compressed) {
            return in;
        }
        try {
            // a file too short for xz's header is not xz data, rather than xz data cut short
            in.mark(XZ_MAGIC.length);
            byte[] start = in.readNBytes(XZ_MAGIC.length);
            in.reset();
            if (!java.util.Arrays.equals(start, XZ_MAGIC)) {
                throw new org.tukaani.xz.XZFormatException();
            }
            return new BufferedInputStream(new XZInputStream(in, MEMORY_LIMIT_KIB), 1 << 16);
        } catch (IOException e) {
            in.close();
            throw e;
        }
    }
}
