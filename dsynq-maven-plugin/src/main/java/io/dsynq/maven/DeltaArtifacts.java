package io.dsynq.maven;

import io.dsynq.core.DsynqException;
import io.dsynq.core.archive.ArchiveBoundException;
import io.dsynq.core.archive.BundleManifest;
import io.dsynq.core.archive.DeltaBundle;
import io.dsynq.core.archive.ExtractRequest;
import io.dsynq.core.archive.ExtractResult;
import io.dsynq.core.model.DeltaChecksum;
import io.dsynq.core.model.TemporaryFolder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.commons.io.file.PathUtils;
import org.apache.maven.plugin.MojoFailureException;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.RepositorySystemSession;
import org.eclipse.aether.artifact.Artifact;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.resolution.ArtifactRequest;
import org.eclipse.aether.resolution.ArtifactResolutionException;
import org.eclipse.aether.transfer.ArtifactNotFoundException;
import org.eclipse.aether.transfer.ArtifactTransferException;

/**
 * Resolves delta bundles by coordinates through Maven Resolver, so the build's remote repositories, mirrors, proxies,
 * authentication, offline mode and local repository all apply as they do to any dependency, and extracts each into
 * {@code <fetched>/<groupId>/<artifactId>/<version>/<classifier>/<sha256>/}, where {@code <sha256>} is the first
 * {@value #DIGEST_LENGTH} hex digits of the archive's SHA-256. A bundle is extracted into a fresh temporary folder
 * beside it, checked against its manifest and then moved into place atomically, so a build never sees a folder half
 * extracted, and one already in place is checked and reused, not extracted again. Folders of older archive contents
 * stay until {@code clean}: another build may be reading them. Not thread-safe: one per goal execution; several
 * builds may share {@code <fetched>}.
 */
final class DeltaArtifacts {

    /** The classifier {@code package} attaches bundles with, and the one assumed when coordinates name none. */
    static final String CLASSIFIER = "dsynq";

    /** The bundle's type and extension. */
    static final String EXTENSION = "tar.xz";

    /** How many hex digits of the archive's SHA-256 name its folder. */
    static final int DIGEST_LENGTH = 16;

    /** What a part of the coordinates may hold, since each becomes a folder name. */
    private static final Pattern PART = Pattern.compile("[A-Za-z0-9_.-]+");

    /** {@code user:password@} in a URL. */
    private static final Pattern URL_CREDENTIALS = Pattern.compile("(?<=://)[^/@\\s]+@");

    /** An HTTP status that means the server refused the credentials. */
    private static final Pattern DENIED =
            Pattern.compile("\\b(401|403)\\b|Unauthorized|Forbidden", Pattern.CASE_INSENSITIVE);

    /**
     * A bundle resolved and extracted.
     *
     * @param coordinates the coordinates as configured
     * @param version the version they resolved to where it is another ({@code LATEST}, {@code RELEASE}, a
     *     SNAPSHOT's timestamped version), else {@code null}
     * @param archive the resolved file, in the local repository
     * @param folder where it was extracted: a root in the delta layout
     * @param manifest what it holds
     */
    record Fetched(String coordinates, String version, Path archive, Path folder, BundleManifest manifest) {

        /** How lines name the bundle: {@code g:a:1.0.0}, or {@code g:a:RELEASE (2.0.0)} with the version resolved. */
        String name() {
            return version == null ? coordinates : coordinates + " (" + version + ")";
        }
    }

    /** Resolves coordinates to an artifact with its file. */
    @FunctionalInterface
    interface Resolver {
        Artifact resolve(String coordinates, Artifact wanted) throws MojoFailureException;
    }

    private final RepositorySystem system;

    private final RepositorySystemSession session;

    private final List<RemoteRepository> repositories;

    private final Path fetched;

    private final long maxEntryBytes;

    private final long maxTotalBytes;

    private final long maxEntries;

    /** The projects of the build, as {@code groupId:artifactId:version}. */
    private final Set<String> reactor;

