package io.dsynq.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dsynq.core.DsynqException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

class DeltaDirectoryTest {

    @TempDir
    Path root;

    private Path delta(String database, String id) throws Exception {
        return Files.createDirectories(root.resolve(database).resolve("delta").resolve(id));
    }

    @Test
    void readsDeltasInIdOrderWithTheirFiles() throws Exception {
        Files.writeString(delta("shop", "1528442500.000001").resolve("sales.item.u.csv"), "id,code\n1,2\n");
        Path first = delta("shop", "999999999.000000");
        Files.writeString(first.resolve("item.i.csv"), "id\n1\n");
        Files.writeString(first.resolve("item.d.csv"), "id\n2\n");
        Files.createDirectories(first.resolve(".meta"));
        Files.writeString(
                first.resolve(".meta/.dsynqmeta.json"), "{\"id\":\"999999999.000000\",\"description\":\"first\"}");

        DeltaDirectory directory = new DeltaDirectory(root);

        assertThat(directory.databases()).containsExactly("shop");
        assertThat(directory.deltas("shop"))
                .extracting(d -> d.id().text())
                .containsExactly("999999999.000000", "1528442500.000001");
        Delta one = directory.deltas("shop").get(0);
        assertThat(one.description()).isEqualTo("first");
        assertThat(one.files()).extracting(DeltaFile::name).containsExactly("item.d.csv", "item.i.csv");
        DeltaFile qualified = directory.deltas("shop").get(1).files().get(0);
        assertThat(qualified.table()).isEqualTo(new TableName("sales", "item"));
        assertThat(qualified.operation()).isEqualTo(Operation.UPDATE);
        assertThat(directory.deltas("other")).isEmpty();
    }

    /**
     * A table's name may hold a line break (PostgreSQL, MariaDB and H2 allow one): the diff wrote its files, and the
     * apply refused them as unknown files of the delta.
     */
    /** A meta file was read whole, whatever its size: one of many tables, or large by mistake, filled the memory. */
    @Test
    void aMetaFileLargerThanTheBoundIsRefusedByItsSize() throws Exception {
        Path meta = Files.createDirectories(delta("shop", "1700000001.000000").resolve(".meta"));
        String tables = "\"item\",".repeat((int) DeltaDirectory.MAX_META_BYTES / 7);
        Files.writeString(meta.resolve(".dsynqmeta.json"), "{\"tables\":[" + tables + "\"item\"]}");

        assertThatThrownBy(() -> new DeltaDirectory(root).deltas("shop"))
                .isInstanceOf(DsynqException.class)
                .hasMessage(meta.resolve(".dsynqmeta.json") + ": not a valid meta file: it is "
                        + Files.size(meta.resolve(".dsynqmeta.json")) + " bytes, more than the 1048576 a meta file may"
                        + " hold (an id, a description, the tables and a checksum)");
    }

    /**
     * An apply that failed left the checksum it took on the side reading on: a small .xz file decompressing to many
     * GB kept a processor busy for minutes after the build's error. Interrupted, the checksum stops.
     */
    @Test
    void anInterruptedChecksumStopsReading() throws Exception {
        java.io.ByteArrayOutputStream block = new java.io.ByteArrayOutputStream();
        try (XZOutputStream xz = new XZOutputStream(block, new LZMA2Options(0))) {
            xz.write("id\n".getBytes(StandardCharsets.UTF_8));
            xz.write(new byte[8 << 20]);
        }
        Path folder = delta("shop", "1700000001.000000");
        try (OutputStream out = Files.newOutputStream(folder.resolve("item.i.csv.xz"))) {
            for (int i = 0; i < 1000; i++) { // 8 GB decompressed, concatenated xz streams
                out.write(block.toByteArray());
            }
        }
        Delta delta = new DeltaDirectory(root).deltas("shop").get(0);
        java.util.concurrent.atomic.AtomicReference<Throwable> failure =
                new java.util.concurrent.atomic.AtomicReference<>();
        Thread checksum = new Thread(() -> {
            try {
                delta.checksum();
            } catch (RuntimeException e) {
                failure.set(e);
            }
        });
        checksum.setDaemon(true);
        checksum.start();
        Thread.sleep(200);

        checksum.interrupt();
        checksum.join(2000);

        assertThat(checksum.isAlive()).as("still reading").isFalse();
        assertThat(failure.get()).isInstanceOf(DsynqException.class);
    }

