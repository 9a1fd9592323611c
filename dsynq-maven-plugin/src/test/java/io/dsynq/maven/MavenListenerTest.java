package io.dsynq.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MavenListenerTest {

    /** The goals' lines are English: their counts were written in the JVM's digits ('۱٬۰۲۴ rows' under fa-IR). */
    @ParameterizedTest
    @ValueSource(strings = {"en-US", "de-DE", "fa-IR", "ar-SA"})
    void countsAreWrittenAsTheEnglishLinesAroundThemWhateverTheLocale(String languageTag) {
        Locale locale = Locale.getDefault();
        Locale.setDefault(Locale.forLanguageTag(languageTag));
        try {
            assertThat(MavenListener.count(15_607, "row")).isEqualTo("15,607 rows");
            assertThat(MavenListener.number(2_902)).isEqualTo("2,902");
            assertThat(MavenListener.counts(1_024, 0, 2)).isEqualTo("1,024 inserted, 0 updated, 2 deleted");
        } finally {
            Locale.setDefault(locale);
        }
    }
}
