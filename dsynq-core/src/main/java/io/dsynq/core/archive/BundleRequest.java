package io.dsynq.core.archive;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;

/**
 * What {@link DeltaBundle#write} bundles and where.
 *
 * @param deltaDirectory the root of the delta layout whose deltas, every database's, go into the bundle
 * @param archive the {@code .tar.xz} file to write; its folder is created, an existing file replaced
 * @param timestamp the time every entry carries, so two builds of the same deltas give the same bytes
 */
public record BundleRequest(Path deltaDirectory, Path archive, Instant timestamp) {

    public BundleRequest {
        Objects.requireNonNull(deltaDirectory, "deltaDirectory");
        Objects.requireNonNull(archive, "archive");
        Objects.requireNonNull(timestamp, "timestamp");
    }
}
