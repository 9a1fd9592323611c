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
}
