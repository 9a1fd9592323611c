package io.dsynq.benchmark;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import liquibase.Liquibase;
import liquibase.Scope;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.DirectoryResourceAccessor;
import liquibase.ui.LoggerUIService;
import org.dbunit.database.DatabaseConfig;
import org.dbunit.database.DatabaseConnection;
import org.dbunit.database.IDatabaseConnection;
import org.dbunit.dataset.csv.CsvDataSet;
import org.dbunit.ext.h2.H2DataTypeFactory;
import org.dbunit.ext.mysql.MySqlDataTypeFactory;
import org.dbunit.ext.postgresql.PostgresqlDataTypeFactory;
import org.dbunit.operation.DatabaseOperation;

/** The tools users would otherwise pick, taken from Maven Central: Liquibase's loadData and DbUnit's CSV insert. */
final class Peers {

    private Peers() {}

    static {
        Logger.getLogger("liquibase").setLevel(Level.WARNING);
    }

    /** Liquibase {@code loadData} of the rows in {@code csv} into the empty table. */
    static void liquibaseLoadData(Engine engine, Path csv) throws Exception {
        liquibase(
                engine,
                csv,
                "<loadData tableName=\"item\" file=\"" + csv.getFileName()
                        + "\" relativeToChangelogFile=\"true\">" + columns("id", "code", "name", "price", "updated_at")
                        + "</loadData>");
    }

    /** Liquibase {@code loadUpdateData} (an upsert by primary key) of the rows in {@code csv}. */
    static void liquibaseLoadUpdateData(Engine engine, Path csv) throws Exception {
        liquibase(
                engine,
                csv,
                "<loadUpdateData tableName=\"item\" primaryKey=\"id\" file=\"" + csv.getFileName()
                        + "\" relativeToChangelogFile=\"true\">" + columns("id", "price", "updated_at")
                        + "</loadUpdateData>");
    }

    private static String columns(String... names) {
        StringBuilder columns = new StringBuilder();
        for (String name : names) {
            String type =
                    switch (name) {
                        case "id", "code", "price" -> "NUMERIC";
                        case "updated_at" -> "DATETIME";
                        default -> "STRING";
                    };
            columns.append("<column name=\"")
                    .append(name)
                    .append("\" type=\"")
                    .append(type)
                    .append("\"/>");
        }
        return columns.toString();
    }

    private static void liquibase(Engine engine, Path csv, String change) throws Exception {
        Path changelog = csv.resolveSibling("changelog-" + csv.getFileName() + ".xml");
        Files.writeString(
                changelog,
                "<databaseChangeLog xmlns=\"http://www.liquibase.org/xml/ns/dbchangelog\""
                        + " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\""
                        + " xsi:schemaLocation=\"http://www.liquibase.org/xml/ns/dbchangelog"
                        + " http://www.liquibase.org/xml/ns/dbchangelog/dbchangelog-latest.xsd\">"
                        + "<changeSet id=\"" + System.nanoTime() + "\" author=\"benchmark\">" + change + "</changeSet>"
                        + "</databaseChangeLog>");
        try (Connection connection = engine.connect()) {
            Database database =
                    DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(connection));
            try (Liquibase liquibase = new Liquibase(
                    changelog.getFileName().toString(),
                    new DirectoryResourceAccessor(changelog.getParent()),
                    database)) {
                // its progress and summary go to the (quietened) log, so the benchmark's table stays readable
                Scope.child(Map.of(Scope.Attr.ui.name(), new LoggerUIService()), () -> liquibase.update(""));
            }
        }
    }

    /** DbUnit's {@code INSERT} of a CSV data set, batched statements on. */
    static void dbunitInsert(Engine engine, Path folder) throws Exception {
        boolean maria = engine.name().equals("MariaDB");
        // MariaDB's driver ignores schema patterns unless told that schemas are its databases; without that DbUnit
        // looks for the table in every database on the server and stops at a second table of the name
        try (Connection connection = maria
                ? java.sql.DriverManager.getConnection(
                        engine.url() + "?useCatalogTerm=SCHEMA", engine.user(), engine.password())
                : engine.connect()) {
            String schema =
                    switch (engine.name()) {
                        case "PostgreSQL" -> "public";
                        case "H2" -> "PUBLIC";
                        default -> Engine.DATABASE;
                    };
            IDatabaseConnection dbunit = new DatabaseConnection(connection, schema);
            DatabaseConfig config = dbunit.getConfig();
            config.setProperty(DatabaseConfig.FEATURE_BATCHED_STATEMENTS, true);
            config.setProperty(DatabaseConfig.PROPERTY_BATCH_SIZE, 1000);
            config.setProperty(
                    DatabaseConfig.PROPERTY_DATATYPE_FACTORY,
                    switch (engine.name()) {
                        case "PostgreSQL" -> new PostgresqlDataTypeFactory();
                        case "H2" -> new H2DataTypeFactory();
                        default -> new MySqlDataTypeFactory();
                    });
            DatabaseOperation.INSERT.execute(dbunit, new CsvDataSet(folder.toFile()));
        }
    }

    /** A DbUnit CSV data set folder with the rows of {@code csv} (timestamps with a space, as DbUnit reads them). */
    static Path dbunitDataSet(Path csv, Path folder) throws IOException {
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("table-ordering.txt"), "item\n");
        try (var lines = Files.lines(csv, StandardCharsets.UTF_8);
                BufferedWriter out = Files.newBufferedWriter(folder.resolve("item.csv"), StandardCharsets.UTF_8)) {
            for (String line : (Iterable<String>) lines::iterator) {
                out.write(line.replace('T', ' '));
                out.write('\n');
            }
        }
        return folder;
    }
}
