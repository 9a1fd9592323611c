package io.dsynq.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Several configured databases, embedded H2 by default, picked with dsynq.database, skipped with dsynq.skip. */
class SeveralDatabasesIT {

    @Test
    void goalsWorkOnEveryDatabaseOrTheOnePicked() throws Exception {
        Path project = MavenBuild.sample("several", MavenBuild.workFolder("several"));
        for (String name : List.of("east", "west")) {
            sql(project, name, "CREATE TABLE city (id INT PRIMARY KEY, name VARCHAR(40) NOT NULL)");
        }
        MavenBuild maven = new MavenBuild(project);

        assertThat(maven.run("dsynq:apply").succeeded().log())
                .contains("Database east (jdbc:h2:file:" + project.resolve("target/dsynq/h2/east"))
                .contains("east is now at 1700000001.000000 (1 applied, 0 rolled back)")
                .contains("west is now at 1700000002.000000 (2 applied, 0 rolled back)");
        assertThat(cities(project, "east")).containsExactly("Berlin");
        assertThat(cities(project, "west")).containsExactly("Lisbon", "Porto");

        assertThat(maven.run("dsynq:rollback", "-Ddsynq.database=west")
                        .succeeded()
                        .log())
                .doesNotContain("Database east")
                .contains("west is now at 1700000001.000000");
        assertThat(cities(project, "west")).containsExactly("Lisbon");
        assertThat(cities(project, "east")).containsExactly("Berlin");

        assertThat(maven.run("dsynq:apply", "-Ddsynq.skip").succeeded().log())
                .contains("dsynq: skipped (dsynq.skip)")
                .doesNotContain("Database west");
        assertThat(cities(project, "west")).containsExactly("Lisbon");

        assertThat(maven.run("dsynq:status").succeeded().log())
                .contains("databases found: east, west")
                .contains("1 delta found, 1 applied, last applied 1700000001.000000, 0 pending")
                .contains("2 deltas found, 1 applied, last applied 1700000001.000000, 1 pending");

        assertThat(maven.run("dsynq:new", "-Ddsynq.tables=city").failed().log())
                .contains("several databases are configured (east, west); pick one with -Ddsynq.database=<name>");
        assertThat(maven.run("dsynq:apply", "-Ddsynq.database=north").failed().log())
                .contains("dsynq.database=north is not configured; the configured databases are east, west");

        // a database that cannot move back so far stops the rollback before any has moved (east was rolled back)
        maven.run("dsynq:rollback", "-Ddsynq.database=west").succeeded();
        assertThat(maven.run("dsynq:rollback").failed().log())
                .contains("database west: cannot move back 1 delta, only 0 applied; no database was moved")
                .doesNotContain("Database east");
        assertThat(cities(project, "east")).containsExactly("Berlin");
    }

    @Test
    void aTargetDeltaOneDatabaseLacksMovesNoDatabase() throws Exception {
        Path project = MavenBuild.sample("several", MavenBuild.workFolder("several-to"));
        for (String name : List.of("east", "west")) {
            sql(project, name, "CREATE TABLE city (id INT PRIMARY KEY, name VARCHAR(40) NOT NULL)");
        }
        Path delta = Files.createDirectories(project.resolve("src/main/dsynq/east/delta/1700000003.000000"));
        Files.writeString(delta.resolve("city.i.csv"), "id,name\n2,Hamburg\n");
        MavenBuild maven = new MavenBuild(project);

        // east, configured first, knows the delta; west does not
        assertThat(maven.run("dsynq:apply", "-Ddsynq.to=1700000003.000000")
                        .failed()
                        .log())
                .contains("database west: there is no delta 1700000003.000000 in the delta folder nor in the history;"
                        + " no database was moved (pick the database with -Ddsynq.database=<name>)")
                .doesNotContain("east is now");
        assertThat(cities(project, "east")).isEmpty();
        assertThat(cities(project, "west")).isEmpty();

        assertThat(maven.run("dsynq:apply", "-Ddsynq.to=1700000003.000000", "-Ddsynq.database=east")
                        .succeeded()
                        .log())
                .contains("east is now at 1700000003.000000 (2 applied, 0 rolled back)");
        assertThat(cities(project, "east")).containsExactly("Berlin", "Hamburg");

        // so does a move forward further than one of them has deltas pending: west has none, east one
        maven.run("dsynq:apply", "-Ddsynq.database=west").succeeded();
        maven.run("dsynq:rollback", "-Ddsynq.database=east").succeeded();
        assertThat(maven.run("dsynq:apply", "-Ddsynq.offset=1").failed().log())
                .contains("database west: cannot move forward 1 delta, only 0 pending; no database was moved")
                .doesNotContain("east is now");
        assertThat(cities(project, "east")).containsExactly("Berlin");

        // and an apply to the newest delta that one of them would refuse, a delta changed after it was applied
        Files.writeString(
                project.resolve("src/main/dsynq/west/delta/1700000002.000000/city.i.csv"),
                "3,Faro\n",
                java.nio.file.StandardOpenOption.APPEND);
        assertThat(maven.run("dsynq:apply").failed().log())
                .contains("database west: delta 1700000002.000000 was modified after it was applied")
                .contains("; no database was moved (pick the database with -Ddsynq.database=<name>)")
                .doesNotContain("east is now");
        assertThat(cities(project, "east")).containsExactly("Berlin");
    }

