package io.dsynq.core.diff;

import io.dsynq.core.jdbc.ConnectionSpec;
import java.util.List;
import java.util.Objects;

/**
 * A comparison of the configured database (the target) with another one (the source), to be written as a new delta
 * that makes the target's compared tables equal to the source's. Immutable.
 *
 * @param sourceName how messages and the delta's description name the source: a configured database's name, or its
 *     URL, any password in it masked as {@link ConnectionSpec#redact} masks it; the source's URL so masked when
 *     {@code null}
 * @param source where the source is and how to log in
 * @param include table name patterns to compare ({@code *} and {@code ?} as wildcards, ignoring case); all tables
 *     when empty
 * @param exclude table name patterns to leave out, applied after {@code include}
 * @param schemas the schemas (databases on MariaDB) to compare, matched ignoring case; the connections' current
 *     ones when empty. Tables outside the target's current schema are written schema-qualified
 * @param summaryOnly whether to count the rows to insert, update and delete per table and write nothing
 * @param mode how tables are read: in full, by segment checksums, or chosen per table
 * @param description what the delta is for, kept in its meta file; a default naming the source when empty
 */
public record DiffRequest(
        String sourceName,
        ConnectionSpec source,
        List<String> include,
        List<String> exclude,
        List<String> schemas,
        boolean summaryOnly,
        DiffMode mode,
        String description) {

    public DiffRequest {
        Objects.requireNonNull(source, "source");
        // a name is written into the delta's meta file and messages: a URL given as one must not carry its password
        sourceName = sourceName == null ? source.redactedUrl() : ConnectionSpec.redact(sourceName);
        include = List.copyOf(include);
        exclude = List.copyOf(exclude);
        schemas = List.copyOf(schemas);
        mode = mode == null ? DiffMode.AUTO : mode;
        description = description == null ? "" : description;
    }

    /** Every table of the current schemas against the source, written as a delta. */
    public static DiffRequest against(String sourceName, ConnectionSpec source) {
        return new DiffRequest(sourceName, source, List.of(), List.of(), List.of(), false, DiffMode.AUTO, "");
    }

    /** This request with other table patterns. */
    public DiffRequest tables(List<String> include, List<String> exclude) {
        return new DiffRequest(sourceName, source, include, exclude, schemas, summaryOnly, mode, description);
    }

    /** This request for other schemas. */
    public DiffRequest schemas(List<String> schemas) {
        return new DiffRequest(sourceName, source, include, exclude, schemas, summaryOnly, mode, description);
    }

    /** This request with {@link #summaryOnly()} set. */
    public DiffRequest summaryOnly(boolean summaryOnly) {
        return new DiffRequest(sourceName, source, include, exclude, schemas, summaryOnly, mode, description);
    }

    /** This request with another mode. */
    public DiffRequest mode(DiffMode mode) {
        return new DiffRequest(sourceName, source, include, exclude, schemas, summaryOnly, mode, description);
    }

    /** This request with a description. */
    public DiffRequest description(String description) {
        return new DiffRequest(sourceName, source, include, exclude, schemas, summaryOnly, mode, description);
    }
}
