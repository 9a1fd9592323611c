package io.dsynq.core.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CsvDialectTest {

    private static final String[] TRICKY = {
        null,
        "",
        "NULL",
        "null",
        "\"",
        "\"\"",
        "a,b",
        "line\nbreak",
        "crlf\r\ninside",
        "lone\rcr",
        " leading and trailing ",
        "ünïcödé – 日本語 – emoji 😀",
        "'single'",
        "\t",
        "=1+2",
        "ends with quote\"",
        "\"starts with quote",
        "\\backslash\\",
        "\u0000nul",
        "=======",
        "<<<<<<< HEAD",
        ">>>>>>> feature",
    };

    @Test
    void writesAndReadsBackEveryTrickyValueInEveryPosition() {
        List<String[]> rows = new ArrayList<>();
        for (String value : TRICKY) {
            rows.add(new String[] {"first", value, "last"});
            rows.add(new String[] {value, "middle", "x"});
            rows.add(new String[] {"x", "middle", value});
        }

        List<CsvRow> read = readAll(write(List.of("a", "b", "c"), rows));

        assertThat(read).hasSize(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            assertThat(read.get(i).values()).as("row %d", i).containsExactly(rows.get(i));
        }
    }

    @Test
    void randomRowsRoundTrip() {
        Random random = new Random(42);
        String alphabet = "ab ,\"\n\r\tÄ日😀N";
        List<String[]> rows = new ArrayList<>();
        for (int r = 0; r < 2000; r++) {
            String[] row = new String[4];
            for (int c = 0; c < row.length; c++) {
                int kind = random.nextInt(10);
                if (kind == 0) {
                    row[c] = null;
                } else if (kind == 1) {
                    row[c] = "";
                } else {
                    StringBuilder s = new StringBuilder();
                    int length = 1 + random.nextInt(8);
                    for (int k = 0; k < length; k++) {
                        s.appendCodePoint(alphabet.codePointAt(alphabet.offsetByCodePoints(
                                0, random.nextInt(alphabet.codePointCount(0, alphabet.length())))));
                    }
                    row[c] = s.toString();
                }
            }
            rows.add(row);
        }

        List<CsvRow> read = readAll(write(List.of("w", "x", "y", "z"), rows));

        assertThat(read).extracting(CsvRow::values).containsExactlyElementsOf(rows);
    }

    @Test
    void nullIsAnUnquotedEmptyFieldAndTheEmptyStringIsQuoted() {
        assertThat(CsvDialect.format(null)).isEmpty();
        assertThat(CsvDialect.format("")).isEqualTo("\"\"");
        assertThat(CsvDialect.format("NULL")).isEqualTo("NULL");
        assertThat(CsvDialect.format("a\"b")).isEqualTo("\"a\"\"b\"");

        List<CsvRow> rows = readAll("a,b,c\n,\"\",NULL\n");

        assertThat(rows.get(0).values()).containsExactly(null, "", "NULL");
    }

    /**
     * Chinook's PostgreSQL script loads {@code 'Edinburgh'} where its MySQL script loads {@code 'Edinburgh '}: the
     * diff's update file read {@code 54,Edinburgh } with the space unquoted at the end of the line, which a reviewer
     * cannot see and an editor or hook trimming trailing white space takes away, leaving an update that changes
     * nothing (found by a user's walk of Chinook across engines). Such values are quoted.
     */
    @Test
    void aValueBeginningOrEndingWithWhiteSpaceIsQuoted() {
        assertThat(CsvDialect.format("Edinburgh ")).isEqualTo("\"Edinburgh \"");
        assertThat(CsvDialect.format(" 42")).isEqualTo("\" 42\"");
        assertThat(CsvDialect.format("tab\t")).isEqualTo("\"tab\t\"");
        assertThat(CsvDialect.format("no-break\u00a0")).isEqualTo("\"no-break\u00a0\"");
        assertThat(CsvDialect.format(" ")).isEqualTo("\" \"");
        // characters that show as nothing: a C1 control, DEL, a zero-width space, a byte order mark
        for (String invisible : List.of("\u0085", "\u007f", "\u200b", "\ufeff")) {
            assertThat(CsvDialect.format("a" + invisible)).isEqualTo("\"a" + invisible + "\"");
            assertThat(CsvDialect.format(invisible + "a")).isEqualTo("\"" + invisible + "a\"");
        }
        assertThat(CsvDialect.format("Rusticana  Act")).isEqualTo("Rusticana  Act");

        byte[] written = write(List.of("customer_id", "city"), List.<String[]>of(new String[] {"54", "Edinburgh "}));

        assertThat(new String(written, StandardCharsets.UTF_8)).isEqualTo("customer_id,city\n54,\"Edinburgh \"\n");
        assertThat(readAll(written).get(0).values()).containsExactly("54", "Edinburgh ");
    }

    @Test
    void linesCountPhysicalLinesWithTheHeaderAsLineOne() {
        String csv = "id,text\n1,plain\n2,\"two\nlines\"\n\n3,\"three\r\nlines\r\nhere\"\n4,last";

        List<CsvRow> rows = readAll(csv);

        assertThat(rows).extracting(CsvRow::line).containsExactly(2L, 3L, 6L, 9L);
        assertThat(rows.get(3).values()).containsExactly("4", "last");
    }

    @Test
    void aCarriageReturnAndALineFeedWithAQuoteBetweenAreTwoLines() {
        List<CsvRow> rows = readAll("id,text\n1,\"cr\r\"\"\nlf\"\n2,x\n");

        assertThat(rows.get(0).values()).containsExactly("1", "cr\r\"\nlf");
        assertThat(rows.get(1).line()).isEqualTo(5);
    }

    @Test
    void acceptsAByteOrderMarkAndCrlfLineEnds() {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] body = "id,name\r\n1,One\r\n2,\"\"\r\n".getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[bom.length + body.length];
        System.arraycopy(bom, 0, all, 0, bom.length);
        System.arraycopy(body, 0, all, bom.length, body.length);

        try (CsvReader reader = CsvDialect.reader(new ByteArrayInputStream(all), "item.i.csv")) {
            assertThat(reader.header()).containsExactly("id", "name");
            assertThat(reader.next().values()).containsExactly("1", "One");
            CsvRow second = reader.next();
            assertThat(second.values()).containsExactly("2", "");
            assertThat(second.line()).isEqualTo(3);
            assertThat(reader.next()).isNull();
        }
    }

    @Test
    void aRowWithTooManyOrTooFewFieldsNamesTheLine() {
        assertThatThrownBy(() -> readAll("id,name\n1,One\n2,Two,extra\n"))
                .isInstanceOf(CsvFormatException.class)
                .hasMessage("test.csv, line 3: the row has 3 fields but the header has 2");
        assertThatThrownBy(() -> readAll("id,name\n1,One\n\n2\n"))
                .isInstanceOf(CsvFormatException.class)
                .hasMessage("test.csv, line 4: the row has 1 field but the header has 2");
    }

    /**
     * A merge conflict left in a delta's file was read as rows: in a file of one column {@code <<<<<<< HEAD},
     * {@code =======} and {@code >>>>>>> feature} were keys to insert, applied with both sides of the conflict, and
     * {@code dsynq:verify} called the file well-formed; in a file of more columns the marker was "the row has 1 field
     * but the header has 3". A marker is refused naming its line; quoted, it is a value like any other.
     */
    @Test
    void aMergeConflictMarkerIsRefusedNamingItsLine() {
        String conflict = "name\na\n<<<<<<< HEAD\nb\n=======\nc\n>>>>>>> feature\n";
        assertThatThrownBy(() -> readAll(conflict))
                .isInstanceOf(CsvFormatException.class)
                .hasMessage("test.csv, line 3: '<<<<<<< HEAD' is a merge conflict marker, which Git leaves in a file it"
                        + " could not merge: resolve the conflict (keep the rows wanted, remove the marker lines)");
        assertThatThrownBy(() -> readAll("id,name,qty\n1,a,10\n=======\n"))
                .isInstanceOf(CsvFormatException.class)
                .hasMessageStartingWith("test.csv, line 3: '=======' is a merge conflict marker");
        assertThatThrownBy(() -> readAll("<<<<<<< HEAD\nid,name\n"))
                .isInstanceOf(CsvFormatException.class)
                .hasMessageStartingWith("test.csv, line 1: '<<<<<<< HEAD' is a merge conflict marker");
        assertThatThrownBy(() -> readAll("name\n||||||| merged common ancestors\n"))
                .isInstanceOf(CsvFormatException.class)
                .hasMessageStartingWith("test.csv, line 2: '||||||| merged common ancestors' is a merge conflict");

        assertThat(readAll("name\n\"=======\"\n<<<<<<<<\n======= x\n<<<<<<\n"))
                .extracting(row -> row.values()[0])
                .containsExactly("=======", "<<<<<<<<", "======= x", "<<<<<<");
        assertThat(CsvDialect.format("=======")).isEqualTo("\"=======\"");
        assertThat(CsvDialect.format("a=======")).isEqualTo("a=======");
    }

    @Test
    void unbalancedQuotesNameTheLineTheFieldStartsOn() {
        assertThatThrownBy(() -> readAll("id,name\n1,One\n2,\"Two\n3,Three\n"))
                .isInstanceOf(CsvFormatException.class)
                .hasMessageStartingWith("test.csv, line 3: a quoted field is not closed");
        assertThatThrownBy(() -> readAll("id,name\n1,\"One\"x\n"))
                .isInstanceOf(CsvFormatException.class)
                .hasMessageStartingWith("test.csv, line 2: unbalanced quotes");
    }

    /**
     * A quote not closed made the rest of the file one value, named by the line its row started on, not the quote's.
     */
    @Test
    void anUnclosedQuoteNamesTheLineItOpenedOnAndItsColumn() {
        assertThatThrownBy(() -> readAll("id,name\n\"1\n\",\"One\n2,Two\n"))
                .isInstanceOf(CsvFormatException.class)
                .hasMessage("test.csv, line 3: a quoted field is not closed: the file ends inside quotes opened on this"
                        + " line, at column 2 (name)");
    }

    /**
     * A value of hundreds of MB, or a quote not closed in a large file (or in a small compressed one), was read into
     * memory whole, and the heap ran out ('Java heap space'), naming no file. Past the bound a row's values may hold,
     * the reader stops, naming the line and column, without reading on.
     */
    @Test
    void aRowPastTheBoundIsRefusedNamingItsLineAndColumnWithoutReadingOn() {
        int bound = 1 << 20;
        CountingStream quoted = generated("id,payload\n1,short\n2,\"", 'a', 8 * bound);
        assertThatThrownBy(() -> readAll(quoted, bound, 16))
                .isInstanceOf(CsvFormatException.class)
                .hasMessage(
                        "test.csv, line 3: the row's values run past 1048576 characters, the most a row may hold, in"
                                + " the quoted value of column 2 (payload) that opens on this line: a closing quote is"
                                + " missing, or the value is too large for a delta");
        assertThat(quoted.read).isLessThan(2L * bound);

        CountingStream unquoted = generated("id,payload\n1,", 'a', 8 * bound);
        assertThatThrownBy(() -> readAll(unquoted, bound, 16))
                .isInstanceOf(CsvFormatException.class)
                .hasMessage(
                        "test.csv, line 2: the row's values run past 1048576 characters, the most a row may hold, in"
                                + " column 2 (payload)");
        assertThat(unquoted.read).isLessThan(2L * bound);

        String half = "b".repeat(bound / 2);
        assertThatThrownBy(() -> readAll(
                        new ByteArrayInputStream(
                                ("id,a,b\n1,\"" + half + "\"," + half + "\n").getBytes(StandardCharsets.UTF_8)),
                        bound,
                        16))
                .isInstanceOf(CsvFormatException.class)
                .hasMessage(
                        "test.csv, line 2: the row's values run past 1048576 characters, the most a row may hold, in"
                                + " column 3 (b)");
        String exactly = "c".repeat(bound - 1);
        assertThat(readAll(
                        new ByteArrayInputStream(("id,a\n1,\"" + exactly + "\"\n").getBytes(StandardCharsets.UTF_8)),
                        bound,
                        16))
                .singleElement()
                .satisfies(row -> assertThat(row.values()[1]).hasSize(bound - 1));
        assertThat(CsvReader.MAX_ROW_CHARS).isEqualTo(128 * 1024 * 1024);
    }

    /**
     * What dsynq wrote itself of a database's values, such as the reverse of a delta that deleted a row of a large
     * value, is read back whatever its size: rolling back puts the row back.
     */
    @Test
    void aFileDsynqWroteIsReadBackWhateverTheSizeOfItsRows() {
        long length = CsvReader.MAX_ROW_CHARS + 1L;
        java.util.function.Supplier<CountingStream> large =
                () -> new CountingStream(text("v\n\""), (byte) 'a', length, text("\"\n"));

        try (CsvReader reader = CsvDialect.readerOfWritten(large.get(), "reverse")) {
            assertThat(reader.next().values()[0]).hasSize((int) length);
        }
        assertThatThrownBy(() -> readAll(large.get(), CsvReader.MAX_ROW_CHARS, CsvReader.MAX_COLUMNS))
                .isInstanceOf(CsvFormatException.class)
                .hasMessageStartingWith("test.csv, line 2: the row's values run past 134217728 characters");
    }

    /** A header of more columns than the bound, or a row of a million empty fields, took memory by their number. */
    @Test
    void fieldsPastTheHeaderAreCountedNotKept() {
        assertThatThrownBy(
                        () -> readAll(new ByteArrayInputStream("a,b,c,d\n".getBytes(StandardCharsets.UTF_8)), 100, 3))
                .isInstanceOf(CsvFormatException.class)
                .hasMessage("test.csv, line 1: the header has more than 3 columns, the most dsynq reads");

        byte[] commas = ("id,name\n1" + ",".repeat(1_000_000) + "\n").getBytes(StandardCharsets.UTF_8);
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        readAll("id\n1\n"); // warm-up
        long before = threads.getCurrentThreadAllocatedBytes();
        assertThatThrownBy(() -> readAll(commas))
                .isInstanceOf(CsvFormatException.class)
                .hasMessage("test.csv, line 2: the row has 1000001 fields but the header has 2");
        assertThat(threads.getCurrentThreadAllocatedBytes() - before).isLessThan(1_000_000);
    }

    /**
     * A file saved by Excel or a Windows editor as Windows-1252 or ISO-8859-1 was refused as "not valid UTF-8" alone:
     * the error now shows the bytes and the text before them on their line, and says what to do.
     */
    @Test
    void bytesThatAreNotUtf8AreAnErrorThatShowsThem() {
        byte[] latin1 = "id,name\n1,caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);

        assertThatThrownBy(() -> readAll(latin1))
                .isInstanceOf(CsvFormatException.class)
                .hasMessage("test.csv, line 2: the file is not valid UTF-8: byte E9 after '1,caf' (a file saved as"
                        + " Windows-1252 or ISO-8859-1 holds such bytes; save it as UTF-8)");
        byte[] utf16 = {(byte) 0xFF, (byte) 0xFE, 'i', 0, 'd', 0};
        assertThatThrownBy(() -> readAll(utf16))
                .isInstanceOf(CsvFormatException.class)
                .hasMessage("test.csv, line 1: the file is not valid UTF-8: bytes FF FE, which begin a file in UTF-16"
                        + " (as a spreadsheet saves \"Unicode text\"); save it as UTF-8");
        String long40 = "x".repeat(60);
        byte[] deep = ("id,name\n1,\"" + long40 + "\n" + long40 + "\u20ac\"\n")
                .getBytes(java.nio.charset.Charset.forName("windows-1252"));
        assertThatThrownBy(() -> readAll(deep))
                .isInstanceOf(CsvFormatException.class)
                .hasMessageStartingWith(
                        "test.csv, line 3: the file is not valid UTF-8: byte 80 after '" + "x".repeat(40) + "'");
    }

    @Test
    void anEmptyFileHasNoHeaderAndNoRowsButAnEmptyHeaderColumnIsAnError() {
        try (CsvReader reader = CsvDialect.reader(new ByteArrayInputStream(new byte[0]), "empty.csv")) {
            assertThat(reader.header()).isEmpty();
            assertThat(reader.next()).isNull();
        }
        // an editor may save an empty file as a line break: it read as a header whose column 1 was empty
        for (String blank : new String[] {"\n", "\r\n", "\n\n", "\uFEFF\n"}) {
            try (CsvReader reader =
                    CsvDialect.reader(new ByteArrayInputStream(blank.getBytes(StandardCharsets.UTF_8)), "blank.csv")) {
                assertThat(reader.header()).as("%s", blank.length()).isEmpty();
                assertThat(reader.next()).isNull();
            }
        }
        assertThatThrownBy(() -> readAll("\n1,2\n"))
                .isInstanceOf(CsvFormatException.class)
                .hasMessage("test.csv, line 1: header column 1 is empty");
        assertThatThrownBy(() -> readAll("id,,name\n"))
                .isInstanceOf(CsvFormatException.class)
                .hasMessage("test.csv, line 1: header column 2 is empty");
    }

    @Test
    void aHeaderOnlyFileHasNoRows() {
        assertThat(readAll("id,name\n")).isEmpty();
        assertThat(readAll("id,name")).isEmpty();
    }

    /**
     * A row was built whole in a line of its own before it was written, which doubled its size to hold a value and
     * copied it again to write it: a diff finding a value of 20 MB ran out of a heap of 256 MB.
     */
    @Test
    void aLargeValueIsWrittenWithoutBeingCopied() {
        String plain = "a".repeat(8_000_000);
        String quoted = "\"" + plain + "\"";
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        try (CsvWriter writer = CsvDialect.writer(java.io.OutputStream.nullOutputStream(), List.of("id", "v"))) {
            writer.write("0", "warm-up, \"quoted\"");
            long before = threads.getCurrentThreadAllocatedBytes();
            writer.write("1", plain);
            writer.write("2", quoted);
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;

            assertThat(allocated).isLessThan(plain.length() / 8);
        }
        assertThat(new String(write(List.of("v"), List.<String[]>of(new String[] {"a\"\"b,"})), StandardCharsets.UTF_8))
                .isEqualTo("v\n\"a\"\"\"\"b,\"\n");
    }

    /** A stream of {@code head} then {@code count} times {@code filler}, counting the bytes read. */
    private static CountingStream generated(String head, char filler, long count) {
        return new CountingStream(text(head), (byte) filler, count, new byte[0]);
    }

    private static final class CountingStream extends java.io.InputStream {

        private final byte[] head;

        private final byte filler;

        private final byte[] tail;

        private final long size;

        long read;

        /** {@code head}, {@code count} times {@code filler}, then {@code tail}. */
        CountingStream(byte[] head, byte filler, long count, byte[] tail) {
            this.head = head;
            this.filler = filler;
            this.tail = tail;
            this.size = head.length + count + tail.length;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0];
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (read == size) {
                return -1;
            }
            int n = (int) Math.min(length, size - read);
            for (int i = 0; i < n; i++) {
                long at = read + i;
                buffer[offset + i] = at < head.length
                        ? head[(int) at]
                        : at >= size - tail.length ? tail[(int) (at - (size - tail.length))] : filler;
            }
            read += n;
            return n;
        }
    }

    private static byte[] text(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static List<CsvRow> readAll(java.io.InputStream in, int maxRowChars, int maxColumns) {
        List<CsvRow> rows = new ArrayList<>();
        try (CsvReader reader = new CsvReader(in, "test.csv", maxRowChars, maxColumns)) {
            for (CsvRow row; (row = reader.next()) != null; ) {
                rows.add(row);
            }
        }
        return rows;
    }

    private static byte[] write(List<String> header, List<String[]> rows) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CsvWriter writer = CsvDialect.writer(out, header)) {
            rows.forEach(writer::write);
        }
        return out.toByteArray();
    }

    private static List<CsvRow> readAll(String csv) {
        return readAll(csv.getBytes(StandardCharsets.UTF_8));
    }

    private static List<CsvRow> readAll(byte[] csv) {
        List<CsvRow> rows = new ArrayList<>();
        try (CsvReader reader = CsvDialect.reader(new ByteArrayInputStream(csv), "test.csv")) {
            for (CsvRow row; (row = reader.next()) != null; ) {
                rows.add(new CsvRow(row.line(), Arrays.copyOf(row.values(), row.values().length)));
            }
        }
        return rows;
    }
}
