package io.dsynq.core.archive;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * The manifest of a delta bundle, {@code dsynq-manifest.json} at its root: what the bundle holds and the checksums
 * that extraction verifies before any delta of it is used. Holds no build time, so the same deltas give the same
 * manifest.
 *
 * @param format the manifest's format, {@value #FORMAT}
 * @param dsynqVersion the version of dsynq that wrote the bundle
 * @param deltas the deltas, by database and id
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"format", "dsynqVersion", "deltas"})
public record BundleManifest(int format, String dsynqVersion, List<DeltaEntry> deltas) {

    /** The format this version writes and reads. */
    public static final int FORMAT = 1;

    public BundleManifest {
        deltas = deltas == null ? List.of() : List.copyOf(deltas);
    }

    /**
     * One delta of the bundle.
     *
     * @param database the database it belongs to
     * @param id its id
     * @param checksum its content checksum, as {@link io.dsynq.core.model.DeltaChecksum} defines it
     * @param files every file of its folder, {@code .meta} included
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonPropertyOrder({"database", "id", "checksum", "files"})
    public record DeltaEntry(String database, String id, String checksum, List<FileEntry> files) {

        public DeltaEntry {
            files = files == null ? List.of() : List.copyOf(files);
        }
    }

    /**
     * One file of the bundle.
     *
     * @param path its path inside the bundle, such as {@code shop/delta/1700000001.000000/item.i.csv}
     * @param size its size in bytes, as stored
     * @param sha256 the SHA-256 of its bytes as stored, in hex
     */
    @JsonPropertyOrder({"path", "size", "sha256"})
    public record FileEntry(String path, long size, String sha256) {}
}
