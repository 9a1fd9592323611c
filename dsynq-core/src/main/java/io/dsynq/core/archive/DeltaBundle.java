package io.dsynq.core.archive;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.dsynq.core.DsynqException;
import io.dsynq.core.model.Delta;
import io.dsynq.core.model.DeltaChecksum;
import io.dsynq.core.model.DeltaDirectory;
import io.dsynq.core.model.DeltaFile;
import io.dsynq.core.model.DeltaId;
import io.dsynq.core.model.DeltaMeta;
import io.dsynq.core.model.TemporaryFolder;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;
import org.apache.commons.io.file.PathUtils;
import org.tukaani.xz.LZMA2Options;

/**
 * Delta bundles: every database's deltas of a delta directory in one reproducible {@code .tar.xz}, with a manifest
 * of ids and checksums, as Maven repositories carry them (DESIGN.md section 7).
 *
 * <p>A bundle holds {@value #MANIFEST} and the delta folders in their layout, {@code <database>/delta/<id>/...},
 * so an extracted bundle is a root that {@link DeltaDirectory} reads. Writing sorts entries and fixes owner, mode
 * and time, and xz runs single-threaded at preset 6: the same deltas and timestamp give the same bytes.
 *
 * <p>Extraction refuses absolute paths, backslashes, {@code ..}, links, devices and other kinds, long-name or PAX
 * headers over 64 KiB, and files, totals or entry counts beyond the request's bounds; it decompresses within a fixed
 * memory limit, so a crafted archive stops with an error, not an out-of-memory. It then checks every file against
 * the manifest (size and SHA-256, none missing, none extra), every delta's content checksum, and that the
 * manifest's databases are folders of the bundle and its ids delta ids; on any failure, an {@link Error} included,
 * the folder is removed again. The manifest detects corruption, not tampering. Thread-safe.
 */
public final class DeltaBundle {

    /** The manifest's name at the root of a bundle. */
    public static final String MANIFEST = "dsynq-manifest.json";

    /** The xz preset: {@code xz -6}, the command line's default. */
    private static final int PRESET = 6;

    /** What xz may allocate while decompressing: preset 9 needs 65 MiB, so this refuses only crafted streams. */
    private static final int MEMORY_LIMIT_KIB = 256 * 1024;

