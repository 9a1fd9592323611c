package io.dsynq.core.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dsynq.core.ApplyRequest;
import io.dsynq.core.DeltaStatus;
import io.dsynq.core.Dsynq;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A row that the database refuses for a rule dsynq does not check itself (a {@code CHECK} constraint, here) is named by
 * its line, with the database's reason, and nothing is applied: the database's own error names no line.
 */
class ConstraintsIT {

    private static final String ID = "1700000001.000000";

    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aRowACheckConstraintRefusesIsNamedByItsLine(Engine engine) throws Exception {
        try (TestDatabase database = TestServers.create(engine)) {
            database.execute(
                    "CREATE TABLE p (id INT PRIMARY KEY, code VARCHAR(10), n INT, CONSTRAINT n_not_negative CHECK"
                            + " (n >= 0))",
                    "INSERT INTO p VALUES (1, 'a', 1), (2, 'b', 2)");
            List<String> before = rows(database);

            delta("p.i.csv", "id,code,n\n3,c,3\n4,d,-1\n5,e,-5\n");
            assertThatThrownBy(
                            () -> database.dsynq(tmp.resolve("deltas")).build().apply(ApplyRequest.latest()))
                    .isInstanceOf(DsynqException.class)
                    .hasMessageStartingWith(
                            "database db, delta " + ID + ", file p.i.csv, line 3: the database refused" + " the row: ");
            assertThat(rows(database)).isEqualTo(before);

            Files.delete(tmp.resolve("deltas/db/delta/" + ID + "/p.i.csv"));
            delta("p.u.csv", "id,n\n1,4\n2,-2\n");
            assertThatThrownBy(
                            () -> database.dsynq(tmp.resolve("deltas")).build().apply(ApplyRequest.latest()))
                    .hasMessageStartingWith(
                            "database db, delta " + ID + ", file p.u.csv, line 3: the database refused" + " the row: ");
            assertThat(rows(database)).isEqualTo(before);

            delta("p.u.csv", "id,n\n1,4\n2,0\n");
            database.dsynq(tmp.resolve("deltas")).build().apply(ApplyRequest.latest());
            assertThat(rows(database)).containsExactly("1|a|4", "2|b|0");
        }
    }

    /**
     * A table whose rows reference each other (NOT NULL) is inserted in waves, parents first; a row a wave after the
     * first brings the database to refuse is named by its line as well.
     */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void aRowRefusedInAWaveOfATableReferencingItselfIsNamedByItsLine(Engine engine) throws Exception {
        try (TestDatabase database = TestServers.create(engine)) {
            database.execute(
                    "CREATE TABLE p (id INT PRIMARY KEY, code VARCHAR(10), n INT NOT NULL, CONSTRAINT n_small"
                            + " CHECK (n < 3), CONSTRAINT p_parent FOREIGN KEY (n) REFERENCES p (id))",
                    "INSERT INTO p VALUES (0, 'a', 0)");
            List<String> before = rows(database);

            // waves: 1 (references 0), then 2 and 3 (reference 1), then 4 (references 3)
            delta("p.i.csv", "id,code,n\n4,d,3\n2,b,1\n1,a,0\n3,c,1\n");
            assertThatThrownBy(
                            () -> database.dsynq(tmp.resolve("deltas")).build().apply(ApplyRequest.latest()))
                    .isInstanceOf(DsynqException.class)
                    .hasMessageStartingWith(
                            "database db, delta " + ID + ", file p.i.csv, line 2: the database refused the row: ");
            assertThat(rows(database)).isEqualTo(before);

            // a nullable reference is set once every row is in: a row refused then is named too
            Files.delete(tmp.resolve("deltas/db/delta/" + ID + "/p.i.csv"));
            database.execute("CREATE TABLE q (id INT PRIMARY KEY, n INT, CONSTRAINT q_small CHECK (n < 3),"
                    + " CONSTRAINT q_parent FOREIGN KEY (n) REFERENCES q (id))");
            delta("q.i.csv", "id,n\n1,\n2,1\n3,2\n4,3\n");
            assertThatThrownBy(
                            () -> database.dsynq(tmp.resolve("deltas")).build().apply(ApplyRequest.latest()))
                    .isInstanceOf(DsynqException.class)
                    .hasMessageStartingWith(
                            "database db, delta " + ID + ", file q.i.csv, line 5: the database refused the row: ");
            assertThat(rows(database)).isEqualTo(before);
        }
    }

