package io.dsynq.core.model;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.dsynq.core.DsynqException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The deltas of a source tree: {@code <root>/<database>/delta/<id>/<table>.<i|u|d>.csv[.xz]}, as DESIGN.md
 * section 2 lays them out. A Dsynq {@code data/.databases} folder is such a root.
 *
 * <p>Reading is strict: a folder that is not a delta id, a file that is not a delta file, a link, or one table
 * given both compressed and not is an error naming the path. Thread-safe: it holds only its root.
 */
public final class DeltaDirectory {

    /** The meta folder: the only other name a delta folder may hold, hidden files aside ({@link #hidden}). */
    private static final String META_FOLDER = ".meta";

    static final ObjectMapper JSON = JsonMapper.builder()
            .findAndAddModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private final Path root;

    public DeltaDirectory(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    /**
     * The folder of a database's deltas.
     *
     * @throws DsynqException where the JVM cannot name a folder {@code database} ({@link #nameable})
     */
    public Path deltaFolder(String database) {
        if (!nameable(database)) {
            throw new DsynqException(
                    "a database's deltas are in a folder named after it (" + database + "), and " + fileNameEncoding());
        }
        return root.resolve(database).resolve("delta");
    }

    /**
     * A fresh delta id for {@code database} at {@code now}, or a microsecond after the newest delta of the folder
     * where that is later (a clock behind another's, an id chosen by hand): a new delta sorting before one applied
     * already would be applied after rolling that one back. A microsecond later again while a folder of that id
     * exists.
     */
    public DeltaId newId(String database, java.time.Instant now) {
        Path deltas = deltaFolder(database);
        DeltaId id = DeltaId.of(now);
        if (Files.isDirectory(deltas)) {
            try (Stream<Path> children = Files.list(deltas)) {
                DeltaId newest = children.map(p -> p.getFileName().toString())
                        .filter(DeltaId::isValid)
                        .map(DeltaId::parse)
                        .max(DeltaId::compareTo)
                        .orElse(null);
                if (newest != null && newest.compareTo(id) >= 0) {
                    id = DeltaId.of(newest.instant().plusNanos(1000));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        while (Files.exists(deltas.resolve(id.text()))) {
            id = DeltaId.of(id.instant().plusNanos(1000));
        }
        return id;
    }

    /** The names of the databases that have a {@code delta} folder, sorted. */
    public List<String> databases() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> children = Files.list(root)) {
            return children.filter(p -> Files.isDirectory(p.resolve("delta")))
                    .map(p -> p.getFileName().toString())
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * What the layout leaves unread that a person may have meant as deltas, each as a sentence saying where deltas
     * go: a folder of the root that holds no {@code delta} folder (such as {@code delta} itself, a level too high), an
     * entry of a database's folder other than {@code delta} and {@code baseline} (such as {@code deltas}, or a delta
     * one level too high), and the folder of a database none of {@code databases} names, whose deltas no goal reads.
     * Empty folders and names starting with a dot are left alone, and so are the root's files (a README).
     *
     * @param databases the databases configured, or {@code null} where every database folder is one
     */
    public List<String> unread(Collection<String> databases) {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        List<String> unread = new ArrayList<>();
        for (Path folder : list(root)) {
            String name = folder.getFileName().toString();
            List<Path> entries = name.startsWith(".") || !Files.isDirectory(folder) ? List.of() : list(folder);
            if (entries.isEmpty()) {
                continue;
            }
            boolean deltas = Files.isDirectory(folder.resolve("delta"));
            if (!deltas && !Files.isDirectory(folder.resolve("baseline"))) {
                unread.add(folder + " holds no delta folder, and nothing in it is read: a database's deltas go in "
                        + root.resolve("<database>").resolve("delta") + "/<id>/");
                continue;
            }
            if (deltas && databases != null && !databases.contains(name)) {
                unread.add(folder + " holds the deltas of a database " + name + ", which is not configured, so they are"
                        + " not applied (the databases configured are " + String.join(", ", databases) + ")");
            }
            for (Path entry : entries) {
                String entryName = entry.getFileName().toString();
                if (!entryName.startsWith(".") && !entryName.equals("delta") && !entryName.equals("baseline")) {
                    unread.add(entry + " is not read: database " + name + "'s deltas go in " + folder.resolve("delta")
                            + "/<id>/");
                }
            }
        }
        return unread;
    }

    /**
     * Whether a name is a hidden file's, which is not read: Git's {@code .gitkeep} that keeps an empty folder, a
     * desktop's {@code .DS_Store}, an editor's swap file. No delta id begins with a dot; a name that does and ends as a
     * delta file's ({@code .item.i.csv}, {@code ..i.csv}) is read, and refused, rather than left out unseen.
     */
    private static boolean hidden(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.startsWith(".") && !lower.endsWith(".csv") && !lower.endsWith(".csv.xz");
    }

    /**
     * The deltas of {@code database}, ordered by id; an empty list when it has no delta folder.
     *
     * @throws DsynqException when a folder or file does not belong in the layout
     */
    public List<Delta> deltas(String database) {
        Path folder = deltaFolder(database);
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        List<Delta> deltas = new ArrayList<>();
        for (Path child : list(folder)) {
            String name = child.getFileName().toString();
            if (hidden(name)) {
                continue;
            }
            rejectLink(child);
            if (!Files.isDirectory(child) || !DeltaId.isValid(name)) {
                throw new DsynqException(child + ": '" + name + "' is not a delta id; delta folders are named by a"
                        + " timestamp seconds.micros such as 1528442433.821985 (dsynq:new makes one)");
            }
            deltas.add(read(database, DeltaId.parse(name), child));
        }
        deltas.sort(Comparator.comparing(Delta::id));
        return unique(deltas);
    }

    /**
     * The deltas, sorted by id, checked to have distinct ids.
     *
     * @throws DsynqException naming both folders when two deltas have the same id
     */
    public static List<Delta> unique(List<Delta> sorted) {
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).id().equals(sorted.get(i - 1).id())) {
                throw new DsynqException("two deltas have the same id "
                        + sorted.get(i).id() + ": " + sorted.get(i - 1).directory() + " and "
                        + sorted.get(i).directory() + "; ids must be unique");
            }
        }
        return List.copyOf(sorted);
    }

