package io.dsynq.core.apply;

import io.dsynq.core.model.DeltaId;
import java.time.Instant;

/**
 * A row of the history table: a delta applied to the database, with what it did and its stored reverse.
 *
 * @param id the delta's id
 * @param checksum SHA-256 of the delta's content when it was applied
 * @param description the delta's description
 * @param appliedAt when it was applied
 * @param appliedBy who applied it ({@code user@host})
 * @param inserted rows inserted
 * @param updated rows updated
 * @param deleted rows deleted
 * @param millis how long it took
 * @param reverseBytes the compressed size of the stored reverse delta
 * @param reverseChecksum SHA-256 of the stored reverse delta
 */
public record HistoryEntry(
        DeltaId id,
        String checksum,
        String description,
        Instant appliedAt,
        String appliedBy,
        long inserted,
        long updated,
        long deleted,
        long millis,
        long reverseBytes,
        String reverseChecksum) {}
