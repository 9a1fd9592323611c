package io.dsynq.core.archive;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What {@link DeltaBundle#write} bundles and where.
 *
 * @param deltaDirectory the root of the delta layout whose deltas, every database's, go into the bundle
 * @param archive the {@code .tar.xz} file to write; its folder is created, an existing file replaced
 * @param timestamp the time every entry carries, so two builds of the same deltas give the same bytes
 * @param databases the databases whose deltas go in; empty for every database of the delta directory
 */
public record BundleRequest(Path deltaDirectory, Path archive, Instant timestamp, List<String> databases) {

    public BundleRequest {
        Objects.requireNonNull(deltaDirectory, "deltaDirectory");
        Objects.requireNonNull(archive, "archive");
        Objects.requireNonNull(timestamp, "timestamp");
        databases = databases == null ? List.of() : List.copyOf(databases);
    }

    /** A request for every database's deltas. */
    public BundleRequest(Path deltaDirectory, Path archive, Instant timestamp) {
        this(deltaDirectory, archive, timestamp, List.of());
    }
}
