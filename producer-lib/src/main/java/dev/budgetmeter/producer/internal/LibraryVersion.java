package dev.budgetmeter.producer.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The name and version written into every event, for example {@code budget-meter-java/0.1.0}. */
final class LibraryVersion {

    static final String NAME = "budget-meter-java";
    static final String CURRENT = NAME + "/" + readVersion();

    private LibraryVersion() {
    }

    private static String readVersion() {
        try (InputStream in = LibraryVersion.class.getResourceAsStream("library.properties")) {
            if (in == null) {
                return "unknown";
            }
            final Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown");
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot read the library version", e);
        }
    }
}
