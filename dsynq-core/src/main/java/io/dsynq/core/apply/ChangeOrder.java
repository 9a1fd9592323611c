package io.dsynq.core.apply;

import io.dsynq.core.jdbc.Column;
import io.dsynq.core.jdbc.ForeignKey;
import io.dsynq.core.jdbc.Table;
import io.dsynq.core.jdbc.TableRef;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The order in which a delta touches its tables: parents before children for inserts, children before parents
 * for deletes. Tables that reference each other, directly or round a cycle, form a group; within a group the
 * nullable referencing columns are <em>deferred</em>: rows are inserted with them NULL and set once every row
 * of the group is in, and set to NULL before rows are deleted. So self-references and cycles apply on every
 * engine, foreign keys checked all along. A column of the key (a table identified by whole rows has them all in
 * it) is not deferred: rows are found by it.
 */
final class ChangeOrder {

    private final List<TableRef> parentsFirst;

    private final Map<TableRef, List<Column>> deferred;

    private final Map<TableRef, Integer> groupOf;

    private ChangeOrder(
            List<TableRef> parentsFirst, Map<TableRef, List<Column>> deferred, Map<TableRef, Integer> groupOf) {
        this.parentsFirst = parentsFirst;
        this.deferred = deferred;
        this.groupOf = groupOf;
    }

    /** The order of {@code tables}, by the foreign keys among them. */
    static ChangeOrder of(Collection<Table> tables) {
        Map<TableRef, Table> byRef = new LinkedHashMap<>();
        tables.stream().sorted(Comparator.comparing(t -> t.ref().toString())).forEach(t -> byRef.put(t.ref(), t));
        List<List<TableRef>> groups = new Tarjan(byRef).groups();
        Map<TableRef, Integer> groupOf = new HashMap<>();
        for (int i = 0; i < groups.size(); i++) {
            for (TableRef ref : groups.get(i)) {
                groupOf.put(ref, i);
            }
        }
        List<TableRef> order = new ArrayList<>();
        Map<TableRef, List<Column>> deferred = new HashMap<>();
        for (List<TableRef> group : groups) {
            order.addAll(withinGroup(group, byRef));
            for (TableRef ref : group) {
                Table table = byRef.get(ref);
                Set<Column> columns = new LinkedHashSet<>();
                for (ForeignKey key : table.foreignKeys()) {
                    if (groupOf.get(key.parent()) != null
                            && groupOf.get(key.parent()).equals(groupOf.get(ref))) {
                        key.columns().stream()
                                .map(name -> table.column(name).orElseThrow())
                                .filter(Column::nullable)
                                .filter(c -> !table.isKey(c)) // rows are found by their key: it is written with them
                                .forEach(columns::add);
                    }
                }
                if (!columns.isEmpty()) {
                    deferred.put(ref, List.copyOf(columns));
                }
            }
        }
        return new ChangeOrder(List.copyOf(order), deferred, groupOf);
    }

    /**
     * The tables of a group in an order that respects the references that cannot be deferred (all their columns NOT
     * NULL): such a parent comes before its child. Where those form a cycle of their own no order works; the
     * database then refuses, naming its constraint.
     */
    private static List<TableRef> withinGroup(List<TableRef> group, Map<TableRef, Table> byRef) {
        if (group.size() == 1) {
            return group;
        }
        Map<TableRef, Set<TableRef>> parents = new HashMap<>();
        for (TableRef ref : group) {
            Table table = byRef.get(ref);
            Set<TableRef> fixed = new LinkedHashSet<>();
            for (ForeignKey key : table.foreignKeys()) {
                boolean notNull = key.columns().stream()
                        .map(name -> table.column(name).orElseThrow())
                        .noneMatch(Column::nullable);
                if (notNull && !key.parent().equals(ref) && group.contains(key.parent())) {
                    fixed.add(key.parent());
                }
            }
            parents.put(ref, fixed);
        }
        List<TableRef> ordered = new ArrayList<>();
        List<TableRef> left = new ArrayList<>(group);
        while (!left.isEmpty()) {
            TableRef next = left.stream()
                    .filter(ref -> ordered.containsAll(parents.get(ref)))
                    .findFirst()
                    .orElse(left.get(0));
            ordered.add(next);
            left.remove(next);
        }
        return ordered;
    }

    /** The tables, parents first. */
    List<TableRef> parentsFirst() {
        return parentsFirst;
    }

    /** The tables, children first. */
    List<TableRef> childrenFirst() {
        List<TableRef> reversed = new ArrayList<>(parentsFirst);
        java.util.Collections.reverse(reversed);
        return reversed;
    }

    /** Whether two tables of the delta reference each other, directly or round a cycle (or are the same table). */
    boolean sameGroup(TableRef one, TableRef other) {
        Integer group = groupOf.get(one);
        return group != null && group.equals(groupOf.get(other));
    }

    /** The columns of {@code table} to fill after, and to clear before, the other changes of its group. */
    List<Column> deferred(TableRef table) {
        return deferred.getOrDefault(table, List.of());
    }

    /**
     * Tarjan's strongly connected components over child-to-parent edges: it emits a group only after every
     * group it references, so its output is parents first.
     */
    private static final class Tarjan {

        private final Map<TableRef, Table> tables;
        private final Map<TableRef, Integer> index = new HashMap<>();
        private final Map<TableRef, Integer> low = new HashMap<>();
        private final Deque<TableRef> stack = new ArrayDeque<>();
        private final Set<TableRef> onStack = new java.util.HashSet<>();
        private final List<List<TableRef>> groups = new ArrayList<>();
        private int next;

        Tarjan(Map<TableRef, Table> tables) {
            this.tables = tables;
        }

        List<List<TableRef>> groups() {
            for (TableRef ref : tables.keySet()) {
                if (!index.containsKey(ref)) {
                    visit(ref);
                }
            }
            return groups;
        }

        private void visit(TableRef ref) {
            index.put(ref, next);
            low.put(ref, next);
            next++;
            stack.push(ref);
            onStack.add(ref);
            for (ForeignKey key : tables.get(ref).foreignKeys()) {
                TableRef parent = key.parent();
                if (!tables.containsKey(parent)) {
                    continue;
                }
                if (!index.containsKey(parent)) {
                    visit(parent);
                    low.put(ref, Math.min(low.get(ref), low.get(parent)));
                } else if (onStack.contains(parent)) {
                    low.put(ref, Math.min(low.get(ref), index.get(parent)));
                }
            }
            if (low.get(ref).equals(index.get(ref))) {
                List<TableRef> group = new ArrayList<>();
                TableRef member;
                do {
                    member = stack.pop();
                    onStack.remove(member);
                    group.add(member);
                } while (!member.equals(ref));
                group.sort(Comparator.comparing(TableRef::toString));
                groups.add(group);
            }
        }
    }
}
