package io.dsynq.maven;

import io.dsynq.core.archive.BundleManifest;
import java.util.List;
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

    /** The deltas of a database listed at the end of a bundle's; the ones before fold into one line. */
    static final int LISTED = 5;

    @Override
    protected void run() throws MojoFailureException {
        if (deltaArtifactCoordinates().isEmpty()) {
            throw new MojoFailureException("nothing to fetch: list coordinates groupId:artifactId:version in"
                    + " <deltaArtifacts>, or pass -Ddsynq.artifact=groupId:artifactId:version");
        }
        int deltas = 0;
        for (DeltaArtifacts.Fetched one : fetched()) {
            list(one.manifest().deltas());
            deltas += one.manifest().deltas().size();
        }
        getLog().info("Fetched " + MavenListener.count(fetched().size(), "delta artifact") + " holding "
                + MavenListener.count(deltas, "delta"));
    }

    /**
     * Logs each delta of a bundle with its checksum, but where a database has more than twice {@value #LISTED}, whose
     * deltas but the last {@value #LISTED} fold into one line: a bundle of a long-lived project holds thousands, whose
     * lines hid what the goal did. With {@code -X} each is listed.
     */
    void list(List<BundleManifest.DeltaEntry> deltas) {
        for (int from = 0; from < deltas.size(); ) {
            int to = from;
            while (to < deltas.size()
                    && deltas.get(to).database().equals(deltas.get(from).database())) {
                to++;
            }
            if (to - from > 2 * LISTED && !getLog().isDebugEnabled()) {
                BundleManifest.DeltaEntry first = deltas.get(from);
                int folded = to - from - LISTED;
                getLog().info("  " + first.database() + " " + first.id() + " to "
                        + deltas.get(from + folded - 1).id() + "  " + MavenListener.number(folded)
                        + " deltas, each listed with its checksum with -X");
                from += folded;
            }
            for (; from < to; from++) {
                BundleManifest.DeltaEntry delta = deltas.get(from);
                getLog().info("  " + delta.database() + " " + delta.id() + "  " + delta.checksum());
            }
        }
    }
}
