package io.dsynq.benchmark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One database engine for the benchmark: a fresh database {@code dsynq_bench}, the {@code item} table, and the
 * engine's own fastest way to load, update and delete the same CSV files.
 */
abstract class Engine {

    static final String DATABASE = "dsynq_bench";

    abstract String name();

    /** The JDBC URL of the benchmark database. */
    abstract String url();

    abstract String user();

    abstract String password();

    /** Drops and creates the benchmark database. */
    abstract void createDatabase() throws Exception;

    /** Drops the benchmark database, so that a run leaves nothing behind. */
    abstract void dropDatabase() throws Exception;

    /** The native loader's name, for the table. */
    abstract String nativeInsertTool();

    /** The native way to apply an update or delete, for the table. */
    abstract String nativeStagedTool();

    /** Seconds the native loader takes to insert the file into the empty table. */
    abstract double nativeInsert(Path csv) throws Exception;

    /** Seconds the native staged statements take to set price and updated_at from the file. */
    abstract double nativeUpdate(Path csv) throws Exception;

    /** Seconds the native staged statements take to delete the keys in the file. */
    abstract double nativeDelete(Path csv) throws Exception;

    /** The name of a second native way to update and delete, for the table; {@code null} where there is none. */
    String batchTool() {
        return null;
    }

    /** Seconds the second native way takes to set price and updated_at from the file. */
    double batchUpdate(Path csv) throws Exception {
        throw new UnsupportedOperationException();
    }

    /** Seconds the second native way takes to delete the keys in the file. */
    double batchDelete(Path csv) throws Exception {
        throw new UnsupportedOperationException();
    }

    String timestampType() {
        return "TIMESTAMP(6)";
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(url(), user(), password());
    }

    /** Creates the empty table, dropping dsynq's history with the old one. */
    void resetTable() throws SQLException {
        execute(
                "DROP TABLE IF EXISTS item",
                "DROP TABLE IF EXISTS dsynq_history",
                "DROP TABLE IF EXISTS" + " dsynq_history_reverse",
                "DROP TABLE IF EXISTS dsynq_history_lock",
                "DROP TABLE IF EXISTS" + " databasechangelog",
                "DROP TABLE IF EXISTS databasechangeloglock",
                "CREATE TABLE item (id BIGINT PRIMARY KEY, code INT, name VARCHAR(64), price NUMERIC(12,2),"
                        + " updated_at " + timestampType() + ")");
    }

