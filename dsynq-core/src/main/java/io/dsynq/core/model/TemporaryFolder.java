package io.dsynq.core.model;

import io.dsynq.core.DsynqException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The temporary folder ({@code java.io.tmpdir}), where an apply writes the reverse delta, a rollback unpacks it and a
 * diff gathers what it compares: a failure to write there because its disk is full is told as such, naming the
 * folder, since the operating system's words ("No space left on device") name none, and may be another language's.
 * Thread-safe.
 */
public final class TemporaryFolder {

    /** Below this much usable space, a file that could not be written there met a full disk. */
    static final long FULL = 1 << 20;

    private TemporaryFolder() {}

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
