package io.dsynq.core.jdbc;

/**
 * A table as the database names it, with exact case.
 *
 * @param catalog the JDBC catalog (the database on MariaDB/MySQL), or {@code null}
 * @param schema the JDBC schema, or {@code null} where the engine has none (MariaDB/MySQL)
 * @param name the table name
 */
public record TableRef(String catalog, String schema, String name) {

    @Override
    public String toString() {
        String container = schema != null ? schema : catalog;
        return container == null ? name : container + "." + name;
    }
}
