package io.dsynq.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.apache.maven.plugin.MojoFailureException;
import org.eclipse.aether.artifact.Artifact;
import org.junit.jupiter.api.Test;

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
}
