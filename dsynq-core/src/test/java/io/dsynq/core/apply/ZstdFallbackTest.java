package io.dsynq.core.apply;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where zstd's native library cannot load (zstd-jni unpacks it into a temporary folder, which may be mounted
 * {@code noexec}), dsynq says so and compresses reverses with gzip: in a JVM of its own whose zstd folder is missing.
 */
class ZstdFallbackTest {

    @TempDir
    Path temp;

    @Test
    void withoutZstdReversesAreGzip() throws Exception {
        Process child = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-DZstdTempFolder=" + temp.resolve("missing"),
                        "-cp",
                        System.getProperty("java.class.path"),
                        Child.class.getName(),
                        temp.resolve("work").toString())
                .redirectErrorStream(true)
                .start();
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(output).isEqualTo("zstd loads: false; packed: [guard/item.d.csv.gz, reverse/item.i.csv.gz]");
        assertThat(child.exitValue()).isZero();
    }

    /** Runs in the child JVM. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            List<String> packed = ReverseFolderTest.roundTrip(Path.of(args[0]), ReverseFolder.ZSTD_LOADS);
            System.out.println("zstd loads: " + ReverseFolder.ZSTD_LOADS + "; packed: " + packed);
        }
    }
}