    DeltaArtifacts(
            RepositorySystem system,
            RepositorySystemSession session,
            List<RemoteRepository> repositories,
            Set<String> reactor,
            Path fetched,
            long maxEntryBytes,
            long maxTotalBytes,
            long maxEntries) {
        this.system = system;
        this.reactor = reactor;
        this.session = session;
        this.repositories = repositories;
        this.fetched = fetched.toAbsolutePath().normalize();
        this.maxEntryBytes = maxEntryBytes;
        this.maxTotalBytes = maxTotalBytes;
        this.maxEntries = maxEntries;
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
     * @throws MojoFailureException when the text is not of that form, or a part is not a plain folder name
     */
    static Artifact artifact(String coordinates) throws MojoFailureException {
        String[] parts = coordinates.split(":", -1);
        if (parts.length < 3 || parts.length > 4 || List.of(parts).stream().anyMatch(String::isBlank)) {
            throw new MojoFailureException("delta artifact '" + coordinates + "' is not of the form"
                    + " groupId:artifactId:version or groupId:artifactId:version:classifier");
        }
        for (String part : parts) {
            if (!PART.matcher(part).matches() || part.equals(".") || part.equals("..")) {
                throw new MojoFailureException("delta artifact '" + coordinates + "': '" + part + "' may hold only"
                        + " letters, digits, '_', '.' and '-', and may not be '.' or '..' (it becomes a folder name)");
            }
        }
        return new DefaultArtifact(parts[0], parts[1], parts.length == 4 ? parts[3] : CLASSIFIER, EXTENSION, parts[2]);
    }

    /** {@code message} without the {@code user:password@} of any URL in it. */
    static String redact(String message) {
        return message == null ? null : URL_CREDENTIALS.matcher(message).replaceAll("");
    }

    /** How logs describe a bundle's content: {@code 3 deltas of shop, stock}. */
    static String describe(BundleManifest manifest) {
        return MavenListener.count(manifest.deltas().size(), "delta") + " of "
                + String.join(
                        ", ",
                        manifest.deltas().stream()
                                .map(BundleManifest.DeltaEntry::database)
                                .distinct()
                                .toList());
    }

    /**
     * Resolves and extracts each bundle, or reuses what an earlier build extracted from the same archive.
     *
     * @throws MojoFailureException when one cannot be resolved, two name the same artifact, or one is refused on
     *     extraction
     */
    List<Fetched> fetch(List<String> coordinates) throws MojoFailureException {
        return fetch(coordinates, this::resolve);
    }

    /** As {@link #fetch(List)}, resolving through {@code resolver}. */
    List<Fetched> fetch(List<String> coordinates, Resolver resolver) throws MojoFailureException {
        List<Fetched> result = new ArrayList<>();
        Map<String, String> seen = new HashMap<>();
        for (String one : coordinates) {
            Artifact wanted = artifact(one);
            Artifact resolved = resolver.resolve(one, wanted);
            Path archive = resolved.getFile().toPath().toAbsolutePath().normalize();
            String same = resolved.getGroupId() + ":" + resolved.getArtifactId() + ":" + resolved.getClassifier() + ":"
                    + resolved.getVersion();
            String earlier = seen.put(same, one);
            if (earlier == null) {
                earlier = seen.put(archive.toString(), one);
            }
            if (earlier != null) {
                throw new MojoFailureException("delta artifacts " + earlier + " and " + one + " are the same artifact ("
                        + same + ", " + archive + "); list it once");
            }
            String version = resolved.getVersion().equals(wanted.getVersion()) ? null : resolved.getVersion();
            result.add(unpack(one, version, wanted, archive));
        }
        return result;
    }

    /** The folder of the artifact's archives, inside {@code fetched}. */
    Path folder(Artifact wanted) throws MojoFailureException {
        Path folder = fetched.resolve(wanted.getGroupId())
                .resolve(wanted.getArtifactId())
                .resolve(wanted.getBaseVersion())
                .resolve(wanted.getClassifier())
                .normalize();
        if (!folder.startsWith(fetched) || folder.equals(fetched)) {
            throw new MojoFailureException("delta artifact " + wanted + " would be extracted outside " + fetched);
        }
        return folder;
    }

    private Fetched unpack(String one, String version, Artifact wanted, Path archive) throws MojoFailureException {
        String source = "delta artifact " + one + " (" + archive + ")";
        Path parent = folder(wanted);
        Path folder = parent.resolve(DeltaChecksum.sha256(archive).substring(0, DIGEST_LENGTH));
        try {
            if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(parent);
                Path temp = TemporaryFolder.createFolder(parent, ".extracting-");
                if (temp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                    Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x"));
                }
                ExtractResult extracted = DeltaBundle.extract(
                        new ExtractRequest(archive, temp, source, maxEntryBytes, maxTotalBytes, maxEntries));
                try {
                    TemporaryFolder.publish(
                            List.of(temp), () -> Files.move(temp, folder, StandardCopyOption.ATOMIC_MOVE));
                    return new Fetched(one, version, archive, folder, extracted.manifest());
                } catch (IOException e) {
                    // another build moved the same content in first (Linux says "Directory not empty", as a plain
                    // FileSystemException): use its folder
                    delete(temp);
                    TemporaryFolder.removed(temp);
                    if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
                        throw e;
                    }
                }
            }
            try {
                return new Fetched(
                        one,
                        version,
                        archive,
                        folder,
                        DeltaBundle.verify(folder, source).manifest());
            } catch (DsynqException e) {
                throw new MojoFailureException(e.getMessage() + " (in " + folder
                        + ", extracted by an earlier build; delete it to extract the bundle again)");
            }
        } catch (ArchiveBoundException e) {
            // a large bundle from a repository one trusts may need more
            throw new MojoFailureException(e.getMessage() + " (the bound is -D"
                    + switch (e.bound()) {
                        case ENTRY_BYTES -> "dsynq.maxArtifactEntryBytes";
                        case TOTAL_BYTES -> "dsynq.maxArtifactBytes";
                        case ENTRIES -> "dsynq.maxArtifactEntries";
                    }
                    + "; raise it for a bundle you trust)");
        } catch (DsynqException e) {
            throw new MojoFailureException(e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract " + source + " into " + parent, e);
        }
    }

