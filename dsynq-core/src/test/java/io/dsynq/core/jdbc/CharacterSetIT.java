package io.dsynq.core.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dsynq.core.ApplyRequest;
import io.dsynq.core.DsynqException;
import io.dsynq.core.testing.Engine;
import io.dsynq.core.testing.TestDatabase;
import io.dsynq.core.testing.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Text in a character set that holds less than all of Unicode: MariaDB's {@code latin1} or {@code utf8mb3} columns, a
 * PostgreSQL database in {@code LATIN1}. The server refuses a character its set does not hold (or stores {@code ?});
 * dsynq refuses it first, naming the file, line and value, and the repertoires it checks against are the servers'
 * own.
 */
class CharacterSetIT {

    @TempDir
    Path tmp;

    /**
     * For each MariaDB character set dsynq checks, the characters of the Basic Multilingual Plane its repertoire
     * holds are those the server converts to the set and back unchanged: what the server holds in such a column.
     */
    @Test
    void mariaDbRepertoiresHoldWhatTheServerKeeps() throws Exception {
        try (TestDatabase maria = TestServers.create(Engine.MARIADB);
                Connection connection = maria.connect();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE bmp (c INT PRIMARY KEY, ch VARCHAR(1) CHARACTER SET utf8mb4)");
            statement.execute("INSERT INTO bmp SELECT seq, CONVERT(CHAR(seq USING ucs2) USING utf8mb4)"
                    + " FROM seq_0_to_65535 WHERE seq NOT BETWEEN 55296 AND 57343");
            MariaDbDialect dialect = (MariaDbDialect) Dialect.of(connection);
            List<String> compared = new ArrayList<>();
            List<String[]> sets = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery(
                    "SELECT CHARACTER_SET_NAME, MAXLEN FROM information_schema.CHARACTER_SETS ORDER BY 1")) {
                while (rows.next()) {
                    sets.add(new String[] {rows.getString(1), rows.getString(2)});
                }
            }
            for (String[] set : sets) {
                Repertoire repertoire = dialect.repertoire(connection, set[0], Integer.parseInt(set[1]));
                if (repertoire == null) {
                    continue;
                }
                compared.add(set[0]);
                TreeSet<Integer> server = new TreeSet<>();
                for (String c : names(
                        connection,
                        "SELECT c FROM bmp WHERE CONVERT(CONVERT(ch USING " + set[0] + ") USING utf8mb4) = ch"
                                + " COLLATE utf8mb4_bin")) {
                    server.add(Integer.parseInt(c));
                }
                assertSame(set[0], held(repertoire), server);
                assertThat(repertoire.firstUnheld("a\uD83D\uDE00")).isEqualTo(0x1F600);
            }
            assertThat(compared).contains("latin1", "latin2", "ascii", "cp1250", "hebrew", "utf8mb3", "ucs2");
            assertThat(compared).doesNotContain("utf8mb4", "binary");
        }
    }

    /** Each PostgreSQL encoding of one byte per character that dsynq checks holds what the server decodes. */
    @Test
    void postgresRepertoiresAreWhatTheServerDecodes() throws Exception {
        try (TestDatabase postgres = TestServers.create(Engine.POSTGRESQL);
                Connection connection = postgres.connect();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE FUNCTION decoded(b INT, encoding NAME) RETURNS TEXT LANGUAGE plpgsql AS $$"
                    + " BEGIN RETURN convert_from(decode(lpad(to_hex(b), 2, '0'), 'hex'), encoding);"
                    + " EXCEPTION WHEN OTHERS THEN RETURN NULL; END $$");
            List<String> compared = new ArrayList<>();
            for (String encoding : names(
                    connection,
                    "SELECT pg_encoding_to_char(e) FROM generate_series(0, 50) e WHERE pg_encoding_to_char(e) <> ''")) {
                Repertoire repertoire = PostgresDialect.repertoire(encoding);
                if (repertoire == null) {
                    continue;
                }
                compared.add(encoding);
                TreeSet<Integer> server = new TreeSet<>();
                for (String decoded : names(
                        connection,
                        "SELECT decoded(b, '" + encoding + "') FROM generate_series(1, 255) b" + " WHERE decoded(b, '"
                                + encoding + "') IS NOT NULL")) {
                    server.add((int) decoded.charAt(0));
                }
                TreeSet<Integer> java = held(repertoire);
                java.remove(0); // PostgreSQL's text holds no NUL in any encoding
                assertSame(encoding, java, server);
            }
            assertThat(compared).contains("LATIN1", "LATIN2", "WIN1252", "KOI8R");
        }
    }

    /**
     * A value the column's character set cannot hold fails the apply with one error naming the file, line and
     * character, and changes nothing; what the set holds applies and reads back as it was written.
     */
    @ParameterizedTest
    @EnumSource(
            value = Engine.class,
            names = {"MARIADB", "POSTGRESQL"})
    void textACharacterSetCannotHoldIsRefusedAtApply(Engine engine) throws Exception {
        boolean maria = engine == Engine.MARIADB;
        try (TestDatabase database = maria
                ? TestServers.create(engine)
                : TestServers.create(
                        engine,
                        null,
                        "dsynq_t_",
                        " TEMPLATE template0 ENCODING 'LATIN1' LC_COLLATE 'C' LC_CTYPE 'C'")) {
            database.execute(
                    maria
                            ? "CREATE TABLE city (id INT PRIMARY KEY, name VARCHAR(20) CHARACTER SET latin1,"
                                    + " note VARCHAR(20) CHARACTER SET utf8mb3)"
                            : "CREATE TABLE city (id INT PRIMARY KEY, name VARCHAR(20), note TEXT)",
                    "INSERT INTO city VALUES (1, 'Basel', 'first')");
            // MariaDB's latin1 is cp1252, which holds the euro sign; ISO 8859-1 does not
            String held = maria ? "Zürich €" : "Zürich ×";
            String unheld = maria ? "Łódź" : "Zürich €";
            String character = maria ? "'Ł' (U+0141)" : "'€' (U+20AC)";
            String type = maria ? "varchar(20) in latin1" : "varchar(20) in LATIN1";
            write("1700000001.000000/city.i.csv", "id,name,note\n2,\"" + held + "\",ok\n3,\"" + unheld + "\",\n");

            assertThatThrownBy(
                            () -> database.dsynq(tmp.resolve("deltas")).build().apply(ApplyRequest.latest()))
                    .isInstanceOf(DsynqException.class)
                    .hasMessageContaining("1700000001.000000, file city.i.csv, line 3: column name, value '" + unheld
                            + "': holds " + character + ", which " + type + " cannot hold");
            assertThat(rows(database)).containsExactly("1|Basel|first");

            write("1700000001.000000/city.i.csv", "id,name,note\n2,\"" + held + "\",ok\n3,Łeba,\"a \uD83D\uDE00\"\n");
            if (maria) {
                assertThatThrownBy(() ->
                                database.dsynq(tmp.resolve("deltas")).build().apply(ApplyRequest.latest()))
                        .isInstanceOf(DsynqException.class)
                        .hasMessageContaining("file city.i.csv, line 3: column name, value 'Łeba': holds 'Ł'");
                write(
                        "1700000001.000000/city.i.csv",
                        "id,name,note\n2,\"" + held + "\",ok\n3,Leba,\"a \uD83D\uDE00\"\n");
                assertThatThrownBy(() ->
                                database.dsynq(tmp.resolve("deltas")).build().apply(ApplyRequest.latest()))
                        .isInstanceOf(DsynqException.class)
                        .hasMessageContaining("file city.i.csv, line 3: column note, value 'a \uD83D\uDE00': holds"
                                + " '\uD83D\uDE00' (U+1F600), which varchar(20) in utf8mb3 cannot hold");
                assertThat(rows(database)).containsExactly("1|Basel|first");
            }

            write("1700000001.000000/city.i.csv", "id,name,note\n2,\"" + held + "\",\u00A0ok\u00FF\n");
            database.dsynq(tmp.resolve("deltas")).build().apply(ApplyRequest.latest());
            assertThat(rows(database)).containsExactly("1|Basel|first", "2|" + held + "|\u00A0ok\u00FF");
        }
    }

    private void write(String file, String content) throws Exception {
        Path path = tmp.resolve("deltas/db/delta").resolve(file);
        Files.createDirectories(path.getParent());
        Files.writeString(path, content);
    }

    /** The characters only one side holds, in hexadecimal, so that a difference reads as one. */
    private static void assertSame(String set, TreeSet<Integer> dsynq, TreeSet<Integer> server) {
        TreeSet<Integer> onlyDsynq = new TreeSet<>(dsynq);
        onlyDsynq.removeAll(server);
        TreeSet<Integer> onlyServer = new TreeSet<>(server);
        onlyServer.removeAll(dsynq);
        assertThat(hex(onlyDsynq) + " / " + hex(onlyServer))
                .as("%s: characters only dsynq's repertoire holds / only the server's", set)
                .isEqualTo("[] / []");
    }

    private static List<String> hex(TreeSet<Integer> characters) {
        return characters.stream().map(c -> String.format("U+%04X", c)).toList();
    }

    /** Every character of the Basic Multilingual Plane the repertoire holds. */
    private static TreeSet<Integer> held(Repertoire repertoire) {
        TreeSet<Integer> held = new TreeSet<>();
        for (int c = 0; c < 0x10000; c++) {
            if (!Character.isSurrogate((char) c) && repertoire.firstUnheld(Character.toString(c)) < 0) {
                held.add(c);
            }
        }
        return held;
    }

    private static List<String> rows(TestDatabase database) throws Exception {
        try (Connection connection = database.connect()) {
            return names(connection, "SELECT CONCAT(id, '|', name, '|', COALESCE(note, '')) FROM city ORDER BY id");
        }
    }

    private static List<String> names(Connection connection, String sql) throws Exception {
        List<String> names = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                names.add(rows.getString(1));
            }
        }
        return names;
    }
}
