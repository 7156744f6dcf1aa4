package dev.budgetmeter.localstack.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * An extracted Apicurio Registry distribution: a directory holding {@code apicurio-registry-app-*-runner.jar} next to
 * its {@code lib/} folder (the jar's manifest class path points there).
 *
 * @param directory the distribution's root directory
 * @param runnerJar the jar to launch with {@code java -jar}
 */
public record ApicurioHome(Path directory, Path runnerJar) {

    private static final String RUNNER_JAR_GLOB = "apicurio-registry-app-*-runner.jar";

    /** The distribution in {@code directory}, or empty if that is not a directory holding a runner jar. */
    public static Optional<ApicurioHome> find(final Path directory) {
        if (!Files.isDirectory(directory)) {
            return Optional.empty();
        }
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(directory, RUNNER_JAR_GLOB)) {
            for (final Path jar : jars) {
                return Optional.of(new ApicurioHome(directory, jar));
            }
            return Optional.empty();
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot list " + directory, e);
        }
    }

    /** The distribution in {@code directory}, failing with a message naming the directory if there is none. */
    public static ApicurioHome at(final Path directory) {
        return find(directory).orElseThrow(() -> new IllegalStateException(
                "no Apicurio Registry distribution in " + directory + ": expected " + RUNNER_JAR_GLOB + " there"));
    }
}