    private Artifact resolve(String coordinates, Artifact wanted) throws MojoFailureException {
        try {
            return system.resolveArtifact(session, new ArtifactRequest(wanted, repositories, null))
                    .getArtifact();
        } catch (ArtifactResolutionException e) {
            throw new MojoFailureException(failure(
                    coordinates,
                    wanted,
                    e,
                    session.isOffline(),
                    session.getLocalRepository().getBasedir().toString(),
                    repositories,
                    reactor.contains(
                            wanted.getGroupId() + ":" + wanted.getArtifactId() + ":" + wanted.getBaseVersion())));
        }
    }

    /**
     * Why an artifact could not be resolved: every repository's reason, and what to check.
     *
     * @param inReactor whether the artifact is a project of this build, whose bundle its package phase attaches
     */
    static String failure(
            String coordinates,
            Artifact wanted,
            ArtifactResolutionException e,
            boolean offline,
            String localRepository,
            List<RemoteRepository> repositories,
            boolean inReactor) {
        List<Exception> causes =
                e.getResult() != null && !e.getResult().getExceptions().isEmpty()
                        ? e.getResult().getExceptions()
                        : List.of(e);
        Set<String> reasons = new LinkedHashSet<>();
        Set<String> denied = new LinkedHashSet<>();
        Set<String> anonymous = new LinkedHashSet<>();
        Set<String> unreadable = new LinkedHashSet<>();
        for (Exception cause : causes) {
            reasons.add(String.valueOf(redact(cause.getMessage())));
            boolean refused = false;
            for (Throwable t = cause; t != null; t = t.getCause()) {
                refused |=
                        t.getMessage() != null && DENIED.matcher(t.getMessage()).find();
            }
            if (refused && cause instanceof ArtifactTransferException transfer && transfer.getRepository() != null) {
                // a repository the build has no <server> for is asked without credentials
                (transfer.getRepository().getAuthentication() == null ? anonymous : denied)
                        .add(transfer.getRepository().getId());
            } else if (!refused
                    && cause instanceof ArtifactTransferException transfer
                    && !(cause instanceof ArtifactNotFoundException)
                    && transfer.getRepository() != null) {
                // a server error, a timeout, no connection: the repository may well hold the artifact
                unreadable.add(transfer.getRepository().getId());
            }
        }
        String hint;
        if (inReactor) {
            // the reactor gives the bundle only once the module's package phase has attached it in this build
            hint = "; " + wanted.getGroupId() + ":" + wanted.getArtifactId() + ":" + wanted.getBaseVersion()
                    + " is a project of this build whose package phase has not attached its bundle: run the build"
                    + " to package or beyond (mvn verify, or mvn package dsynq:<goal>), with the bundle declared as a"
                    + " dependency so that the project builds first, or install the project";
        } else if (offline) {
            hint = "; Maven is offline (-o) and the local repository " + localRepository
                    + " does not hold it: run once without -o, or install or deploy it";
        } else if (!denied.isEmpty() || !anonymous.isEmpty() || !unreadable.isEmpty()) {
            // the credentials' hint last, where a reader's eye ends
            hint = (unreadable.isEmpty()
                            ? ""
                            : "; " + String.join(", ", unreadable) + (unreadable.size() == 1 ? " was" : " were")
                                    + " not read (a server error, a timeout or no connection), so the coordinates may"
                                    + " be right: check that the repository is up and reachable, then build again")
                    + (denied.isEmpty()
                            ? ""
                            : "; the repository refused the credentials: check the credentials for server "
                                    + String.join(", ", denied) + " in settings.xml")
                    + (anonymous.isEmpty()
                            ? ""
                            : "; the repository asks for credentials and the build has none for it: add a <server>"
                                    + " with id " + String.join(", ", anonymous)
                                    + " and its <username> and <password> to settings.xml");
        } else {
            hint = "; check the coordinates, and that a repository of the build ("
                    + (repositories.isEmpty()
                            ? "none"
                            : String.join(
                                    ", ",
                                    repositories.stream()
                                            .map(RemoteRepository::getId)
                                            .toList()))
                    + ") holds it";
        }
        return "cannot resolve delta artifact " + coordinates + " (" + wanted + "): " + String.join("; ", reasons)
                + hint;
    }

    private static void delete(Path folder) {
        try {
            PathUtils.deleteDirectory(folder);
        } catch (IOException e) {
            // a temporary folder left behind is harmless
        }
    }
}
