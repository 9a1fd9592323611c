package io.dsynq.maven;

import io.dsynq.core.DsynqException;
import io.dsynq.core.archive.BundleManifest;
import io.dsynq.core.archive.DeltaBundle;
import io.dsynq.core.archive.ExtractRequest;
import io.dsynq.core.archive.ExtractResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.maven.plugin.MojoFailureException;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.RepositorySystemSession;
import org.eclipse.aether.artifact.Artifact;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.resolution.ArtifactRequest;
import org.eclipse.aether.resolution.ArtifactResolutionException;
import org.eclipse.aether.resolution.ArtifactResult;

/**
 * Resolves delta bundles by coordinates through Maven Resolver, so the build's remote repositories, mirrors, proxies,
 * authentication, offline mode and local repository all apply as they do to any dependency, and extracts each into
 * {@code <fetched>/<groupId>/<artifactId>/<version>[/<classifier>]} after checking it against its manifest. Not
 * thread-safe: one per goal execution.
 */
final class DeltaArtifacts {

    /** The classifier {@code package} attaches bundles with, and the one assumed when coordinates name none. */
    static final String CLASSIFIER = "dsynq";

    /** The bundle's type and extension. */
    static final String EXTENSION = "tar.xz";

    /**
     * A bundle resolved and extracted.
     *
     * @param coordinates the coordinates as configured
     * @param archive the resolved file, in the local repository
     * @param folder where it was extracted: a root in the delta layout
     * @param manifest what it holds
     */
    record Fetched(String coordinates, Path archive, Path folder, BundleManifest manifest) {}

    private final RepositorySystem system;

    private final RepositorySystemSession session;

    private final List<RemoteRepository> repositories;

    private final Path fetched;

    private final long maxEntryBytes;

    private final long maxTotalBytes;

    DeltaArtifacts(
            RepositorySystem system,
            RepositorySystemSession session,
            List<RemoteRepository> repositories,
            Path fetched,
            long maxEntryBytes,
            long maxTotalBytes) {
        this.system = system;
        this.session = session;
        this.repositories = repositories;
        this.fetched = fetched;
        this.maxEntryBytes = maxEntryBytes;
        this.maxTotalBytes = maxTotalBytes;
    }

    /** The coordinates of {@code configured} and of a comma-separated {@code fromCommandLine}, each once, in order. */
    static List<String> coordinates(List<String> configured, String fromCommandLine) {
        Set<String> all = new LinkedHashSet<>();
        if (configured != null) {
            configured.stream().map(String::strip).filter(c -> !c.isEmpty()).forEach(all::add);
        }
        if (fromCommandLine != null) {
            for (String one : fromCommandLine.split(",")) {
                if (!one.isBlank()) {
                    all.add(one.strip());
                }
            }
        }
        return List.copyOf(all);
    }

    /**
     * The artifact {@code groupId:artifactId:version[:classifier]} stands for.
     *
     * @throws MojoFailureException when the text is not of that form
     */
    static Artifact artifact(String coordinates) throws MojoFailureException {
        String[] parts = coordinates.split(":", -1);
        if (parts.length < 3 || parts.length > 4 || List.of(parts).stream().anyMatch(String::isBlank)) {
            throw new MojoFailureException("delta artifact '" + coordinates + "' is not of the form"
                    + " groupId:artifactId:version or groupId:artifactId:version:classifier");
        }
        return new DefaultArtifact(parts[0], parts[1], parts.length == 4 ? parts[3] : CLASSIFIER, EXTENSION, parts[2]);
    }

    /**
     * Resolves and extracts each bundle, replacing what an earlier build extracted.
     *
     * @throws MojoFailureException when one cannot be resolved, or is refused on extraction
     */
    List<Fetched> fetch(List<String> coordinates) throws MojoFailureException {
        List<Fetched> result = new ArrayList<>();
        for (String one : coordinates) {
            Artifact wanted = artifact(one);
            Path archive = resolve(one, wanted);
            Path folder = fetched.resolve(wanted.getGroupId())
                    .resolve(wanted.getArtifactId())
                    .resolve(wanted.getBaseVersion());
            if (!CLASSIFIER.equals(wanted.getClassifier())) {
                folder = folder.resolve(wanted.getClassifier());
            }
            delete(folder);
            try {
                ExtractResult extracted = DeltaBundle.extract(new ExtractRequest(
                        archive, folder, "delta artifact " + one + " (" + archive + ")", maxEntryBytes, maxTotalBytes));
                result.add(new Fetched(one, archive, extracted.folder(), extracted.manifest()));
            } catch (DsynqException e) {
                throw new MojoFailureException(e.getMessage() + "; nothing was applied");
            }
        }
        return result;
    }

    private Path resolve(String coordinates, Artifact wanted) throws MojoFailureException {
        try {
            ArtifactResult resolved = system.resolveArtifact(session, new ArtifactRequest(wanted, repositories, null));
            return resolved.getArtifact().getFile().toPath();
        } catch (ArtifactResolutionException e) {
            String reason =
                    e.getResult() != null && !e.getResult().getExceptions().isEmpty()
                            ? e.getResult().getExceptions().get(0).getMessage()
                            : e.getMessage();
            String hint = session.isOffline()
                    ? "; Maven is offline (-o) and the local repository "
                            + session.getLocalRepository().getBasedir()
                            + " does not hold it: run once without -o, or install or deploy it"
                    : "; check the coordinates, and that a repository of the build (" + names() + ") holds it";
            throw new MojoFailureException(
                    "cannot resolve delta artifact " + coordinates + " (" + wanted + "): " + reason + hint);
        }
    }

    private String names() {
        return repositories.isEmpty()
                ? "none"
                : String.join(
                        ", ", repositories.stream().map(RemoteRepository::getId).toList());
    }

    private static void delete(Path folder) {
        if (!Files.exists(folder, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the earlier fetch " + folder, e);
        }
    }
}
