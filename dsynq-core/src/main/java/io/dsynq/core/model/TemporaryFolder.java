package io.dsynq.core.model;

import io.dsynq.core.DsynqException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The temporary folder ({@code java.io.tmpdir}), where an apply writes the reverse delta, a rollback unpacks it and a
 * diff gathers what it compares: a failure to write there because its disk is full is told as such, naming the
 * folder, since the operating system's words ("No space left on device") name none, and may be another language's.
 *
 * <p>What a goal writes for its own time only, there or beside its output, is {@linkplain #removedOnExit removed as
 * the JVM stops} on a signal (Ctrl-C, a CI's {@code SIGTERM}), which ends the goal without its {@code finally}
 * blocks: a shutdown hook deletes what is still listed. Thread-safe.
 */
public final class TemporaryFolder {

    /** Below this much usable space, a file that could not be written there met a full disk. */
    static final long FULL = 1 << 20;

    /** The files and folders the shutdown hook deletes. */
    private static final Set<Path> LEFT = ConcurrentHashMap.newKeySet();

    /** Held by the shutdown hook as it deletes, and by {@link #publish} as it keeps. */
    private static final Object DELETING = new Object();

    /** Whether the shutdown hook is registered; guarded by {@link #DELETING}. */
    private static boolean hooked;

    /** Whether the JVM is stopping and the hook deleted what was listed; guarded by {@link #DELETING}. */
    private static boolean stopping;

    private TemporaryFolder() {}

    /**
     * A new folder in {@code parent} ({@code java.io.tmpdir} where {@code null}), {@linkplain #removedOnExit removed
     * on exit} until {@linkplain #removed removed}.
     */
    public static Path createFolder(Path parent, String prefix) throws IOException {
        Path folder = parent == null ? Files.createTempDirectory(prefix) : Files.createTempDirectory(parent, prefix);
        removedOnExit(folder);
        return folder;
    }

    /**
     * Makes {@code folder}, which must not exist, {@linkplain #removedOnExit removed on exit} from the moment it is
     * made until {@linkplain #removed removed} or {@linkplain #publish published}.
     *
     * @throws java.nio.file.FileAlreadyExistsException where it exists, which is then not touched
     */
    public static Path createFolder(Path folder) throws IOException {
        synchronized (DELETING) {
            if (stopping) {
                throw new IOException("the JVM is stopping");
            }
            Files.createDirectory(folder);
            removedOnExit(folder);
            return folder;
        }
    }

    /** A new file in {@code java.io.tmpdir}, {@linkplain #removedOnExit removed on exit} until {@linkplain #removed}. */
    public static Path createFile(String prefix, String suffix) throws IOException {
        Path file = Files.createTempFile(prefix, suffix);
        removedOnExit(file);
        return file;
    }

    /**
     * Has {@code path}, a file or a folder with all it holds, deleted if the JVM stops before it is {@linkplain
     * #removed removed} or {@linkplain #publish published}: a goal that a signal ends leaves no scratch behind.
     */
    public static void removedOnExit(Path path) {
        synchronized (DELETING) {
            if (!hooked) {
                try {
                    Runtime.getRuntime()
                            .addShutdownHook(new Thread(TemporaryFolder::deleteLeft, "dsynq temporary files"));
                } catch (IllegalStateException e) {
                    return; // already stopping: the caller's finally, if it runs, deletes it
                }
                hooked = true;
            }
            LEFT.add(path.toAbsolutePath());
        }
    }

    /** Takes {@code path}, deleted by its owner or kept, off what the JVM deletes as it stops. */
    public static void removed(Path path) {
        LEFT.remove(path.toAbsolutePath());
    }

    /**
     * Runs {@code keep}, which makes files that were {@linkplain #removedOnExit removed on exit} (a delta's folder, a
     * move onto its claimed name) the user's, and takes {@code paths} off that list, in one step with respect to the
     * shutdown hook: the hook deletes them before, or not at all.
     *
     * @throws IOException from {@code keep}, or where the JVM is stopping and they are gone
     */
    public static void publish(List<Path> paths, IoAction keep) throws IOException {
        synchronized (DELETING) {
            if (stopping) {
                throw new IOException("the JVM is stopping");
            }
            keep.run();
            paths.forEach(TemporaryFolder::removed);
        }
    }

    /** What {@link #publish} runs. */
    @FunctionalInterface
    public interface IoAction {
        void run() throws IOException;
    }

    /** The shutdown hook: deletes what is still listed. */
    static void deleteLeft() {
        synchronized (DELETING) {
            stopping = true;
            for (Path path : List.copyOf(LEFT)) {
                deleteTree(path);
                LEFT.remove(path);
            }
        }
    }

    private static void deleteTree(Path path) {
        try (Stream<Path> paths = Files.walk(path)) {
            for (Path one : paths.sorted(Comparator.reverseOrder()).toList()) {
                try {
                    Files.deleteIfExists(one);
                } catch (IOException e) {
                    // the rest still goes
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone already, or unreadable: nothing more to do as the JVM stops
        }
    }

    /**
     * The error of {@code failed} where the temporary folder's disk is full: {@code where}, that the folder ran out of
     * space for {@code what}, what to do and {@code kept}; {@code null} where {@code failed} is no failure to read or
     * write a file, or the disk has room.
     *
     * @param where what the message starts with, such as the database and delta
     * @param what what was written there, such as "the reverse delta"
     * @param kept what became of the work, such as "nothing of the delta is kept"
     */
    public static DsynqException outOfSpace(String where, String what, String kept, Exception failed) {
        Path temporary = Path.of(System.getProperty("java.io.tmpdir"));
        long usable;
        try {
            usable = Files.getFileStore(temporary).getUsableSpace();
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return outOfSpace(where, what, kept, failed, temporary, usable);
    }

    /** As {@link #outOfSpace(String, String, String, Exception)}, {@code usable} bytes left in {@code temporary}. */
    static DsynqException outOfSpace(
            String where, String what, String kept, Exception failed, Path temporary, long usable) {
        IOException io = null;
        for (Throwable cause = failed; cause != null && io == null; cause = cause.getCause()) {
            io = cause instanceof IOException e ? e : null;
        }
        if (io == null || usable >= FULL) {
            return null;
        }
        return new DsynqException(
                where + ": the temporary folder " + temporary + " ran out of space (" + io.getMessage() + ") for "
                        + what + ": free space there, or point java.io.tmpdir at a disk with more"
                        + " (MAVEN_OPTS=-Djava.io.tmpdir=/a/larger/disk); " + kept,
                failed);
    }
}
