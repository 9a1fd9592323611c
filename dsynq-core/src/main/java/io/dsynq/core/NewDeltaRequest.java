package io.dsynq.core;

import java.util.List;

/**
 * A new delta to create.
 *
 * @param tables the tables to write stub files for, as file names write them ({@code item}, {@code sales.item})
 * @param description what the delta is for; may be empty
 */
public record NewDeltaRequest(List<String> tables, String description) {

    public NewDeltaRequest {
        tables = List.copyOf(tables);
        description = description == null ? "" : description;
    }
}