    @Test
    void aTableNamedWithALineBreakHasItsFiles() throws Exception {
        Files.writeString(delta("shop", "1528442500.000001").resolve("sales.line\nbreak.u.csv"), "id,code\n1,2\n");

        DeltaFile file = new DeltaDirectory(root).deltas("shop").get(0).files().get(0);

        assertThat(file.table()).isEqualTo(new TableName("sales", "line\nbreak"));
        assertThat(file.operation()).isEqualTo(Operation.UPDATE);
    }

    @Test
    void aDsynqDatabasesFolderWorksUnchanged() throws Exception {
        Path dotDatabases = Files.createDirectories(root.resolve("data/.databases/hello/delta/1528442433.821985"));
        Files.writeString(dotDatabases.resolve("item.i.csv"), "id\n1\n");

        assertThat(new DeltaDirectory(root.resolve("data/.databases")).deltas("hello"))
                .hasSize(1);
    }

    @Test
    void refusesWhatDoesNotBelongInTheLayout() throws Exception {
        delta("bad", "yesterday");
        assertThatThrownBy(() -> new DeltaDirectory(root).deltas("bad"))
                .isInstanceOf(DsynqException.class)
                .hasMessageContaining("'yesterday' is not a delta id");

        Path unknown = delta("unknown", "1.000000");
        Files.writeString(unknown.resolve("notes.txt"), "hi");
        assertThatThrownBy(() -> new DeltaDirectory(root).deltas("unknown"))
                .hasMessageContaining("delta 1.000000: unknown file")
                .hasMessageContaining("notes.txt")
                // what the folder may hold: a .gitkeep too, which keeps an empty delta in Git
                .hasMessageEndingWith("holds only <table>.i.csv, <table>.u.csv, <table>.d.csv (optionally .xz), .meta"
                        + " and hidden files (.gitkeep)");

        Path twice = delta("twice", "1.000000");
        Files.writeString(twice.resolve("item.i.csv"), "id\n1\n");
        xz(twice.resolve("ITEM.i.csv.xz"), "id\n1\n");
        assertThatThrownBy(() -> new DeltaDirectory(root).deltas("twice"))
                .hasMessage("delta 1.000000: ITEM.i.csv.xz and item.i.csv give the same table and operation; keep one"
                        + " of them");

        Path linked = delta("linked", "1.000000");
        Files.createSymbolicLink(linked.resolve("item.i.csv"), root.resolve("elsewhere.csv"));
        assertThatThrownBy(() -> new DeltaDirectory(root).deltas("linked")).hasMessageContaining("is a symbolic link");

        delta("zeros", "01.000000");
        assertThatThrownBy(() -> new DeltaDirectory(root).deltas("zeros")).hasMessageContaining("is not a delta id");
    }

