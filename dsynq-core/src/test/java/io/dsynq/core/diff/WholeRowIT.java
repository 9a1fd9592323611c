package io.dsynq.core.diff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dsynq.core.ApplyRequest;
import io.dsynq.core.Dsynq;
import io.dsynq.core.DsynqException;
import io.dsynq.core.testing.Engine;
import io.dsynq.core.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Tables without key compared by whole-row identity ({@code -Ddsynq.keys=table:*}), duplicates counted; and the
 * summary-only mode, which counts and writes nothing.
 */
class WholeRowIT {

    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(Engine.class)
    void rowsWithoutKeyMatchByAllTheirValuesDuplicatesCounted(Engine engine) throws Exception {
        try (TestDatabase target = Databases.create(engine);
                TestDatabase source = Databases.create(engine)) {
            for (TestDatabase database : List.of(target, source)) {
                database.execute("CREATE TABLE tag (name VARCHAR(20), n INT)");
            }
            target.execute("INSERT INTO tag VALUES ('a', 1), ('b', 2), ('d', 4), (NULL, NULL)");
            source.execute("INSERT INTO tag VALUES ('a', 1), ('b', 2), ('c', NULL), ('c', 3), (NULL, NULL)");

            Dsynq dsynq = Databases.dsynq(target, tmp, List.of("tag:*"));
            DiffResult summary = dsynq.diff(Databases.against(source).summaryOnly(true));
            assertThat(summary.tables())
                    .extracting(t -> t.inserts() + " " + t.updates() + " " + t.deletes())
                    .containsExactly("2 0 1");
            assertThat(summary.id()).isNull();
            assertThat(tmp.resolve("db")).doesNotExist();

            DiffResult result = dsynq.diff(Databases.against(source));
            assertThat(Files.readString(result.folder().resolve("tag.i.csv"))).isEqualTo("name,n\nc,\nc,3\n");
            assertThat(Files.readString(result.folder().resolve("tag.d.csv"))).isEqualTo("name,n\nd,4\n");
            dsynq.apply(ApplyRequest.latest());
            assertThat(Databases.content(target, "tag")).isEqualTo(Databases.content(source, "tag"));
            dsynq.apply(ApplyRequest.offset(-1));
            assertThat(Databases.content(target, "tag")).hasSize(4);
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void deletingOrInsertingOneOfSeveralIdenticalRowsIsRefused(Engine engine) throws Exception {
        try (TestDatabase target = Databases.create(engine);
                TestDatabase source = Databases.create(engine)) {
            for (TestDatabase database : List.of(target, source)) {
                database.execute("CREATE TABLE tag (name VARCHAR(20), n INT)");
            }
            target.execute("INSERT INTO tag VALUES ('b', 2), ('b', 2)");
            source.execute("INSERT INTO tag VALUES ('b', 2)");

            Dsynq dsynq = Databases.dsynq(target, tmp, List.of("tag:*"));
            assertThatThrownBy(() -> dsynq.diff(Databases.against(source)))
                    .isInstanceOf(DsynqException.class)
                    .hasMessageContaining(
                            "the target holds the row (name='b', n='2') more often than the source, and a delta cannot delete one of several"
                                    + " identical rows");
            assertThat(tmp.resolve("db")).doesNotExist();

            Dsynq reverse = Databases.dsynq(source, tmp, List.of("tag:*"));
            assertThatThrownBy(() -> reverse.diff(Databases.against(target)))
                    .isInstanceOf(DsynqException.class)
                    .hasMessageContaining("the source holds the row (name='b', n='2') more often than the target, and"
                            + " a delta cannot insert a row identical to one the table holds");
            assertThat(tmp.resolve("db")).doesNotExist();
        }
    }
}
