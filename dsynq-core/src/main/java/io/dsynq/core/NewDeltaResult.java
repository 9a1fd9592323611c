package io.dsynq.core;

import io.dsynq.core.model.DeltaId;
import java.nio.file.Path;
import java.util.List;

/**
 * A delta that {@link Dsynq#newDelta} created.
 *
 * @param id its id
 * @param folder its folder
 * @param files the stub files written
 */
public record NewDeltaResult(DeltaId id, Path folder, List<Path> files) {

    public NewDeltaResult {
        files = List.copyOf(files);
    }
}
