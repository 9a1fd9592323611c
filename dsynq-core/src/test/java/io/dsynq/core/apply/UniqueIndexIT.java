package io.dsynq.core.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dsynq.core.ApplyRequest;
import io.dsynq.core.Dsynq;
import io.dsynq.core.DsynqException;
import io.dsynq.core.DsynqListener;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A delta that gives a row values of a unique index besides the key which another row holds fails naming the line,
 * on every engine (the database's own error names none), and changes nothing.
 */
class UniqueIndexIT {

    private static final String ID = "1700000001.000000";

    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(Engine.class)
    void valuesAnotherRowHoldsFailNamingTheLine(Engine engine) throws Exception {
        try (TestDatabase database = TestServers.create(engine)) {
            database.execute(
                    "CREATE TABLE currency (id INT PRIMARY KEY, code VARCHAR(3) NOT NULL, name VARCHAR(20), region INT,"
                            + " CONSTRAINT uq_code UNIQUE (code), CONSTRAINT uq_region_name UNIQUE (region, name))",
                    "INSERT INTO currency VALUES (1, 'CHF', 'Franc', 1), (2, 'EUR', 'Euro', 1)");

            // a row that moves to another key with its code: the insert comes before the delete
            delta("currency.i.csv", "id,code,name\n3,USD,Dollar\n5,EUR,Euro\n");
            delta("currency.d.csv", "id\n2\n");
            assertFails(
                    database,
                    "file currency.i.csv, line 3: the values code='EUR' of unique index uq_code are held by the row"
                            + " with key id=2 of table currency (a delta inserts and updates before it"
                            + " deletes)");

            delta("currency.i.csv", "id,code,name\n3,USD,Dollar\n4,GBP,Pound\n6,USD,Dollar\n");
            Files.delete(tmp.resolve("deltas/db/delta/" + ID + "/currency.d.csv"));
            assertFails(
                    database,
                    "file currency.i.csv, line 2: the values code='USD' of unique index ",
                    " are listed twice in the file (also on line 4)");

            // ... or that the delta gives other values after its inserts, or does not change
            delta("currency.i.csv", "id,code,name\n3,CHF,Franc\n");
            delta("currency.u.csv", "id,code\n1,AUD\n");
            assertFails(
                    database,
                    "file currency.i.csv, line 2: the values code='CHF' of unique index uq_code are held by the row"
                            + " with key id=1 of table currency (a delta inserts before it updates)");
            delta("currency.u.csv", "id,name\n1,Franken\n");
            assertFails(
                    database,
                    "file currency.i.csv, line 2: the values code='CHF' of unique index uq_code are held by the row"
                            + " with key id=1 of table currency, which the delta does not change");
            Files.delete(tmp.resolve("deltas/db/delta/" + ID + "/currency.u.csv"));
            assertFails(
                    database,
                    "file currency.i.csv, line 2: the values code='CHF' of unique index uq_code are held by the row"
                            + " with key id=1 of table currency, which the delta does not change");

            // an update taking the code of a row the delta deletes later
            Files.delete(tmp.resolve("deltas/db/delta/" + ID + "/currency.i.csv"));
            delta("currency.u.csv", "id,code\n1,EUR\n");
            delta("currency.d.csv", "id\n2\n");
            assertFails(
                    database,
                    "file currency.u.csv, line 2: the values code='EUR' of unique index ",
                    " are held by the row with key id=2 of table currency (a delta inserts and updates before it"
                            + " deletes)");
            // ... or of a row the file keeps it for
            Files.delete(tmp.resolve("deltas/db/delta/" + ID + "/currency.d.csv"));
            delta("currency.u.csv", "id,code,name\n1,EUR,Franc\n2,EUR,Euro2\n");
            assertFails(
                    database,
                    "file currency.u.csv, line 2: the values code='EUR' of unique index uq_code are held by the row"
                            + " with key id=2 of table currency, which keeps them in this file");

            // a chain, which the database takes in this order; NULLs in an index never meet
            delta("currency.u.csv", "id,code\n1,AUD\n2,CHF\n");
            delta("currency.i.csv", "id,code,name,region\n3,USD,Dollar,\n4,JPY,Dollar,\n");
            dsynq(database).apply(ApplyRequest.latest());
            assertThat(rows(database)).containsExactly("1|AUD", "2|CHF", "3|USD", "4|JPY");
        }
    }

    /** An index {@code NULLS NOT DISTINCT} holds NULL once: a NULL another row holds, or listed twice, names the line. */
    @ParameterizedTest
    @EnumSource(
            value = Engine.class,
            names = {"H2", "POSTGRESQL"})
    void nullsNotDistinctMeetAsValues(Engine engine) throws Exception {
        try (TestDatabase database = TestServers.create(engine)) {
            database.execute(
                    "CREATE TABLE currency (id INT PRIMARY KEY, code VARCHAR(3), CONSTRAINT uq_code UNIQUE NULLS NOT"
                            + " DISTINCT (code))",
                    "INSERT INTO currency VALUES (1, 'CHF'), (2, NULL)");

            delta("currency.i.csv", "id,code\n3,USD\n5,\n");
            assertThatThrownBy(() -> dsynq(database).apply(ApplyRequest.latest()))
                    .hasMessageContaining(
                            "file currency.i.csv, line 3: the values code=NULL of unique index uq_code are"
                                    + " held by the row with key id=2 of table currency");
            database.execute("UPDATE currency SET code = 'EUR' WHERE id = 2");
            delta("currency.i.csv", "id,code\n3,\n4,\n");
            assertThatThrownBy(() -> dsynq(database).apply(ApplyRequest.latest()))
                    .hasMessageContaining(
                            "file currency.i.csv, line 2: the values code=NULL of unique index uq_code are"
                                    + " listed twice in the file (also on line 3)");
            assertThat(rows(database)).containsExactly("1|CHF", "2|EUR");
        }
    }

    /** H2's {@code NULLS ALL DISTINCT}: a NULL is a value unless all the index's values are NULL. */
    @Test
    void h2NullsAllDistinctMeetUnlessAllAreNull() throws Exception {
        try (TestDatabase database = TestServers.create(Engine.H2)) {
            database.execute(
                    "CREATE TABLE currency (id INT PRIMARY KEY, code VARCHAR(3), region INT, CONSTRAINT uq_code UNIQUE"
                            + " NULLS ALL DISTINCT (code, region))",
                    "INSERT INTO currency VALUES (1, 'CHF', NULL), (2, NULL, NULL)");

            delta("currency.i.csv", "id,code,region\n3,,\n4,CHF,\n");
            assertThatThrownBy(() -> dsynq(database).apply(ApplyRequest.latest()))
                    .hasMessageContaining("file currency.i.csv, line 3: the values (code='CHF', region=NULL) of unique"
                            + " index uq_code are held by the row with key id=1 of table currency");
            delta("currency.i.csv", "id,code,region\n3,,\n4,EUR,\n5,,\n6,EUR,\n");
            assertThatThrownBy(() -> dsynq(database).apply(ApplyRequest.latest()))
                    .hasMessageContaining("file currency.i.csv, line 3: the values (code='EUR', region=NULL) of unique"
                            + " index uq_code are listed twice in the file (also on line 5)");
            assertThat(rows(database)).containsExactly("1|CHF", "2|null");
            delta("currency.i.csv", "id,code,region\n3,,\n4,EUR,\n5,,\n");
            dsynq(database).apply(ApplyRequest.latest());
            assertThat(rows(database)).containsExactly("1|CHF", "2|null", "3|null", "4|EUR", "5|null");
        }
    }

    /**
     * Rows of one update that take values others of it give up, a chain, in any line order: they are updated in
     * waves, each taking values no row holds any longer, so the update applies on every engine, and so does its
     * rollback, which runs the chain backwards (it failed as the duplicate of a value, every time). Rows that trade
     * values in a cycle are refused naming the line, as the database checks the index as each row changes.
     */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void chainsOfUpdatesApplyAndRollBackInAnyLineOrder(Engine engine) throws Exception {
        try (TestDatabase database = TestServers.create(engine)) {
            database.execute(
                    "CREATE TABLE currency (id INT PRIMARY KEY, code VARCHAR(3) NOT NULL, name VARCHAR(20), region INT,"
                            + " CONSTRAINT uq_code UNIQUE (code), CONSTRAINT uq_region_name UNIQUE (region, name),"
                            + " CONSTRAINT name_not_bad CHECK (name <> 'bad'))",
                    "INSERT INTO currency VALUES (1, 'CHF', 'Franc', 1), (2, 'EUR', 'Euro', 1)",
                    "INSERT INTO currency VALUES (3, 'USD', 'Dollar', 1), (4, 'GBP', 'Pound', 1)");
            List<String> before = allRows(database);
            // a row of the update that keeps the values does not give them up
            delta("currency.u.csv", "id,code,name,region\n1,EUR,Franc,1\n2,USD,Euro,1\n3,JPY,Yen,1\n4,GBP,Franc,1\n");

            assertThatThrownBy(() -> dsynq(database).apply(ApplyRequest.latest()))
                    .hasMessageContaining(
                            "file currency.u.csv, line 5: the values (region=1, name='Franc') of unique" + " index ")
                    .hasMessageContaining(" are held by the row with key id=1 of table currency");
            assertThat(allRows(database)).isEqualTo(before);

            delta("currency.u.csv", "id,code,name\n1,EUR,Franc\n2,USD,Euro\n3,JPY,Yen\n");
            dsynq(database).apply(ApplyRequest.latest());
            assertThat(allRows(database)).containsExactly("1|EUR|Franc", "2|USD|Euro", "3|JPY|Yen", "4|GBP|Pound");
            dsynq(database).apply(ApplyRequest.to("0"));
            assertThat(allRows(database)).isEqualTo(before);

            // a row a wave updates that the database refuses is named by its line too
            delta("currency.u.csv", "id,code,name\n1,EUR,Franc\n2,USD,bad\n3,JPY,Yen\n");
            assertThatThrownBy(() -> dsynq(database).apply(ApplyRequest.latest()))
                    .hasMessageContaining("file currency.u.csv, line 3: the database refused the row: ");
            assertThat(allRows(database)).isEqualTo(before);

            delta("currency.u.csv", "id,code\n3,JPY\n1,EUR\n2,CHF\n");
            assertThatThrownBy(() -> dsynq(database).apply(ApplyRequest.latest()))
                    .hasMessageContaining("file currency.u.csv, line 3: the values code='EUR' of unique index ")
                    .hasMessageContaining(" are held by the row with key id=2, which this file gives other values,"
                            + " and the rows trade them in a cycle");
            assertThat(allRows(database)).isEqualTo(before);

            // a delta that fails after its inserts and a chain leaves nothing behind: MariaDB's ALTER TABLE of a
            // staging table, which indexed it for the waves, committed the inserts
            delta("currency.i.csv", "id,code,name,region\n9,XAU,Gold,2\n");
            delta("currency.u.csv", "id,code\n1,EUR\n2,AUD\n");
            delta("currency.d.csv", "id\n42\n");
            assertThatThrownBy(() -> dsynq(database).apply(ApplyRequest.latest()))
                    .hasMessageContaining("file currency.d.csv, line 2");
            assertThat(allRows(database)).isEqualTo(before);
        }
    }

    /**
     * A row of a chain whose values a trigger changes as the database stores them: each row is updated once, by its
     * line. The waves took a row whose stored values differed from the file's for one not updated yet, updated it
     * again, and stopped counting before another row was updated at all, without a word.
     */
    @ParameterizedTest
    @EnumSource(
            value = Engine.class,
            names = {"POSTGRESQL", "MARIADB"})
    void eachRowOfAChainIsUpdatedOnce(Engine engine) throws Exception {
        try (TestDatabase database = TestServers.create(engine)) {
            database.execute(
                    "CREATE TABLE currency (id INT PRIMARY KEY, code VARCHAR(3) NOT NULL, name VARCHAR(20), region INT,"
                            + " CONSTRAINT uq_code UNIQUE (code))",
                    "INSERT INTO currency VALUES (1, 'CHF', 'Franc', 1), (2, 'EUR', 'Euro', 1), (3, 'GBP', 'Pound', 1)");
            if (engine == Engine.POSTGRESQL) {
                database.execute(
                        "CREATE FUNCTION upper_code() RETURNS trigger AS $$ BEGIN NEW.code := upper(NEW.code);"
                                + " RETURN NEW; END $$ LANGUAGE plpgsql",
                        "CREATE TRIGGER upper_code BEFORE UPDATE ON currency FOR EACH ROW EXECUTE FUNCTION"
                                + " upper_code()");
            } else {
                database.execute("CREATE TRIGGER upper_code BEFORE UPDATE ON currency FOR EACH ROW SET NEW.code ="
                        + " UPPER(NEW.code)");
            }
            delta("currency.u.csv", "id,code\n1,EUR\n2,usd\n3,CHF\n");

            dsynq(database).apply(ApplyRequest.latest());
            assertThat(allRows(database)).containsExactly("1|EUR|Franc", "2|USD|Euro", "3|CHF|Pound");
        }
    }

    /**
     * A chain over a column other rows may reference, where none references a value the file gives up: waves as any
     * chain (such an index was left to one statement, which failed where the taker came first).
     */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void aChainOverAColumnNoRowReferencesApplies(Engine engine) throws Exception {
        try (TestDatabase database = TestServers.create(engine)) {
            database.execute(
                    "CREATE TABLE currency (id INT PRIMARY KEY, code VARCHAR(3) NOT NULL, name VARCHAR(20), region INT,"
                            + " CONSTRAINT uq_code UNIQUE (code))",
                    "CREATE TABLE price (id INT PRIMARY KEY, code VARCHAR(3), CONSTRAINT fk_code FOREIGN KEY (code)"
                            + " REFERENCES currency (code))",
                    "INSERT INTO currency VALUES (1, 'CHF', 'Franc', 1), (2, 'EUR', 'Euro', 1)");
            delta("currency.u.csv", "id,code\n1,EUR\n2,USD\n");

            dsynq(database).apply(ApplyRequest.latest());
            assertThat(rows(database)).containsExactly("1|EUR", "2|USD");
            dsynq(database).apply(ApplyRequest.to("0"));
            assertThat(rows(database)).containsExactly("1|CHF", "2|EUR");
        }
    }

    /**
     * An update that lists only some of a unique index's columns: the rows keep the others' values, and meet by them
     * too. A chain applies and rolls back in waves (it was left to one statement, which failed where the taker came
     * first), and a value another row holds, listed twice, or traded in a cycle is named by its line.
     */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void anUpdateListingSomeOfAnIndexsColumns(Engine engine) throws Exception {
        try (TestDatabase database = TestServers.create(engine)) {
            database.execute(
                    "CREATE TABLE slot (id INT PRIMARY KEY, pos INT NOT NULL, shelf INT NOT NULL, label VARCHAR(10),"
                            + " CONSTRAINT uq_place UNIQUE (shelf, pos))",
                    "INSERT INTO slot VALUES (1, 1, 5, 'a'), (2, 2, 5, 'b'), (3, 3, 5, 'c'), (4, 1, 6, 'd')");
            List<String> before = slots(database);

            delta("slot.u.csv", "id,pos\n1,3\n");
            assertThatThrownBy(() -> dsynq(database).apply(ApplyRequest.latest()))
                    .hasMessageContaining("file slot.u.csv, line 2: the values (shelf=5, pos=3) of unique index"
                            + " uq_place are held by the row with key id=3 of table slot");
            delta("slot.u.csv", "id,pos\n1,7\n4,7\n2,7\n");
            assertThatThrownBy(() -> dsynq(database).apply(ApplyRequest.latest()))
                    .hasMessageContaining("file slot.u.csv, line 2: the values (shelf=5, pos=7) of unique index"
                            + " uq_place are listed twice in the file (also on line 4)");
            delta("slot.u.csv", "id,pos\n1,2\n2,1\n");
            assertThatThrownBy(() -> dsynq(database).apply(ApplyRequest.latest()))
                    .hasMessageContaining("file slot.u.csv, line 2: the values (shelf=5, pos=2) of unique index"
                            + " uq_place are held by the row with key id=2, which this file gives other values, and"
                            + " the rows trade them in a cycle");
            assertThat(slots(database)).isEqualTo(before);

            delta("slot.u.csv", "id,pos,label\n1,2,x\n2,3,y\n3,4,z\n4,2,w\n");
            dsynq(database).apply(ApplyRequest.latest());
            assertThat(slots(database)).containsExactly("1|2|5|x", "2|3|5|y", "3|4|5|z", "4|2|6|w");
            dsynq(database).apply(ApplyRequest.to("0"));
            assertThat(slots(database)).isEqualTo(before);
        }
    }

    /**
     * An update that does not list a generated column of a unique index: the database computes the row's new value,
     * which the apply does not know, so the index is left to the database (it was checked with the value the row
     * held before, and a delta the database takes was refused).
     */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void anIndexOverAGeneratedColumnTheUpdateDoesNotList(Engine engine) throws Exception {
        String generated =
                switch (engine) {
                    case H2 -> "GENERATED ALWAYS AS (LOWER(email))";
                    case POSTGRESQL -> "GENERATED ALWAYS AS (lower(email)) STORED";
                    case MARIADB -> "AS (lower(email)) PERSISTENT";
                };
        try (TestDatabase database = TestServers.create(engine)) {
            database.execute(
                    "CREATE TABLE acct (id INT PRIMARY KEY, tenant INT NOT NULL, email VARCHAR(20) NOT NULL, email_l"
                            + " VARCHAR(20) " + generated + ", CONSTRAINT uq_te UNIQUE (tenant, email_l))",
                    "INSERT INTO acct (id, tenant, email) VALUES (1, 1, 'A@x'), (2, 2, 'a@x')");
            // an insert too, so that the table's files take the checked way
            delta("acct.u.csv", "id,tenant,email\n1,2,b@x\n");
            delta("acct.i.csv", "id,tenant,email\n3,3,c@x\n");

            dsynq(database).apply(ApplyRequest.latest());
            assertThat(accounts(database)).containsExactly("1|2|b@x", "2|2|a@x", "3|3|c@x");
            dsynq(database).apply(ApplyRequest.to("0"));
            assertThat(accounts(database)).containsExactly("1|1|a@x", "2|2|a@x");
        }
    }

    private static List<String> accounts(TestDatabase database) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection connection = database.connect();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT id, tenant, email_l FROM acct ORDER BY id")) {
            while (result.next()) {
                rows.add(result.getInt(1) + "|" + result.getInt(2) + "|" + result.getString(3));
            }
        }
        return rows;
    }

    private static List<String> slots(TestDatabase database) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection connection = database.connect();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT id, pos, shelf, label FROM slot ORDER BY id")) {
            while (result.next()) {
                rows.add(
                        result.getInt(1) + "|" + result.getInt(2) + "|" + result.getInt(3) + "|" + result.getString(4));
            }
        }
        return rows;
    }

    private static List<String> allRows(TestDatabase database) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection connection = database.connect();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT id, code, name FROM currency ORDER BY id")) {
            while (result.next()) {
                rows.add(result.getInt(1) + "|" + result.getString(2) + "|" + result.getString(3));
            }
        }
        return rows;
    }

    /**
     * Two keys of one insert file that the table's collation takes for one: the error names both spellings (it said
     * that {@code 'A'} was listed twice, of lines holding {@code A} and {@code a}).
     */
    @ParameterizedTest
    @EnumSource(
            value = Engine.class,
            names = {"MARIADB", "H2"})
    void keysTheCollationTakesForOneAreNamedInBothSpellings(Engine engine) throws Exception {
        try (TestDatabase database = TestServers.create(engine)) {
            database.execute(
                    "CREATE TABLE currency (id INT PRIMARY KEY, code VARCHAR(3) NOT NULL, name VARCHAR(20), region INT)",
                    "CREATE TABLE tk (k " + (engine == Engine.H2 ? "VARCHAR_IGNORECASE(10)" : "VARCHAR(10)")
                            + " PRIMARY KEY, v INT)",
                    "INSERT INTO currency VALUES (1, 'CHF', 'Franc', 1), (2, 'EUR', 'Euro', 1)");
            delta("tk.i.csv", "k,v\nb,0\nA,1\na,2\n");

            assertFails(
                    database,
                    "file tk.i.csv, line 3: key k='A' is listed twice in the file (also on line 4, as"
                            + " k='a', which the table's collation takes for the same)");
        }
    }

    /** Fails with the message, changes nothing, and says it applies the delta once, though it tries two ways. */
    private void assertFails(TestDatabase database, String... message) throws Exception {
        List<String> lines = new ArrayList<>();
        Dsynq dsynq = database.dsynq(tmp.resolve("deltas"))
                .listener(new DsynqListener() {
                    @Override
                    public void info(String line) {
                        lines.add(line);
                    }
                })
                .build();
        assertThatThrownBy(() -> dsynq.apply(ApplyRequest.latest()))
                .isInstanceOf(DsynqException.class)
                .hasMessageStartingWith("database db, delta " + ID + ", ")
                .hasMessageContainingAll(message);
        assertThat(rows(database)).containsExactly("1|CHF", "2|EUR");
        assertThat(lines).filteredOn(l -> l.contains("applying")).containsExactly("  applying     " + ID);
    }

    private void delta(String file, String content) throws Exception {
        Path folder = Files.createDirectories(tmp.resolve("deltas/db/delta/" + ID));
        Files.writeString(folder.resolve(file), content);
    }

    private Dsynq dsynq(TestDatabase database) {
        return database.dsynq(tmp.resolve("deltas")).build();
    }

    private static List<String> rows(TestDatabase database) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection connection = database.connect();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT id, code FROM currency ORDER BY id")) {
            while (result.next()) {
                rows.add(result.getInt(1) + "|" + result.getString(2));
            }
        }
        return rows;
    }
}
