package io.dsynq.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import io.dsynq.core.archive.BundleManifest;
import io.dsynq.core.archive.BundleRequest;
import io.dsynq.core.archive.DeltaBundle;
import io.dsynq.core.testing.Engine;
import io.dsynq.core.testing.TestDatabase;
import io.dsynq.core.testing.TestServers;
import java.io.IOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Deltas as Maven artifacts in real builds (issue 6): {@code reference-data} packages and publishes its deltas,
 * {@code app} applies them by coordinates, from the local repository, a {@code file://} repository and an HTTP
 * repository with authentication (nginx with WebDAV on loopback); offline mode; a bad artifact refused.
 */
class ArtifactsIT {

    private static final String REFERENCE = "io.dsynq.it:reference-data:";

    private static final List<String> ITEMS =
            List.of("1|100|One|3|2.25", "3|30|Three, the \"third\"|2|99.99", "10|1000|Local to the app|4|5.00");

    private static Path reference(Path folder, String version) {
        return MavenBuild.sample("reference-data", folder, Map.of("reference.version", version));
    }

    private static Path app(Path folder, String releasesUrl, String... artifacts) {
        StringBuilder listed = new StringBuilder();
        for (String artifact : artifacts) {
            listed.append("<deltaArtifact>").append(artifact).append("</deltaArtifact>");
        }
        return MavenBuild.sample(
                "app", folder, Map.of("releases.url", releasesUrl, "delta.artifacts", listed.toString()));
    }

    private static MavenBuild build(Path project, TestDatabase database) {
        return new MavenBuild(project)
                .property("db.url", database.url())
                .property("db.user", database.username())
                .property("db.password", database.password());
    }

    private static List<String> items(TestDatabase database) throws Exception {
        return Databases.rows(database, "SELECT id, code, name, category_id, price FROM item ORDER BY id");
    }

    @Test
    void packageInstallThenAnotherProjectAppliesByCoordinates() throws Exception {
        Path tmp = MavenBuild.workFolder("artifacts-install");
        Path reference = reference(tmp, "1.0.0");

        String packaged = new MavenBuild(reference).run("install").succeeded().log();
        Path archive = reference.resolve("target/reference-data-1.0.0-dsynq.tar.xz");
        assertThat(packaged)
                .contains("Packaged 2 deltas of shop into " + archive)
                .contains("attached with classifier dsynq");
        Path installed = Path.of(
                System.getProperty("dsynq.it.repository"),
                "io/dsynq/it/reference-data/1.0.0/reference-data-1.0.0-dsynq.tar.xz");
        assertThat(installed).hasSameBinaryContentAs(archive);

        // reproducible: again, and from another checkout of the same sources
        byte[] first = Files.readAllBytes(archive);
        new MavenBuild(reference).run("clean", "package").succeeded();
        assertThat(Files.readAllBytes(archive)).isEqualTo(first);
        Path elsewhere = reference(MavenBuild.workFolder("artifacts-install-again"), "1.0.0");
        new MavenBuild(elsewhere).run("package").succeeded();
        assertThat(elsewhere.resolve("target/reference-data-1.0.0-dsynq.tar.xz"))
                .hasBinaryContent(first);

        // -Ddsynq.database picks one database's deltas; none to bundle is a warning and nothing attached
        Files.createDirectories(elsewhere.resolve("src/main/dsynq/stock/delta"));
        assertThat(new MavenBuild(elsewhere)
                        .run("clean", "package", "-Ddsynq.database=stock")
                        .succeeded()
                        .log())
                .contains("[WARNING] No deltas of database stock in ")
                .contains("nothing to package, no bundle is attached")
                .doesNotContain("Packaged");
        assertThat(elsewhere.resolve("target/reference-data-1.0.0-dsynq.tar.xz"))
                .doesNotExist();
        // a database neither configured nor in the delta directory is a typo: a release would lack its bundle
        assertThat(new MavenBuild(elsewhere)
                        .run("package", "-Ddsynq.database=shpo")
                        .failed()
                        .log())
                .contains("dsynq.database=shpo is not configured and has no deltas in ")
                // none is configured: the project's databases are its folders
                .contains("; the databases found are shop, stock");
        assertThat(new MavenBuild(elsewhere)
                        .run("package", "-Ddsynq.database=shop")
                        .succeeded()
                        .log())
                .contains("Packaged 2 deltas of shop into ");
        // a delta outside the layout is not bundled: the release would lack it without a word
        Path astray = Files.createDirectories(elsewhere.resolve("src/main/dsynq/shop/deltas/1700000009.000000"));
        Files.writeString(astray.resolve("item.d.csv"), "id\n1\n");
        assertThat(new MavenBuild(elsewhere).run("package").succeeded().log())
                .contains("[WARNING] " + astray.getParent() + " is not read: database shop's deltas go in "
                        + elsewhere.resolve("src/main/dsynq/shop/delta") + "/<id>/")
                .contains("Packaged 2 deltas of shop into ");

        try (TestDatabase database = TestServers.create(Engine.POSTGRESQL, tmp)) {
            database.execute(Databases.goalsSchema(Engine.POSTGRESQL));
            Path app = app(tmp, tmp.resolve("no-remote-repository").toUri().toString(), REFERENCE + "1.0.0");
            MavenBuild maven = build(app, database);

            assertThat(maven.run("verify").succeeded().log())
                    .contains("Delta artifact io.dsynq.it:reference-data:1.0.0: 2 deltas of shop, checksums verified")
                    .containsSubsequence(
                            "applying     1700000001.000000",
                            "applying     1700000002.000000",
                            "applying     1700000003.000000")
                    .contains("shop is now at 1700000003.000000 (3 applied, 0 rolled back)");
            assertThat(items(database)).isEqualTo(ITEMS);

            // the released deltas stand out from the project's own
            assertThat(maven.run("dsynq:status").succeeded().log())
                    .containsPattern(
                            "1700000001\\.000000  APPLIED .*  from io\\.dsynq\\.it:reference-data:1\\.0\\.0\\R")
                    .containsPattern(
                            "1700000002\\.000000  APPLIED .*  from io\\.dsynq\\.it:reference-data:1\\.0\\.0\\R")
                    .containsPattern("1700000003\\.000000  APPLIED .*deleted\\R")
                    .contains("3 deltas found, 3 applied, last applied 1700000003.000000, 0 pending");
            assertThat(maven.run("dsynq:verify").succeeded().log()).contains("Database shop: 3 deltas");
            assertThat(maven.run("dsynq:fetch").succeeded().log())
                    .contains("shop 1700000002.000000")
                    .contains("Fetched 1 delta artifact holding 2 deltas");
            Path unpacked = only(app.resolve("target/dsynq/fetched/io.dsynq.it/reference-data/1.0.0/dsynq"));
            assertThat(unpacked.resolve("shop/delta/1700000002.000000/item.u.csv"))
                    .hasContent("id,code,price\n1,100,2.25");
            // a second fetch reuses the folder the first one filled
            assertThat(maven.run("dsynq:fetch").succeeded().log())
                    .contains("checksums verified, in ")
                    .contains(unpacked.getFileName().toString());
            assertThat(only(unpacked.getParent())).isEqualTo(unpacked);

            maven.run("dsynq:rollback", "-Ddsynq.count=3").succeeded();
            assertThat(items(database)).isEmpty();

            // the same id locally and in the artifact: one clear error, nothing applied
            Path twin = Files.createDirectories(app.resolve("src/main/dsynq/shop/delta/1700000002.000000"));
            Files.writeString(twin.resolve("item.d.csv"), "id\n1\n");
            assertThat(maven.run("dsynq:apply").failed().log())
                    .contains("two deltas have the same id 1700000002.000000")
                    .contains(app.resolve("src/main/dsynq/shop/delta/1700000002.000000")
                            .toString());
            assertThat(items(database)).isEmpty();
        }
    }

    @Test
    void aBundleOfAProjectOfTheSameBuildIsTakenOnceItsPackagePhaseHasRun() throws Exception {
        Path tmp = MavenBuild.workFolder("artifacts-reactor");
        // a version no other test installs: the bundle can come from the build alone
        reference(tmp, "7.0.0-reactor");
        app(tmp, tmp.resolve("no-remote-repository").toUri().toString(), REFERENCE + "7.0.0-reactor");
        Files.writeString(
                tmp.resolve("pom.xml"),
                """
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>io.dsynq.it</groupId>
                  <artifactId>both</artifactId>
                  <version>1.0-SNAPSHOT</version>
                  <packaging>pom</packaging>
                  <modules>
                    <module>reference-data</module>
                    <module>app</module>
                  </modules>
                  <build>
                    <pluginManagement>
                      <plugins>
                        <plugin>
                          <groupId>io.dsynq</groupId>
                          <artifactId>dsynq-maven-plugin</artifactId>
                          <version>%s</version>
                        </plugin>
                      </plugins>
                    </pluginManagement>
                  </build>
                </project>
                """
                        .formatted(System.getProperty("dsynq.it.version")));
        MavenBuild maven = new MavenBuild(tmp);

        // the goal alone: the reference-data project of the build has not packaged its bundle
        assertThat(maven.run("-o", "dsynq:verify").failed().log())
                .contains("cannot resolve delta artifact " + REFERENCE + "7.0.0-reactor")
                .contains("; " + REFERENCE + "7.0.0-reactor is a project of this build whose package phase has not"
                        + " attached its bundle: run the build to package or beyond (mvn verify, or mvn package"
                        + " dsynq:<goal>), with the bundle declared as a dependency so that the project builds first,"
                        + " or install the project")
                .doesNotContain("run once without -o");
        assertThat(maven.run("-o", "package", "dsynq:verify").succeeded().log())
                .contains("Delta artifact " + REFERENCE + "7.0.0-reactor: 2 deltas of shop, checksums verified")
                .contains("Database shop: 3 deltas");
    }

    @Test
    void deltasThatVerifyRefusesAreNeitherPackagedNorDeployed() throws Exception {
        Path tmp = MavenBuild.workFolder("artifacts-malformed");
        Path reference = reference(tmp, "1.0.0");
        Path repository = tmp.resolve("releases");
        // a quote left open: the bundle would be released, and every apply of it refused
        Files.writeString(
                reference.resolve("src/main/dsynq/shop/delta/1700000002.000000/item.u.csv"),
                "id,code,price\n1,\"100,2.25\n");

        String refused = new MavenBuild(reference)
                .localRepository(tmp.resolve("publisher-repository"))
                .run("deploy", "-DaltDeploymentRepository=dsynq-it-releases::" + repository.toUri())
                .failed()
                .log();
        assertThat(refused)
                .contains("database shop, delta 1700000002.000000, file item.u.csv, line 2: a quoted field is not"
                        + " closed")
                .contains("; nothing was packaged")
                .doesNotContain("Packaged ");
        assertThat(errors(refused)).hasSize(1);
        assertThat(reference.resolve("target/reference-data-1.0.0-dsynq.tar.xz"))
                .doesNotExist();
        assertThat(repository).doesNotExist();
    }

    @Test
    void deployToAFileRepositoryThenResolveReleasesAndSnapshotsAndWorkOffline() throws Exception {
        Path tmp = MavenBuild.workFolder("artifacts-file");
        Path repository = tmp.resolve("releases");
        String url = repository.toUri().toString();
        new MavenBuild(reference(tmp.resolve("release"), "2.0.0"))
                .localRepository(tmp.resolve("publisher-repository"))
                .run("deploy", "-DaltDeploymentRepository=dsynq-it-releases::" + url)
                .succeeded();
        assertThat(repository.resolve("io/dsynq/it/reference-data/2.0.0/reference-data-2.0.0-dsynq.tar.xz"))
                .exists();
        new MavenBuild(reference(tmp.resolve("snapshot"), "2.1-SNAPSHOT"))
                .localRepository(tmp.resolve("publisher-repository"))
                .run("deploy", "-DaltDeploymentRepository=dsynq-it-releases::" + url)
                .succeeded();

        try (TestDatabase database = TestServers.create(Engine.H2, tmp)) {
            database.execute(Databases.goalsSchema(Engine.H2));
            Path app = app(tmp, url);
            Path cache = tmp.resolve("app-repository");

            // by the command line, nothing in the POM
            assertThat(build(app, database)
                            .localRepository(cache)
                            .run("dsynq:apply", "-Ddsynq.artifact=" + REFERENCE + "2.0.0")
                            .succeeded()
                            .log())
                    .contains("Delta artifact io.dsynq.it:reference-data:2.0.0: 2 deltas of shop")
                    .contains("shop is now at 1700000003.000000 (3 applied, 0 rolled back)");
            assertThat(items(database)).isEqualTo(ITEMS);

            // offline after one online resolution, even with the repository gone
            Files.move(repository, tmp.resolve("releases-gone"));
            assertThat(build(app, database)
                            .localRepository(cache)
                            .run("-o", "dsynq:status", "-Ddsynq.artifact=" + REFERENCE + "2.0.0")
                            .succeeded()
                            .log())
                    .contains("3 deltas found, 3 applied");

            // offline with an empty local repository: a clear failure naming the artifact
            assertThat(build(app, database)
                            .localRepository(tmp.resolve("empty-repository"))
                            .run("-o", "dsynq:status", "-Ddsynq.artifact=" + REFERENCE + "2.0.0")
                            .failed()
                            .log())
                    .contains("cannot resolve delta artifact io.dsynq.it:reference-data:2.0.0")
                    .contains("Maven is offline (-o) and the local repository")
                    .contains("does not hold it");
            Files.move(tmp.resolve("releases-gone"), repository);

            // a SNAPSHOT resolves as well
            assertThat(build(app, database)
                            .localRepository(tmp.resolve("snapshot-repository"))
                            .run("dsynq:fetch", "-Ddsynq.artifact=" + REFERENCE + "2.1-SNAPSHOT")
                            .succeeded()
                            .log())
                    .contains("Fetched 1 delta artifact holding 2 deltas");
            assertThat(only(app.resolve("target/dsynq/fetched/io.dsynq.it/reference-data/2.1-SNAPSHOT/dsynq"))
                            .resolve("shop/delta"))
                    .isDirectory();
        }
    }

    @Test
    void aSnapshotDeployedAgainWithoutADeltaLeavesItAppliedAndNamesTheArtifactsFolder() throws Exception {
        Path tmp = MavenBuild.workFolder("artifacts-snapshot-again");
        String url = tmp.resolve("snapshots").toUri().toString();
        Path reference = reference(tmp, "4.0-SNAPSHOT");
        MavenBuild publisher = new MavenBuild(reference).localRepository(tmp.resolve("publisher-repository"));
        publisher
                .run("deploy", "-DaltDeploymentRepository=dsynq-it-releases::" + url)
                .succeeded();

        try (TestDatabase database = TestServers.create(Engine.H2, tmp)) {
            database.execute(Databases.goalsSchema(Engine.H2));
            Path app = app(tmp, url, REFERENCE + "4.0-SNAPSHOT");
            MavenBuild maven = build(app, database).localRepository(tmp.resolve("app-repository"));
            assertThat(maven.run("dsynq:apply").succeeded().log())
                    .contains("shop is now at 1700000003.000000 (3 applied, 0 rolled back)");

            // the publisher takes a delta out of the SNAPSHOT and deploys it again
            try (Stream<Path> files = Files.list(reference.resolve("src/main/dsynq/shop/delta/1700000002.000000"))) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
            Files.delete(reference.resolve("src/main/dsynq/shop/delta/1700000002.000000"));
            publisher
                    .run("deploy", "-DaltDeploymentRepository=dsynq-it-releases::" + url)
                    .succeeded();

            String applied = maven.run("-U", "dsynq:apply").succeeded().log();
            Path fetched = app.resolve("target/dsynq/fetched/io.dsynq.it/reference-data/4.0-SNAPSHOT/dsynq");
            assertThat(applied)
                    // named by the timestamped version it resolved to
                    .containsPattern(
                            "Delta artifact io\\.dsynq\\.it:reference-data:4\\.0-SNAPSHOT \\(4\\.0-[0-9]{8}\\.[0-9]{6}-2\\): 1"
                                    + " delta of shop")
                    .containsPattern(
                            "\\[WARNING\\] database shop: delta 1700000002\\.000000 is applied but missing from "
                                    + java.util.regex.Pattern.quote(
                                            app.resolve("src/main/dsynq/shop/delta") + " and " + fetched)
                                    + "/[0-9a-f]{16}/shop/delta; it stays applied");
            assertThat(maven.run("dsynq:status").succeeded().log())
                    .contains("1700000002.000000  MISSING ")
                    .contains("2 deltas found, 3 applied, last applied 1700000003.000000, 0 pending, 1 MISSING from"
                            + " the delta directory and the delta artifacts");
            assertThat(items(database)).isEqualTo(ITEMS);
        }
    }

    @Test
    void deployToAndResolveFromAnHttpRepositoryWithAuthentication() throws Exception {
        Path tmp = MavenBuild.workFolder("artifacts-http");
        Path server = Files.createDirectories(tmp.resolve("nginx"));
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        nginx("start", server.toString(), Integer.toString(port), "deployer", "s3cret-pass");
        try (TestDatabase database = TestServers.create(Engine.MARIADB, tmp)) {
            database.execute(Databases.goalsSchema(Engine.MARIADB));
            String url = "http://127.0.0.1:" + port + "/repo";
            Path settings = tmp.resolve("settings.xml");
            Files.writeString(
                    settings,
                    """
                    <settings>
                      <servers>
                        <server>
                          <id>dsynq-it-releases</id>
                          <username>deployer</username>
                          <password>s3cret-pass</password>
                        </server>
                      </servers>
                    </settings>
                    """);
            Path reference = reference(tmp, "3.0.0");
            String deploy = "-DaltDeploymentRepository=dsynq-it-releases::" + url;

            assertThat(new MavenBuild(reference)
                            .localRepository(tmp.resolve("publisher-repository"))
                            .run("deploy", deploy)
                            .failed()
                            .log())
                    .containsIgnoringCase("401");
            new MavenBuild(reference)
                    .localRepository(tmp.resolve("publisher-repository"))
                    .run("-s", settings.toString(), "deploy", deploy)
                    .succeeded();
            Path deployed =
                    server.resolve("www/repo/io/dsynq/it/reference-data/3.0.0/reference-data-3.0.0-dsynq.tar.xz");
            assertThat(deployed).hasSameBinaryContentAs(reference.resolve("target/reference-data-3.0.0-dsynq.tar.xz"));
            assertThat(status(url + "/io/dsynq/it/reference-data/3.0.0/reference-data-3.0.0-dsynq.tar.xz"))
                    .isEqualTo(401);

            Path app = app(tmp, url, REFERENCE + "3.0.0");
            assertThat(build(app, database)
                            .localRepository(tmp.resolve("anonymous-repository"))
                            .run("dsynq:apply")
                            .failed()
                            .log())
                    .contains("cannot resolve delta artifact io.dsynq.it:reference-data:3.0.0")
                    .containsIgnoringCase("401")
                    // every repository's reason, and the one that refused the credentials named
                    .contains("in central (")
                    .contains("the repository asks for credentials and the build has none for it: add a <server> with"
                            + " id dsynq-it-releases and its <username> and <password> to settings.xml; nothing was"
                            + " applied")
                    .doesNotContain("s3cret-pass");
            assertThat(Databases.tables(database)).doesNotContain("dsynq_history");

            assertThat(build(app, database)
                            .localRepository(tmp.resolve("app-repository"))
                            .run("-s", settings.toString(), "verify")
                            .succeeded()
                            .log())
                    .contains("Delta artifact io.dsynq.it:reference-data:3.0.0: 2 deltas of shop, checksums verified")
                    .contains("shop is now at 1700000003.000000 (3 applied, 0 rolled back)")
                    .doesNotContain("s3cret-pass");
            assertThat(items(database)).isEqualTo(ITEMS);
        } finally {
            nginx("stop", server.toString());
        }
    }

    @Test
    void aBadArtifactIsRefusedWithOneClearErrorAndNothingApplied() throws Exception {
        Path tmp = MavenBuild.workFolder("artifacts-bad");
        Path repository = tmp.resolve("releases");
        Path traversal = Files.createDirectories(repository.resolve("io/dsynq/it/traversal/1.0"));
        try (OutputStream file = Files.newOutputStream(traversal.resolve("traversal-1.0-dsynq.tar.xz"));
                XZCompressorOutputStream xz = new XZCompressorOutputStream(file)) {
            TarArchiveOutputStream tar = new TarArchiveOutputStream(xz, "UTF-8");
            byte[] content = "id,code,name,category_id,price,updated\n99,9,Evil,1,,\n".getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry entry = new TarArchiveEntry("shop/delta/../../../../escaped.i.csv", true);
            entry.setSize(content.length);
            tar.putArchiveEntry(entry);
            tar.write(content);
            tar.closeArchiveEntry();
            tar.finish();
        }
        // a good bundle with one file changed after its manifest was written
        Path sources = MavenBuild.sample("reference-data", tmp.resolve("sources"));
        Path altered = Files.createDirectories(repository.resolve("io/dsynq/it/altered/1.0"));
        BundleManifest manifest = DeltaBundle.write(new BundleRequest(
                        sources.resolve("src/main/dsynq"),
                        altered.resolve("altered-1.0-dsynq.tar.xz"),
                        Instant.parse("2026-01-01T00:00:00Z")))
                .manifest();
        Files.writeString(sources.resolve("src/main/dsynq/shop/delta/1700000002.000000/item.d.csv"), "id\n1\n");
        Path alteredSources = sources.resolve("src/main/dsynq");
        try (OutputStream file = Files.newOutputStream(altered.resolve("altered-1.0-dsynq.tar.xz"));
                XZCompressorOutputStream xz = new XZCompressorOutputStream(file)) {
            TarArchiveOutputStream tar = new TarArchiveOutputStream(xz, "UTF-8");
            byte[] manifestBytes = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(manifest);
            put(tar, DeltaBundle.MANIFEST, manifestBytes);
            for (BundleManifest.DeltaEntry delta : manifest.deltas()) {
                for (BundleManifest.FileEntry entry : delta.files()) {
                    put(tar, entry.path(), Files.readAllBytes(alteredSources.resolve(entry.path())));
                }
            }
            tar.finish();
        }

        try (TestDatabase database = TestServers.create(Engine.H2, tmp)) {
            database.execute(Databases.goalsSchema(Engine.H2));
            Path app = app(tmp, repository.toUri().toString());
            MavenBuild maven = build(app, database).localRepository(tmp.resolve("app-repository"));

            String refused = maven.run("dsynq:apply", "-Ddsynq.artifact=io.dsynq.it:traversal:1.0")
                    .failed()
                    .log();
            assertThat(refused)
                    .contains("delta artifact io.dsynq.it:traversal:1.0")
                    .contains("entry 'shop/delta/../../../../escaped.i.csv' points outside the folder; refused;"
                            + " nothing was applied");
            assertThat(errors(refused)).hasSize(1);
            // the entry would land in fetched/io.dsynq.it/traversal/1.0, beside the extraction's temporary folder:
            // no such file anywhere, and no file at all where bundles are extracted
            try (Stream<Path> walk = Files.walk(tmp)) {
                assertThat(walk.filter(p -> p.getFileName().toString().equals("escaped.i.csv")))
                        .isEmpty();
            }
            try (Stream<Path> walk = Files.walk(app.resolve("target/dsynq/fetched/io.dsynq.it/traversal"))) {
                assertThat(walk.filter(Files::isRegularFile)).isEmpty();
            }

            String mismatch = maven.run("dsynq:apply", "-Ddsynq.artifact=io.dsynq.it:altered:1.0")
                    .failed()
                    .log();
            assertThat(mismatch)
                    .contains("entry shop/delta/1700000002.000000/item.d.csv does not match the manifest's checksum")
                    .contains("nothing was applied");
            assertThat(errors(mismatch)).hasSize(1);

            assertThat(Databases.tables(database)).doesNotContain("DSYNQ_HISTORY", "dsynq_history");
            assertThat(items(database)).isEmpty();
        }
    }

    /** The one folder in {@code folder}. */
    private static Path only(Path folder) throws IOException {
        try (Stream<Path> children = Files.list(folder)) {
            List<Path> all = children.toList();
            assertThat(all).hasSize(1);
            return all.get(0);
        }
    }

    private static void put(TarArchiveOutputStream tar, String name, byte[] content) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name, true);
        entry.setSize(content.length);
        tar.putArchiveEntry(entry);
        tar.write(content);
        tar.closeArchiveEntry();
    }

    /** The lines saying why the build failed, before Maven's generic help. */
    private static List<String> errors(String log) {
        return log.lines()
                .filter(l -> l.startsWith("[ERROR] Failed to execute goal"))
                .toList();
    }

    private static int status(String url) throws IOException {
        HttpURLConnection connection =
                (HttpURLConnection) URI.create(url).toURL().openConnection();
        try {
            return connection.getResponseCode();
        } finally {
            connection.disconnect();
        }
    }

    /**
     * Runs {@code src/test/scripts/nginx-webdav.sh}. Without nginx and the rights to install it the test is skipped,
     * and fails under {@code CI=true}.
     */
    private static void nginx(String... arguments) throws Exception {
        Path script = Path.of(System.getProperty("dsynq.it.projects")).resolveSibling("test/scripts/nginx-webdav.sh");
        Path log = Files.createTempFile("nginx-webdav", ".log");
        List<String> command = new java.util.ArrayList<>(List.of("bash", script.toString()));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            fail("nginx-webdav.sh " + arguments[0] + " did not end in 5 minutes");
        }
        String output = Files.readString(log);
        Files.delete(log);
        if (process.exitValue() != 0) {
            String message = "no repository server: nginx-webdav.sh " + arguments[0] + " failed:\n" + output;
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(message + " (CI=true: a skipped test is a failure)");
            }
            Assumptions.abort(message);
        }
    }
}