    void execute(String... statements) throws SQLException {
        try (Connection connection = connect();
                Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    long count() throws SQLException {
        try (Connection connection = connect();
                Statement statement = connection.createStatement();
                var rows = statement.executeQuery("SELECT COUNT(*) FROM item")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** Runs a command line tool, returning its wall-clock seconds; fails with its output if it fails. */
    static double run(Map<String, String> environment, String... command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Path output = Files.createTempFile("dsynq-bench", ".log");
        builder.redirectOutput(output.toFile());
        long started = System.nanoTime();
        Process process = builder.start();
        int exit = process.waitFor();
        double seconds = (System.nanoTime() - started) / 1e9;
        String log = Files.readString(output, StandardCharsets.UTF_8);
        Files.delete(output);
        if (exit != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (" + exit + "):\n" + log);
        }
        return seconds;
    }

    /** Seconds a block takes. */
    static double time(ThrowingRunnable block) throws Exception {
        long started = System.nanoTime();
        block.run();
        return (System.nanoTime() - started) / 1e9;
    }

    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }

    static List<Engine> of(String names) {
        List<Engine> engines = new ArrayList<>();
        for (String name : names.split(",")) {
            engines.add(
                    switch (name.strip().toLowerCase()) {
                        case "postgresql" -> new Postgres();
                        case "mariadb" -> new MariaDb();
                        case "h2" -> new H2();
                        default -> throw new IllegalArgumentException("no engine " + name);
                    });
        }
        return engines;
    }

    /** PostgreSQL through {@code psql}: {@code \copy}, and a temporary table plus one statement for changes. */
    static final class Postgres extends Engine {

        private final String host = System.getProperty("benchmark.postgresql.host", "127.0.0.1");
        private final String port = System.getProperty("benchmark.postgresql.port", "5432");
        private final String user = System.getProperty("benchmark.postgresql.user", "postgres");
        private final String password = System.getProperty("benchmark.postgresql.password", "");

        @Override
        String name() {
            return "PostgreSQL";
        }

        @Override
        String url() {
            return "jdbc:postgresql://" + host + ":" + port + "/" + DATABASE;
        }

        @Override
        String user() {
            return user;
        }

        @Override
        String password() {
            return password;
        }

        @Override
        void createDatabase() throws Exception {
            dropDatabase();
            try (Connection connection = DriverManager.getConnection(
                            "jdbc:postgresql://" + host + ":" + port + "/postgres", user, password);
                    Statement statement = connection.createStatement()) {
                statement.execute("CREATE DATABASE " + DATABASE);
            }
        }

        @Override
        void dropDatabase() throws Exception {
            try (Connection connection = DriverManager.getConnection(
                            "jdbc:postgresql://" + host + ":" + port + "/postgres", user, password);
                    Statement statement = connection.createStatement()) {
                statement.execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
            }
        }

        @Override
        String nativeInsertTool() {
            return "psql \\copy";
        }

        @Override
        String nativeStagedTool() {
            return "psql \\copy + temp table";
        }

        @Override
        double nativeInsert(Path csv) throws Exception {
            return psql("\\copy item FROM '" + csv + "' CSV HEADER\n");
        }

        @Override
        double nativeUpdate(Path csv) throws Exception {
            return psql(
                    "BEGIN;\nCREATE TEMP TABLE s (id BIGINT, price NUMERIC(12,2), updated_at TIMESTAMP(6)) ON COMMIT"
                            + " DROP;\n\\copy s FROM '" + csv
                            + "' CSV HEADER\nUPDATE item t SET price = s.price, updated_at ="
                            + " s.updated_at FROM s WHERE t.id = s.id;\nCOMMIT;\n");
        }

        @Override
        double nativeDelete(Path csv) throws Exception {
            return psql("BEGIN;\nCREATE TEMP TABLE k (id BIGINT) ON COMMIT DROP;\n\\copy k FROM '" + csv
                    + "' CSV HEADER\nDELETE FROM item t USING k WHERE t.id = k.id;\nCOMMIT;\n");
        }

        private double psql(String script) throws Exception {
            Path file = Files.createTempFile("dsynq-bench", ".sql");
            Files.writeString(file, script);
            try {
                return run(
                        Map.of("PGPASSWORD", password),
                        "psql",
                        "-q",
                        "-X",
                        "-v",
                        "ON_ERROR_STOP=1",
                        "-h",
                        host,
                        "-p",
                        port,
                        "-U",
                        user,
                        "-d",
                        DATABASE,
                        "-f",
                        file.toString());
            } finally {
                Files.delete(file);
            }
        }
    }

    /** MariaDB through its client: {@code LOAD DATA LOCAL INFILE}, and a temporary table plus one statement. */
    static final class MariaDb extends Engine {

        private final String host = System.getProperty("benchmark.mariadb.host", "127.0.0.1");
        private final String port = System.getProperty("benchmark.mariadb.port", "3306");
        private final String user = System.getProperty("benchmark.mariadb.user", "root");
        private final String password = System.getProperty("benchmark.mariadb.password", "");

        @Override
        String name() {
            return "MariaDB";
        }

        @Override
        String url() {
            return "jdbc:mariadb://" + host + ":" + port + "/" + DATABASE;
        }

        @Override
        String user() {
            return user;
        }

        @Override
        String password() {
            return password;
        }

        @Override
        String timestampType() {
            return "DATETIME(6)";
        }

        @Override
        void createDatabase() throws Exception {
            dropDatabase();
            try (Connection connection =
                            DriverManager.getConnection("jdbc:mariadb://" + host + ":" + port + "/", user, password);
                    Statement statement = connection.createStatement()) {
                statement.execute("CREATE DATABASE " + DATABASE);
            }
        }

        @Override
        void dropDatabase() throws Exception {
            try (Connection connection =
                            DriverManager.getConnection("jdbc:mariadb://" + host + ":" + port + "/", user, password);
                    Statement statement = connection.createStatement()) {
                statement.execute("DROP DATABASE IF EXISTS " + DATABASE);
            }
        }

        @Override
        String nativeInsertTool() {
            return "LOAD DATA LOCAL INFILE";
        }

        @Override
        String nativeStagedTool() {
            return "LOAD DATA + temp table";
        }

        private static String load(String table, Path csv) {
            return "LOAD DATA LOCAL INFILE '" + csv + "' INTO TABLE " + table + " FIELDS TERMINATED BY ','"
                    + " OPTIONALLY ENCLOSED BY '\"' LINES TERMINATED BY '\\n' IGNORE 1 LINES";
        }

        @Override
        double nativeInsert(Path csv) throws Exception {
            return mariadb(load("item", csv));
        }

        @Override
        double nativeUpdate(Path csv) throws Exception {
            return mariadb("CREATE TEMPORARY TABLE s (id BIGINT, price DECIMAL(12,2), updated_at DATETIME(6));"
                    + load("s", csv) + "; UPDATE item t JOIN s ON t.id = s.id SET t.price = s.price, t.updated_at ="
                    + " s.updated_at");
        }

        @Override
        double nativeDelete(Path csv) throws Exception {
            return mariadb("CREATE TEMPORARY TABLE k (id BIGINT);" + load("k", csv)
                    + "; DELETE t FROM item t JOIN k ON t.id = k.id");
        }

        /** The driver's bulk protocol, which the figures found faster than staged statements for updates. */
        @Override
        String batchTool() {
            return "JDBC useBulkStmts batches";
        }

        @Override
        double batchUpdate(Path csv) throws Exception {
            return batches(csv, "UPDATE item SET price = ?, updated_at = ? WHERE id = ?", (statement, fields) -> {
                statement.setBigDecimal(1, new java.math.BigDecimal(fields[1]));
                statement.setObject(2, java.time.LocalDateTime.parse(fields[2]));
                statement.setLong(3, Long.parseLong(fields[0]));
            });
        }

        @Override
        double batchDelete(Path csv) throws Exception {
            return batches(
                    csv,
                    "DELETE FROM item WHERE id = ?",
                    (statement, fields) -> statement.setLong(1, Long.parseLong(fields[0])));
        }

        @FunctionalInterface
        private interface Binder {
            void bind(java.sql.PreparedStatement statement, String[] fields) throws SQLException;
        }

        /** One statement per line of the file (its plain values need no CSV parser), in batches of 1000, one commit. */
        private double batches(Path csv, String sql, Binder binder) throws Exception {
            try (Connection connection = DriverManager.getConnection(url() + "?useBulkStmts=true", user, password)) {
                connection.setAutoCommit(false);
                return time(() -> {
                    try (java.sql.PreparedStatement statement = connection.prepareStatement(sql);
                            java.io.BufferedReader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
                        in.readLine();
                        int pending = 0;
                        for (String line; (line = in.readLine()) != null; ) {
                            binder.bind(statement, line.split(","));
                            statement.addBatch();
                            if (++pending == 1000) {
                                statement.executeBatch();
                                pending = 0;
                            }
                        }
                        statement.executeBatch();
                    }
                    connection.commit();
                });
            }
        }

        private double mariadb(String sql) throws Exception {
            return run(
                    Map.of("MYSQL_PWD", password),
                    "mariadb",
                    "--local-infile=1",
                    "-h",
                    host,
                    "-P",
                    port,
                    "-u",
                    user,
                    DATABASE,
                    "-e",
                    sql);
        }
    }

    /** H2 in process: {@code CSVREAD}, the fastest H2 has for a file. */
    static final class H2 extends Engine {

        private Path folder;

        void folder(Path folder) {
            this.folder = folder;
        }

        @Override
        String name() {
            return "H2";
        }

        @Override
        String url() {
            return "jdbc:h2:file:" + folder.resolve(DATABASE).toAbsolutePath();
        }

        @Override
        String user() {
            return "sa";
        }

        @Override
        String password() {
            return "";
        }

        @Override
        void createDatabase() throws Exception {
            dropDatabase();
        }

        @Override
        void dropDatabase() throws Exception {
            try (var files = Files.list(folder)) {
                for (Path file : files.filter(f -> f.getFileName().toString().startsWith(DATABASE))
                        .toList()) {
                    Files.delete(file);
                }
            }
        }

        @Override
        String nativeInsertTool() {
            return "INSERT … CSVREAD";
        }

        @Override
        String nativeStagedTool() {
            return "MERGE … CSVREAD";
        }

        @Override
        double nativeInsert(Path csv) throws Exception {
            return time(() -> execute("INSERT INTO item (" + DataSet.TABLE_COLUMNS + ") SELECT * FROM CSVREAD('" + csv
                    + "', NULL, 'charset=UTF-8')"));
        }

        @Override
        double nativeUpdate(Path csv) throws Exception {
            return time(() -> execute("MERGE INTO item t USING (SELECT CAST(id AS BIGINT) id, CAST(price AS"
                    + " NUMERIC(12,2)) price, CAST(updated_at AS TIMESTAMP(6)) updated_at FROM CSVREAD('" + csv
                    + "', NULL, 'charset=UTF-8')) s ON (t.id = s.id) WHEN MATCHED THEN UPDATE SET price = s.price,"
                    + " updated_at = s.updated_at"));
        }

        @Override
        double nativeDelete(Path csv) throws Exception {
            return time(() -> execute("MERGE INTO item t USING (SELECT CAST(id AS BIGINT) id FROM CSVREAD('" + csv
                    + "', NULL, 'charset=UTF-8')) s ON (t.id = s.id) WHEN MATCHED THEN DELETE"));
        }
    }
}
