package io.dsynq.core.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class InternalNamesTest {

    private static List<Column> columns(String... names) {
        return Arrays.stream(names)
                .map(name ->
                        new Column(name, "int", 0, ValueKind.INTEGER, true, false, false, 0, false, 0, 0, null, null))
                .toList();
    }

    @Test
    void namesBeginWithDsynqWhereNoColumnDoes() {
        InternalNames names = InternalNames.avoiding(columns("id", "dsynq1_line", "line"));
        assertThat(names.line()).isEqualTo("dsynq_line");
        assertThat(names.hash()).isEqualTo("dsynq_hash");
        assertThat(names.name("copies")).isEqualTo("dsynq_copies");
    }

    @Test
    void aColumnBeginningSoInAnyCaseMovesTheNamesOn() {
        assertThat(InternalNames.avoiding(columns("id", "DSYNQ_ROW")).line()).isEqualTo("dsynq1_line");
        assertThat(InternalNames.avoiding(columns("Dsynq_Line", "dsynq1_hash")).hash())
                .isEqualTo("dsynq2_hash");
    }
}
