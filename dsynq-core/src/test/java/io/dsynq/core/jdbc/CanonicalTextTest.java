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
}
