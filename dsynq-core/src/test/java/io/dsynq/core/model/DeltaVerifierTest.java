package io.dsynq.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeltaVerifierTest {

    @TempDir
    Path root;

    private Path delta(String id) throws Exception {
        return Files.createDirectories(root.resolve("db/delta").resolve(id));
    }

    @Test
    void wellFormedDeltasPassWithTheirCounts() throws Exception {
        Files.writeString(delta("1.000000").resolve("item.i.csv"), "id,name\n1,One\n2,Two\n");
        Files.writeString(delta("2.000000").resolve("item.u.csv"), "id,name\n1,Uno\n");
        Files.writeString(delta("2.000000").resolve("item.d.csv"), "");

        DeltaVerifier.Report report = DeltaVerifier.verify(new DeltaDirectory(root), "db");

        assertThat(report.problems()).isEmpty();
        assertThat(report.deltas()).hasSize(2);
        assertThat(report.files()).isEqualTo(3);
        assertThat(report.rows()).isEqualTo(3);
    }

    @Test
    void everyProblemIsReportedWithItsDeltaFileAndLine() throws Exception {
        Files.writeString(delta("1.000000").resolve("item.i.csv"), "id,name\n1,One\n2,\"Two\n");
        Files.writeString(delta("2.000000").resolve("item.i.csv"), "id,ID\n1,2\n");
        Files.writeString(delta("3.000000").resolve("item.u.csv"), "id\n1\n");
        Path meta = delta("4.000000");
        Files.writeString(meta.resolve("item.d.csv"), "id\n1\n");
        DeltaDirectory.writeMeta(meta, new DeltaMeta("5.000000", null, "", java.util.List.of("item"), "0".repeat(64)));

        DeltaVerifier.Report report = DeltaVerifier.verify(new DeltaDirectory(root), "db");

        assertThat(report.problems())
                .containsExactly(
                        "delta 1.000000, file item.i.csv, line 3: a quoted field is not closed: the file ends inside quotes"
                                + " opened on this line, at column 2 (name)",
                        "delta 2.000000, file item.i.csv, line 1: column 'ID' appears twice in the header",
                        "delta 3.000000, file item.u.csv, line 1: an update file names the key and at least one column to set,"
                                + " and this one names a single column",
                        "delta 4.000000: its meta file says id 5.000000, but the delta's id is its folder's name: a"
                                + " folder renamed or copied under a new id keeps its meta file; set the meta file's"
                                + " id to 4.000000",
                        "delta 4.000000: its content changed since its meta file recorded checksum " + "0".repeat(64)
                                + " (now "
                                + new DeltaDirectory(root).deltas("db").get(3).checksum() + ")");
    }

    @Test
    void aProblemOfAFurtherSourceNamesItsFolder() throws Exception {
        Files.writeString(delta("1.000000").resolve("item.i.csv"), "id,name\n1,\"One\n");
        Path bundle = root.resolve("fetched");
        Path released = Files.createDirectories(bundle.resolve("db/delta/2.000000"));
        Files.writeString(released.resolve("item.i.csv"), "id,name\n2,\"Two\n");

        DeltaVerifier.Report report = DeltaVerifier.verify(
                new DeltaSources(new DeltaDirectory(root), java.util.List.of(new DeltaDirectory(bundle))), "db");

        assertThat(report.problems())
                .containsExactly(
                        "delta 1.000000, file item.i.csv, line 2: a quoted field is not closed: the file ends inside quotes"
                                + " opened on this line, at column 2 (name)",
                        "delta 2.000000 (" + released
                                + "), file item.i.csv, line 2: a quoted field is not closed: the file ends inside quotes"
                                + " opened on this line, at column 2 (name)");
    }
}
