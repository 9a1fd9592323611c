package io.dsynq.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.dsynq.core.testing.Engine;
import io.dsynq.core.testing.TestDatabase;
import io.dsynq.core.testing.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code dsynq:diff} in real Maven builds of the sample project {@code diff}: a summary, then a delta that makes the
 * target equal to a source on another engine, applied and rolled back by the other goals.
 */
class DiffIT {

    private static final String ITEMS = "SELECT id, code, name, category_id, price FROM item ORDER BY id";

    @ParameterizedTest(name = "target {0}, source {1}")
    @CsvSource({"H2, POSTGRESQL", "POSTGRESQL, MARIADB", "MARIADB, H2"})
    void diffWritesADeltaThatApplyAndRollbackUse(Engine targetEngine, Engine sourceEngine) throws Exception {
        Path tmp = MavenBuild.workFolder("diff-" + targetEngine + "-" + sourceEngine);
        try (TestDatabase target = TestServers.create(targetEngine, tmp, "dsynq_diff_");
                TestDatabase source = TestServers.create(sourceEngine, tmp, "dsynq_diff_")) {
            target.execute(Databases.goalsSchema(targetEngine));
            source.execute(Databases.goalsSchema(sourceEngine));
            target.execute(
                    "INSERT INTO category (id, parent_id, name) VALUES (1, NULL, 'Root'), (2, 1, 'Old')",
                    "INSERT INTO item (id, code, name, category_id, price) VALUES (1, 10, 'One', 1, 1.50),"
                            + " (2, 20, 'Two', 2, NULL)");
            source.execute(
                    "INSERT INTO category (id, parent_id, name) VALUES (1, NULL, 'Root'), (3, 1, 'Nouveautés')",
                    "INSERT INTO item (id, code, name, category_id, price) VALUES (1, 10, 'One', 1, 1.5),"
                            + " (3, 30, 'Three, the \"third\"', 3, 99.99)");
            List<String> before = Databases.rows(target, ITEMS);
            List<String> wanted = Databases.rows(source, ITEMS);

            Path project = MavenBuild.sample("diff", tmp);
            MavenBuild maven = new MavenBuild(project)
                    .property("db.url", target.url())
                    .property("db.user", target.username())
                    .property("db.password", target.password())
                    .property("src.url", source.url())
                    .property("src.user", source.username())
                    .property("src.password", source.password())
                    .property("dsynq.database", "shop")
                    .property("dsynq.source", "prod");

            // two databases configured, the source one of them: the other is the target
            assertThat(maven.run("dsynq:diff", "-Ddsynq.summaryOnly", "-Ddsynq.diffMode=full", "-Ddsynq.database=")
                            .succeeded()
                            .log())
                    .contains("Database shop (")
                    .contains(") against prod: summary only, nothing will be written")
                    .contains("category  1 to insert, 0 to update, 1 to delete")
                    .contains("item      1 to insert, 0 to update, 1 to delete")
                    .contains("Summary only: no delta written");
            Path deltas = project.resolve("src/main/dsynq/shop/delta");
            assertThat(deltas).doesNotExist();

            assertThat(maven.run("dsynq:diff", "-Ddsynq.description=match prod")
                            .succeeded()
                            .log())
                    .contains("New delta ");
            Path delta;
            try (Stream<Path> created = Files.list(deltas)) {
                delta = created.findFirst().orElseThrow();
            }
            assertThat(delta.resolve("item.i.csv"))
                    .hasContent(
                            "id,code,name,category_id,price,updated\n" + "3,30,\"Three, the \"\"third\"\"\",3,99.99,");
            assertThat(delta.resolve("item.d.csv")).hasContent("id\n2");
            assertThat(delta.resolve(".meta/.dsynqmeta.json")).content().contains("match prod");
            assertThat(maven.run("dsynq:diff", "-Ddsynq.summaryOnly")
                            .succeeded()
                            .log())
                    .contains("[WARNING] database shop has 1 pending delta (" + delta.getFileName() + "): the new"
                            + " delta starts from the database as it is now");

            maven.run("dsynq:apply").succeeded();
            assertThat(Databases.rows(target, ITEMS)).isEqualTo(wanted);
            assertThat(maven.run("dsynq:diff").succeeded().log())
                    .contains("No difference: 2 tables of shop equal prod; no delta written");

            maven.run("dsynq:rollback").succeeded();
            assertThat(Databases.rows(target, ITEMS)).isEqualTo(before);

            // a source that is not configured, though two databases are: said so, not that there are two
            assertThat(maven.run("dsynq:diff", "-Ddsynq.source=staging", "-Ddsynq.database=")
                            .failed()
                            .log())
                    .contains("dsynq.source=staging is neither a configured database nor a JDBC URL");
            assertThat(maven.run("dsynq:diff", "-Ddsynq.diffMode=fast").failed().log())
                    .contains("dsynq.diffMode=fast is none of FULL, SEGMENTS, AUTO");
        }
    }
}