    /** The largest manifest read; its size bound comes before the bundle's own. */
    private static final long MAX_MANIFEST_BYTES = 64L << 20;

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    /** Indents with two spaces and {@code \n} on every platform: Jackson's default takes the system's separator. */
    private static final ObjectWriter MANIFEST_WRITER = JSON.writer(new DefaultPrettyPrinter()
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n")));

    /** What a database folder in a bundle may be called: one plain path segment. */
    private static final Pattern FOLDER_NAME = Pattern.compile("[^/\\\\\\x00:]+");

    private DeltaBundle() {}

    /**
     * Bundles the deltas under the request's delta directory: every database's, or those the request names.
     *
     * @throws DsynqException when the delta layout is broken
     */
    public static BundleResult write(BundleRequest request) {
        DeltaDirectory directory = new DeltaDirectory(request.deltaDirectory());
        List<TarArchive.Entry> entries = new ArrayList<>();
        List<BundleManifest.DeltaEntry> deltas = new ArrayList<>();
        long content = 0;
        for (String database : directory.databases()) {
            if (!request.databases().isEmpty() && !request.databases().contains(database)) {
                continue;
            }
            for (Delta delta : directory.deltas(database)) {
                String folder = database + "/delta/" + delta.id().text() + "/";
                entries.add(TarArchive.Entry.folder(folder));
                List<Path> files = new ArrayList<>();
                delta.files().stream().map(DeltaFile::path).forEach(files::add);
                Path meta = delta.directory().resolve(DeltaMeta.PATH);
                if (Files.isRegularFile(meta, LinkOption.NOFOLLOW_LINKS)) {
                    files.add(meta);
                }
                List<BundleManifest.FileEntry> listed = new ArrayList<>();
                for (Path file : files) {
                    Path relative = delta.directory().relativize(file);
                    if (relative.toString().contains("\\")
                            && !"\\".equals(relative.getFileSystem().getSeparator())) {
                        // a table's name may hold one; extraction refuses it, as Windows would take it for a folder
                        throw new DsynqException("database " + database + ", delta "
                                + delta.id().text() + ", file "
                                + relative + ": a bundle cannot hold a file whose name has a backslash, which Windows"
                                + " takes for a folder separator; rename the table");
                    }
                    String name = folder + relative.toString().replace('\\', '/');
                    entries.add(TarArchive.Entry.file(name, file));
                    BundleManifest.FileEntry entry = describe(name, file);
                    listed.add(entry);
                    content += entry.size();
                }
                listed.sort(Comparator.comparing(BundleManifest.FileEntry::path));
                deltas.add(new BundleManifest.DeltaEntry(database, delta.id().text(), delta.checksum(), listed));
            }
        }
        BundleManifest manifest = new BundleManifest(BundleManifest.FORMAT, version(), deltas);
        Path archive = request.archive().toAbsolutePath();
        try {
            byte[] manifestBytes = manifestBytes(manifest);
            entries.add(TarArchive.Entry.bytes(MANIFEST, manifestBytes));
            Files.createDirectories(archive.getParent());
            // not createTempFile: its 0600 would make the published file unreadable to others
            Path partial = archive.resolveSibling(archive.getFileName() + ".partial");
            TemporaryFolder.removedOnExit(partial);
            try {
                try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(partial), 1 << 16);
                        XZCompressorOutputStream xz = XZCompressorOutputStream.builder()
                                .setOutputStream(file)
                                .setLzma2Options(new LZMA2Options(PRESET))
                                .get()) {
                    TarArchive.write(entries, xz, request.timestamp());
                }
                Files.move(partial, archive, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(partial);
                TemporaryFolder.removed(partial);
            }
            return new BundleResult(archive, manifest, Files.size(archive), content);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + archive, e);
        }
    }

    /** The manifest as a bundle holds it: the same bytes for the same manifest on every platform. */
    static byte[] manifestBytes(BundleManifest manifest) throws IOException {
        return MANIFEST_WRITER.writeValueAsBytes(manifest);
    }

    /**
     * Extracts a bundle and checks it against its manifest.
     *
     * @throws DsynqException naming the bundle and the entry when it is corrupt, truncated, breaks a bound, tries to
     *     leave its folder, or does not match its manifest; the folder is then removed
     */
    public static ExtractResult extract(ExtractRequest request) {
        Path into = request.into().toAbsolutePath().normalize();
        String source = request.source();
        try {
            if (Files.exists(into, LinkOption.NOFOLLOW_LINKS)) {
                if (!Files.isDirectory(into, LinkOption.NOFOLLOW_LINKS) || !isEmpty(into)) {
                    throw new DsynqException(source + ": cannot extract into " + into + ", it is not an empty folder");
                }
            }
            Files.createDirectories(into);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + into, e);
        }
        boolean done = false;
        try {
            try (InputStream file = new BufferedInputStream(Files.newInputStream(request.archive()), 1 << 16);
                    InputStream xz = XZCompressorInputStream.builder()
                            .setInputStream(file)
                            .setDecompressConcatenated(false)
                            .setMemoryLimitKiB(MEMORY_LIMIT_KIB)
                            .get()) {
                TarArchive.extract(
                        xz, into, source, request.maxEntryBytes(), request.maxTotalBytes(), request.maxEntries());
            } catch (org.apache.commons.compress.MemoryLimitException | org.tukaani.xz.MemoryLimitException e) {
                throw new DsynqException(
                        source + ": the archive needs more memory to decompress than a dsynq bundle may; refused", e);
            } catch (TarArchive.NotWritten e) {
                // a full disk is the machine's, not the bundle's: fetching it again would not help
                throw new DsynqException(
                        source + ": cannot write its entry '" + e.entry + "' into " + into + ": " + e.getMessage(), e);
            } catch (IOException e) {
                throw new DsynqException(
                        source + ": the archive is truncated or corrupt, not a readable .tar.xz (" + describe(e)
                                + "); refused",
                        e);
            }
            ExtractResult result = verify(into, source);
            done = true;
            return result;
        } finally {
            if (!done) {
                // also on an Error: no half-extracted folder stays behind
                delete(into);
            }
        }
    }

    /**
     * Checks a folder an earlier {@link #extract} filled against its manifest, as extraction does.
     *
     * @throws DsynqException when it does not match; the folder is left as it is
     */
    public static ExtractResult verify(Path folder, String source) {
        Path into = folder.toAbsolutePath().normalize();
        BundleManifest manifest = check(into, source);
        long bytes = 0;
        for (BundleManifest.DeltaEntry delta : manifest.deltas()) {
            for (BundleManifest.FileEntry file : delta.files()) {
                bytes += file.size();
            }
        }
        return new ExtractResult(into, manifest, bytes);
    }

    /** Reads the manifest and checks the extracted files against it. */
    private static BundleManifest check(Path into, String source) {
        Path manifestFile = into.resolve(MANIFEST);
        if (!Files.isRegularFile(manifestFile, LinkOption.NOFOLLOW_LINKS)) {
            throw new DsynqException(source + ": the archive has no " + MANIFEST + "; it is not a dsynq delta bundle");
        }
        BundleManifest manifest;
        try {
            if (Files.size(manifestFile) > MAX_MANIFEST_BYTES) {
                throw new DsynqException(
                        source + ": its " + MANIFEST + " is larger than " + MAX_MANIFEST_BYTES + " bytes; refused");
            }
            manifest = JSON.readValue(manifestFile.toFile(), BundleManifest.class);
        } catch (IOException e) {
            throw new DsynqException(source + ": its " + MANIFEST + " cannot be read: " + describe(e), e);
        }
        if (manifest.format() != BundleManifest.FORMAT) {
            throw new DsynqException(source + ": its manifest has format " + manifest.format() + "; this dsynq reads"
                    + " format " + BundleManifest.FORMAT + " (written by dsynq " + manifest.dsynqVersion() + ")");
        }
        Map<String, BundleManifest.FileEntry> listed = new HashMap<>();
        for (BundleManifest.DeltaEntry delta : manifest.deltas()) {
            for (BundleManifest.FileEntry file : delta.files()) {
                if (file.path() == null) {
                    throw new DsynqException(source + ": its manifest lists a file with no path; refused");
                }
                if (listed.put(file.path(), file) != null) {
                    throw new DsynqException(source + ": its manifest lists " + file.path() + " twice; refused");
                }
            }
        }
        TreeSet<String> found = new TreeSet<>();
        try (Stream<Path> walk = Files.walk(into)) {
            walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                    .map(p -> into.relativize(p).toString().replace('\\', '/'))
                    .filter(name -> !name.equals(MANIFEST))
                    .forEach(found::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + into, e);
        }
        for (String name : found) {
            BundleManifest.FileEntry expected = listed.get(name);
            if (expected == null) {
                throw new DsynqException(source + ": entry " + name + " is not in the manifest; refused");
            }
            BundleManifest.FileEntry actual = describe(name, into.resolve(name));
            if (actual.size() != expected.size()
                    || !actual.sha256().equalsIgnoreCase(String.valueOf(expected.sha256()))) {
                throw new DsynqException(source + ": entry " + name + " does not match the manifest's checksum (sha256 "
                        + actual.sha256() + ", " + actual.size() + " bytes; the manifest says " + expected.sha256()
                        + ", " + expected.size() + " bytes): the bundle is corrupt or was altered; refused");
            }
        }
        for (String name : listed.keySet()) {
            if (!found.contains(name)) {
                throw new DsynqException(
                        source + ": the manifest lists " + name + " but the archive does not hold" + " it; refused");
            }
        }
        for (BundleManifest.DeltaEntry entry : manifest.deltas()) {
            String database = entry.database();
            if (database == null
                    || !FOLDER_NAME.matcher(database).matches()
                    || database.equals(".")
                    || database.equals("..")
                    || !Files.isDirectory(into.resolve(database), LinkOption.NOFOLLOW_LINKS)) {
                throw new DsynqException(source + ": its manifest names database '" + database
                        + "', which is not a folder of the bundle; refused");
            }
            if (!DeltaId.isValid(entry.id())) {
                throw new DsynqException(source + ": its manifest names delta '" + entry.id() + "' of database "
                        + database + ", which is not a delta id; refused");
            }
        }
        DeltaDirectory directory = new DeltaDirectory(into);
        Map<String, Map<String, Delta>> byDatabase = new HashMap<>();
        for (BundleManifest.DeltaEntry entry : manifest.deltas()) {
            Map<String, Delta> deltas = byDatabase.computeIfAbsent(entry.database(), database -> {
                Map<String, Delta> byId = new HashMap<>();
                directory.deltas(database).forEach(d -> byId.put(d.id().text(), d));
                return byId;
            });
            Delta delta = deltas.get(entry.id());
            if (delta == null) {
                throw new DsynqException(source + ": the manifest lists delta " + entry.id() + " of database "
                        + entry.database() + " but the archive does not hold it; refused");
            }
            if (!delta.checksum().equals(entry.checksum())) {
                throw new DsynqException(source + ": delta " + entry.id() + " of database " + entry.database()
                        + " does not match the manifest's checksum; refused");
            }
        }
        for (String database : directory.databases()) {
            Map<String, Delta> deltas = byDatabase.getOrDefault(database, Map.of());
            for (Delta delta : directory.deltas(database)) {
                if (!deltas.containsKey(delta.id().text())) {
                    throw new DsynqException(source + ": delta " + delta.id() + " of database " + database
                            + " is not in the manifest; refused");
                }
            }
        }
        return manifest;
    }

    private static BundleManifest.FileEntry describe(String name, Path file) {
        MessageDigest digest = DeltaChecksum.sha256();
        long size = 0;
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
                size += n;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return new BundleManifest.FileEntry(name, size, HexFormat.of().formatHex(digest.digest()));
    }

    /** The version of dsynq, as its build recorded it. */
    public static String version() {
        Properties properties = new Properties();
        try (InputStream in = DeltaBundle.class.getResourceAsStream("/io/dsynq/core/dsynq.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            // unknown
        }
        return properties.getProperty("version", "unknown");
    }

    private static boolean isEmpty(Path folder) throws IOException {
        try (Stream<Path> children = Files.list(folder)) {
            return children.findAny().isEmpty();
        }
    }

    private static void delete(Path folder) {
        try {
            if (Files.exists(folder, LinkOption.NOFOLLOW_LINKS)) {
                PathUtils.deleteDirectory(folder);
            }
        } catch (IOException e) {
            // leave what cannot be removed; the error that got us here matters more
        }
    }

    private static String describe(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
