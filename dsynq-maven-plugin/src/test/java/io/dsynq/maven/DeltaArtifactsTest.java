package io.dsynq.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dsynq.core.archive.BundleRequest;
import io.dsynq.core.archive.DeltaBundle;
import io.dsynq.core.archive.ExtractRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.maven.plugin.MojoFailureException;
import org.eclipse.aether.artifact.Artifact;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.resolution.ArtifactRequest;
import org.eclipse.aether.resolution.ArtifactResolutionException;
import org.eclipse.aether.resolution.ArtifactResult;
import org.eclipse.aether.transfer.ArtifactNotFoundException;
import org.eclipse.aether.transfer.ArtifactTransferException;
import org.eclipse.aether.util.repository.AuthenticationBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeltaArtifactsTest {

    @Test
    void coordinatesNameABundleWithClassifierDsynqUnlessTheyNameAnother() throws MojoFailureException {
        Artifact plain = DeltaArtifacts.artifact("com.example:reference-data:1.0.0");
        assertThat(plain.getGroupId()).isEqualTo("com.example");
        assertThat(plain.getArtifactId()).isEqualTo("reference-data");
        assertThat(plain.getVersion()).isEqualTo("1.0.0");
        assertThat(plain.getClassifier()).isEqualTo("dsynq");
        assertThat(plain.getExtension()).isEqualTo("tar.xz");

        assertThat(DeltaArtifacts.artifact("com.example:reference-data:1.1-SNAPSHOT:eu")
                        .getClassifier())
                .isEqualTo("eu");
    }

    @Test
    void malformedCoordinatesAreAnErrorSayingTheForm() {
        for (String bad : List.of("com.example:reference-data", "a:b:c:d:e", "a::1.0", "a:b:1.0:")) {
            assertThatThrownBy(() -> DeltaArtifacts.artifact(bad))
                    .isInstanceOf(MojoFailureException.class)
                    .hasMessage("delta artifact '" + bad + "' is not of the form groupId:artifactId:version or"
                            + " groupId:artifactId:version:classifier");
        }
    }

    @Test
    void theCommandLineAddsToTheConfiguredListOnce() {
        assertThat(DeltaArtifacts.coordinates(List.of("a:b:1", " c:d:2 "), "e:f:3, a:b:1,,"))
                .containsExactly("a:b:1", "c:d:2", "e:f:3");
        assertThat(DeltaArtifacts.coordinates(null, null)).isEmpty();
    }

    @TempDir
    Path work;

    /** A bundle of one delta of database {@code database}. */
    private Path bundle(String name, String database, String id) throws IOException {
        Path root = work.resolve("src-" + name);
        Path delta = Files.createDirectories(root.resolve(database + "/delta/" + id));
        Files.writeString(delta.resolve("item.i.csv"), "id\n1\n");
        return DeltaBundle.write(new BundleRequest(root, work.resolve(name + ".tar.xz"), Instant.EPOCH))
                .archive();
    }

    private DeltaArtifacts artifacts(long maxEntries) {
        return new DeltaArtifacts(
                null,
                null,
                List.of(),
                java.util.Set.of(),
                work.resolve("project/target/dsynq/fetched"),
                ExtractRequest.DEFAULT_MAX_ENTRY_BYTES,
                ExtractRequest.DEFAULT_MAX_TOTAL_BYTES,
                maxEntries);
    }

    /** Resolves classifier to an archive, version as given. */
    private static DeltaArtifacts.Resolver byClassifier(Map<String, Path> archives) {
        return (coordinates, wanted) ->
                wanted.setFile(archives.get(wanted.getClassifier()).toFile());
    }

    private List<Path> everything() throws IOException {
        try (Stream<Path> walk = Files.walk(work)) {
            return walk.toList();
        }
    }

    @Test
    void anotherClassifierOfTheSameVersionHasAFolderOfItsOwn() throws Exception {
        Map<String, Path> archives = Map.of(
                "eu", bundle("eu", "shop", "1700000001.000000"), "dsynq", bundle("all", "stock", "1700000002.000000"));
        List<DeltaArtifacts.Fetched> fetched =
                artifacts(100).fetch(List.of("g:a:1:eu", "g:a:1"), byClassifier(archives));

        Path base = work.resolve("project/target/dsynq/fetched/g/a/1");
        assertThat(fetched.get(0).folder().getParent()).isEqualTo(base.resolve("eu"));
        assertThat(fetched.get(1).folder().getParent()).isEqualTo(base.resolve("dsynq"));
        assertThat(fetched.get(0).folder().resolve("shop/delta/1700000001.000000/item.i.csv"))
                .exists();
        assertThat(fetched.get(1).folder().resolve("stock/delta/1700000002.000000/item.i.csv"))
                .exists();
        assertThat(fetched.get(0).folder().getFileName().toString()).hasSize(DeltaArtifacts.DIGEST_LENGTH);
    }

    /** Regression: a bundle listed as g:a:RELEASE or g:a:LATEST was named so, never by the version it resolved to. */
    @Test
    void aVersionResolvedToAnotherIsNamedWithIt() throws Exception {
        Path archive = bundle("all", "shop", "1700000001.000000");
        DeltaArtifacts.Resolver newest =
                (coordinates, wanted) -> wanted.getVersion().equals("1.0.0")
                        ? wanted.setFile(archive.toFile())
                        : new DefaultArtifact("g", "a", "dsynq", "tar.xz", "2.0.0").setFile(archive.toFile());

        assertThat(artifacts(100).fetch(List.of("g:a:RELEASE"), newest))
                .singleElement()
                .satisfies(one -> assertThat(one.name()).isEqualTo("g:a:RELEASE (2.0.0)"));
        assertThat(artifacts(100).fetch(List.of("g:a:LATEST:dsynq"), newest))
                .singleElement()
                .satisfies(one -> assertThat(one.name()).isEqualTo("g:a:LATEST:dsynq (2.0.0)"));
        assertThat(artifacts(100).fetch(List.of("g:a:1.0.0"), newest))
                .singleElement()
                .satisfies(one -> assertThat(one.name()).isEqualTo("g:a:1.0.0"));
    }

    @Test
    void theSameArtifactTwiceIsAnError() throws Exception {
        Map<String, Path> archives = Map.of("dsynq", bundle("all", "shop", "1700000001.000000"));
        assertThatThrownBy(() -> artifacts(100).fetch(List.of("g:a:1", "g:a:1:dsynq"), byClassifier(archives)))
                .isInstanceOf(MojoFailureException.class)
                .hasMessageStartingWith("delta artifacts g:a:1 and g:a:1:dsynq are the same artifact (g:a:dsynq:1, ")
                .hasMessageEndingWith("; list it once");
        // a SNAPSHOT by its base and its timestamped version: the same file
        DeltaArtifacts.Resolver snapshot =
                (coordinates, wanted) -> new DefaultArtifact("g", "a", "dsynq", "tar.xz", "1-20260101.000000-1")
                        .setFile(archives.get("dsynq").toFile());
        assertThatThrownBy(() -> artifacts(100).fetch(List.of("g:a:1-SNAPSHOT", "g:a:1-20260101.000000-1"), snapshot))
                .isInstanceOf(MojoFailureException.class)
                .hasMessageContaining("are the same artifact");
    }

    @Test
    void aSecondFetchReusesTheFolderAndANewArchiveGetsANewOne() throws Exception {
        Path archive = bundle("all", "shop", "1700000001.000000");
        Map<String, Path> archives = Map.of("dsynq", archive);
        Path first = artifacts(100)
                .fetch(List.of("g:a:1"), byClassifier(archives))
                .get(0)
                .folder();
        Path marker = first.resolve("shop/delta/1700000001.000000/item.i.csv");
        long inode = Files.getLastModifiedTime(marker).toMillis();
        Files.setLastModifiedTime(marker, java.nio.file.attribute.FileTime.fromMillis(inode - 60_000));
        Path again = artifacts(100)
                .fetch(List.of("g:a:1"), byClassifier(archives))
                .get(0)
                .folder();
        assertThat(again).isEqualTo(first);
        // not extracted again
        assertThat(Files.getLastModifiedTime(marker).toMillis()).isEqualTo(inode - 60_000);

        // new content of the same version (a SNAPSHOT): a folder of its own, the old one left for its readers
        Path changed = bundle("changed", "shop", "1700000002.000000");
        Path other = artifacts(100)
                .fetch(List.of("g:a:1"), byClassifier(Map.of("dsynq", changed)))
                .get(0)
                .folder();
        assertThat(other).isNotEqualTo(first);
        assertThat(other.getParent()).isEqualTo(first.getParent());
        assertThat(first).exists();
        try (Stream<Path> children = Files.list(first.getParent())) {
            assertThat(children.map(p -> p.getFileName().toString()))
                    .allMatch(name -> !name.startsWith(".extracting-"));
        }
    }

    @Test
    void aRefusedBundleLeavesNothingAndSaysNothingOfApplying() throws Exception {
        Path archive = bundle("all", "shop", "1700000001.000000");
        List<Path> before = everything();
        assertThatThrownBy(() -> artifacts(2).fetch(List.of("g:a:1"), byClassifier(Map.of("dsynq", archive))))
                .isInstanceOf(MojoFailureException.class)
                .hasMessageContaining("more than the bound of 2 entries; refused (the bound is"
                        + " -Ddsynq.maxArtifactEntries; raise it for a bundle you trust)")
                .message()
                .doesNotContain("nothing was applied");
        List<Path> after = everything();
        // only the empty folders that would hold the extraction
        assertThat(after.stream().filter(p -> !before.contains(p)))
                .allMatch(Files::isDirectory)
                .noneMatch(p -> p.getFileName().toString().startsWith(".extracting-"));
    }

    @Test
    void coordinatePartsMustBePlainFolderNames() {
        for (String bad : List.of("a/b:c:1", "..:a:1", "g:a:..", "g:a:1:x\\y", "g:.:1", "g:a:1:c d")) {
            assertThatThrownBy(() -> DeltaArtifacts.artifact(bad))
                    .isInstanceOf(MojoFailureException.class)
                    .hasMessageStartingWith("delta artifact '" + bad + "': ")
                    .hasMessageContaining("may hold only letters, digits");
        }
    }

    @Test
    void resolutionFailuresShowEveryRepositoryAndNoPasswords() {
        Artifact wanted = new DefaultArtifact("g", "a", "dsynq", "tar.xz", "1");
        RemoteRepository central =
                new RemoteRepository.Builder("central", "default", "https://repo.example/maven2").build();
        RemoteRepository company = new RemoteRepository.Builder(
                        "company", "default", "https://deployer:s3cret@nexus.example/repository")
                .setAuthentication(new AuthenticationBuilder()
                        .addUsername("deployer")
                        .addPassword("s3cret")
                        .build())
                .build();
        ArtifactResult result = new ArtifactResult(new ArtifactRequest(wanted, List.of(central, company), null));
        result.addException(new ArtifactNotFoundException(wanted, central));
        result.addException(new ArtifactTransferException(
                wanted,
                company,
                "Could not transfer from https://deployer:s3cret@nexus.example/repository: status code: 401,"
                        + " reason phrase: Unauthorized (401)"));
        String message = DeltaArtifacts.failure(
                "g:a:1",
                wanted,
                new ArtifactResolutionException(List.of(result)),
                false,
                "/m2",
                List.of(central, company),
                false);
        assertThat(message)
                .contains("central")
                .contains("https://nexus.example/repository: status code: 401")
                .doesNotContain("s3cret")
                .doesNotContain("deployer")
                .endsWith("; the repository refused the credentials: check the credentials for server company"
                        + " in settings.xml");

        // a repository the build has no <server> for sent no credentials: there are none to check
        RemoteRepository anonymous =
                new RemoteRepository.Builder("company", "default", "https://nexus.example/repository").build();
        ArtifactResult refused = new ArtifactResult(new ArtifactRequest(wanted, List.of(anonymous), null));
        refused.addException(new ArtifactTransferException(
                wanted,
                anonymous,
                "Could not transfer from https://nexus.example/repository: status code: 401, reason phrase:"
                        + " Unauthorized (401)"));
        assertThat(DeltaArtifacts.failure(
                        "g:a:1",
                        wanted,
                        new ArtifactResolutionException(List.of(refused)),
                        false,
                        "/m2",
                        List.of(anonymous),
                        false))
                .doesNotContain("refused the credentials")
                .endsWith("; the repository asks for credentials and the build has none for it: add a <server> with"
                        + " id company and its <username> and <password> to settings.xml");
        assertThat(DeltaArtifacts.redact("see http://u:p@h/x and https://h2/y"))
                .isEqualTo("see http://h/x and https://h2/y");
    }

    /**
     * A repository that answered 500 or could not be reached was followed by 'check the coordinates, and that a
     * repository of the build holds it', though it may hold the artifact all the same.
     */
    @Test
    void aRepositoryThatCouldNotBeReadIsNotTakenForOneWithoutTheArtifact() {
        Artifact wanted = new DefaultArtifact("g", "a", "dsynq", "tar.xz", "1");
        RemoteRepository central =
                new RemoteRepository.Builder("central", "default", "https://repo.example/maven2").build();
        RemoteRepository company =
                new RemoteRepository.Builder("company", "default", "https://nexus.example/repository").build();
        ArtifactResult result = new ArtifactResult(new ArtifactRequest(wanted, List.of(central, company), null));
        result.addException(new ArtifactNotFoundException(wanted, central));
        result.addException(new ArtifactTransferException(
                wanted,
                company,
                "Could not transfer from https://nexus.example/repository: status code: 500, reason phrase: Internal"
                        + " Server Error (500)"));
        assertThat(DeltaArtifacts.failure(
                        "g:a:1",
                        wanted,
                        new ArtifactResolutionException(List.of(result)),
                        false,
                        "/m2",
                        List.of(central, company),
                        false))
                .contains("status code: 500")
                .doesNotContain("check the coordinates")
                .endsWith("; company was not read (a server error, a timeout or no connection), so the coordinates"
                        + " may be right: check that the repository is up and reachable, then build again");

        // one unreachable, the other asking for credentials: both said, the credentials last
        ArtifactResult both = new ArtifactResult(new ArtifactRequest(wanted, List.of(central, company), null));
        both.addException(new ArtifactTransferException(
                wanted, central, "Could not transfer from https://repo.example/maven2: Connection refused"));
        both.addException(new ArtifactTransferException(
                wanted,
                company,
                "Could not transfer from https://nexus.example/repository: status code: 401, reason phrase:"
                        + " Unauthorized (401)"));
        assertThat(DeltaArtifacts.failure(
                        "g:a:1",
                        wanted,
                        new ArtifactResolutionException(List.of(both)),
                        false,
                        "/m2",
                        List.of(central, company),
                        false))
                .contains("; central was not read (a server error, a timeout or no connection)")
                .endsWith("; the repository asks for credentials and the build has none for it: add a <server> with"
                        + " id company and its <username> and <password> to settings.xml");

        // every repository answered that it does not hold it: the coordinates are the first thing to check
        ArtifactResult missing = new ArtifactResult(new ArtifactRequest(wanted, List.of(central, company), null));
        missing.addException(new ArtifactNotFoundException(wanted, central));
        missing.addException(new ArtifactNotFoundException(wanted, company));
        assertThat(DeltaArtifacts.failure(
                        "g:a:1",
                        wanted,
                        new ArtifactResolutionException(List.of(missing)),
                        false,
                        "/m2",
                        List.of(central, company),
                        false))
                .endsWith("; check the coordinates, and that a repository of the build (central, company) holds it");
    }

    /** A bound's refusal said 'more than the bound of 10' and not which parameter sets it. */
    @Test
    void aRefusalByABoundNamesItsParameter() throws Exception {
        Path archive = bundle("bounded", "shop", "1700000001.000000");
        DeltaArtifacts.Resolver resolver = byClassifier(Map.of("dsynq", archive));
        assertThatThrownBy(() -> new DeltaArtifacts(
                                null, null, List.of(), java.util.Set.of(), work.resolve("fetched"), 10, 1 << 20, 100)
                        .fetch(List.of("g:a:1"), resolver))
                .hasMessageContaining("bytes, more than the bound of 10; refused (the bound is"
                        + " -Ddsynq.maxArtifactEntryBytes; raise it for a bundle you trust)");
        assertThatThrownBy(() -> new DeltaArtifacts(
                                null, null, List.of(), java.util.Set.of(), work.resolve("fetched"), 1 << 20, 10, 100)
                        .fetch(List.of("g:a:1"), resolver))
                .hasMessageContaining("more than the bound of 10 bytes in all; refused (the bound is"
                        + " -Ddsynq.maxArtifactBytes; raise it for a bundle you trust)");
        // a refusal no parameter could lift names none
        Path corrupt = Files.write(work.resolve("corrupt.tar.xz"), new byte[] {1, 2, 3});
        assertThatThrownBy(() -> artifacts(100).fetch(List.of("g:a:2"), byClassifier(Map.of("dsynq", corrupt))))
                .hasMessageContaining("truncated or corrupt")
                .message()
                .doesNotContain("the bound is");
    }

    @Test
    void aReusedFolderIsCheckedAgain() throws Exception {
        Map<String, Path> archives = Map.of("dsynq", bundle("all", "shop", "1700000001.000000"));
        Path folder = artifacts(100)
                .fetch(List.of("g:a:1"), byClassifier(archives))
                .get(0)
                .folder();
        Files.writeString(folder.resolve("shop/delta/1700000001.000000/item.i.csv"), "id\n2\n");
        assertThatThrownBy(() -> artifacts(100).fetch(List.of("g:a:1"), byClassifier(archives)))
                .isInstanceOf(MojoFailureException.class)
                .hasMessageContaining("does not match the manifest's checksum")
                .hasMessageEndingWith(
                        "(in " + folder + ", extracted by an earlier build; delete it to extract the bundle again)");
    }
}
