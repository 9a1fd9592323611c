package io.dsynq.core.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.json.JsonMapper;
import io.dsynq.core.DsynqException;
import io.dsynq.core.model.DeltaDirectory;
import io.dsynq.core.model.DeltaSources;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeltaBundleTest {

    private static final Instant TIME = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path work;

    private Path sources(String name) throws IOException {
        Path root = work.resolve(name);
        Path first = Files.createDirectories(root.resolve("shop/delta/1700000001.000000"));
        Files.writeString(first.resolve("item.i.csv"), "id,name\n1,apple\n2,pear\n");
        Files.createDirectories(first.resolve(".meta"));
        Files.writeString(first.resolve(".meta/.dsynqmeta.json"), "{\"id\":\"1700000001.000000\"}");
        Path second = Files.createDirectories(root.resolve("shop/delta/1700000002.000000"));
        Files.writeString(second.resolve("item.u.csv"), "id,name\n1,plum\n");
        Files.writeString(second.resolve(".gitkeep"), "");
        Files.createDirectories(root.resolve("shop/delta/1700000003.000000"));
        Path other = Files.createDirectories(root.resolve("stock/delta/1700000001.500000"));
        Files.writeString(other.resolve("level.i.csv"), "id\n7\n");
        return root;
    }

    @Test
    void bundlesEveryDatabaseAndExtractsToTheSameDeltas() throws IOException {
        Path root = sources("src");
        BundleResult written = DeltaBundle.write(new BundleRequest(root, work.resolve("out/b.tar.xz"), TIME));

        assertThat(written.manifest().deltas())
                .extracting(d -> d.database() + "/" + d.id())
                .containsExactly(
                        "shop/1700000001.000000",
                        "shop/1700000002.000000",
                        "shop/1700000003.000000",
                        "stock/1700000001.500000");
        assertThat(written.manifest().deltas().get(0).files())
                .extracting(BundleManifest.FileEntry::path)
                .containsExactly(
                        "shop/delta/1700000001.000000/.meta/.dsynqmeta.json",
                        "shop/delta/1700000001.000000/item.i.csv");
        assertThat(written.manifest().dsynqVersion()).isNotBlank();
        assertThat(written.archive().resolveSibling("b.tar.xz.partial")).doesNotExist();
        if (written.archive().getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertThat(Files.getPosixFilePermissions(written.archive()))
                    .contains(java.nio.file.attribute.PosixFilePermission.OTHERS_READ);
        }

        ExtractResult extracted = DeltaBundle.extract(ExtractRequest.of(written.archive(), work.resolve("x"), "b"));

        DeltaDirectory original = new DeltaDirectory(root);
        DeltaDirectory copy = new DeltaDirectory(extracted.folder());
        assertThat(copy.databases()).containsExactly("shop", "stock");
        for (String database : List.of("shop", "stock")) {
            assertThat(copy.deltas(database))
                    .extracting(d -> d.id() + " " + d.checksum())
                    .containsExactlyElementsOf(original.deltas(database).stream()
                            .map(d -> d.id() + " " + d.checksum())
                            .toList());
        }
        assertThat(copy.deltas("shop").get(0).meta()).isNotNull();
    }

    /** The same deltas as {@link #sources}, files created in the opposite order. */
    private Path sourcesReversed(String name) throws IOException {
        Path root = work.resolve(name);
        Path other = Files.createDirectories(root.resolve("stock/delta/1700000001.500000"));
        Files.writeString(other.resolve("level.i.csv"), "id\n7\n");
        Files.createDirectories(root.resolve("shop/delta/1700000003.000000"));
        Path second = Files.createDirectories(root.resolve("shop/delta/1700000002.000000"));
        Files.writeString(second.resolve(".gitkeep"), "");
        Files.writeString(second.resolve("item.u.csv"), "id,name\n1,plum\n");
        Path first = Files.createDirectories(root.resolve("shop/delta/1700000001.000000"));
        Files.createDirectories(first.resolve(".meta"));
        Files.writeString(first.resolve(".meta/.dsynqmeta.json"), "{\"id\":\"1700000001.000000\"}");
        Files.writeString(first.resolve("item.i.csv"), "id,name\n1,apple\n2,pear\n");
        return root;
    }

    @Test
    void theSameDeltasGiveTheSameBytes() throws IOException {
        Path one = sources("one");
        // another checkout: files created in another order, with other times and permissions
        Path two = sourcesReversed("two");
        boolean posix = two.getFileSystem().supportedFileAttributeViews().contains("posix");
        try (Stream<Path> walk = Files.walk(two)) {
            for (Path path : walk.toList()) {
                Files.setLastModifiedTime(path, FileTime.from(Instant.parse("2001-02-03T04:05:06Z")));
                if (posix) {
                    Files.setPosixFilePermissions(
                            path, PosixFilePermissions.fromString(Files.isDirectory(path) ? "rwx------" : "rw-rw-rw-"));
                }
            }
        }
        Path a = DeltaBundle.write(new BundleRequest(one, work.resolve("a.tar.xz"), TIME))
                .archive();
        Path b = DeltaBundle.write(new BundleRequest(two, work.resolve("b.tar.xz"), TIME))
                .archive();

        assertThat(Files.readAllBytes(a)).isEqualTo(Files.readAllBytes(b));
        Path c = DeltaBundle.write(new BundleRequest(one, work.resolve("c.tar.xz"), TIME.plusSeconds(1)))
                .archive();
        assertThat(Arrays.equals(Files.readAllBytes(a), Files.readAllBytes(c))).isFalse();
    }

    @Test
    void bundlesOnlyTheDatabasesTheRequestNames() throws IOException {
        BundleResult written = DeltaBundle.write(
                new BundleRequest(sources("src"), work.resolve("stock.tar.xz"), TIME, List.of("stock")));
        assertThat(written.manifest().deltas())
                .extracting(d -> d.database() + "/" + d.id())
                .containsExactly("stock/1700000001.500000");
        Path extracted = DeltaBundle.extract(ExtractRequest.of(written.archive(), work.resolve("x"), "s"))
                .folder();
        assertThat(new DeltaDirectory(extracted).databases()).containsExactly("stock");
    }

    /**
     * A table's name may hold a backslash, which extraction refuses: the file was bundled as a folder and a file, and
     * its extraction failed on a file of no delta.
     */
    @Test
    void aFileNamedWithABackslashIsRefusedNamingIt() throws IOException {
        Path root = sources("src");
        Files.writeString(root.resolve("shop/delta/1700000002.000000/back\\slash.i.csv"), "id\n1\n");

        assertThatThrownBy(() -> DeltaBundle.write(new BundleRequest(root, work.resolve("b.tar.xz"), TIME)))
                .isInstanceOf(DsynqException.class)
                .hasMessage("database shop, delta 1700000002.000000, file back\\slash.i.csv: a bundle cannot hold a"
                        + " file whose name has a backslash, which Windows takes for a folder separator; rename the"
                        + " table");
        assertThat(work.resolve("b.tar.xz")).doesNotExist();
    }

    @Test
    void theManifestUsesLineFeedsOnEveryPlatform() throws IOException {
        BundleResult written = DeltaBundle.write(new BundleRequest(sources("src"), work.resolve("m.tar.xz"), TIME));
        byte[] bytes = DeltaBundle.manifestBytes(written.manifest());
        String text = new String(bytes, StandardCharsets.UTF_8);
        assertThat(text).doesNotContain("\r").contains("\n  \"format\" : 1,\n");
        Path extracted = DeltaBundle.extract(ExtractRequest.of(written.archive(), work.resolve("x"), "m"))
                .folder();
        assertThat(Files.readAllBytes(extracted.resolve(DeltaBundle.MANIFEST))).isEqualTo(bytes);
    }

    @Test
    void fetchedAndLocalDeltasMergeByIdAndTheSameIdTwiceIsAnError() throws IOException {
        Path local = Files.createDirectories(work.resolve("local/shop/delta/1700000001.200000"));
        Files.writeString(local.resolve("item.i.csv"), "id\n9\n");
        Path fetched = DeltaBundle.extract(ExtractRequest.of(
                        DeltaBundle.write(new BundleRequest(sources("src"), work.resolve("b.tar.xz"), TIME))
                                .archive(),
                        work.resolve("fetched"),
                        "b"))
                .folder();

        DeltaSources sources = DeltaSources.of(work.resolve("local"), List.of(fetched));
        assertThat(sources.databases()).containsExactly("shop", "stock");
        assertThat(sources.deltas("shop"))
                .extracting(d -> d.id().text())
                .containsExactly("1700000001.000000", "1700000001.200000", "1700000002.000000", "1700000003.000000");

        Files.createDirectories(work.resolve("local/shop/delta/1700000002"));
        assertThatThrownBy(() -> sources.deltas("shop"))
                .isInstanceOf(DsynqException.class)
                .hasMessageContaining("two deltas have the same id 1700000002")
                .hasMessageContaining(fetched.toString())
                .hasMessageContaining(work.resolve("local").toString());
    }

    // ---- malicious and broken archives: each refused with one clear error, nothing left, nothing outside

    /** Writes a .tar.xz whose entries the test crafts. */
    private Path crafted(String name, TarCrafter crafter) throws IOException {
        Path archive = work.resolve(name);
        try (OutputStream file = Files.newOutputStream(archive);
                XZCompressorOutputStream xz = new XZCompressorOutputStream(file, 1)) {
            TarArchiveOutputStream tar = new TarArchiveOutputStream(xz, "UTF-8");
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            crafter.write(tar);
            tar.finish();
        }
        return archive;
    }

    private interface TarCrafter {
        void write(TarArchiveOutputStream tar) throws IOException;
    }

    private static void file(TarArchiveOutputStream tar, String name, byte[] content) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name, true);
        entry.setSize(content.length);
        tar.putArchiveEntry(entry);
        tar.write(content);
        tar.closeArchiveEntry();
    }

    private static void link(TarArchiveOutputStream tar, String name, String target, byte flag) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name, flag, true);
        entry.setLinkName(target);
        tar.putArchiveEntry(entry);
        tar.closeArchiveEntry();
    }

    /** Extracts into work/sandbox/into and checks that the refusal left nothing, in it or beside it. */
    private void refused(Path archive, long maxEntry, long maxTotal, String... message) throws IOException {
        Path sandbox = Files.createDirectories(work.resolve("sandbox"));
        List<Path> before = everything();
        assertThatThrownBy(() -> DeltaBundle.extract(new ExtractRequest(
                        archive,
                        sandbox.resolve("into"),
                        "bad-bundle",
                        maxEntry,
                        maxTotal,
                        ExtractRequest.DEFAULT_MAX_ENTRIES)))
                .isInstanceOf(DsynqException.class)
                .hasMessageStartingWith("bad-bundle: ")
                .hasMessageContainingAll(message);
        assertThat(sandbox.resolve("into")).doesNotExist();
        assertThat(everything()).containsExactlyInAnyOrderElementsOf(before);
        assertThat(Files.exists(Path.of("/tmp/dsynq-escaped"))).isFalse();
    }

    private void refused(Path archive, String... message) throws IOException {
        refused(archive, ExtractRequest.DEFAULT_MAX_ENTRY_BYTES, ExtractRequest.DEFAULT_MAX_TOTAL_BYTES, message);
    }

    private List<Path> everything() throws IOException {
        try (Stream<Path> walk = Files.walk(work.getParent() == null ? work : work)) {
            return walk.toList();
        }
    }

    private static byte[] text(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void refusesPathTraversal() throws IOException {
        refused(
                crafted("traversal.tar.xz", tar -> file(tar, "shop/delta/../../../escaped.csv", text("x\n"))),
                "entry 'shop/delta/../../../escaped.csv' points outside the folder; refused");
        // into is work/sandbox/into: the entry would land in work/sandbox
        assertThat(work.resolve("sandbox/escaped.csv")).doesNotExist();
    }

    @Test
    void refusesAnAbsolutePath() throws IOException {
        refused(
                crafted("absolute.tar.xz", tar -> file(tar, "/tmp/dsynq-escaped", text("x\n"))),
                "has an absolute path; refused");
    }

    @Test
    void refusesSymbolicAndHardLinks() throws IOException {
        refused(
                crafted(
                        "symlink.tar.xz",
                        tar -> link(
                                tar,
                                "shop/delta/1700000001.000000/item.i.csv",
                                "/etc/passwd",
                                TarArchiveEntry.LF_SYMLINK)),
                "is a link, device or other kind",
                "not a file or folder; refused");
        refused(
                crafted(
                        "hardlink.tar.xz",
                        tar -> link(
                                tar,
                                "shop/delta/1700000001.000000/item.i.csv",
                                "/etc/passwd",
                                TarArchiveEntry.LF_LINK)),
                "is a link, device or other kind",
                "not a file or folder; refused");
        refused(
                crafted("device.tar.xz", tar -> link(tar, "shop/zero", "", TarArchiveEntry.LF_CHR)),
                "is a link, device or other kind",
                "not a file or folder; refused");
    }

    @Test
    void refusesAnOversizedEntry() throws IOException {
        refused(
                crafted("big.tar.xz", tar -> file(tar, "shop/delta/1700000001.000000/item.i.csv", new byte[4096])),
                1024,
                1 << 20,
                "entry 'shop/delta/1700000001.000000/item.i.csv' is 4096 bytes, more than the bound of 1024");
    }

    @Test
    void refusesABombWithoutRunningOutOfMemory() throws IOException {
        // 256 MiB of zeros in an archive of a few dozen KiB; the bound is 16 MiB
        Path bomb = crafted("bomb.tar.xz", tar -> {
            TarArchiveEntry entry = new TarArchiveEntry("shop/delta/1700000001.000000/item.i.csv", true);
            entry.setSize(256L << 20);
            tar.putArchiveEntry(entry);
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 256; i++) {
                tar.write(zeros);
            }
            tar.closeArchiveEntry();
        });
        assertThat(Files.size(bomb)).isLessThan(100_000);
        refused(bomb, 16L << 20, 64L << 20, "is 268435456 bytes, more than the bound of 16777216; refused");

        // many entries each under the bound, too much together
        Path many = crafted("many.tar.xz", tar -> {
            for (int i = 0; i < 8; i++) {
                file(tar, "shop/delta/1700000001.000000/t" + i + ".i.csv", new byte[1 << 20]);
            }
        });
        refused(many, 2L << 20, 4L << 20, "the entries hold more than the bound of 4194304 bytes in all; refused");
    }

    @Test
    void refusesAChecksumMismatch() throws IOException {
        Path good = DeltaBundle.write(new BundleRequest(sources("src"), work.resolve("good.tar.xz"), TIME))
                .archive();
        BundleManifest manifest = DeltaBundle.write(
                        new BundleRequest(sources("src2"), work.resolve("good2.tar.xz"), TIME))
                .manifest();
        byte[] manifestBytes = JsonMapper.builder().build().writeValueAsBytes(manifest);
        // the same manifest, the content of one file changed
        Path altered = crafted("altered.tar.xz", tar -> {
            file(tar, DeltaBundle.MANIFEST, manifestBytes);
            for (BundleManifest.DeltaEntry delta : manifest.deltas()) {
                for (BundleManifest.FileEntry entry : delta.files()) {
                    byte[] content = Files.readAllBytes(work.resolve("src").resolve(entry.path()));
                    if (entry.path().endsWith("item.i.csv")) {
                        content = text("id,name\n1,apple\n2,poison\n");
                    }
                    file(tar, entry.path(), content);
                }
            }
        });
        assertThat(good).exists();
        refused(
                altered,
                "entry shop/delta/1700000001.000000/item.i.csv does not match the manifest's checksum",
                "refused");
    }

    @Test
    void refusesAFileTheManifestDoesNotList() throws IOException {
        BundleManifest manifest = new BundleManifest(BundleManifest.FORMAT, "test", List.of());
        byte[] manifestBytes = JsonMapper.builder().build().writeValueAsBytes(manifest);
        refused(
                crafted("extra.tar.xz", tar -> {
                    file(tar, DeltaBundle.MANIFEST, manifestBytes);
                    file(tar, "shop/delta/1700000001.000000/item.i.csv", text("id\n1\n"));
                }),
                "entry shop/delta/1700000001.000000/item.i.csv is not in the manifest; refused");
        refused(
                crafted("nomanifest.tar.xz", tar -> file(tar, "shop/delta/1700000001.000000/item.i.csv", text("id\n"))),
                "has no dsynq-manifest.json; it is not a dsynq delta bundle");
    }

    @Test
    void refusesATruncatedArchive() throws IOException {
        Path good = DeltaBundle.write(new BundleRequest(sources("src"), work.resolve("good.tar.xz"), TIME))
                .archive();
        byte[] bytes = Files.readAllBytes(good);
        Path truncated = Files.write(work.resolve("truncated.tar.xz"), Arrays.copyOf(bytes, bytes.length / 2));
        refused(truncated, "the archive is truncated or corrupt, not a readable .tar.xz");

        ByteArrayOutputStream garbage = new ByteArrayOutputStream();
        garbage.writeBytes(text("this is not xz at all"));
        Path notXz = Files.write(work.resolve("garbage.tar.xz"), garbage.toByteArray());
        refused(notXz, "the archive is truncated or corrupt, not a readable .tar.xz");
    }

    @Test
    void refusesAFolderThatIsNotEmpty() throws IOException {
        Path good = DeltaBundle.write(new BundleRequest(sources("src"), work.resolve("good.tar.xz"), TIME))
                .archive();
        Path into = Files.createDirectories(work.resolve("full"));
        Files.writeString(into.resolve("keep.txt"), "mine");
        assertThatThrownBy(() -> DeltaBundle.extract(ExtractRequest.of(good, into, "b")))
                .isInstanceOf(DsynqException.class)
                .hasMessageContaining("it is not an empty folder");
        assertThat(into.resolve("keep.txt")).hasContent("mine");
    }

    /** A raw 512-byte tar header: name, type and size as given, checksum right. */
    private static byte[] rawHeader(String name, char type, long size) {
        byte[] header = new byte[512];
        byte[] nameBytes = text(name);
        System.arraycopy(nameBytes, 0, header, 0, nameBytes.length);
        put(header, 100, "0000644");
        put(header, 108, "0000000");
        put(header, 116, "0000000");
        put(header, 124, String.format("%011o", size));
        put(header, 136, "00000000000");
        header[156] = (byte) type;
        put(header, 257, "ustar");
        put(header, 263, "00");
        Arrays.fill(header, 148, 156, (byte) ' ');
        int sum = 0;
        for (byte b : header) {
            sum += b & 0xff;
        }
        put(header, 148, String.format("%06o", sum));
        header[154] = 0;
        return header;
    }

    private static void put(byte[] header, int offset, String value) {
        byte[] bytes = text(value);
        System.arraycopy(bytes, 0, header, offset, bytes.length);
    }

    /** Writes raw tar bytes, a header and {@code content} zeros after it, as a .tar.xz. */
    private Path rawArchive(String name, byte[] header, long content) throws IOException {
        Path archive = work.resolve(name);
        try (OutputStream file = Files.newOutputStream(archive);
                XZCompressorOutputStream xz = new XZCompressorOutputStream(file, 0)) {
            xz.write(header);
            byte[] zeros = new byte[1 << 20];
            for (long left = content; left > 0; left -= zeros.length) {
                xz.write(zeros, 0, (int) Math.min(zeros.length, left));
            }
            xz.write(new byte[1024]);
        }
        return archive;
    }

    @Test
    void refusesAHugeLongNameHeaderWithoutRunningOutOfMemory() throws IOException {
        // a GNU long name of 512 MiB, all of it there: Commons Compress would read it into memory
        Path longName = rawArchive("longname.tar.xz", rawHeader("././@LongLink", 'L', 512L << 20), 512L << 20);
        assertThat(Files.size(longName)).isLessThan(1_000_000);
        refused(longName, "a long-name header ('L') of 536870912 bytes, more than the bound of 65536; refused");
    }

    @Test
    void refusesHugePaxHeadersAndOtherKinds() throws IOException {
        refused(
                rawArchive("pax.tar.xz", rawHeader("PaxHeaders/x", 'x', 512L << 20), 1 << 20),
                "a PAX header ('x') of 536870912 bytes, more than the bound of 65536; refused");
        refused(
                rawArchive("global.tar.xz", rawHeader("GlobalHead", 'g', 512L << 20), 1 << 20),
                "a PAX header ('g') of 536870912 bytes");
        refused(
                rawArchive("longlink.tar.xz", rawHeader("././@LongLink", 'K', 1L << 20), 1 << 20),
                "a long-name header ('K') of 1048576 bytes");
        refused(
                rawArchive("sparse.tar.xz", rawHeader("shop/sparse", 'S', 0), 0),
                "entry 'shop/sparse' is a link, device or other kind (type 'S'), not a file or folder");
        refused(
                rawArchive("fifo.tar.xz", rawHeader("shop/fifo", '6', 0), 0),
                "entry 'shop/fifo' is a link, device or other kind (type '6')");
    }

    @Test
    void refusesTooManyEntries() throws IOException {
        Path many = crafted("entries.tar.xz", tar -> {
            for (int i = 0; i < 20; i++) {
                file(tar, "shop/delta/1700000001.000000/t" + i + ".i.csv", new byte[0]);
            }
        });
        Path sandbox = Files.createDirectories(work.resolve("sandbox"));
        assertThatThrownBy(() -> DeltaBundle.extract(new ExtractRequest(
                        many,
                        sandbox.resolve("into"),
                        "bad-bundle",
                        ExtractRequest.DEFAULT_MAX_ENTRY_BYTES,
                        ExtractRequest.DEFAULT_MAX_TOTAL_BYTES,
                        10)))
                .isInstanceOf(DsynqException.class)
                .hasMessage("bad-bundle: the archive holds more than the bound of 10 entries; refused");
        assertThat(sandbox.resolve("into")).doesNotExist();
    }

    /**
     * A second entry for a path replaced the first without a word: a bundle could show one content to a person who
     * lists or reads it with a tool that takes the first entry, and give dsynq the other. An entry under one that is a
     * file was called a truncated or corrupt archive, naming a path of the temporary folder.
     */
    @Test
    void refusesAPathGivenTwiceOrUnderAFile() throws IOException {
        String path = "shop/delta/1700000001.000000/item.i.csv";
        refused(
                crafted("twice.tar.xz", tar -> {
                    file(tar, path, text("id,name\n1,shown\n"));
                    file(tar, path, text("id,name\n1,applied\n"));
                }),
                "entry '" + path + "' is in the archive twice; refused");
        refused(
                crafted("file-and-folder.tar.xz", tar -> {
                    file(tar, "shop/delta/1700000001.000000", text("x\n"));
                    tar.putArchiveEntry(new TarArchiveEntry("shop/delta/1700000001.000000/"));
                    tar.closeArchiveEntry();
                }),
                "entry 'shop/delta/1700000001.000000/' names both a file and a folder of the archive; refused");
        refused(
                crafted("folder-then-file.tar.xz", tar -> {
                    file(tar, path, text("id\n1\n"));
                    file(tar, "shop/delta/1700000001.000000", text("x\n"));
                }),
                "entry 'shop/delta/1700000001.000000' names both a file and a folder of the archive; refused");
        refused(
                crafted("under-a-file.tar.xz", tar -> {
                    file(tar, path, text("id\n1\n"));
                    file(tar, path + "/x", text("x\n"));
                }),
                "entry '" + path + "/x' lies under '" + path + "', a file of the archive; refused");
    }

    @Test
    void refusesABackslashInAnEntryName() throws IOException {
        refused(
                crafted("backslash.tar.xz", tar -> file(tar, "shop\\delta\\x.csv", text("x\n"))),
                "entry 'shop\\delta\\x.csv' has a backslash in its name; refused");
    }

    @Test
    void refusesANameThatIsNoPathHere() throws IOException {
        // a PAX path may hold a NUL, which no file name may
        String name = "shop/delta/1700000001.000000/" + "a".repeat(120) + "\0.i.csv";
        refused(crafted("nul.tar.xz", tar -> file(tar, name, text("x\n"))), "is not a valid path here", "refused");
    }

    /**
     * A file the bundle's folder could not take as it was extracted (a full disk, or here a name longer than the file
     * system's 255 bytes) was blamed on the bundle: 'the archive is truncated or corrupt, not a readable .tar.xz (No
     * space left on device); refused', so that a user would fetch it again to no avail.
     */
    @Test
    void aFileTheFolderCannotTakeIsNotBlamedOnTheBundle() throws IOException {
        String name = "shop/delta/1700000001.000000/" + "a".repeat(300) + ".i.csv";
        Path archive = crafted("long.tar.xz", tar -> file(tar, name, text("id\n1\n")));
        Path into = work.resolve("sandbox/into");

        assertThatThrownBy(() -> DeltaBundle.extract(ExtractRequest.of(archive, into, "bundle")))
                .isInstanceOf(DsynqException.class)
                .hasMessageStartingWith("bundle: cannot write its entry '" + name + "' into " + into + ": ")
                .hasMessageNotContaining("corrupt");
        assertThat(into).doesNotExist();
    }

    @Test
    void refusesAManifestNamingAnotherFolderOrABadId() throws IOException {
        Path root = sources("src");
        BundleManifest manifest = DeltaBundle.write(new BundleRequest(root, work.resolve("good.tar.xz"), TIME))
                .manifest();
        for (String[] bad : List.of(
                new String[] {"..", "1700000001.000000", "database '..', which is not a folder of the bundle"},
                new String[] {"nowhere", "1700000001.000000", "database 'nowhere', which is not a folder"},
                new String[] {"shop", "../../x", "delta '../../x' of database shop, which is not a delta id"})) {
            List<BundleManifest.DeltaEntry> deltas = new java.util.ArrayList<>(manifest.deltas());
            BundleManifest.DeltaEntry first = deltas.get(0);
            deltas.set(0, new BundleManifest.DeltaEntry(bad[0], bad[1], first.checksum(), first.files()));
            byte[] manifestBytes = JsonMapper.builder()
                    .build()
                    .writeValueAsBytes(new BundleManifest(BundleManifest.FORMAT, "test", deltas));
            refused(
                    crafted("manifest-" + bad[0].replace('.', 'd') + ".tar.xz", tar -> {
                        file(tar, DeltaBundle.MANIFEST, manifestBytes);
                        for (BundleManifest.DeltaEntry delta : manifest.deltas()) {
                            for (BundleManifest.FileEntry entry : delta.files()) {
                                file(tar, entry.path(), Files.readAllBytes(root.resolve(entry.path())));
                            }
                        }
                    }),
                    bad[2],
                    "refused");
        }
    }
}
