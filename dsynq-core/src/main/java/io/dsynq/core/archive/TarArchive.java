package io.dsynq.core.archive;

import io.dsynq.core.DsynqException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.io.input.BoundedInputStream;

/**
 * Writes folders as tar streams that are the same bytes for the same content (entries sorted, owner, mode and
 * time fixed), and extracts tar streams safely: entries with absolute paths, {@code ..}, links or devices are
 * refused, and so are entries or totals beyond a size bound. Compression is the caller's. Thread-safe.
 */
public final class TarArchive {

    private TarArchive() {}

    /**
     * One entry to write: a file's content, bytes in memory, or a folder.
     *
     * @param name the path inside the archive, {@code /}-separated and relative
     * @param file the file whose content the entry holds, or {@code null}
     * @param bytes the content when it is in memory, or {@code null}; with neither, the entry is a folder
     */
    public record Entry(String name, Path file, byte[] bytes) {

        /** An entry holding a file's content. */
        public static Entry file(String name, Path file) {
            return new Entry(name, file, null);
        }

        /** An entry holding bytes. */
        public static Entry bytes(String name, byte[] bytes) {
            return new Entry(name, null, bytes.clone());
        }

        /** A folder entry, so an empty folder survives the trip. */
        public static Entry folder(String name) {
            return new Entry(name.endsWith("/") ? name : name + "/", null, null);
        }

        boolean isFolder() {
            return file == null && bytes == null;
        }
    }

    /** Writes every regular file under {@code folder}, sorted by relative path, stamped with {@code time}. */
    public static void write(Path folder, OutputStream out, Instant time) throws IOException {
        List<Entry> entries;
        try (Stream<Path> walk = Files.walk(folder)) {
            entries = walk.filter(Files::isRegularFile)
                    .map(file -> Entry.file(relative(folder, file), file))
                    .toList();
        }
        write(entries, out, time);
    }

    /**
     * Writes {@code entries} sorted by name, every one owned by root, mode {@code 0644} ({@code 0755} for folders)
     * and stamped with {@code time}, so the same entries always give the same bytes.
     */
    public static void write(List<Entry> entries, OutputStream out, Instant time) throws IOException {
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out, "UTF-8");
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        for (Entry one :
                entries.stream().sorted(Comparator.comparing(Entry::name)).toList()) {
            TarArchiveEntry entry = new TarArchiveEntry(one.name());
            entry.setModTime(time.toEpochMilli());
            entry.setMode(one.isFolder() ? 040755 : 0100644);
            entry.setSize(one.isFolder() ? 0 : one.file() != null ? Files.size(one.file()) : one.bytes().length);
            entry.setUserId(0);
            entry.setGroupId(0);
            entry.setUserName("");
            entry.setGroupName("");
            tar.putArchiveEntry(entry);
            if (one.file() != null) {
                Files.copy(one.file(), tar);
            } else if (one.bytes() != null) {
                tar.write(one.bytes());
            }
            tar.closeArchiveEntry();
        }
        tar.finish();
    }

    /**
     * Extracts a tar stream into {@code into}, which must exist.
     *
     * @param source the archive's name, for messages
     * @param maxEntryBytes the largest entry allowed
     * @param maxTotalBytes the most bytes allowed in all
     * @throws DsynqException when an entry would escape {@code into}, is not a plain file or folder, or is too
     *     large; what was extracted before stays
     */
    public static void extract(InputStream in, Path into, String source, long maxEntryBytes, long maxTotalBytes)
            throws IOException {
        Path root = into.toAbsolutePath().normalize();
        long total = 0;
        TarArchiveInputStream tar = new TarArchiveInputStream(in, "UTF-8");
        for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
            String name = entry.getName();
            if (name.startsWith("/") || name.contains("\\") || name.matches("^[A-Za-z]:.*")) {
                throw new DsynqException(source + ": entry '" + name + "' has an absolute path; refused");
            }
            Path target = root.resolve(name).normalize();
            if (!target.startsWith(root) || List.of(name.split("/")).contains("..")) {
                throw new DsynqException(source + ": entry '" + name + "' points outside the folder; refused");
            }
            if (entry.isDirectory()) {
                Files.createDirectories(target);
                continue;
            }
            // an allow-list: Commons Compress counts devices and unknown kinds as files
            byte kind = entry.getLinkFlag();
            if ((kind != TarConstants.LF_NORMAL && kind != TarConstants.LF_OLDNORM)
                    || entry.isLink()
                    || entry.isSymbolicLink()
                    || target.equals(root)) {
                throw new DsynqException(source + ": entry '" + name + "' is a link or device, not a file; refused");
            }
            if (entry.getSize() > maxEntryBytes) {
                throw new DsynqException(source + ": entry '" + name + "' is " + entry.getSize()
                        + " bytes, more than the bound of " + maxEntryBytes + "; refused");
            }
            total += entry.getSize();
            if (total > maxTotalBytes) {
                throw new DsynqException(source + ": the entries hold more than the bound of " + maxTotalBytes
                        + " bytes in all; refused");
            }
            Files.createDirectories(target.getParent());
            try (InputStream content = BoundedInputStream.builder()
                    .setInputStream(tar)
                    .setMaxCount(entry.getSize())
                    .setPropagateClose(false)
                    .get()) {
                Files.copy(content, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private static String relative(Path folder, Path file) {
        return folder.relativize(file).toString().replace('\\', '/');
    }
}
