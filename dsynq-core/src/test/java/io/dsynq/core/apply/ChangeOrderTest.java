package io.dsynq.core.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.dsynq.core.jdbc.Column;
import io.dsynq.core.jdbc.ForeignKey;
import io.dsynq.core.jdbc.KeySource;
import io.dsynq.core.jdbc.Table;
import io.dsynq.core.jdbc.TableRef;
import io.dsynq.core.jdbc.ValueKind;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChangeOrderTest {

    private static TableRef ref(String name) {
        return new TableRef(null, "public", name);
    }

    private static Column column(String name, boolean nullable) {
        return new Column(name, "int4", 0, ValueKind.INTEGER, nullable, false, false, 0, false, 0, 0, null, null);
    }

    /** A table with an id and one nullable (or not) column per reference. */
    private static Table table(String name, boolean nullable, String... parents) {
        List<Column> columns = new ArrayList<>(List.of(column("id", false)));
        List<ForeignKey> keys = new ArrayList<>();
        for (String parent : parents) {
            columns.add(column(parent + "_id", nullable));
            keys.add(new ForeignKey(
                    "fk_" + name + "_" + parent,
                    ref(name),
                    ref(parent),
                    List.of(parent + "_id"),
                    List.of("id"),
                    java.sql.DatabaseMetaData.importedKeyNoAction));
        }
        return new Table(ref(name), columns, List.of("id"), KeySource.PRIMARY_KEY, keys, List.of(), List.of());
    }

    @Test
    void parentsComeFirstForInsertsAndLastForDeletes() {
        ChangeOrder order = ChangeOrder.of(List.of(
                table("line", true, "order", "product"),
                table("order", true, "customer"),
                table("customer", true),
                table("product", true)));

        List<TableRef> parentsFirst = order.parentsFirst();
        assertThat(parentsFirst.indexOf(ref("customer"))).isLessThan(parentsFirst.indexOf(ref("order")));
        assertThat(parentsFirst.indexOf(ref("order"))).isLessThan(parentsFirst.indexOf(ref("line")));
        assertThat(parentsFirst.indexOf(ref("product"))).isLessThan(parentsFirst.indexOf(ref("line")));
        assertThat(order.childrenFirst()).first().isEqualTo(ref("line"));
        assertThat(order.deferred(ref("line"))).isEmpty();
    }

    @Test
    void selfReferencesAndCyclesDeferTheirNullableColumns() {
        ChangeOrder order = ChangeOrder.of(List.of(
                table("category", true, "category"), table("employee", true, "department"),
                table("department", true, "employee"), table("item", true, "category")));

        assertThat(order.deferred(ref("category"))).extracting(Column::name).containsExactly("category_id");
        assertThat(order.deferred(ref("employee"))).extracting(Column::name).containsExactly("department_id");
        assertThat(order.deferred(ref("department"))).extracting(Column::name).containsExactly("employee_id");
        assertThat(order.deferred(ref("item"))).isEmpty();
        assertThat(order.parentsFirst().indexOf(ref("category")))
                .isLessThan(order.parentsFirst().indexOf(ref("item")));
    }

    @Test
    void withinACycleANotNullReferenceOrdersItsTables() {
        // a.b_id NOT NULL -> b, b.a_id NULL -> a: b's rows go in first, a's deferred column is b's only
        Table a = new Table(
                ref("a"),
                List.of(column("id", false), column("b_id", false)),
                List.of("id"),
                KeySource.PRIMARY_KEY,
                List.of(new ForeignKey(
                        "fk_a_b",
                        ref("a"),
                        ref("b"),
                        List.of("b_id"),
                        List.of("id"),
                        java.sql.DatabaseMetaData.importedKeyNoAction)),
                List.of(),
                List.of());
        Table b = new Table(
                ref("b"),
                List.of(column("id", false), column("a_id", true)),
                List.of("id"),
                KeySource.PRIMARY_KEY,
                List.of(new ForeignKey(
                        "fk_b_a",
                        ref("b"),
                        ref("a"),
                        List.of("a_id"),
                        List.of("id"),
                        java.sql.DatabaseMetaData.importedKeyNoAction)),
                List.of(),
                List.of());

        ChangeOrder order = ChangeOrder.of(List.of(a, b));

        assertThat(order.parentsFirst()).containsExactly(ref("b"), ref("a"));
        assertThat(order.childrenFirst()).containsExactly(ref("a"), ref("b"));
        assertThat(order.deferred(ref("b"))).extracting(Column::name).containsExactly("a_id");
        assertThat(order.deferred(ref("a"))).isEmpty();
    }

    @Test
    void notNullReferencesInACycleAreNotDeferred() {
        ChangeOrder order = ChangeOrder.of(List.of(table("node", false, "node")));

        assertThat(order.deferred(ref("node"))).isEmpty();
    }

    @Test
    void referencesToTablesOutsideTheDeltaDoNotMatter() {
        ChangeOrder order = ChangeOrder.of(List.of(table("item", false, "category")));

        assertThat(order.parentsFirst()).containsExactly(ref("item"));
    }
}