    /**
     * Reads one delta folder.
     *
     * @throws DsynqException when it holds anything but delta files, {@code .meta} and hidden files
     */
    public static Delta read(String database, DeltaId id, Path folder) {
        List<DeltaFile> files = new ArrayList<>();
        Map<String, DeltaFile> byContent = new HashMap<>();
        DeltaMeta meta = null;
        for (Path child : list(folder)) {
            String name = child.getFileName().toString();
            rejectLink(child);
            if (!decoded(name)) {
                throw new DsynqException("delta " + id + ": the name of file " + child
                        + (utf8FileNames()
                                ? " is not UTF-8, as this JVM reads file names (it was named on a system of another"
                                        + " encoding); rename it"
                                : " cannot be read: " + fileNameEncoding()));
            }
            if (name.equals(META_FOLDER) && Files.isDirectory(child)) {
                meta = readMeta(child.resolve(".dsynqmeta.json"));
                continue;
            }
            if (hidden(name)) {
                continue;
            }
            DeltaFile file = Files.isRegularFile(child) ? DeltaFile.of(child) : null;
            if (file == null) {
                throw new DsynqException(
                        "delta " + id + ": unknown file " + child + "; a delta folder holds only"
                                + " <table>.i.csv, <table>.u.csv, <table>.d.csv (optionally .xz), .meta and hidden files (.gitkeep)");
            }
            String tooLong = DeltaFile.tooLong(file.table().toString());
            if (tooLong != null) {
                throw new DsynqException("delta " + id + ", file " + file.name() + ": " + tooLong
                        + "; a table whose name is that long, with its schema's, cannot be in a delta: rename it");
            }
            DeltaFile twin = byContent.put(file.canonicalName(), file);
            if (twin != null) {
                throw new DsynqException("delta " + id + ": " + twin.name() + " and " + file.name()
                        + " give the same table and operation; keep one of them");
            }
            files.add(file);
        }
        files.sort(Comparator.comparing(DeltaFile::canonicalName));
        return new Delta(database, id, folder, files, meta);
    }

    /**
     * The largest meta file read: one holds an id, a time, a description, the tables and a checksum, a few hundred
     * bytes; read whole, a file of many tables or a large one committed by mistake would fill the memory.
     */
    static final long MAX_META_BYTES = 1 << 20;

    private static DeltaMeta readMeta(Path path) {
        if (!Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        try {
            long size = Files.size(path);
            if (size > MAX_META_BYTES) {
                throw new DsynqException(path + ": not a valid meta file: it is " + size + " bytes, more than the "
                        + MAX_META_BYTES + " a meta file may hold (an id, a description, the tables and a checksum)");
            }
            return JSON.readValue(path.toFile(), DeltaMeta.class);
        } catch (IOException e) {
            throw new DsynqException(path + ": not a valid meta file: " + e.getMessage(), e);
        }
    }

    /** Writes a delta's meta file. */
    public static void writeMeta(Path deltaFolder, DeltaMeta meta) {
        Path path = deltaFolder.resolve(DeltaMeta.PATH);
        try {
            Files.createDirectories(path.getParent());
            JSON.writeValue(path.toFile(), meta);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path, e);
        }
    }

    /**
     * Whether the JVM can name a file {@code name}: on Unix it encodes file names by its locale's encoding, which is
     * ASCII under {@code LANG=C} or {@code POSIX} (Windows takes any name as it is).
     */
    public static boolean nameable(String name) {
        String encoding = System.getProperty("sun.jnu.encoding");
        if (encoding == null || java.io.File.separatorChar == '\\') {
            return true;
        }
        try {
            return Charset.forName(encoding).newEncoder().canEncode(name);
        } catch (IllegalArgumentException e) {
            return true; // an encoding Java does not know: the file system will say
        }
    }

    /** Whether the JVM encodes file names in UTF-8, so that a locale cannot be what keeps a name from it. */
    private static boolean utf8FileNames() {
        try {
            return Charset.forName(System.getProperty("sun.jnu.encoding", "")).equals(StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Why a file name that is not {@link #nameable} fails, and what to do. */
    public static String fileNameEncoding() {
        return "this JVM's encoding of file names (" + System.getProperty("sun.jnu.encoding") + ") cannot hold it;"
                + " run the build under a UTF-8 locale, such as LANG=C.UTF-8";
    }

    /**
     * Whether the JVM read a file's name as it is: it decodes file names by its locale's encoding, and under
     * {@code LANG=C} reads {@code şehir.i.csv} as {@code \uFFFD\uFFFDehir.i.csv}, a name of no file. (Comparing the
     * file's path with one made from its name would not do: on macOS the JVM writes names it is given decomposed,
     * {@code s} and a cedilla, and reads them composed.)
     */
    private static boolean decoded(String name) {
        return name.indexOf('\uFFFD') < 0;
    }

    private static void rejectLink(Path path) {
        if (Files.isSymbolicLink(path)) {
            throw new DsynqException(path + " is a symbolic link; delta folders must hold plain files only");
        }
    }

    private static List<Path> list(Path folder) {
        try (Stream<Path> children = Files.list(folder)) {
            return children.sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder, e);
        }
    }
}
