package io.dsynq.core.archive;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What {@link DeltaBundle#extract} extracts, where to, and within which bounds.
 *
 * @param archive the {@code .tar.xz} bundle
 * @param into the folder to extract into: absent or empty; nothing is written outside it
 * @param source how messages name the bundle, such as its coordinates
 * @param maxEntryBytes the largest file allowed in the bundle
 * @param maxTotalBytes the most bytes allowed in all its files
 * @param maxEntries the most files and folders allowed in the bundle
 */
public record ExtractRequest(
        Path archive, Path into, String source, long maxEntryBytes, long maxTotalBytes, long maxEntries) {

    /** One GiB: the largest file a bundle may hold unless told otherwise. */
    public static final long DEFAULT_MAX_ENTRY_BYTES = 1L << 30;

    /** Four GiB: the most a bundle may hold in all unless told otherwise. */
    public static final long DEFAULT_MAX_TOTAL_BYTES = 4L << 30;

    /** The most files and folders a bundle may hold unless told otherwise. */
    public static final long DEFAULT_MAX_ENTRIES = 100_000;

    public ExtractRequest {
        Objects.requireNonNull(archive, "archive");
        Objects.requireNonNull(into, "into");
        Objects.requireNonNull(source, "source");
        if (maxEntryBytes <= 0 || maxTotalBytes <= 0 || maxEntries <= 0) {
            throw new IllegalArgumentException("bounds must be positive");
        }
    }

    /** A request with the default bounds. */
    public static ExtractRequest of(Path archive, Path into, String source) {
        return new ExtractRequest(
                archive, into, source, DEFAULT_MAX_ENTRY_BYTES, DEFAULT_MAX_TOTAL_BYTES, DEFAULT_MAX_ENTRIES);
    }
}
