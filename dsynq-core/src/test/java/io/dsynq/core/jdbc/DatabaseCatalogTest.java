package io.dsynq.core.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.dsynq.core.DsynqListener;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the catalog reads of tables, on in-process H2. */
class DatabaseCatalogTest {

    private Connection connection;

    @BeforeEach
    void setUp() throws Exception {
        connection = DriverManager.getConnection("jdbc:h2:mem:catalog" + System.nanoTime(), "sa", "");
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE region (code VARCHAR(4) PRIMARY KEY)");
            statement.execute("CREATE TABLE kv (k VARCHAR(10), v VARCHAR(10), region VARCHAR(4) REFERENCES region)");
            statement.execute("CREATE SCHEMA sales");
            statement.execute("CREATE TABLE sales.region (code VARCHAR(4) PRIMARY KEY)");
            statement.execute(
                    "CREATE TABLE sales.kv (k VARCHAR(10), v VARCHAR(10), region VARCHAR(4) REFERENCES sales.region)");
        }
    }

    @AfterEach
    void tearDown() throws Exception {
        connection.close();
    }

    /** The table a reference of sales.region names: sales.kv, reached without a delta naming it. */
    private Table referencing(DatabaseCatalog catalog, String schema) {
        Table region = catalog.table(io.dsynq.core.model.TableName.parse(schema + "region"));
        return catalog.table(region.referencedBy().get(0).child());
    }

    @Test
    void aKeyDeclaredForATableOfTheCurrentSchemaIsNotTakenByOneOfTheSameNameElsewhere() throws Exception {
        DatabaseCatalog catalog = new DatabaseCatalog(
                connection, Dialect.of(connection), Map.of("kv", List.of("k")), DsynqListener.SILENT);

        assertThat(referencing(catalog, "sales.").keySource()).isEqualTo(KeySource.NONE);
        assertThat(referencing(catalog, "").keySource()).isEqualTo(KeySource.DECLARED);
    }

    @Test
    void aKeyDeclaredForATableOfAnotherSchemaIsTakenByItWhereAReferenceNamesIt() throws Exception {
        DatabaseCatalog catalog = new DatabaseCatalog(
                connection, Dialect.of(connection), Map.of("sales.kv", List.of("k", "v")), DsynqListener.SILENT);

        Table kv = referencing(catalog, "sales.");
        assertThat(kv.keySource()).isEqualTo(KeySource.DECLARED);
        assertThat(kv.keyColumns()).extracting(c -> c.name()).containsExactly("K", "V");
        assertThat(referencing(catalog, "").keySource()).isEqualTo(KeySource.NONE);
    }
    /**
     * H2 builds its information schema's rows from every table of the database whichever one a query names, and the
     * unique indexes were asked for table by table: a diff over 2,000 tables spent over a minute per side on them.
     * They are asked for once per schema, and still named by their constraints.
     */
    @Test
    void theUniqueIndexesOfTheTablesOfASchemaAreAskedForOnce() throws Exception {
        try (Statement statement = connection.createStatement()) {
            for (int i = 0; i < 20; i++) {
                statement.execute(String.format(
                        "CREATE TABLE t%02d (id INT PRIMARY KEY, code VARCHAR(4) NOT NULL CONSTRAINT uq_%02d UNIQUE,"
                                + " other INT UNIQUE NULLS NOT DISTINCT)",
                        i, i));
            }
        }
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        Connection counted = (Connection) java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    if (method.getName().equals("prepareStatement")
                            && args[0].toString().contains("INFORMATION_SCHEMA.INDEXES")) {
                        asked.incrementAndGet();
                    }
                    try {
                        return method.invoke(connection, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        DatabaseCatalog catalog = new DatabaseCatalog(counted, Dialect.of(connection), Map.of(), DsynqListener.SILENT);

        for (int i = 0; i < 20; i++) {
            Table table = catalog.table(io.dsynq.core.model.TableName.parse(String.format("t%02d", i)));
            assertThat(table.keyColumns()).extracting(Column::name).containsExactly("ID");
            assertThat(table.uniques())
                    .extracting(u -> u.name() + " " + u.columns() + " " + u.nulls())
                    .hasSize(2)
                    .contains(String.format("UQ_%02d [CODE] DISTINCT", i))
                    .anyMatch(u -> u.endsWith(" [OTHER] NOT_DISTINCT"));
        }
        assertThat(asked).hasValue(1);
    }
}
