package dev.budgetmeter.bench.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** Writes {@code results.json}: the {@link BenchResults} as indented JSON, every figure as measured. */
public final class JsonReport {

    public static final String FILE = "results.json";

    private final ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Writes the results into {@code directory}. */
    public Path write(final BenchResults results, final Path directory) {
        final Path file = directory.resolve(FILE);
        try {
            mapper.writeValue(file.toFile(), results);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return file;
    }
}
