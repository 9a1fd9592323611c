package io.dsynq.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.maven.plugin.logging.SystemStreamLog;
import org.junit.jupiter.api.Test;
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

    /**
     * A column's or table's name comes from a delta's header or file name, which a contributor or a fetched bundle
     * writes: its control characters reached the terminal as they were ("unknown column 'na^[]0;pwned^Gme^[[31mRED'"
     * set the window's title and coloured what followed), where a value's are shown as escapes. Every line of the log
     * and the build's failure shows them as escapes; line breaks and tabs stay.
     */
    @Test
    void controlCharactersOfNamesReachTheTerminalAsEscapes() {
        List<String> lines = new ArrayList<>();
        StatusMojo mojo = new StatusMojo();
        mojo.setLog(new SystemStreamLog() {
            @Override
            public void warn(CharSequence content) {
                lines.add(content.toString());
            }

            @Override
            public void info(CharSequence content) {
                lines.add(content.toString());
            }
        });
        MavenListener listener = new MavenListener(mojo.getLog());

        listener.info("unknown column 'na\u001b]0;pwned\u0007me\u001b[31mRED'\tin table\rx");
        listener.warn("table 'a\u009b2J'\nsecond line");

        assertThat(lines)
                .containsExactly(
                        "unknown column 'na\\u001b]0;pwned\\u0007me\\u001b[31mRED'\tin table\\rx",
                        "table 'a\\u009b2J'",
                        "second line");
        assertThat(AbstractDsynqMojo.failure("file \u001b[2Jx.i.csv: unknown table", null))
                .hasMessage("file \\u001b[2Jx.i.csv: unknown table");
    }
}