    /**
     * A delete that a trigger refuses is named by its line, as inserts and updates are; the error named the file
     * only.
     */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void aDeleteATriggerRefusesIsNamedByItsLine(Engine engine) throws Exception {
        try (TestDatabase database = TestServers.create(engine)) {
            database.execute(
                    "CREATE TABLE p (id INT PRIMARY KEY, code VARCHAR(10), n INT)",
                    "INSERT INTO p VALUES (1, 'a', 1), (2, 'kept', 2), (3, 'c', 3)");
            keptRows(database, engine, "DELETE");
            List<String> before = rows(database);

            delta("p.d.csv", "id\n3\n1\n2\n");
            assertThatThrownBy(
                            () -> database.dsynq(tmp.resolve("deltas")).build().apply(ApplyRequest.latest()))
                    .isInstanceOf(DsynqException.class)
                    .hasMessageStartingWith(
                            "database db, delta " + ID + ", file p.d.csv, line 4: the database refused the row: ")
                    .hasMessageContaining("kept");
            assertThat(rows(database)).isEqualTo(before);
        }
    }

    /**
     * A delta whose rollback would be refused is not applied: on the strict path (here a reference {@code ON UPDATE
     * CASCADE} to the table), dsynq rolls a delta that updates values of a reference back in a savepoint before it
     * keeps it. A trigger refuses to move a row off the code {@code kept}, which the delta gives it: the delta
     * applied, and its rollback was refused later, with the database left as the delta had made it.
     */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void aDeltaWhoseRollbackWouldBeRefusedIsNotApplied(Engine engine) throws Exception {
        try (TestDatabase database = TestServers.create(engine)) {
            database.execute(
                    "CREATE TABLE p (id INT PRIMARY KEY, code VARCHAR(10), n INT, CONSTRAINT uq_p UNIQUE (code))",
                    "CREATE TABLE c (id INT PRIMARY KEY, code VARCHAR(10), CONSTRAINT fk_c FOREIGN KEY (code)"
                            + " REFERENCES p (code) ON UPDATE CASCADE)",
                    "INSERT INTO p VALUES (1, 'a', 1), (2, 'b', 2)",
                    "INSERT INTO c VALUES (1, 'b')");
            keptRows(database, engine, "UPDATE");
            List<String> before = rows(database);

            delta("p.u.csv", "id,code\n1,c\n2,kept\n");
            Dsynq dsynq = database.dsynq(tmp.resolve("deltas")).build();
            assertThatThrownBy(() -> dsynq.apply(ApplyRequest.latest()))
                    .isInstanceOf(DsynqException.class)
                    .hasMessageStartingWith("database db, delta " + ID + ": not applied, as its rollback would be"
                            + " refused. Its rollback, file p.u.csv, line 3: the database refused the row: ")
                    .hasMessageContaining("kept");
            assertThat(rows(database)).isEqualTo(before);
            assertThat(dsynq.status().in(DeltaStatus.State.PENDING)).hasSize(1);
        }
    }

    /** A trigger on {@code p} refusing to {@code event} ({@code DELETE}, {@code UPDATE}) a row holding {@code kept}. */
    private static void keptRows(TestDatabase database, Engine engine, String event) throws Exception {
        switch (engine) {
            case H2 -> database.execute("CREATE TRIGGER p_kept BEFORE " + event + " ON p FOR EACH ROW CALL \""
                    + KeptRowsTrigger.class.getName() + "\"");
            case POSTGRESQL -> database.execute(
                    "CREATE FUNCTION p_kept() RETURNS trigger AS $$ BEGIN IF OLD.code = 'kept' THEN RAISE EXCEPTION"
                            + " 'row % is kept', OLD.id; END IF; RETURN " + (event.equals("DELETE") ? "OLD" : "NEW")
                            + "; END $$ LANGUAGE plpgsql",
                    "CREATE TRIGGER p_kept BEFORE " + event + " ON p FOR EACH ROW EXECUTE FUNCTION p_kept()");
            case MARIADB -> database.execute("CREATE TRIGGER p_kept BEFORE " + event + " ON p FOR EACH ROW IF"
                    + " OLD.code = 'kept' THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'row is kept'; END IF");
        }
    }

