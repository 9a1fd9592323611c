package io.dsynq.core.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * The content of {@code .meta/.dsynqmeta.json}: informative only. dsynq never takes a checksum from it.
 *
 * @param id the delta's id
 * @param created when the delta was made
 * @param description what it is for, as its author wrote
 * @param tables the tables it touches, as file names write them
 * @param checksum the content checksum when the meta file was written, or {@code null}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeltaMeta(String id, Instant created, String description, List<String> tables, String checksum) {

    /** Where the meta file lives inside a delta folder. */
    public static final String PATH = ".meta/.dsynqmeta.json";
}
