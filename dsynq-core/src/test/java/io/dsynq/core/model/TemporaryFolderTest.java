package io.dsynq.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.dsynq.core.DsynqException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class TemporaryFolderTest {

    private static final Path TEMPORARY = Path.of("/tmp");

    /**
     * A temporary folder too small for a reverse delta, written there as a delta is applied and unpacked there to be
     * rolled back, stopped the apply or rollback with 'dsynq failed unexpectedly: java.io.UncheckedIOException:
     * java.io.IOException: No space left on device' and a stack trace, naming neither the database nor the folder.
     */
    @Test
    void aFullTemporaryFolderIsSaidToBeFullNamingIt() {
        RuntimeException failed = new UncheckedIOException(new IOException("No space left on device"));

        DsynqException applying = TemporaryFolder.outOfSpace(
                "database db, delta 1700000001.000000",
                "the reverse delta",
                "nothing of the delta is kept",
                failed,
                TEMPORARY,
                4096);
        DsynqException wrapped = TemporaryFolder.outOfSpace(
                "database db, rollback of delta 1700000001.000000",
                "the reverse delta, unpacked there to be applied",
                "nothing of the rollback is kept",
                new DsynqException("file t.d.csv: cannot read: No space left on device", failed),
                TEMPORARY,
                0);

        assertThat(applying)
                .hasMessage("database db, delta 1700000001.000000: the temporary folder /tmp ran out of space (No space"
                        + " left on device) for the reverse delta: free space there, or point java.io.tmpdir at a disk"
                        + " with more (MAVEN_OPTS=-Djava.io.tmpdir=/a/larger/disk); nothing of the delta is kept")
                .hasCause(failed);
        assertThat(wrapped)
                .hasMessage("database db, rollback of delta 1700000001.000000: the temporary folder /tmp ran out of"
                        + " space (No space left on device) for the reverse delta, unpacked there to be applied: free"
                        + " space there, or point java.io.tmpdir at a disk with more"
                        + " (MAVEN_OPTS=-Djava.io.tmpdir=/a/larger/disk); nothing of the rollback is kept");
    }

    @Test
    void anotherFailureIsLeftAsItIs() {
        RuntimeException io = new UncheckedIOException(new IOException("Input/output error"));

        assertThat(TemporaryFolder.outOfSpace("where", "what", "kept", io, TEMPORARY, TemporaryFolder.FULL))
                .isNull();
        assertThat(TemporaryFolder.outOfSpace(
                        "where", "what", "kept", new DsynqException("file t.i.csv, line 2: …"), TEMPORARY, 0))
                .isNull();
    }
}
