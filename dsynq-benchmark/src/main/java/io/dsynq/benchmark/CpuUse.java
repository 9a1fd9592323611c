package io.dsynq.benchmark;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * The processor time this JVM and the local database servers' processes ({@code postgres}, {@code mariadbd}) have
 * used, read from the JVM and from {@code /proc}; the difference across a step says whether the client or the server
 * was busy while it ran. Where {@code /proc} is missing (not Linux), the servers' time reads as zero.
 */
final class CpuUse {

    private static final Set<String> SERVERS = Set.of("postgres", "mariadbd", "mysqld");
    private static final double TICK = 100.0;

    final double client;
    final double server;

    private CpuUse(double client, double server) {
        this.client = client;
        this.server = server;
    }

    static CpuUse now() {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        return new CpuUse(os.getProcessCpuTime() / 1e9, servers());
    }

    CpuUse since(CpuUse start) {
        return new CpuUse(client - start.client, server - start.server);
    }

    private static double servers() {
        long ticks = 0;
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path process : processes) {
                try {
                    String stat = Files.readString(process.resolve("stat"));
                    int open = stat.indexOf('(');
                    int close = stat.lastIndexOf(')');
                    if (!SERVERS.contains(stat.substring(open + 1, close))) {
                        continue;
                    }
                    // fields after the name, from field 3 (state): utime and stime are fields 14 and 15, and the
                    // time of ended children the server waited for (a PostgreSQL session's backend) 16 and 17
                    String[] fields = stat.substring(close + 2).split(" ");
                    for (int field = 14; field <= 17; field++) {
                        ticks += Long.parseLong(fields[field - 3]);
                    }
                } catch (IOException | RuntimeException gone) {
                    // the process ended while we looked
                }
            }
        } catch (IOException noProc) {
            return 0;
        }
        return ticks / TICK;
    }
}
