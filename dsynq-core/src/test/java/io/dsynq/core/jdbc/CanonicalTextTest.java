package io.dsynq.core.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDateTime;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The fast canonical text of timestamps held to the slow, formatter-based one. */
class CanonicalTextTest {

    @Test
    void serverTextAsTheSlowWayHasIt() {
        List<String> tricky = List.of(
                "",
                ".",
                "0",
                ".000",
                "2024-01-31",
                "2024-01-31 ",
                "2024-01-31 13:45:00",
                "2024-01-31 13:45:00.000000",
                "2024-01-31 13:45:00.500000",
                "2024-01-31 13:45:00.000001",
                "2024-01-31 13:45:00.1",
                "2024-01-31 13:45:00.",
                "2024-01-31T13:45:00.120",
                "0000-00-00 00:00:00",
                "0000-00-00 00:00:00.000000",
                "13:45:00.500",
                "13:45:00.000",
                "13:45:00",
                "838:59:59.000000",
                "-838:59:59.500000",
                "2024-01-31 13:45:00.5+05:30",
                "2024-01-31 13:45:00+05:30",
                "2024-01-31 13:45:00.000+00",
                "2024-01-31 13:45:00.50 BC",
                "12345-01-31 13:45:00.50",
                "2024-01-31 13:45:00.50é",
                "2024-01-31 13:45:00.5€0",
                "2024-01-31 13:45:00.0€",
                "a.b:c.000",
                "infinity",
                "-infinity");
        for (String text : tricky) {
            assertThat(CanonicalText.fromServerText(text)).as(text).isEqualTo(CanonicalText.slowFromServerText(text));
        }
        assertThat(CanonicalText.fromServerText(null)).isNull();
        SplittableRandom random = new SplittableRandom(7);
        String alphabet = "0123456789 .:-+T€é";
        for (int n = 0; n < 200_000; n++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(30);
            for (int i = 0; i < length; i++) {
                text.append(
                        random.nextInt(3) == 0
                                ? alphabet.charAt(random.nextInt(alphabet.length()))
                                : "2024-01-31 13:45:00.000000".charAt(Math.min(i, 25)));
            }
            String s = text.toString();
            assertThat(CanonicalText.fromServerText(s)).as(s).isEqualTo(CanonicalText.slowFromServerText(s));
        }
    }

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
}
