package io.dsynq.core.archive;

import java.nio.file.Path;

/**
 * What {@link DeltaBundle#extract} extracted: a root in the delta layout, checked against its manifest.
 *
 * @param folder the folder extracted into, usable as a delta source
 * @param manifest the bundle's manifest
 * @param bytes the size of the files extracted
 */
public record ExtractResult(Path folder, BundleManifest manifest, long bytes) {}
