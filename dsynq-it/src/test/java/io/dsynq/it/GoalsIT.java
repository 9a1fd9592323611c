package io.dsynq.it;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every goal of issue 2 in real Maven builds of the sample project {@code goals}, on each engine. */
class GoalsIT {

    private static final List<String> START = List.of();
    private static final List<String> FIRST = List.of("1|10|One|3|1.50", "2|20|Two|4|null");
    private static final List<String> SECOND = List.of("1|100|One|3|2.25", "3|30|Three, the \"third\"|2|99.99");

    @ParameterizedTest
    @EnumSource(Engine.class)
    void newApplyRollbackStatusAndHelp(Engine engine) throws Exception {
        Path tmp = MavenBuild.workFolder("goals-" + engine);
        try (TestDatabase database = TestServers.create(engine, tmp)) {
            database.execute(Databases.goalsSchema(engine));
            Path project = MavenBuild.sample("goals", tmp);
            MavenBuild maven = new MavenBuild(project)
                    .property("db.url", database.url())
                    .property("db.user", database.username())
                    .property("db.password", database.password());

            assertThat(maven.run("dsynq:help").succeeded().log())
                    .contains("dsynq:apply", "dsynq:rollback", "dsynq:status", "dsynq:new");

            String status = maven.run("dsynq:status").succeeded().log();
            assertThat(status)
                    .contains("databases found: shop")
                    .contains("1700000001.000000  PENDING")
                    .contains("2 deltas found, 0 applied, last applied none, 2 pending");
            assertThat(status.lines().filter(line -> line.contains("PENDING")))
                    .as("a pending delta's line, without trailing spaces")
                    .isNotEmpty()
                    .noneMatch(line -> line.endsWith(" "));

            assertThat(maven.run("dsynq:apply").succeeded().log())
                    .contains("applying     1700000001.000000")
                    .contains("category  4 inserted, 0 updated, 0 deleted")
                    .contains("item      1 inserted, 1 updated, 1 deleted")
                    .contains("shop is now at 1700000002.000000 (2 applied, 0 rolled back)");
            assertThat(items(database)).isEqualTo(SECOND);
            assertThat(project.resolve("target/dsynq/shop/delta.rev/1700000002.000000/item.u.csv"))
                    .hasContent("id,code,price\n1,10,1.50");

            assertThat(maven.run("dsynq:rollback").succeeded().log())
                    .contains("rolling back 1700000002.000000")
                    .contains("shop is now at 1700000001.000000 (0 applied, 1 rolled back)");
            assertThat(items(database)).isEqualTo(FIRST);
            assertThat(parentOf(database, 3)).isEqualTo(2);

            maven.run("dsynq:apply", "-Ddsynq.offset=1").succeeded();
            assertThat(items(database)).isEqualTo(SECOND);
            assertThat(parentOf(database, 3)).isEqualTo(4);

            maven.run("dsynq:apply", "-Ddsynq.to=0").succeeded();
            assertThat(items(database)).isEqualTo(START);
            maven.run("dsynq:apply", "-Ddsynq.to=1700000001.000000").succeeded();
            assertThat(items(database)).isEqualTo(FIRST);

            assertThat(maven.run("dsynq:new", "-Ddsynq.tables=item", "-Ddsynq.description=stubs")
                            .succeeded()
                            .log())
                    .contains("New delta ");
            Path created;
            try (Stream<Path> deltas = Files.list(project.resolve("src/main/dsynq/shop/delta"))) {
                created = deltas.filter(p -> !p.getFileName().toString().startsWith("17000000"))
                        .findFirst()
                        .orElseThrow();
            }
            assertThat(created.resolve("item.i.csv")).hasContent("id,code,name,category_id,price,updated");
            assertThat(created.resolve("item.d.csv")).hasContent("id");

            // apply is bound to pre-integration-test: a plain verify moves to the newest delta, the stub included
            assertThat(maven.run("verify").succeeded().log())
                    .contains("dsynq:" + System.getProperty("dsynq.it.version") + ":apply");
            assertThat(items(database)).isEqualTo(SECOND);
            assertThat(maven.run("dsynq:status").succeeded().log())
                    .contains("3 deltas found, 3 applied, last applied " + created.getFileName() + ", 0 pending");

            maven.run("dsynq:rollback", "-Ddsynq.count=3").succeeded();
            assertThat(items(database)).isEqualTo(START);

            Path bad = project.resolve("src/main/dsynq/shop/delta/1700000003.000000");
            Files.createDirectories(bad);
            Files.writeString(bad.resolve("item.u.csv"), "id,code\n1,7\n2,8\n");
            MavenBuild.Result failed = maven.run("dsynq:apply").failed();
            assertThat(failed.log())
                    .contains("database shop, delta 1700000003.000000, file item.u.csv, line 3: no row with key id=2")
                    .doesNotContain("at io.dsynq");
            assertThat(items(database)).isEqualTo(SECOND);
        }
    }

