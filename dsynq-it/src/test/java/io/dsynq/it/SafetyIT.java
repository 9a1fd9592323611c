package io.dsynq.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.dsynq.core.testing.Engine;
import io.dsynq.core.testing.TestDatabase;
import io.dsynq.core.testing.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The guarantees of issue 3 through real builds, on each engine: a rollback over someone else's change stops with
 * a conflict report (and goes ahead when forced), a dry run prints the statements and keeps nothing, a delta edited
 * after it was applied is MODIFIED and blocks apply, and verify checks the deltas without any database.
 */
class SafetyIT {

    @ParameterizedTest
    @EnumSource(Engine.class)
    void conflictsDryRunsModifiedDeltasAndVerify(Engine engine) throws Exception {
        Path tmp = MavenBuild.workFolder("safety-" + engine);
        try (TestDatabase database = TestServers.create(engine, tmp)) {
            database.execute(Databases.goalsSchema(engine));
            Path project = MavenBuild.sample("goals", tmp);
            MavenBuild maven = new MavenBuild(project)
                    .property("db.url", database.url())
                    .property("db.user", database.username())
                    .property("db.password", database.password());

            String dry = maven.run("dsynq:apply", "-Ddsynq.dryRun").succeeded().log();
            assertThat(dry)
                    .contains("dry run, nothing will be kept")
                    .containsPattern("(?i)INSERT INTO .*item.* SELECT")
                    .contains("item      1 inserted, 1 updated, 1 deleted")
                    .contains("applied in ")
                    .doesNotContainPattern("applied in \\d+ ms\\n")
                    .containsPattern("applied in \\d+ ms, not kept \\(dry run\\)")
                    .contains("dry run: shop would be at 1700000002.000000 (2 to apply, 0 to roll back); nothing was"
                            + " kept");
            assertThat(Databases.rows(database, "SELECT id FROM item")).isEmpty();
            assertThat(Databases.tables(database))
                    .noneMatch(t -> t.toLowerCase().startsWith("dsynq_history"));

            maven.run("dsynq:apply").succeeded();
            List<String> applied = Databases.rows(database, "SELECT id, code, name FROM item ORDER BY id");
            database.execute("UPDATE item SET code = 555 WHERE id = 1");

            String conflict = maven.run("dsynq:rollback").failed().log();
            assertThat(conflict)
                    .contains("database shop, rollback of delta 1700000002.000000: 1 row was changed by someone else"
                            + " since the delta was applied; rolling back would lose that:")
                    .contains("item id=1: code expected '100', found '555'")
                    .contains("Run with -Ddsynq.force=true to roll back anyway.")
                    .doesNotContain("at io.dsynq");
            assertThat(Databases.rows(database, "SELECT code FROM item WHERE id = 1"))
                    .containsExactly("555");

            assertThat(maven.run("dsynq:rollback", "-Ddsynq.force").succeeded().log())
                    .contains("[WARNING] database shop, rollback of delta 1700000002.000000: rolling back over 1"
                            + " conflicting row (forced):")
                    .contains("[WARNING]   item id=1: code expected '100', found '555'");
            assertThat(Databases.rows(database, "SELECT id, code FROM item ORDER BY id"))
                    .containsExactly("1|10", "2|20");
            maven.run("dsynq:apply").succeeded();
            assertThat(Databases.rows(database, "SELECT id, code, name FROM item ORDER BY id"))
                    .isEqualTo(applied);

            // a delta merged from a branch, older than the newest applied: status says what the apply will move
            Path merged = Files.createDirectories(project.resolve("src/main/dsynq/shop/delta/1700000001.500000"));
            Files.writeString(merged.resolve("item.i.csv"), "id,code,name\n7,70,Seven\n");
            assertThat(maven.run("dsynq:status").succeeded().log())
                    .contains("1700000001.500000  PENDING")
                    .contains("[WARNING]   shop: pending delta 1700000001.500000 is older than applied ones: apply"
                            + " rolls back the newer delta 1700000002.000000 first, and applies it again after");
            Files.delete(merged.resolve("item.i.csv"));
            Files.delete(merged);

            Path edited = project.resolve("src/main/dsynq/shop/delta/1700000001.000000/item.i.csv");
            Files.writeString(edited, Files.readString(edited).replace("One", "Uno"));
            assertThat(maven.run("dsynq:status").succeeded().log())
                    .contains("1700000001.000000  MODIFIED")
                    .contains("1 MODIFIED since applied");
            assertThat(maven.run("dsynq:apply").failed().log())
                    .contains("database shop: delta 1700000001.000000 was modified after it was applied");
            assertThat(maven.run("dsynq:verify").succeeded().log())
                    .contains("Database shop: 2 deltas, 6 files, 10 rows, all well-formed");
            Path one = Files.createDirectories(project.resolve("one/shop/delta/1700000001.000000"));
            Files.writeString(one.resolve("item.d.csv"), "id\n1\n");
            assertThat(maven.run("dsynq:verify", "-Ddsynq.deltaDirectory=" + project.resolve("one"))
                            .succeeded()
                            .log())
                    .contains("Database shop: 1 delta, 1 file, 1 row, all well-formed");

            Files.writeString(edited, "id,code,name\n9,\"unclosed\n");
            MavenBuild offline = new MavenBuild(project).property("db.url", "jdbc:postgresql://127.0.0.1:1/none");
            assertThat(offline.run("validate").failed().log())
                    .contains("database shop, delta 1700000001.000000, file item.i.csv, line 2: a quoted field is not"
                            + " closed")
                    .doesNotContain("connection refused");
        }
    }
}
