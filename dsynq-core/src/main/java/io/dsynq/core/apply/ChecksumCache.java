package io.dsynq.core.apply;

import io.dsynq.core.model.Delta;
import io.dsynq.core.model.DeltaFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Delta checksums remembered between builds, as git's index remembers file hashes: a checksum is taken again only
 * when a file's name, size or modification time changed. Without it every apply would read every applied delta to
 * tell whether one was modified. Kept in {@code <exportDirectory>/<database>/checksums.properties}; a missing or
 * broken cache only costs time. Thread-safe.
 */
final class ChecksumCache {

    private final Path file;

    private final ConcurrentHashMap<String, String> entries = new ConcurrentHashMap<>();

    private volatile boolean changed;

    /** @param file where the cache lives, or {@code null} for none */
    ChecksumCache(Path file) {
        this.file = file;
        if (file != null && Files.isRegularFile(file)) {
            Properties properties = new Properties();
            try (InputStream in = Files.newInputStream(file)) {
                properties.load(in);
                properties.forEach((key, value) -> entries.put((String) key, (String) value));
            } catch (IOException | IllegalArgumentException e) {
                entries.clear(); // start afresh
            }
        }
    }

    /** The delta's checksum: remembered if its files are as they were, else taken now and remembered. */
    String checksum(Delta delta) {
        String signature = signature(delta);
        String key = delta.id().text();
        String cached = entries.get(key);
        if (signature != null && cached != null && cached.startsWith(signature + " ")) {
            return cached.substring(signature.length() + 1);
        }
        String checksum = delta.checksum();
        if (signature != null) {
            entries.put(key, signature + " " + checksum);
            changed = true;
        }
        return checksum;
    }

    /** Writes what changed; failures are ignored, the cache is only a shortcut. */
    void save() {
        if (file == null || !changed) {
            return;
        }
        Properties properties = new Properties();
        properties.putAll(entries);
        try {
            Files.createDirectories(file.getParent());
            Path temporary = Files.createTempFile(file.getParent(), "checksums", ".tmp");
            try (OutputStream out = Files.newOutputStream(temporary)) {
                properties.store(out, "dsynq delta checksums by file name, size and modification time");
            }
            Files.move(
                    temporary,
                    file,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            // the next build takes the checksums again
        }
    }

    /**
     * A digest of the files' names, sizes and modification times; {@code null} when one cannot be read or was
     * changed in the last seconds, since a change within the clock's granularity could keep its time (git calls such
     * files racy).
     */
    private static String signature(Delta delta) {
        StringBuilder signature = new StringBuilder();
        long recent = System.currentTimeMillis() - 2000;
        try {
            for (DeltaFile file : delta.files()) {
                java.nio.file.attribute.FileTime modified = Files.getLastModifiedTime(file.path());
                if (modified.toMillis() > recent) {
                    return null;
                }
                signature
                        .append(file.name())
                        .append(':')
                        .append(Files.size(file.path()))
                        .append(':')
                        .append(modified)
                        .append('\n');
            }
            return java.util.HexFormat.of()
                    .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                            .digest(signature.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (IOException | java.security.NoSuchAlgorithmException e) {
            return null;
        }
    }
}
