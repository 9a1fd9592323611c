package io.dsynq.it;

import io.dsynq.core.testing.Engine;
import io.dsynq.core.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Schemas of the sample projects, and reading a test database back. */
final class Databases {

    private Databases() {}

    /** The tables the {@code goals} sample's deltas write. */
    static String[] goalsSchema(Engine engine) {
        String timestamp = engine == Engine.MARIADB ? "DATETIME(6)" : "TIMESTAMP(6)";
        return new String[] {
            "CREATE TABLE category (id INT PRIMARY KEY, parent_id INT, name VARCHAR(50) NOT NULL,"
                    + " CONSTRAINT fk_category_parent FOREIGN KEY (parent_id) REFERENCES category (id))",
            "CREATE TABLE item (id INT PRIMARY KEY, code INT, name VARCHAR(50), category_id INT, price DECIMAL(10,2),"
                    + " updated " + timestamp + ", CONSTRAINT fk_item_category FOREIGN KEY (category_id)"
                    + " REFERENCES category (id))"
        };
    }

    /** The rows of a query, columns joined by {@code |}. */
    static List<String> rows(TestDatabase database, String sql) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection connection = database.connect();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            int columns = result.getMetaData().getColumnCount();
            while (result.next()) {
                StringBuilder row = new StringBuilder();
                for (int c = 1; c <= columns; c++) {
                    row.append(c > 1 ? "|" : "").append(result.getString(c));
                }
                rows.add(row.toString());
            }
        }
        return rows;
    }

    /** The names of the tables in the database's default schema. */
    static List<String> tables(TestDatabase database) throws Exception {
        List<String> tables = new ArrayList<>();
        try (Connection connection = database.connect();
                ResultSet result = connection
                        .getMetaData()
                        .getTables(connection.getCatalog(), connection.getSchema(), "%", null)) {
            while (result.next()) {
                tables.add(result.getString("TABLE_NAME"));
            }
        }
        return tables;
    }
}
