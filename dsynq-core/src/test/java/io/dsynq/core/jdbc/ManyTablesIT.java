package io.dsynq.core.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.dsynq.core.DsynqListener;
import io.dsynq.core.model.TableName;
import io.dsynq.core.testing.Engine;
import io.dsynq.core.testing.TestDatabase;
import io.dsynq.core.testing.TestServers;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What the catalog asks a database of many tables: questions that do not each cost what the whole database does. */
class ManyTablesIT {

    private static final int TABLES = 20;

    /**
     * The references to a table were asked for table by table, and PostgreSQL's and MariaDB's drivers look through
     * every foreign key of the database (MariaDB: of the server) to answer: a diff or an apply over 500 tables spent 6
     * (PostgreSQL) and 24 seconds (MariaDB) on it, over 2,000 tables the square of that. They are asked once for a
     * schema, and still include a reference from another schema.
     */
    @ParameterizedTest
    @EnumSource(
            value = Engine.class,
            names = {"POSTGRESQL", "MARIADB"})
    void theReferencesToTheTablesOfASchemaAreAskedForOnce(Engine engine) throws Exception {
        try (TestDatabase database = TestServers.create(engine);
                TestDatabase other = TestServers.create(engine);
                Connection connection = database.connect()) {
            List<String> statements = new ArrayList<>();
            statements.add("CREATE TABLE t00 (id INT PRIMARY KEY)");
            for (int i = 1; i < TABLES; i++) {
                statements.add(String.format(
                        "CREATE TABLE t%02d (id INT PRIMARY KEY, up INT REFERENCES t%02d (id))", i, i - 1));
            }
            database.execute(statements.toArray(String[]::new));
            String elsewhere = engine == Engine.POSTGRESQL ? "elsewhere" : other.name();
            if (engine == Engine.POSTGRESQL) {
                database.execute("CREATE SCHEMA elsewhere");
            }
            database.execute("CREATE TABLE " + elsewhere + ".c (id INT PRIMARY KEY, t05 INT REFERENCES "
                    + (engine == Engine.POSTGRESQL ? "public" : database.name()) + ".t05 (id))");
            AtomicInteger asked = new AtomicInteger();
            Connection counted = counting(connection, asked);
            DatabaseCatalog catalog =
                    new DatabaseCatalog(counted, Dialect.of(connection), Map.of(), DsynqListener.SILENT);

            List<String> referenced = new ArrayList<>();
            for (int i = 0; i < TABLES; i++) {
                Table table = catalog.table(TableName.parse(String.format("t%02d", i)));
                table.referencedBy().forEach(key -> referenced.add(table.ref().name() + " <- " + key.child()));
            }

            assertThat(asked).hasValue(1);
            String here = engine == Engine.POSTGRESQL ? "public" : database.name();
            assertThat(referenced).hasSize(TABLES).contains("t00 <- " + here + ".t01", "t18 <- " + here + ".t19");
            assertThat(referenced)
                    .filteredOn(r -> r.startsWith("t05 <- "))
                    .containsExactlyInAnyOrder("t05 <- " + here + ".t06", "t05 <- " + elsewhere + ".c");
        }
    }

    /** {@code connection}, counting in {@code asked} the metadata questions for the foreign keys referencing tables. */
    private static Connection counting(Connection connection, AtomicInteger asked) {
        return (Connection) Proxy.newProxyInstance(
                ManyTablesIT.class.getClassLoader(), new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    Object result = invoke(connection, method, args);
                    if (!method.getName().equals("getMetaData")) {
                        return result;
                    }
                    DatabaseMetaData metaData = (DatabaseMetaData) result;
                    return Proxy.newProxyInstance(
                            ManyTablesIT.class.getClassLoader(),
                            new Class<?>[] {DatabaseMetaData.class},
                            (meta, call, values) -> {
                                if (call.getName().equals("getExportedKeys")
                                        || call.getName().equals("getCrossReference")) {
                                    asked.incrementAndGet();
                                }
                                return call.getName().equals("getConnection") ? proxy : invoke(metaData, call, values);
                            });
                });
    }

    private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
