package io.dsynq.core.model;

import io.dsynq.core.DsynqException;
import io.dsynq.core.csv.RecordEnds;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/**
 * The checksum of a delta: SHA-256 over its files' decompressed content, taken in order of their names folded
 * to lower case without {@code .xz}, each preceded by that name and its length. Neither the meta file, nor a
 * file's compression, its name's case or its timestamps change it, nor how its records end or a leading byte order
 * mark, which the reader takes alike ({@link RecordEnds}).
 */
public final class DeltaChecksum {

    private DeltaChecksum() {}

    /**
     * The hex checksum of {@code files}.
     *
     * @throws DsynqException when the thread is interrupted, as an apply that failed interrupts the checksum it took
     *     on the side: a small {@code .xz} file may decompress to many GB, which would otherwise be read on for minutes
     */
    public static String of(List<DeltaFile> files) {
        MessageDigest digest = sha256();
        byte[] buffer = new byte[1 << 16];
        byte[] rewritten = new byte[buffer.length + 3];
        for (DeltaFile file : files.stream()
                .sorted(Comparator.comparing(DeltaFile::canonicalName))
                .toList()) {
            digest.update(file.canonicalName().getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            MessageDigest content = sha256();
            RecordEnds recordEnds = new RecordEnds();
            long length = 0;
            try (InputStream in = file.open()) {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    if (Thread.currentThread().isInterrupted()) {
                        throw new DsynqException("interrupted while taking the checksum of " + file.path());
                    }
                    int m = recordEnds.rewrite(buffer, 0, n, rewritten);
                    content.update(rewritten, 0, m);
                    length += m;
                }
                int m = recordEnds.finish(rewritten);
                content.update(rewritten, 0, m);
                length += m;
            } catch (IOException e) {
                throw new DsynqException("cannot read " + file.path() + ": " + DeltaFile.describe(e), e);
            }
            digest.update(Long.toString(length).getBytes(StandardCharsets.US_ASCII));
            digest.update((byte) 0);
            digest.update(content.digest());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * The SHA-256 of a file's bytes as stored, in hex.
     *
     * @throws java.io.UncheckedIOException when it cannot be read
     */
    public static String sha256(Path file) {
        MessageDigest digest = sha256();
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** A SHA-256 digest; every JVM has one. */
    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }
}
