package io.dsynq.core.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.dsynq.core.ApplyRequest;
import io.dsynq.core.Dsynq;
import io.dsynq.core.DsynqListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An apply or rollback that takes long says how far it got, as DESIGN.md asks of every goal: the rows of each file
 * read and their rate while it loads, and each statement that takes long. It said nothing between its first line
 * and its summary (found by an exploratory test of the goals). Here every line is due at once.
 */
class ProgressTest {

    @TempDir
    Path tmp;

    @AfterEach
    void resetInterval() {
        DeltaApplier.progressNanos = 5_000_000_000L;
    }

    /**
     * Whatever the JVM's locale: the lines are English, and their numbers were written in the locale's digits and
     * separators ('4.096 rows read' under de-DE, Persian digits under fa-IR).
     */
    @ParameterizedTest
    @ValueSource(strings = {"en-US", "de-DE", "fa-IR"})
    void aLongApplyAndRollbackSayHowFarTheyGot(String languageTag) throws Exception {
        Locale locale = Locale.getDefault();
        Locale.setDefault(Locale.forLanguageTag(languageTag));
        try {
            applyAndRollBack();
        } finally {
            Locale.setDefault(locale);
        }
    }

    private void applyAndRollBack() throws Exception {
        StringBuilder insert = new StringBuilder("id,name\n");
        for (int id = 1; id <= 10_000; id++) {
            insert.append(id).append(",row ").append(id).append('\n');
        }
        Path folder = Files.createDirectories(tmp.resolve("deltas/db/delta/1700000001.000000"));
        Files.writeString(folder.resolve("item.i.csv"), insert);
        String url = "jdbc:h2:mem:progress" + System.nanoTime() + ";DB_CLOSE_DELAY=-1";
        try (var keepAlive = java.sql.DriverManager.getConnection(url, "sa", "");
                var statement = keepAlive.createStatement()) {
            statement.execute("CREATE TABLE item (id INT PRIMARY KEY, name VARCHAR(20))");
            List<String> said = new CopyOnWriteArrayList<>();
            Dsynq dsynq = Dsynq.configure()
                    .database("db")
                    .url(url)
                    .deltaDirectory(tmp.resolve("deltas"))
                    .exportDirectory(tmp.resolve("export"))
                    .listener(new DsynqListener() {
                        @Override
                        public void info(String message) {
                            said.add(message);
                        }
                    })
                    .build();
            DeltaApplier.progressNanos = 0;

            dsynq.apply(ApplyRequest.latest());
            assertThat(said)
                    .anyMatch(line -> line.matches("  item\\.i\\.csv: 4,096 rows read, [0-9,]+ rows/s"))
                    .anyMatch(line -> line.matches("  item\\.i\\.csv: 8,192 rows read, [0-9,]+ rows/s"))
                    .anyMatch(
                            line -> line.matches("  item\\.i\\.csv: 10,000 rows loaded in [0-9.]+ s, [0-9,]+ rows/s"));

            // the rollback reads what the delta inserted (its guard), then deletes those rows in one statement
            said.clear();
            dsynq.apply(ApplyRequest.to("0"));
            assertThat(said)
                    .anyMatch(line -> line.matches("  item\\.i\\.csv: 10,000 rows loaded in [0-9.]+ s, [0-9,]+ rows/s"))
                    .anyMatch(line -> line.matches(
                            "  item\\.d\\.csv: 10,000 rows changed in one statement in [0-9.]+ s, [0-9,]+ rows/s"));
        }
    }
}