    /**
     * Deltas one level too high or low, in a folder {@code deltas}, or of a database not configured were skipped without
     * a word, and the goal said the database was up to date.
     */
    @Test
    void namesWhatItDoesNotReadAndWhereDeltasGo() throws Exception {
        Files.writeString(delta("shop", "1.000000").resolve("item.i.csv"), "id\n1\n");
        Files.writeString(delta("shpo", "2.000000").resolve("item.i.csv"), "id\n2\n");
        Files.createDirectories(root.resolve("shop/deltas/3.000000"));
        Files.writeString(root.resolve("shop/deltas/3.000000/item.i.csv"), "id\n3\n");
        Files.createDirectories(root.resolve("shop/4.000000"));
        Files.writeString(root.resolve("shop/4.000000/item.i.csv"), "id\n4\n");
        Files.createDirectories(root.resolve("delta/5.000000"));
        Files.writeString(root.resolve("delta/5.000000/item.i.csv"), "id\n5\n");
        // what is no mistake: a README, an empty folder, a baseline, hidden files
        Files.writeString(root.resolve("README.md"), "reference data");
        Files.createDirectories(root.resolve("later"));
        Files.createDirectories(root.resolve("shop/baseline"));
        Files.writeString(root.resolve("shop/.gitkeep"), "");
        Files.createDirectories(root.resolve(".git"));
        Files.writeString(root.resolve(".git/config"), "");

        DeltaDirectory directory = new DeltaDirectory(root);

        assertThat(directory.unread(List.of("shop")))
                .containsExactly(
                        root.resolve("delta") + " holds no delta folder, and nothing in it is read: a database's deltas"
                                + " go in " + root.resolve("<database>/delta") + "/<id>/",
                        root.resolve("shop/4.000000") + " is not read: database shop's deltas go in "
                                + root.resolve("shop/delta") + "/<id>/",
                        root.resolve("shop/deltas") + " is not read: database shop's deltas go in "
                                + root.resolve("shop/delta") + "/<id>/",
                        root.resolve("shpo") + " holds the deltas of a database shpo, which is not configured, so they"
                                + " are not applied (the databases configured are shop)");
        // without databases configured, every folder with deltas is a database
        assertThat(directory.unread(null)).hasSize(3).noneMatch(line -> line.contains("shpo"));
        assertThat(new DeltaDirectory(root.resolve("none")).unread(null)).isEmpty();
    }

    /**
     * Hidden files that a desktop or an editor leaves, macOS's {@code .DS_Store} in the delta folder or in a delta,
     * an editor's swap file: they were refused as "not a delta id" and "unknown file", stopping every goal. A hidden
     * name of a delta's file is refused still.
     */
    @Test
    void hiddenFilesAreNotReadAndChangeNoChecksum() throws Exception {
        Path plain = delta("a", "1.000000");
        Files.writeString(plain.resolve("item.i.csv"), "id,name\n1,One\n");
        Path hidden = delta("b", "1.000000");
        Files.writeString(hidden.resolve("item.i.csv"), "id,name\n1,One\n");
        Files.writeString(hidden.resolve(".DS_Store"), "\0\0\0\1Bud1");
        Files.writeString(hidden.resolve(".item.i.csv.swp"), "b0VIM 9.0");
        Files.writeString(hidden.getParent().resolve(".DS_Store"), "\0\0\0\1Bud1");

        DeltaDirectory directory = new DeltaDirectory(root);

        List<Delta> deltas = directory.deltas("b");
        assertThat(deltas).hasSize(1);
        assertThat(deltas.get(0).files()).extracting(DeltaFile::name).containsExactly("item.i.csv");
        assertThat(deltas.get(0).checksum())
                .isEqualTo(directory.deltas("a").get(0).checksum());

        Files.writeString(hidden.resolve(".item.d.csv"), "id\n1\n"); // a delta's file all the same: refused
        assertThatThrownBy(() -> directory.deltas("b")).hasMessageContaining("unknown file");
    }

