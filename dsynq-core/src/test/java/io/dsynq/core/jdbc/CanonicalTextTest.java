package io.dsynq.core.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDateTime;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The fast canonical text of timestamps held to the slow, formatter-based one. */
class CanonicalTextTest {

    @Test
    void timestampsAsTheFormatterPrintsThem() {
        List<LocalDateTime> tricky = List.of(
                LocalDateTime.of(2024, 1, 31, 13, 45),
                LocalDateTime.of(2024, 1, 31, 13, 45, 0, 500_000_000),
                LocalDateTime.of(2024, 1, 31, 13, 45, 59, 1),
                LocalDateTime.of(2024, 1, 31, 13, 45, 59, 999_999_999),
                LocalDateTime.of(2024, 1, 31, 13, 45, 59, 100),
                LocalDateTime.of(2024, 12, 31, 23, 59, 59, 123_456_000),
                LocalDateTime.of(0, 1, 1, 0, 0),
                LocalDateTime.of(1, 1, 1, 0, 0, 0, 10),
                LocalDateTime.of(999, 1, 1, 0, 0),
                LocalDateTime.of(9999, 12, 31, 23, 59, 59, 999_999_000),
                LocalDateTime.of(10000, 1, 1, 0, 0),
                LocalDateTime.of(-1, 1, 1, 0, 0),
                LocalDateTime.of(-4713, 11, 24, 12, 0, 0, 5_000),
                LocalDateTime.MIN,
                LocalDateTime.MAX);
        for (LocalDateTime value : tricky) {
            assertThat(CanonicalText.format(value)).as(value.toString()).isEqualTo(CanonicalText.slowFormat(value));
        }
        SplittableRandom random = new SplittableRandom(11);
        for (int n = 0; n < 200_000; n++) {
            int nano =
                    switch (random.nextInt(4)) {
                        case 0 -> 0;
                        case 1 -> random.nextInt(1_000_000) * 1_000;
                        case 2 -> random.nextInt(1_000) * 1_000_000;
                        default -> random.nextInt(1_000_000_000);
                    };
            LocalDateTime value = LocalDateTime.of(
                    random.nextInt(-20_000, 20_000),
                    1 + random.nextInt(12),
                    1 + random.nextInt(28),
                    random.nextInt(24),
                    random.nextInt(60),
                    random.nextInt(60),
                    nano);
            assertThat(CanonicalText.format(value)).as(value.toString()).isEqualTo(CanonicalText.slowFormat(value));
        }
    }

    /**
     * PostgreSQL prints years beyond 9999 without a sign and years before Christ with {@code BC}, and reads them only
     * so; canonical text writes the ISO year, whose 0 is 1 BC.
     */
    @Test
    void postgresYearsBeyondFourDigitsAndBeforeChrist() {
        List<List<String>> pairs = List.of(
                List.of("10000-01-01", "+10000-01-01"),
                List.of("10000-01-01 12:00:00.5", "+10000-01-01 12:00:00.5"),
                List.of("0044-03-15 10:30:00 BC", "-0043-03-15 10:30:00"),
                List.of("0044-03-15 10:30:00+05:30 BC", "-0043-03-15 10:30:00+05:30"),
                List.of("0001-01-01 BC", "0000-01-01"),
                List.of("4713-01-01 BC", "-4712-01-01"),
                List.of("2024-01-31 13:45:00", "2024-01-31 13:45:00"));
        for (List<String> pair : pairs) {
            assertThat(PostgresText.isoYear(pair.get(0))).isEqualTo(pair.get(1));
            assertThat(PostgresText.serverYear(pair.get(1))).isEqualTo(pair.get(0));
        }
        assertThat(CanonicalText.fromServerText("+10000-01-01 12:00:00.500")).isEqualTo("+10000-01-01T12:00:00.5");
        assertThat(PostgresText.serverYear("-0043-03-15T10:30:00")).isEqualTo("0044-03-15T10:30:00 BC");
    }

    /**
     * A JVM whose locale writes numbers in other digits ({@code -Duser.language=fa}) wrote a year before Christ in
     * them: a reverse delta or a diff held {@code -۰۰۴۳-03-15}, and a delta's {@code -0043-03-15} went to the server
     * as {@code ۰۰۴۴-03-15 BC}, which it refuses.
     */
    @Test
    void postgresYearsBeforeChristHaveAsciiDigitsWhateverTheLocale() {
        java.util.Locale locale = java.util.Locale.getDefault();
        java.util.Locale.setDefault(java.util.Locale.forLanguageTag("fa-IR"));
        try {
            assertThat(PostgresText.isoYear("0044-03-15 10:30:00 BC")).isEqualTo("-0043-03-15 10:30:00");
            assertThat(PostgresText.serverYear("-0043-03-15T10:30:00")).isEqualTo("0044-03-15T10:30:00 BC");
        } finally {
            java.util.Locale.setDefault(locale);
        }
    }

    /**
     * PostgreSQL prints a timestamp with time zone at the session's offset, which before a zone took a standard time
     * has seconds: the reverse delta of a row of 1930 in Europe/Amsterdam held that text as it was, and no rollback
     * could read it.
     */
    @Test
    void postgresOffsetsWithSeconds() {
        Column zoned = new Column(
                "at",
                "timestamptz",
                java.sql.Types.TIMESTAMP,
                ValueKind.TIMESTAMP_TZ,
                true,
                false,
                false,
                0,
                false,
                0,
                6,
                null,
                null);
        assertThat(PostgresText.canonical(zoned, "1930-06-01 13:19:32+01:19:32"))
                .isEqualTo("1930-06-01T13:19:32+01:19:32");
        assertThat(PostgresText.canonical(zoned, "1850-01-01 07:03:58.5-04:56:02"))
                .isEqualTo("1850-01-01T07:03:58.5-04:56:02");
        assertThat(PostgresText.canonical(zoned, "2024-01-31 13:45:00.500+05:30"))
                .isEqualTo("2024-01-31T13:45:00.5+05:30");
        assertThat(PostgresText.canonical(zoned, "2024-01-31 13:45:00+00")).isEqualTo("2024-01-31T13:45:00+00:00");
        assertThat(PostgresText.canonical(zoned, "0044-03-15 10:30:00-01 BC")).isEqualTo("-0043-03-15T10:30:00-01:00");
        for (String text : List.of("1930-06-01T13:19:32+01:19:32", "1850-01-01T07:03:58.5-04:56:02")) {
            assertThat(CanonicalText.format(CanonicalText.parseTimestampTz(text)))
                    .isEqualTo(text);
        }
        Column time = new Column(
                "t", "timetz", java.sql.Types.TIME, ValueKind.TIME_TZ, true, false, false, 0, false, 0, 6, null, null);
        assertThat(PostgresText.canonical(time, "13:45:00-04:56:02")).isEqualTo("13:45:00-04:56:02");
        assertThat(PostgresText.canonical(time, "13:45:00.25+02")).isEqualTo("13:45:00.25+02:00");
    }
}
