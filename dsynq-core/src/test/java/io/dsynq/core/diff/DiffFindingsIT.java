package io.dsynq.core.diff;

import static org.assertj.core.api.Assertions.assertThat;

import io.dsynq.core.ApplyRequest;
import io.dsynq.core.Dsynq;
import io.dsynq.core.testing.Engine;
import io.dsynq.core.testing.TestDatabase;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Regressions found in review: each test is named after what went wrong. */
class DiffFindingsIT {

    @TempDir
    Path tmp;

    @Test
    void updateKeepsTheTargetsValueInColumnsEqualInThatRow() throws Exception {
        try (TestDatabase target = Databases.create(Engine.POSTGRESQL);
                TestDatabase source = Databases.create(Engine.POSTGRESQL)) {
            target.execute(
                    "CREATE TABLE t (id INT PRIMARY KEY, ts TIMESTAMP(6), name TEXT)",
                    "INSERT INTO t VALUES (1, '2024-01-01 10:00:00.123456', 'a'), (2, '2024-01-02 00:00:00', 'b')");
            source.execute(
                    "CREATE TABLE t (id INT PRIMARY KEY, ts TIMESTAMP(3), name TEXT)",
                    "INSERT INTO t VALUES (1, '2024-01-01 10:00:00.123', 'changed'), (2, '2024-01-03 00:00:00', 'b')");

            Dsynq dsynq = Databases.dsynq(target, tmp, List.of());
            DiffResult result = dsynq.diff(Databases.against(source));
            assertThat(result.tables())
                    .extracting(DiffResult.TableDiff::updates)
                    .containsExactly(2L);
            dsynq.apply(ApplyRequest.latest());

            assertThat(Databases.content(target, "t"))
                    .containsExactly(
                            "id='1' | ts='2024-01-01T10:00:00.123456' | name='changed'",
                            "id='2' | ts='2024-01-03T00:00' | name='b'");
            assertThat(dsynq.diff(Databases.against(source)).differs()).isFalse();
        }
    }
}