    /** Regression: {@code dsynq:rollback -Ddsynq.offset=-2} rolled back one delta, and {@code -Ddsynq.to} was ignored. */
    @Test
    void rollbackRefusesApplysTargetGivenOnItsCommandLine() throws Exception {
        Path tmp = MavenBuild.workFolder("goals-rollback-target");
        try (TestDatabase database = TestServers.create(Engine.H2, tmp)) {
            database.execute(Databases.goalsSchema(Engine.H2));
            MavenBuild maven = new MavenBuild(MavenBuild.sample("goals", tmp))
                    .property("db.url", database.url())
                    .property("db.user", database.username())
                    .property("db.password", database.password());
            maven.run("dsynq:apply").succeeded();

            assertThat(maven.run("dsynq:rollback", "-Ddsynq.offset=-2").failed().log())
                    .contains("dsynq:rollback rolls back the newest dsynq.count deltas (1) and takes no dsynq.offset"
                            + " (-2), which is apply's: run dsynq:rollback -Ddsynq.count=2, or dsynq:apply"
                            + " -Ddsynq.offset=-2");
            assertThat(maven.run("dsynq:rollback", "-Ddsynq.to=0").failed().log())
                    .contains(
                            "dsynq:rollback rolls back the newest dsynq.count deltas (1) and takes no dsynq.to (0), which is"
                                    + " apply's: run dsynq:apply -Ddsynq.to=0");
            assertThat(items(database)).isEqualTo(SECOND);

            maven.run("dsynq:rollback", "-Ddsynq.offset=-1").succeeded();
            assertThat(items(database)).isEqualTo(FIRST);
        }
    }

    /** Regression: {@code dsynq:new} without tables named the empty folder it made and said nothing of what goes in it. */
    @Test
    void newSaysWhatGoesInTheDelta() throws Exception {
        Path tmp = MavenBuild.workFolder("goals-new-next");
        try (TestDatabase database = TestServers.create(Engine.H2, tmp)) {
            database.execute(Databases.goalsSchema(Engine.H2));
            Path project = MavenBuild.sample("goals", tmp);
            MavenBuild maven = new MavenBuild(project)
                    .property("db.url", database.url())
                    .property("db.user", database.username())
                    .property("db.password", database.password());
            String next = "  Next: put the changes in the delta's folder, each file under a header of column names:"
                    + " whole rows to insert in <table>.i.csv, the key and the columns to set in <table>.u.csv, the"
                    + " keys of the rows to delete in <table>.d.csv (a file of a header alone does nothing); then run"
                    + " dsynq:apply. A delta applied before it is filled in is recorded as it was, and MODIFIED once"
                    + " its files change";

            assertThat(maven.run("dsynq:new").succeeded().log())
                    .containsPattern("New delta [0-9.]+ for database shop: .*src/main/dsynq/shop/delta/[0-9.]+\\R")
                    .contains("  no stub files: dsynq.tables names no table (-Ddsynq.tables=item,category writes"
                            + " stubs whose headers are the tables' columns)")
                    .contains(next);
            assertThat(maven.run("dsynq:new", "-Ddsynq.tables=item").succeeded().log())
                    .contains("  item.d.csv")
                    .doesNotContain("no stub files")
                    .contains(next);
        }
    }

    private static List<String> items(TestDatabase database) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection connection = database.connect();
                Statement statement = connection.createStatement();
                ResultSet result =
                        statement.executeQuery("SELECT id, code, name, category_id, price FROM item ORDER BY id")) {
            while (result.next()) {
                rows.add(result.getInt(1) + "|" + result.getInt(2) + "|" + result.getString(3) + "|" + result.getInt(4)
                        + "|" + result.getBigDecimal(5));
            }
        }
        return rows;
    }

    private static int parentOf(TestDatabase database, int category) throws Exception {
        try (Connection connection = database.connect();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT parent_id FROM category WHERE id = " + category)) {
            result.next();
            return result.getInt(1);
        }
    }
}
