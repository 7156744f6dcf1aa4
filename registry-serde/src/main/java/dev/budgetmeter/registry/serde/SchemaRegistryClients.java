package dev.budgetmeter.registry.serde;

import dev.budgetmeter.registry.MockSchemaRegistry;
import dev.budgetmeter.registry.SchemaRegistryClient;
import dev.budgetmeter.registry.internal.CachingSchemaRegistryClient;
import dev.budgetmeter.registry.internal.RegistryConnectionSettings;
import dev.budgetmeter.registry.internal.RestSchemaRegistryClient;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The registry client a serde configuration asks for, the one way to get a client: a {@link MockSchemaRegistry} for
 * {@code mock://<scope>}, otherwise a client of the Confluent REST API with failover across the configured URLs
 * and bounded retries; both behind a cache of what never changes in a registry (the schema of an id, the id of a
 * schema within a subject).
 *
 * <p>HTTP clients are shared by every serde of the JVM with equal connection settings (URLs, credentials,
 * bounds), so the key and value serdes of many producers and consumers share one cache and one
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
