package io.dsynq.maven;

import io.dsynq.core.archive.BundleManifest;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Resolves the delta bundles of {@code deltaArtifacts} and {@code dsynq.artifact} through Maven Resolver, checks them
 * against their manifests and unpacks them under {@code target/dsynq/fetched} (in the build directory), in a folder
 * named by the coordinates and the first 16 hex digits of the archive's SHA-256
 * ({@code com.example/reference-data/1.0.0/dsynq/d1d5ac638107ea38} for {@code com.example:reference-data:1.0.0}), for
 * people who want to look. {@code apply}, {@code status} and {@code verify} fetch by themselves, reusing what an
 * earlier build unpacked from the same archive; this goal needs no database.
 *
 * @since 0.1.0
 */
@Mojo(name = "fetch", threadSafe = true)
public class FetchMojo extends AbstractDsynqMojo {

    @Override
    protected void run() throws MojoFailureException {
        if (deltaArtifactCoordinates().isEmpty()) {
            throw new MojoFailureException("nothing to fetch: list coordinates groupId:artifactId:version in"
                    + " <deltaArtifacts>, or pass -Ddsynq.artifact=groupId:artifactId:version");
        }
        int deltas = 0;
        for (DeltaArtifacts.Fetched one : fetched()) {
            for (BundleManifest.DeltaEntry delta : one.manifest().deltas()) {
                getLog().info("  " + delta.database() + " " + delta.id() + "  " + delta.checksum());
                deltas++;
            }
        }
        getLog().info("Fetched " + MavenListener.count(fetched().size(), "delta artifact") + " holding "
                + MavenListener.count(deltas, "delta"));
    }
}
