package io.dsynq.core.model;

import io.dsynq.core.DsynqException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * Where a database's deltas come from: the source tree's delta directory and any number of further roots in the
 * same layout, such as delta bundles fetched from a Maven repository. Their deltas are read together and ordered by
 * id; the same id from two sources is an error naming both folders. Thread-safe: it holds only paths.
 *
 * @param local the source tree's delta directory
 * @param others further roots, each laid out as {@code <root>/<database>/delta/<id>/}; may be empty
 */
public record DeltaSources(DeltaDirectory local, List<DeltaDirectory> others) {

    public DeltaSources {
        others = List.copyOf(others);
    }

    /** Sources made of one delta directory and further roots. */
    public static DeltaSources of(Path local, List<Path> others) {
        return new DeltaSources(
                new DeltaDirectory(local),
                others.stream().map(DeltaDirectory::new).toList());
    }

    /**
     * How a message names a delta: its id, and for a delta of a further source (a fetched bundle, whose path holds its
     * coordinates) its folder in parentheses, as it was never in the delta directory a user would look in.
     */
    public String name(Delta delta) {
        return fetched(delta)
                ? delta.id() + " (" + delta.directory() + ")"
                : delta.id().toString();
    }

    /** Whether {@code delta} is of a further source, not of the source tree. */
    public boolean fetched(Delta delta) {
        return others.stream().anyMatch(o -> delta.directory().startsWith(o.root()));
    }

    /** The databases that have deltas in any source, sorted. */
    public List<String> databases() {
        TreeSet<String> names = new TreeSet<>(local.databases());
        others.forEach(o -> names.addAll(o.databases()));
        return List.copyOf(names);
    }

    /**
     * The deltas of {@code database} from every source, ordered by id.
     *
     * @throws DsynqException when a source's layout is broken, or two deltas have the same id
     */
    public List<Delta> deltas(String database) {
        List<Delta> all = new ArrayList<>(local.deltas(database));
        for (DeltaDirectory other : others) {
            all.addAll(other.deltas(database));
        }
        all.sort(Comparator.comparing(Delta::id));
        return DeltaDirectory.unique(all);
    }
}
