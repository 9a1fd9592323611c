package io.dsynq.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Runs real Maven builds of a sample project with the Maven that runs this build ({@code maven.home}), against a
 * local repository holding the plugin under test ({@code dsynq.it.repository}) chained to the user's one, read
 * only ({@code maven.repo.local.tail}). A process of its own, so tests can run builds side by side or kill them.
 */
final class MavenBuild {

    private static final AtomicInteger BUILDS = new AtomicInteger();

    /** What a finished build left: its exit code and its log. */
    record Result(int exitCode, String log, Path logFile) {

        Result succeeded() {
            assertThat(exitCode)
                    .as("exit code of the build logged in %s:%n%s", logFile, log)
                    .isZero();
            return this;
        }

        Result failed() {
            assertThat(exitCode)
                    .as("exit code of the build logged in %s:%n%s", logFile, log)
                    .isNotZero();
            return this;
        }
    }

    private final Path project;

    private final List<String> arguments = new ArrayList<>();

    private Path localRepository;

    MavenBuild(Path project) {
        this.project = project;
    }

    /** A fresh folder under {@code target/it} for one test's projects, databases and logs, kept for reading. */
    static Path workFolder(String name) {
        Path folder = Path.of(System.getProperty("dsynq.it.work"), name);
        try {
            if (Files.exists(folder)) {
                try (Stream<Path> old = Files.walk(folder)) {
                    for (Path path :
                            old.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.delete(path);
                    }
                }
            }
            return Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Copies the sample project {@code src/it/<name>} into {@code folder}, with the version under test filled in. */
    static Path sample(String name, Path folder) {
        return sample(name, folder, java.util.Map.of());
    }

    /**
     * Copies the sample project {@code src/it/<name>} into {@code folder}, with the version under test and each
     * {@code @token@} of {@code tokens} filled in in its POM.
     */
    static Path sample(String name, Path folder, java.util.Map<String, String> tokens) {
        Path source = Path.of(System.getProperty("dsynq.it.projects"), name);
        Path target = folder.resolve(name);
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : files.toList()) {
                Path copy = target.resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(copy);
                } else if (file.getFileName().toString().equals("pom.xml")) {
                    String pom =
                            Files.readString(file).replace("@project.version@", System.getProperty("dsynq.it.version"));
                    for (java.util.Map.Entry<String, String> token : tokens.entrySet()) {
                        pom = pom.replace("@" + token.getKey() + "@", token.getValue());
                    }
                    Files.writeString(copy, pom);
                } else {
                    Files.copy(file, copy);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return target;
    }

    /** Adds {@code -Dname=value}. */
    MavenBuild property(String name, String value) {
        arguments.add("-D" + name + "=" + value);
        return this;
    }

    /**
     * Makes {@code folder} the build's local repository, where it installs and caches what it downloads; the
     * repository holding the plugin under test and the user's stay behind it, read only.
     */
    MavenBuild localRepository(Path folder) {
        this.localRepository = folder;
        return this;
    }

    /** Adds command line arguments. */
    MavenBuild arguments(String... more) {
        arguments.addAll(Arrays.asList(more));
        return this;
    }

    /** Runs goals and waits for the build to end. */
    Result run(String... goals) {
        Path log = logFile();
        Process process = start(log, goals);
        try {
            if (!process.waitFor(10, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError("the build logged in " + log + " did not end in 10 minutes");
            }
            return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8), log);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts goals, logging to {@code log}; the caller waits for or kills the process. */
    Process start(Path log, String... goals) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("maven.home"), "bin", "mvn").toString());
        command.add("-B");
        command.add("-ntp");
        if (localRepository == null) {
            command.add("-Dmaven.repo.local=" + System.getProperty("dsynq.it.repository"));
            command.add("-Dmaven.repo.local.tail=" + System.getProperty("dsynq.it.userRepository"));
        } else {
            command.add("-Dmaven.repo.local=" + localRepository.toAbsolutePath());
            command.add("-Dmaven.repo.local.tail=" + System.getProperty("dsynq.it.repository") + ","
                    + System.getProperty("dsynq.it.userRepository"));
        }
        command.addAll(arguments);
        command.addAll(Arrays.asList(goals));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(project.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().remove("MAVEN_ARGS");
        // short-lived builds start faster on the quick compiler alone
        builder.environment().put("MAVEN_OPTS", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto");
        try {
            Files.createDirectories(log.getParent());
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fresh log file next to the project. */
    Path logFile() {
        return project.resolveSibling(project.getFileName() + "-build-" + BUILDS.incrementAndGet() + ".log");
    }
}
