package io.dsynq.core.archive;

import java.nio.file.Path;

/**
 * What {@link DeltaBundle#write} wrote.
 *
 * @param archive the archive file
 * @param manifest its manifest
 * @param bytes the archive's size
 * @param contentBytes the size of the files it holds, uncompressed by the archive
 */
public record BundleResult(Path archive, BundleManifest manifest, long bytes, long contentBytes) {}
