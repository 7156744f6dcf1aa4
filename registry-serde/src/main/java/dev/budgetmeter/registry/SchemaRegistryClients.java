package dev.budgetmeter.registry;

import dev.budgetmeter.registry.serde.AvroSerdeConfig;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Builds the registry client a serde configuration asks for: a {@link MockSchemaRegistry} for
 * {@code mock://<scope>}, a {@link RestSchemaRegistryClient} otherwise, both behind a
 * {@link CachingSchemaRegistryClient}.
 *
 * <p>HTTP clients are shared by every serde of the JVM with equal {@link RegistryConnectionSettings} (URLs,
 * credentials, bounds), so the key and value serdes of many producers and consumers share one cache and one
 * connection pool. Mock clients get a fresh cache each time, so a test that drops its scope never sees another
 * test's cached ids.
 */
public final class SchemaRegistryClients {

    private static final ConcurrentMap<RegistryConnectionSettings, SchemaRegistryClient> SHARED =
            new ConcurrentHashMap<>();

    private SchemaRegistryClients() {
    }

    /** The client for a serde configuration. */
    public static SchemaRegistryClient fromConfig(final AvroSerdeConfig config) {
        final Optional<String> mockScope = config.mockScope();
        if (mockScope.isPresent()) {
            return new CachingSchemaRegistryClient(MockSchemaRegistry.forScope(mockScope.get()));
        }
        return SHARED.computeIfAbsent(config.connectionSettings(),
                settings -> new CachingSchemaRegistryClient(new RestSchemaRegistryClient(settings)));
    }
}
