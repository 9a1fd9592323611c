package io.dsynq.core.csv;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RecordEndsTest {

    @Test
    void recordEndsBecomeLineFeedsAndBreaksInsideQuotesStay() {
        assertThat(rewrite("a,b\r\n1,\"x\r\ny\"\r2,\"\"\"\r\"\n", 1 << 16))
                .isEqualTo("a,b\n1,\"x\r\ny\"\n2,\"\"\"\r\"\n");
        // a quote inside an unquoted field is a character; a quote closes a quoted field before whitespace
        assertThat(rewrite("a\"b,c\r\n\"q\" \r\n", 1 << 16)).isEqualTo("a\"b,c\n\"q\" \n");
        assertThat(rewrite("\uFEFFa\r\n", 1 << 16)).isEqualTo("a\n");
        assertThat(rewrite("\uFEC0\"\r\n", 1 << 16)).isEqualTo("\uFEC0\"\n");
        assertThat(rewrite("\uFEFF", 1)).isEmpty();
    }

    /** A {@code \r\n}, a byte order mark or a doubled quote split between two reads is read as one. */
    @Test
    void readsInPiecesAsWhole() {
        Random random = new Random(7);
        String alphabet = "ab,\"\r\n\uFEFF\u00fc";
        for (int trial = 0; trial < 2_000; trial++) {
            StringBuilder text = new StringBuilder(random.nextBoolean() ? "\uFEFF" : "");
            for (int i = random.nextInt(40); i > 0; i--) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String whole = rewrite(text.toString(), 1 << 16);
            assertThat(rewrite(text.toString(), 1 + random.nextInt(4)))
                    .as(text.toString())
                    .isEqualTo(whole);
        }
    }

    private static String rewrite(String text, int piece) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        RecordEnds recordEnds = new RecordEnds();
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        byte[] out = new byte[piece + 3];
        for (int offset = 0; offset < bytes.length; offset += piece) {
            int n = recordEnds.rewrite(bytes, offset, Math.min(piece, bytes.length - offset), out);
            written.write(out, 0, n);
        }
        written.write(out, 0, recordEnds.finish(out));
        return written.toString(StandardCharsets.UTF_8);
    }
}