    /**
     * H2's trigger for {@link #aDeleteATriggerRefusesIsNamedByItsLine} and {@link
     * #aDeltaWhoseRollbackWouldBeRefusedIsNotApplied}: a row holding {@code kept} stays so.
     */
    public static final class KeptRowsTrigger implements org.h2.api.Trigger {
        @Override
        public void fire(Connection connection, Object[] oldRow, Object[] newRow) throws java.sql.SQLException {
            if ("kept".equals(oldRow[1])) {
                throw new java.sql.SQLException("row " + oldRow[0] + " is kept", "45000");
            }
        }
    }

    /**
     * A constraint the database checks at commit ({@code DEFERRABLE INITIALLY DEFERRED}) refuses the delta there: the
     * apply failed with Spring's "JDBC commit failed", naming neither the delta nor the database's reason.
     */
    @Test
    void aConstraintCheckedAtCommitNamesTheDeltaAndTheReason() throws Exception {
        try (TestDatabase database = TestServers.create(Engine.POSTGRESQL)) {
            database.execute(
                    "CREATE TABLE p (id INT PRIMARY KEY, code VARCHAR(10), n INT, CONSTRAINT uq_code UNIQUE (code)"
                            + " DEFERRABLE INITIALLY DEFERRED)",
                    "INSERT INTO p VALUES (1, 'a', 1), (2, 'b', 2)");
            List<String> before = rows(database);

            delta("p.i.csv", "id,code,n\n3,a,3\n");
            assertThatThrownBy(
                            () -> database.dsynq(tmp.resolve("deltas")).build().apply(ApplyRequest.latest()))
                    .isInstanceOf(DsynqException.class)
                    .hasMessageStartingWith(
                            "database db, delta " + ID + ": the database refused the delta as it" + " committed it: ")
                    .hasMessageContaining("uq_code");
            assertThat(rows(database)).isEqualTo(before);
        }
    }

    /**
     * A rollback the database refuses as it commits it (a row put back whose code another row took since, under a
     * {@code DEFERRABLE INITIALLY DEFERRED} unique constraint) is named as the rollback it is: the error said the
     * database refused the delta.
     */
    @Test
    void aRollbackRefusedAtCommitIsNamedAsARollback() throws Exception {
        try (TestDatabase database = TestServers.create(Engine.POSTGRESQL)) {
            database.execute(
                    "CREATE TABLE p (id INT PRIMARY KEY, code VARCHAR(10), n INT, CONSTRAINT uq_code UNIQUE (code)"
                            + " DEFERRABLE INITIALLY DEFERRED)",
                    "INSERT INTO p VALUES (1, 'a', 1), (2, 'b', 2)");
            delta("p.d.csv", "id\n1\n");
            Dsynq dsynq = database.dsynq(tmp.resolve("deltas")).build();
            dsynq.apply(ApplyRequest.latest());
            database.execute("INSERT INTO p VALUES (3, 'a', 3)");
            List<String> before = rows(database);

            assertThatThrownBy(() -> dsynq.apply(ApplyRequest.offset(-1)))
                    .isInstanceOf(DsynqException.class)
                    .hasMessageStartingWith("database db, rollback of delta " + ID
                            + ": the database refused the rollback as it committed it: ")
                    .hasMessageContaining("uq_code");
            assertThat(rows(database)).isEqualTo(before);
            assertThat(dsynq.status().in(DeltaStatus.State.APPLIED)).hasSize(1);
        }
    }

    private void delta(String file, String content) throws Exception {
        Path folder = Files.createDirectories(tmp.resolve("deltas/db/delta/" + ID));
        Files.writeString(folder.resolve(file), content);
    }

    private static List<String> rows(TestDatabase database) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection connection = database.connect();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT id, code, n FROM p ORDER BY id")) {
            while (result.next()) {
                rows.add(result.getInt(1) + "|" + result.getString(2) + "|" + result.getInt(3));
            }
        }
        return rows;
    }
}
