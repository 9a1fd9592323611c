package io.dsynq.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.dsynq.core.testing.Engine;
import io.dsynq.core.testing.TestDatabase;
import io.dsynq.core.testing.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A multi-module build whose two modules apply the same deltas to one database, built with {@code -T 2}: each delta
 * is applied once, and every line dsynq prints says which module it comes from, as Maven 3 prints the lines of
 * modules built at once as they come.
 */
class ReactorIT {

    private static final String FIRST = "1700000001.000000";

    private static final String SECOND = "1700000002.000000";

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aParallelBuildAppliesEachDeltaOnceAndNamesTheModuleOnEachLine(Engine engine) throws Exception {
        Path tmp = MavenBuild.workFolder("reactor-" + engine);
        try (TestDatabase database = TestServers.create(engine, tmp)) {
            database.execute(Databases.goalsSchema(engine));
            Path project = MavenBuild.sample("reactor", tmp);
            Path deltas = tmp.resolve("deltas");
            Path first = Files.createDirectories(deltas.resolve("shop/delta/" + FIRST));
            Files.writeString(first.resolve("item.i.csv"), "id,code,name\n1,10,One\n2,20,Two\n");
            Path second = Files.createDirectories(deltas.resolve("shop/delta/" + SECOND));
            Files.writeString(second.resolve("item.i.csv"), "id,code,name\n3,30,Three\n");
            MavenBuild maven = new MavenBuild(project)
                    .property("db.url", database.url())
                    .property("db.user", database.username())
                    .property("db.password", database.password())
                    .property("dsynq.deltaDirectory", deltas.toString());

            String log = maven.run("-T", "2", "verify").succeeded().log();

            assertThat(Databases.rows(database, "SELECT delta_id FROM dsynq_history ORDER BY delta_id"))
                    .containsExactly(FIRST, SECOND);
            assertThat(Databases.rows(database, "SELECT id, code, name FROM item ORDER BY id"))
                    .containsExactly("1|10|One", "2|20|Two", "3|30|Three");
            List<String> lines = log.lines()
                    .filter(line -> line.contains("Database shop")
                            || line.contains("applying")
                            || line.contains(" inserted, ")
                            || line.contains("applied in")
                            || line.contains("shop is"))
                    .toList();
            assertThat(lines).as(log).isNotEmpty().allMatch(line -> line.matches("\\[INFO] \\[(one|two)] .*"));
            for (String module : List.of("one", "two")) {
                assertThat(lines).as(log).anyMatch(line -> line.startsWith("[INFO] [" + module + "] Database shop ("));
            }
            // one module applied both deltas, the other found the database up to date
            assertThat(lines)
                    .as(log)
                    .filteredOn(line -> line.contains("  applying     "))
                    .hasSize(2);
            assertThat(lines)
                    .as(log)
                    .filteredOn(line -> line.endsWith("  shop is up to date, at " + SECOND))
                    .hasSize(1);

            // built one module after the other, the lines are Maven's as ever
            assertThat(maven.run("dsynq:status").succeeded().log())
                    .contains("[INFO] Database shop (")
                    .doesNotContain("[one]");
        }
    }

    /**
     * {@code -Ddsynq.database} from the root of a reactor whose modules have different databases: the root and the
     * module without it failed ('dsynq.database=beta is neither configured nor a folder of …'), so that it worked
     * only with {@code -pl} and without {@code -am}. The projects that do not have it skip the goal, saying whose it
     * is; a name no project of the build has is refused as before.
     */
    @Test
    void theDatabaseNamedFromTheRootIsWorkedOnInItsModuleAndTheOthersSkip() {
        Path project = MavenBuild.sample("modules", MavenBuild.workFolder("modules"));
        MavenBuild maven = new MavenBuild(project);

        // beta takes its database from its delta directory, alpha configures <databases>
        for (String name : List.of("beta", "alpha")) {
            String other = name.equals("beta") ? "alpha" : "beta";
            String log = maven.run("dsynq:status", "-Ddsynq.database=" + name)
                    .succeeded()
                    .log();
            assertThat(log)
                    .contains("[INFO] Database " + name + " (jdbc:h2:file:"
                            + project.resolve(name + "/target/dsynq/h2/" + name))
                    .contains("0 applied, last applied none, 1 pending")
                    .doesNotContain("Database " + other);
            assertThat(log.lines()
                            .filter(line -> line.equals("[INFO] dsynq: skipped, dsynq.database=" + name
                                    + " is a database of project " + name + ", not of this one"))
                            .count())
                    .as(log)
                    .isEqualTo(2);
        }

        assertThat(maven.run("dsynq:status", "-Ddsynq.database=gamma").failed().log())
                .contains("on project modules: dsynq.database=gamma is neither configured nor a folder of ")
                .contains("; the databases found are none; nor is it a database of another project of this build");
        // alpha is not built: the root has no project to leave the database to
        assertThat(maven.run("dsynq:status", "-Ddsynq.database=alpha", "-pl", "beta", "-am")
                        .failed()
                        .log())
                .contains("on project modules: dsynq.database=alpha is neither configured nor a folder of ");
        assertThat(maven.run("dsynq:status", "-Ddsynq.database=beta", "-pl", "alpha")
                        .failed()
                        .log())
                .contains("on project alpha: dsynq.database=beta is not configured; the configured databases are"
                        + " alpha -> ");
    }

    /**
     * {@code mvn dsynq:verify} (or {@code apply}) at the root of a reactor warned that the root, which has no
     * databases of its own, has none ('[WARNING] No databases: …'), beside the modules that have them. That line is
     * now information where another project of the build has databases; a build of the root alone still warns.
     */
    @Test
    void aProjectWithoutDatabasesBesideModulesWithThemIsNoWarning() {
        Path project = MavenBuild.sample("modules", MavenBuild.workFolder("modules-root"));
        MavenBuild maven = new MavenBuild(project);
        String none = "No databases: " + project.resolve("src/main/dsynq")
                + " holds no database's deltas (<database>/delta/<id>/) and no <databases> are configured; nothing was"
                + " verified";

        String log = maven.run("dsynq:verify").succeeded().log();
        assertThat(log).contains("[INFO] " + none).doesNotContain("[WARNING]");

        assertThat(maven.run("-N", "dsynq:verify").succeeded().log()).contains("[WARNING] " + none);
    }
}
