package dev.budgetmeter.localstack.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Creating and removing the stack's working directories. */
public final class Directories {

    private Directories() {
    }

    /** Creates a fresh directory under the system temp dir whose name starts with {@code prefix}. */
    public static Path createTemp(final String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot create a temp directory " + prefix + "*", e);
        }
    }

    /** Creates {@code dir} and its parents if missing. */
    public static Path create(final Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }

    /** Deletes {@code root} and everything below it; a missing {@code root} is fine. */
    public static void deleteRecursively(final Path root) {
        if (!Files.exists(root)) {
            return;
        }
        final List<Path> deepestFirst;
        try (Stream<Path> walk = Files.walk(root)) {
            deepestFirst = walk.sorted(Comparator.reverseOrder()).collect(Collectors.toList());
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot list " + root + " to delete it", e);
        }
        for (final Path path : deepestFirst) {
            try {
                Files.deleteIfExists(path);
            } catch (final NoSuchFileException ignored) {
                // Removed concurrently: the goal is reached.
            } catch (final IOException e) {
                throw new UncheckedIOException("cannot delete " + path, e);
            }
        }
    }
}
