package dev.budgetmeter.bench.env;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.kafka.common.utils.Utils;

/** A temporary state directory owned by one application of the run, removed when it closes. */
public final class StateDirectory implements AutoCloseable {

    private final Path path;

    private StateDirectory(final Path path) {
        this.path = path;
    }

    /** Creates a fresh directory under the system's temp directory. */
    public static StateDirectory create(final String purpose) {
        try {
            return new StateDirectory(Files.createTempDirectory("budget-meter-bench-" + purpose + "-"));
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot create a state directory", e);
        }
    }

    public Path path() {
        return path;
    }

    @Override
    public void close() {
        try {
            Utils.delete(path.toFile());
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot remove " + path, e);
        }
    }
}