    @Test
    void withoutConfiguredDatabasesANameNoFolderHasIsATypoExceptForNew() throws Exception {
        Path project = MavenBuild.sample("several", MavenBuild.workFolder("several-unconfigured"));
        Path pom = project.resolve("pom.xml");
        String configured = Files.readString(pom);
        String unconfigured = configured.replaceAll("(?s)<configuration>.*</configuration>", "");
        assertThat(unconfigured).isNotEqualTo(configured).doesNotContain("<databases>");
        Files.writeString(pom, unconfigured);
        MavenBuild maven = new MavenBuild(project);

        for (String goal : List.of("dsynq:apply", "dsynq:rollback", "dsynq:status", "dsynq:verify")) {
            assertThat(maven.run(goal, "-Ddsynq.database=wets").failed().log())
                    .as(goal)
                    .contains("dsynq.database=wets is neither configured nor a folder of "
                            + project.resolve("src/main/dsynq") + " nor an embedded database of "
                            + project.resolve("target/dsynq/h2") + "; the databases found are east, west")
                    .doesNotContain("Database wets");
        }
        assertThat(project.resolve("target/dsynq/h2/wets.mv.db")).doesNotExist();

        assertThat(maven.run("dsynq:verify", "-Ddsynq.database=west")
                        .succeeded()
                        .log())
                .contains("Database west: 2 deltas")
                .doesNotContain("Database east");
        // new starts a database's first delta
        assertThat(maven.run("dsynq:new", "-Ddsynq.database=north").succeeded().log())
                .contains("New delta ")
                .contains(" for database north: " + project.resolve("src/main/dsynq/north/delta"));

        // a database whose folder is gone is still known by its embedded database, whose history a rollback reads
        sql(project, "west", "CREATE TABLE city (id INT PRIMARY KEY, name VARCHAR(40) NOT NULL)");
        maven.run("dsynq:apply", "-Ddsynq.database=west").succeeded();
        deleteTree(project.resolve("src/main/dsynq/west"));
        assertThat(maven.run("dsynq:status", "-Ddsynq.database=west")
                        .succeeded()
                        .log())
                .contains("Database west");
        assertThat(maven.run("dsynq:rollback", "-Ddsynq.database=west")
                        .succeeded()
                        .log())
                .contains("rolling back");
    }

    /**
     * A POM that configures no databases, in a project with no deltas yet (or with them in another folder): apply,
     * rollback and verify ended in success without a line of their own.
     */
    @Test
    void withoutAnyDatabaseAGoalSaysSo() throws Exception {
        Path project = MavenBuild.sample("several", MavenBuild.workFolder("several-none"));
        Path pom = project.resolve("pom.xml");
        Files.writeString(pom, Files.readString(pom).replaceAll("(?s)<configuration>.*</configuration>", ""));
        deleteTree(project.resolve("src/main/dsynq"));
        MavenBuild maven = new MavenBuild(project);

        for (String goal : List.of("dsynq:apply", "dsynq:rollback", "dsynq:verify")) {
            assertThat(maven.run(goal).succeeded().log())
                    .as(goal)
                    .contains("[WARNING] No databases: " + project.resolve("src/main/dsynq")
                            + " holds no database's deltas (<database>/delta/<id>/) and no <databases> are configured;"
                            + (goal.equals("dsynq:verify") ? " nothing was verified" : " nothing was moved"));
        }
    }

