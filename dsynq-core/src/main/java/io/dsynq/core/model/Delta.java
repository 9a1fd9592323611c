package io.dsynq.core.model;

import java.nio.file.Path;
import java.util.List;

/**
 * A delta: the CSV files of one folder {@code <database>/delta/<id>/}, applied together in one transaction.
 *
 * @param database the database it belongs to
 * @param id its id
 * @param directory its folder
 * @param files its CSV files, in name order
 * @param meta what {@code .meta/.dsynqmeta.json} says, or {@code null} when the delta has none
 */
public record Delta(String database, DeltaId id, Path directory, List<DeltaFile> files, DeltaMeta meta) {

    public Delta {
        files = List.copyOf(files);
    }

    /** The files doing {@code operation}. */
    public List<DeltaFile> files(Operation operation) {
        return files.stream().filter(f -> f.operation() == operation).toList();
    }

    /** The description from the meta file, or an empty string. */
    public String description() {
        return meta == null || meta.description() == null ? "" : meta.description();
    }

    /** SHA-256 of the files' content, as {@link DeltaChecksum} defines it. */
    public String checksum() {
        return DeltaChecksum.of(files);
    }
}
