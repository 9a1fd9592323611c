package io.dsynq.core.diff;

import static org.assertj.core.api.Assertions.assertThat;

import io.dsynq.core.jdbc.ConnectionSpec;
import org.junit.jupiter.api.Test;

class DiffRequestTest {

    /**
     * A source named by its URL ({@code DiffRequest.against(url, new ConnectionSpec(url, null, null))}) kept the
     * password the URL carries in its name, which the diff prints ('Comparing 1 table of target (db, PostgreSQL) with
     * source (jdbc:postgresql://db/shop?user=app&password=s3cret, PostgreSQL)') and writes into the delta's meta file
     * as its description ('dsynq:diff of db with jdbc:postgresql://db/shop?user=app&password=s3cret').
     */
    @Test
    void aSourceNamedByItsUrlIsNamedWithoutItsPassword() {
        String url = "jdbc:postgresql://db/shop?user=app&password=s3cret";
        ConnectionSpec source = new ConnectionSpec(url, null, null);

        assertThat(DiffRequest.against(url, source).sourceName())
                .isEqualTo("jdbc:postgresql://db/shop?user=app&password=****");
        assertThat(DiffRequest.against(null, source).sourceName())
                .isEqualTo("jdbc:postgresql://db/shop?user=app&password=****");
        assertThat(DiffRequest.against("production", source).sourceName()).isEqualTo("production");
    }
}