    @Test
    void theChecksumIgnoresCompressionCaseAndMeta() throws Exception {
        Path plain = delta("a", "1.000000");
        Files.writeString(plain.resolve("item.i.csv"), "id,name\n1,One\n");
        Files.writeString(plain.resolve("item.d.csv"), "id\n2\n");
        Path other = delta("b", "1.000000");
        xz(other.resolve("ITEM.i.csv.xz"), "id,name\n1,One\n");
        Files.writeString(other.resolve("Item.d.csv"), "id\n2\n");
        Files.createDirectories(other.resolve(".meta"));
        Files.writeString(other.resolve(".meta/.dsynqmeta.json"), "{\"description\":\"whatever\"}");
        Path changed = delta("c", "1.000000");
        Files.writeString(changed.resolve("item.i.csv"), "id,name\n1,Uno\n");
        Files.writeString(changed.resolve("item.d.csv"), "id\n2\n");

        DeltaDirectory directory = new DeltaDirectory(root);
        String checksum = directory.deltas("a").get(0).checksum();

        assertThat(checksum).hasSize(64);
        assertThat(directory.deltas("b").get(0).checksum()).isEqualTo(checksum);
        assertThat(directory.deltas("c").get(0).checksum()).isNotEqualTo(checksum);
    }

    /**
     * Git's {@code core.autocrlf} and editors on Windows end lines with {@code \r\n}; the reader ends a record at
     * {@code \n}, {@code \r\n} and a lone {@code \r} alike, so an applied delta whose line ends were converted is
     * not modified, nor is one given a byte order mark, which the reader skips. A line break inside a quoted field is
     * part of the value: changing it is.
     */
    @Test
    void theChecksumIgnoresHowARecordEndsButNotTheLineBreaksOfAValue() throws Exception {
        String lf = "id,name,note\n1,One,\"two\nlines\"\n2,a\"b,\"x\"\"y\"\n";
        Path plain = delta("lf", "1.000000");
        Files.writeString(plain.resolve("item.i.csv"), lf);
        Path crlf = delta("crlf", "1.000000");
        Files.writeString(
                crlf.resolve("item.i.csv"),
                "\uFEFF"
                        + lf.replace(",\"two\nlines\"", ",\"two\0lines\"")
                                .replace("\n", "\r\n")
                                .replace('\0', '\n'));
        Path cr = delta("cr", "1.000000");
        xz(cr.resolve("item.i.csv.xz"), lf.replace("note\n", "note\r").replace("\"\n", "\"\r"));
        String value = "id,name,note\n1,One,\"two\r\nlines\"\n2,a\"b,\"x\"\"y\"\n";
        Path valueChanged = delta("value", "1.000000");
        Files.writeString(valueChanged.resolve("item.i.csv"), value);
        // a quote inside an unquoted field opens no quoted field: the break after "x is inside one
        String stray = "id,name\n1,a\"b,\"x\ny\"\n";
        Path strayLf = delta("stray-lf", "1.000000");
        Files.writeString(strayLf.resolve("item.i.csv"), stray);
        Path strayCrlf = delta("stray-crlf", "1.000000");
        Files.writeString(strayCrlf.resolve("item.i.csv"), stray.replace("x\ny", "x\r\ny"));

        DeltaDirectory directory = new DeltaDirectory(root);
        String checksum = directory.deltas("lf").get(0).checksum();

        assertThat(directory.deltas("crlf").get(0).checksum()).isEqualTo(checksum);
        assertThat(directory.deltas("cr").get(0).checksum()).isEqualTo(checksum);
        assertThat(directory.deltas("value").get(0).checksum()).isNotEqualTo(checksum);
        assertThat(directory.deltas("stray-crlf").get(0).checksum())
                .isNotEqualTo(directory.deltas("stray-lf").get(0).checksum());
    }

