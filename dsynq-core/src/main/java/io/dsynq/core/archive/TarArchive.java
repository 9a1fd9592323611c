package io.dsynq.core.archive;

import io.dsynq.core.DsynqException;
import io.dsynq.core.model.DeltaDirectory;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
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
 * time fixed), and extracts tar streams safely: every header is checked before Commons Compress reads it (only
 * files, folders and long-name or PAX headers of at most {@value #MAX_METADATA_BYTES} bytes); entries with absolute
 * paths, backslashes, {@code ..}, links or devices are refused, and so are a path given twice (but a folder's), an
 * entry under a file, and entries, totals or entry counts beyond a bound. Compression is the caller's. Thread-safe.
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

    /** The largest long-name ({@code L}, {@code K}) or PAX ({@code x}, {@code g}) header read. */
    static final int MAX_METADATA_BYTES = 64 * 1024;

    /**
     * Extracts a tar that {@link #write(Path, OutputStream, Instant)} wrote of a folder here, such as a reverse delta,
     * into {@code into}, which must exist, with no bounds: as {@link #extract(InputStream, Path, String, long, long,
     * long)}, but a backslash in an entry's name is part of its file's name where this file system does not separate
     * names with it, as it was in the folder written (a reverse delta's files are named after tables, whose names may
     * hold one).
     */
    public static void extractWritten(InputStream in, Path into, String source) throws IOException {
        boolean backslashInNames = !"\\".equals(into.getFileSystem().getSeparator());
        extract(in, into, source, Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, backslashInNames);
    }

    /**
     * Extracts a tar stream into {@code into}, which must exist. Every 512-byte header is checked as it is read,
     * before Commons Compress sees it: only files, folders and long-name or PAX headers of at most
     * {@value #MAX_METADATA_BYTES} bytes pass, so a crafted header cannot make the reader hold a huge name in
     * memory.
     *
     * @param source the archive's name, for messages
     * @param maxEntryBytes the largest entry allowed
     * @param maxTotalBytes the most bytes allowed in all
     * @param maxEntries the most files and folders allowed
     * @throws DsynqException when an entry would escape {@code into}, is not a plain file or folder, or is too
     *     large, or there are too many; what was extracted before stays
     */
    public static void extract(
            InputStream in, Path into, String source, long maxEntryBytes, long maxTotalBytes, long maxEntries)
            throws IOException {
        extract(in, into, source, maxEntryBytes, maxTotalBytes, maxEntries, false);
    }

    private static void extract(
            InputStream in,
            Path into,
            String source,
            long maxEntryBytes,
            long maxTotalBytes,
            long maxEntries,
            boolean backslashInNames)
            throws IOException {
        Path root = into.toAbsolutePath().normalize();
        long total = 0;
        // each path extracted, and whether it is a folder: a second entry for a path would replace the first, so that
        // a listing of the archive shows content other than what is extracted
        java.util.Map<Path, Boolean> extracted = new java.util.HashMap<>();
        TarArchiveInputStream tar = new TarArchiveInputStream(new HeaderGuard(in, maxTotalBytes, maxEntries), "UTF-8");
        try {
            for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
                String name = entry.getName();
                if (name.contains("\\") && !backslashInNames) {
                    throw new DsynqException(source + ": entry '" + name + "' has a backslash in its name; refused");
                }
                if (name.startsWith("/") || name.matches("^[A-Za-z]:.*")) {
                    throw new DsynqException(source + ": entry '" + name + "' has an absolute path; refused");
                }
                Path target;
                try {
                    target = root.resolve(name).normalize();
                } catch (InvalidPathException e) {
                    throw new DsynqException(source + ": entry '" + name + "' is not a valid path here ("
                            + e.getReason() + "); refused"
                            + (DeltaDirectory.nameable(name) ? "" : ": " + DeltaDirectory.fileNameEncoding()));
                }
                if (!target.startsWith(root) || List.of(name.split("/")).contains("..")) {
                    throw new DsynqException(source + ": entry '" + name + "' points outside the folder; refused");
                }
                for (Path above = target.getParent();
                        above != null && above.startsWith(root) && !above.equals(root);
                        above = above.getParent()) {
                    // a folder by the entries under it, whether or not it has an entry of its own
                    if (Boolean.FALSE.equals(extracted.putIfAbsent(above, true))) {
                        throw new DsynqException(source + ": entry '" + name + "' lies under '"
                                + root.relativize(above).toString().replace('\\', '/')
                                + "', a file of the archive; refused");
                    }
                }
                Boolean folder = extracted.putIfAbsent(target, entry.isDirectory());
                if (folder != null && !(folder && entry.isDirectory())) {
                    throw new DsynqException(source + ": entry '" + name + "' "
                            + (folder == entry.isDirectory()
                                    ? "is in the archive twice"
                                    : "names both a file and a folder of the archive")
                            + "; refused");
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
                    throw new DsynqException(
                            source + ": entry '" + name + "' is a link or device, not a file; refused");
                }
                if (entry.getSize() > maxEntryBytes) {
                    throw new ArchiveBoundException(
                            ArchiveBoundException.Bound.ENTRY_BYTES,
                            source + ": entry '" + name + "' is " + entry.getSize() + " bytes, more than the bound of "
                                    + maxEntryBytes + "; refused");
                }
                total += entry.getSize();
                if (total > maxTotalBytes) {
                    throw new ArchiveBoundException(
                            ArchiveBoundException.Bound.TOTAL_BYTES,
                            source + ": the entries hold more than the bound of " + maxTotalBytes
                                    + " bytes in all; refused");
                }
                InputStream content = BoundedInputStream.builder()
                        .setInputStream(tar)
                        .setMaxCount(entry.getSize())
                        .setPropagateClose(false)
                        .get();
                copy(content, target, name);
            }
        } catch (IOException e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof Refused refused) {
                    String message = source + ": " + refused.getMessage() + "; refused";
                    throw refused.bound == null
                            ? new DsynqException(message)
                            : new ArchiveBoundException(refused.bound, message);
                }
            }
            throw e;
        }
    }

    /**
     * Writes an entry's content into {@code target}, a failure to write (a full disk, a name too long for the file
     * system) told apart from one to read the archive, whose fault it is not.
     */
    private static void copy(InputStream content, Path target, String name) throws IOException {
        OutputStream out;
        try {
            Files.createDirectories(target.getParent());
            out = Files.newOutputStream(target);
        } catch (IOException e) {
            throw new NotWritten(name, e);
        }
        try {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = content.read(buffer)) > 0; ) {
                try {
                    out.write(buffer, 0, n);
                } catch (IOException e) {
                    throw new NotWritten(name, e);
                }
            }
        } catch (IOException e) {
            try {
                out.close();
            } catch (IOException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
        try {
            out.close();
        } catch (IOException e) {
            throw new NotWritten(name, e);
        }
    }

    /** An entry that could not be written where it is extracted: the file system's failure, not the archive's. */
    static final class NotWritten extends IOException {

        private static final long serialVersionUID = 1L;

        /** The entry's name in the archive. */
        final String entry;

        NotWritten(String entry, IOException cause) {
            super(cause.getMessage(), cause);
            this.entry = entry;
        }
    }

    /** A header the guard refuses, raised inside Commons Compress's reads and reported by {@link #extract}. */
    private static final class Refused extends IOException {

        /** The request's bound the archive went past, if it was one of them. */
        final ArchiveBoundException.Bound bound;

        Refused(String message) {
            this(null, message);
        }

        Refused(ArchiveBoundException.Bound bound, String message) {
            super(message);
            this.bound = bound;
        }
    }

    /**
     * Sits between the decompressor and the tar reader and follows the tar structure itself: reads each 512-byte
     * header, refuses kinds other than files, folders and small long-name or PAX headers, counts entries and
     * declared bytes, and skips the content, so nothing of a crafted header reaches Commons Compress.
     */
    static final class HeaderGuard extends FilterInputStream {

        private static final int BLOCK = 512;

        /** Headers, padding and PAX records an entry may carry besides its content: generous, still bounded. */
        private static final long OVERHEAD_PER_ENTRY = 8L * BLOCK + 4L * MAX_METADATA_BYTES;

        /** Long-name or PAX headers allowed in a row before an entry. */
        private static final int MAX_METADATA_IN_A_ROW = 4;

        private final long maxTotalBytes;

        private final long maxEntries;

        private final byte[] header = new byte[BLOCK];

        private int headerFilled;

        /** Content bytes (padding included) left before the next header. */
        private long contentLeft;

        /** The PAX header being read, to find a {@code size} it sets; {@code null} for other content. */
        private ByteArrayOutputStream pax;

        private boolean paxGlobal;

        /** The size a PAX header set for the next entry, or -1. */
        private long paxSize = -1;

        private long entries;

        private int metadataInARow;

        private long passed;

        HeaderGuard(InputStream in, long maxTotalBytes, long maxEntries) {
            super(in);
            this.maxTotalBytes = maxTotalBytes;
            this.maxEntries = maxEntries;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            // never read across a header's border, so each header is seen whole before it is passed on
            long segment = contentLeft > 0 ? contentLeft : BLOCK - headerFilled;
            int n = in.read(buffer, offset, (int) Math.min(length, segment));
            if (n <= 0) {
                return n;
            }
            passed += n;
            if (passed > limit()) {
                throw new Refused(
                        ArchiveBoundException.Bound.TOTAL_BYTES,
                        "the archive holds more than the bound of " + maxTotalBytes + " bytes in all");
            }
            if (contentLeft > 0) {
                contentLeft -= n;
                if (pax != null) {
                    pax.write(buffer, offset, n);
                    if (contentLeft == 0) {
                        readPax();
                    }
                }
            } else {
                System.arraycopy(buffer, offset, header, headerFilled, n);
                headerFilled += n;
                if (headerFilled == BLOCK) {
                    headerFilled = 0;
                    check();
                }
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] buffer = new byte[(int) Math.min(Math.max(n, 1), 8192)];
            long skipped = 0;
            while (skipped < n) {
                int read = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
                if (read < 0) {
                    break;
                }
                skipped += read;
            }
            return skipped;
        }

        @Override
        public boolean markSupported() {
            return false;
        }

        @Override
        public synchronized void mark(int limit) {}

        @Override
        public synchronized void reset() throws IOException {
            throw new IOException("mark/reset not supported");
        }

        /** The most bytes the tar stream may have so far: the content bound plus the headers' overhead. */
        private long limit() {
            long overhead = entries + 2 > Long.MAX_VALUE / OVERHEAD_PER_ENTRY
                    ? Long.MAX_VALUE
                    : (entries + 2) * OVERHEAD_PER_ENTRY;
            long limit = maxTotalBytes + overhead;
            return limit < 0 ? Long.MAX_VALUE : limit; // saturates: an unbounded extraction stays unbounded
        }

        private void check() throws IOException {
            boolean empty = true;
            for (byte b : header) {
                if (b != 0) {
                    empty = false;
                    break;
                }
            }
            if (empty) {
                return; // the end-of-archive blocks and the record's padding
            }
            long size = size();
            byte kind = header[156];
            pax = null;
            switch (kind) {
                case 'L', 'K', 'x', 'g' -> {
                    if (size > MAX_METADATA_BYTES) {
                        throw new Refused("a " + (kind == 'x' || kind == 'g' ? "PAX" : "long-name") + " header ('"
                                + (char) kind + "') of " + size + " bytes, more than the bound of "
                                + MAX_METADATA_BYTES);
                    }
                    if (++metadataInARow > MAX_METADATA_IN_A_ROW) {
                        throw new Refused("more than " + MAX_METADATA_IN_A_ROW
                                + " long-name or PAX headers in a row before one entry");
                    }
                    if (kind == 'x' || kind == 'g') {
                        pax = new ByteArrayOutputStream((int) size);
                        paxGlobal = kind == 'g';
                        if (size == 0) {
                            readPax();
                        }
                    }
                }
                case '0', 0, '5' -> {
                    metadataInARow = 0;
                    if (paxSize >= 0) {
                        size = paxSize;
                        paxSize = -1;
                    }
                    if (++entries > maxEntries) {
                        throw new Refused(
                                ArchiveBoundException.Bound.ENTRIES,
                                "the archive holds more than the bound of " + maxEntries + " entries");
                    }
                    // each entry's size and the total are checked on the entry, whose content is streamed
                }
                default -> throw new Refused("entry '" + name() + "' is a link, device or other kind (type '"
                        + printable(kind) + "'), not a file or folder");
            }
            contentLeft = (size + BLOCK - 1) / BLOCK * BLOCK;
        }

        /** The name field, with the ustar prefix when there is one. */
        private String name() {
            String name = field(0, 100);
            boolean ustar = field(257, 5).equals("ustar");
            String prefix = ustar ? field(345, 155) : "";
            return prefix.isEmpty() ? name : prefix + "/" + name;
        }

        private String field(int offset, int length) {
            int end = offset;
            while (end < offset + length && header[end] != 0) {
                end++;
            }
            return new String(header, offset, end - offset, StandardCharsets.UTF_8);
        }

        /** The size field: octal, or base-256 when its first byte has the high bit set. */
        private long size() throws Refused {
            int offset = 124;
            int length = 12;
            if ((header[offset] & 0x80) != 0) {
                if ((header[offset] & 0x40) != 0) {
                    throw new Refused("a tar header declares a negative size");
                }
                long value = header[offset] & 0x3f;
                for (int i = 1; i < length; i++) {
                    if (value > (Long.MAX_VALUE >> 8)) {
                        throw new Refused("a tar header declares a size beyond any bound");
                    }
                    value = (value << 8) | (header[offset + i] & 0xff);
                }
                return value;
            }
            long value = 0;
            int i = 0;
            while (i < length && (header[offset + i] == ' ' || header[offset + i] == 0)) {
                i++;
            }
            for (; i < length; i++) {
                byte b = header[offset + i];
                if (b == ' ' || b == 0) {
                    break;
                }
                if (b < '0' || b > '7') {
                    throw new Refused("a tar header's size field is not a number; the archive is corrupt");
                }
                value = (value << 3) + (b - '0');
            }
            return value;
        }

        /** Reads the {@code size} a PAX header sets: a local one for the next entry; a global one is refused. */
        private void readPax() throws Refused {
            String text = pax.toString(StandardCharsets.UTF_8);
            pax = null;
            for (String record : text.split("\n")) {
                int space = record.indexOf(' ');
                int equals = record.indexOf('=');
                if (space < 0 || equals < space) {
                    continue;
                }
                String key = record.substring(space + 1, equals);
                if (key.equals("size")) {
                    if (paxGlobal) {
                        throw new Refused("a global PAX header sets the size of every entry");
                    }
                    try {
                        paxSize = Long.parseLong(record.substring(equals + 1).strip());
                    } catch (NumberFormatException e) {
                        throw new Refused("a PAX header's size is not a number");
                    }
                    if (paxSize < 0) {
                        throw new Refused("a PAX header declares a negative size");
                    }
                }
            }
        }

        private static String printable(byte kind) {
            return kind >= 0x20 && kind < 0x7f ? String.valueOf((char) kind) : String.format("\\x%02x", kind);
        }
    }

    /**
     * A file's path under {@code folder} as a tar names it, its names joined by {@code /}: a backslash is part of a name
     * where the file system does not separate names with it (replaced by {@code /}, a file named after a table holding
     * one was extracted into a folder, where nothing read it).
     */
    private static String relative(Path folder, Path file) {
        List<String> names = new ArrayList<>();
        folder.relativize(file).forEach(name -> names.add(name.toString()));
        return String.join("/", names);
    }
}