    /**
     * After {@code mvn clean} (or in a fresh checkout) a goal makes an embedded database anew, empty: status said
     * '0 applied', rollback 'only 0 applied' and apply 'unknown table city', none of them why.
     */
    @Test
    void aGoalThatMakesAnEmbeddedDatabaseAnewSaysSo() throws Exception {
        Path project = MavenBuild.sample("several", MavenBuild.workFolder("several-made-anew"));
        sql(project, "east", "CREATE TABLE city (id INT PRIMARY KEY, name VARCHAR(40) NOT NULL)");
        MavenBuild maven = new MavenBuild(project);
        String made = " had no embedded database (";
        String said = ".mv.db; mvn clean deletes it with the build directory): a new, empty one is made, no delta"
                + " applied and no table in it; create its tables before applying";

        assertThat(maven.run("dsynq:status").succeeded().log())
                .contains("  west" + made
                        + project.resolve("target/dsynq/h2/west").toAbsolutePath() + said)
                .doesNotContain("east" + made);
        assertThat(maven.run("dsynq:status").succeeded().log()).doesNotContain(made);

        deleteTree(project.resolve("target"));
        assertThat(maven.run("dsynq:apply").failed().log())
                .contains("  east" + made
                        + project.resolve("target/dsynq/h2/east").toAbsolutePath() + said)
                .contains("database east, delta 1700000001.000000, file city.i.csv: unknown table city");
    }

    /**
     * Names an embedded database cannot take: a ';' in its file's path, which H2's URL takes for its settings' start
     * (status failed with H2's 'URL format error; must be …', new wrote the database's first delta); two names
     * differing only in case, which a file system that ignores case (macOS, Windows) makes one database, history
     * and all.
     */
    @Test
    void embeddedDatabaseNamesH2OrTheFileSystemCannotTellApartAreRefused() throws Exception {
        Path project = MavenBuild.sample("several", MavenBuild.workFolder("several-embedded-names"));
        Path pom = project.resolve("pom.xml");
        String configured = Files.readString(pom);
        Files.writeString(pom, configured.replace("<name>west</name>", "<name>East</name>"));
        MavenBuild maven = new MavenBuild(project);
        assertThat(maven.run("dsynq:status").failed().log())
                .contains("databases east and East differ only in case, and without <url> would be one embedded H2"
                        + " database where file names ignore case (macOS, Windows); rename one, or give one a <url>")
                .doesNotContain("Database east");
        assertThat(project.resolve("target/dsynq/h2")).doesNotExist();

        Files.writeString(pom, configured.replaceAll("(?s)<configuration>.*</configuration>", ""));
        assertThat(maven.run("dsynq:new", "-Ddsynq.database=a;b").failed().log())
                .contains("database a;b: its embedded H2 database would be "
                        + project.resolve("target/dsynq/h2/a;b").toAbsolutePath()
                        + ", and H2 takes a ';' in a URL for the start of its settings; name the database without"
                        + " ';', or give it a <url>");
        assertThat(project.resolve("src/main/dsynq/a;b")).doesNotExist();
    }

    private static void deleteTree(Path folder) throws Exception {
        try (java.util.stream.Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    /**
     * A typo's refusal took diff too, which writes a database's first delta as new does: without {@code <databases>},
     * an embedded database whose tables a script made and that has no delta yet got 'dsynq.database=north is neither
     * configured nor a folder of …' where diff had written its first delta from a reference database.
     */
    @Test
    void withoutConfiguredDatabasesDiffStartsADatabasesFirstDelta() throws Exception {
        Path project = MavenBuild.sample("several", MavenBuild.workFolder("several-unconfigured-diff"));
        Path pom = project.resolve("pom.xml");
        Files.writeString(pom, Files.readString(pom).replaceAll("(?s)<configuration>.*</configuration>", ""));
        sql(project, "north", "CREATE TABLE city (id INT PRIMARY KEY, name VARCHAR(40))");
        sql(project, "reference", "CREATE TABLE city (id INT PRIMARY KEY, name VARCHAR(40))");
        sql(project, "reference", "INSERT INTO city VALUES (1, 'Oslo')");
        MavenBuild maven = new MavenBuild(project);

        assertThat(maven.run(
                                "dsynq:diff",
                                "-Ddsynq.database=north",
                                "-Ddsynq.source=" + url(project, "reference"),
                                "-Ddsynq.sourceUsername=sa")
                        .succeeded()
                        .log())
                .contains(" for database north: " + project.resolve("src/main/dsynq/north/delta"));
        assertThat(maven.run("dsynq:apply", "-Ddsynq.database=north")
                        .succeeded()
                        .log())
                .contains("Database north");
        assertThat(cities(project, "north")).containsExactly("Oslo");
    }

    private static String url(Path project, String name) {
        return "jdbc:h2:file:" + project.resolve("target/dsynq/h2/" + name).toAbsolutePath()
                + ";AUTO_SERVER=TRUE;AUTO_RECONNECT=TRUE";
    }

    private static void sql(Path project, String name, String sql) throws Exception {
        try (Connection connection = DriverManager.getConnection(url(project, name), "sa", "");
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static List<String> cities(Path project, String name) throws Exception {
        List<String> cities = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(url(project, name), "sa", "");
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT name FROM city ORDER BY id")) {
            while (rows.next()) {
                cities.add(rows.getString(1));
            }
        }
        return cities;
    }
}