    @Test
    void aTruncatedXzFileIsAClearError() throws Exception {
        Path folder = delta("t", "1.000000");
        Path file = folder.resolve("item.i.csv.xz");
        xz(file, "id,name\n" + "1,One\n".repeat(10000));
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 2));

        assertThatThrownBy(() -> new DeltaDirectory(root).deltas("t").get(0).checksum())
                .isInstanceOf(DsynqException.class)
                .hasMessageContaining("item.i.csv.xz")
                .hasMessageContaining("truncated");
    }

    @Test
    void aFileNamedXzThatIsNotXzIsSaidToBeSo() throws Exception {
        Path folder = delta("plain", "1.000000");
        Files.writeString(folder.resolve("item.i.csv.xz"), "id\n1\n");

        assertThatThrownBy(() -> new DeltaDirectory(root).deltas("plain").get(0).checksum())
                .isInstanceOf(DsynqException.class)
                .hasMessageContaining("item.i.csv.xz")
                .hasMessageContaining("not valid xz data")
                .hasMessageNotContaining("truncated");
    }

    /**
     * An {@code .xz} file's header declares the dictionary its decompression allocates at once: a file of 68 bytes
     * declaring 1.5 GiB stopped a build with -Xmx1g with "Java heap space", and took 1.5 GiB of any larger one. It is
     * refused by its name and the memory it asks for.
     */
    @Test
    void anXzFileThatNeedsTooMuchMemoryIsRefused() throws Exception {
        Path folder = delta("greedy", "1.000000");
        Path file = folder.resolve("item.i.csv.xz");
        xz(file, "id,name\n1,One\n");
        byte[] bytes = Files.readAllBytes(file);
        // the block header after the 12 bytes of the stream's: its size, no flags, LZMA2 (0x21) with one property
        // byte, the dictionary's size: 37 is 1.5 GiB
        int size = (bytes[12] + 1) * 4;
        assertThat(new byte[] {bytes[13], bytes[14], bytes[15]}).containsExactly(0, 0x21, 1);
        bytes[16] = 37;
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(bytes, 12, size - 4);
        java.nio.ByteBuffer.wrap(bytes, 12 + size - 4, 4)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .putInt((int) crc.getValue());
        Files.write(file, bytes);

        assertThatThrownBy(
                        () -> new DeltaDirectory(root).deltas("greedy").get(0).checksum())
                .isInstanceOf(DsynqException.class)
                .hasMessageContaining("item.i.csv.xz: decompressing it would need 1537 MiB of memory, more than the"
                        + " 256 MiB dsynq allows (xz -9 needs 65 MiB); compress it again with a smaller dictionary (xz -9"
                        + " or less)");
    }

    private static void xz(Path file, String content) throws Exception {
        try (OutputStream out = new XZOutputStream(Files.newOutputStream(file), new LZMA2Options())) {
            out.write(content.getBytes(StandardCharsets.UTF_8));
        }
    }

    /**
     * A new id sorts after every delta of the folder, even one whose id is ahead of the clock: one before it would be
     * applied after rolling that one back.
     */
    @Test
    void aNewIdSortsAfterEveryDeltaOfTheFolder() throws Exception {
        DeltaDirectory directory = new DeltaDirectory(root);
        java.time.Instant now = java.time.Instant.parse("2026-12-04T12:00:00Z");
        assertThat(directory.newId("db", now).text()).isEqualTo("1796385600.000000");

        delta("db", "1900000000.000000");
        delta("db", "1700000000.000000");
        delta("db", "not-a-delta");
        assertThat(directory.newId("db", now).text()).isEqualTo("1900000000.000001");

        delta("db", "1900000000.000001");
        assertThat(directory.newId("db", now).text()).isEqualTo("1900000000.000002");
        assertThat(directory
                        .newId("db", java.time.Instant.parse("2031-01-01T00:00:00Z"))
                        .text())
                .isEqualTo("1924992000.000000");
    }

    /**
     * A JVM whose locale writes numbers in other digits ({@code -Duser.language=ar}, {@code fa}, {@code th_TH_TH})
     * made the id of a new delta in them, {@code ١٧٩٦٣٨٥٦٠٠.٠٠٠٠٠٠}, which no delta id is: {@code dsynq:new} and
     * {@code dsynq:diff} failed.
     */
    @Test
    void aNewIdHasAsciiDigitsWhateverTheLocale() {
        java.util.Locale locale = java.util.Locale.getDefault();
        java.util.Locale.setDefault(java.util.Locale.forLanguageTag("ar-SA"));
        try {
            java.time.Instant now = java.time.Instant.parse("2026-12-04T12:00:00.000042Z");
            assertThat(new DeltaDirectory(root).newId("db", now).text()).isEqualTo("1796385600.000042");
        } finally {
            java.util.Locale.setDefault(locale);
        }
    }

    /**
     * A JVM decodes file names by its locale's encoding: under {@code LANG=C}, as a bare container has it, the file
     * {@code şehir.i.csv} was read as {@code ??ehir.i.csv}, so that its delta had another checksum than elsewhere
     * (MODIFIED where it was applied) and applying it named an unknown table {@code ??ehir}; the deltas of a database
     * named {@code dükkan} failed on an InvalidPathException. In a JVM of its own.
     */
    @Test
    void aFileNameTheJvmCannotDecodeIsAnError() throws Exception {
        Path file;
        try {
            file = Files.writeString(delta("db", "1700000001.000000").resolve("\u015fehir.i.csv"), "id\n1\n");
        } catch (java.nio.file.InvalidPathException e) {
            org.junit.jupiter.api.Assumptions.abort("this JVM cannot write the name either: " + e.getMessage());
            return;
        }
        ProcessBuilder builder = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        Child.class.getName(),
                        root.toString())
                .redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("LC_") || name.equals("LANG"));
        builder.environment().put("LC_ALL", "C");
        Process child = builder.start();
        assertThat(child.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();

        assertThat(output.lines().toList())
                .hasSize(2)
                .last()
                .isEqualTo("a database's deltas are in a folder named after it (d?kkan), and this JVM's encoding of"
                        + " file names (ANSI_X3.4-1968) cannot hold it; run the build under a UTF-8 locale, such as"
                        + " LANG=C.UTF-8");
        assertThat(output.lines().findFirst().orElseThrow())
                .startsWith("delta 1700000001.000000: the name of file ")
                .contains("cannot be read: this JVM's encoding of file names (ANSI_X3.4-1968) cannot hold it")
                .endsWith("run the build under a UTF-8 locale, such as LANG=C.UTF-8");
        assertThat(new DeltaDirectory(root).deltas("db").get(0).files())
                .extracting(DeltaFile::path)
                .containsExactly(file);
    }

    /**
     * Under a UTF-8 locale a name the JVM cannot decode is not UTF-8 (a file named on a system of another encoding):
     * the error said to run the build under a UTF-8 locale, which it was.
     */
    @Test
    void aFileNameThatIsNotUtf8UnderAUtf8LocaleIsToBeRenamed() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                "UTF-8".equals(System.getProperty("sun.jnu.encoding")) && java.io.File.separatorChar == '/',
                "a Unix JVM that encodes file names in UTF-8");
        Path folder = delta("db", "1700000001.000000");
        // Latin-1's caf\u00e9, which Java cannot name here: the shell's printf writes the byte E9
        Process shell = new ProcessBuilder("sh", "-c", "printf 'id\\n1\\n' > \"caf$(printf '\\351').i.csv\"")
                .directory(folder.toFile())
                .start();
        assertThat(shell.waitFor()).isZero();

        assertThatThrownBy(() -> new DeltaDirectory(root).deltas("db"))
                .isInstanceOf(DsynqException.class)
                .hasMessageStartingWith("delta 1700000001.000000: the name of file ")
                .hasMessageEndingWith(" is not UTF-8, as this JVM reads file names (it was named on a system of"
                        + " another encoding); rename it")
                .message()
                .doesNotContain("LANG");
    }

    /** Runs in the child JVM: the errors reading the deltas of db and of dükkan give, or the deltas. */
    public static final class Child {
        public static void main(String[] args) {
            for (String database : java.util.List.of("db", "d\u00fckkan")) {
                try {
                    System.out.println(new DeltaDirectory(Path.of(args[0])).deltas(database));
                } catch (DsynqException e) {
                    System.out.println(e.getMessage());
                }
            }
        }
    }
}
