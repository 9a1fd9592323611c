package io.dsynq.core;

import io.dsynq.core.jdbc.ConnectionSpec;
import io.dsynq.core.model.DeltaSources;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Everything dsynq needs to know about one database. Immutable; {@link Dsynq#configure()} builds it.
 *
 * @param name the database's name: its folder under the delta directory
 * @param connection where it is and how to log in
 * @param deltaDirectory the root of the delta layout ({@code src/main/dsynq})
 * @param deltaSources further roots in the same layout whose deltas join the delta directory's, such as fetched
 *     delta bundles; may be empty
 * @param exportDirectory where reverse deltas are exported for review ({@code target/dsynq}), or {@code null}
 * @param historyTable the history table's name
 * @param keys declared keys by table name (folded to lower case), for tables without primary key
 * @param lockTimeout how long an apply waits for another one to finish
 * @param listener where progress goes
 * @param driverLoader the class loader to find JDBC drivers in
 */
public record DatabaseSettings(
        String name,
        ConnectionSpec connection,
        Path deltaDirectory,
        List<Path> deltaSources,
        Path exportDirectory,
        String historyTable,
        Map<String, List<String>> keys,
        Duration lockTimeout,
        DsynqListener listener,
        ClassLoader driverLoader) {

    public DatabaseSettings {
        keys = Map.copyOf(keys);
        deltaSources = List.copyOf(deltaSources);
    }

    /** The delta directory and the further sources together. */
    public DeltaSources sources() {
        return DeltaSources.of(deltaDirectory, deltaSources);
    }
}
