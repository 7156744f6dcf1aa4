package dev.budgetmeter.registry.serde;

import dev.budgetmeter.registry.MockSchemaRegistry;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** A fresh {@code mock://} scope for one test, and serde configurations pointing at it. */
final class MockScope implements AutoCloseable {

    private final String name = "serde-test-" + UUID.randomUUID();

    /** The scope's registry. */
    MockSchemaRegistry registry() {
        return MockSchemaRegistry.forScope(name);
    }

    /** A configuration with {@code schema.registry.url=mock://<scope>} plus alternating key/value pairs. */
    Map<String, Object> config(final Object... keysAndValues) {
        final Map<String, Object> config = new HashMap<>();
        config.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, AvroSerdeConfig.MOCK_URL_PREFIX + name);
        for (int i = 0; i < keysAndValues.length; i += 2) {
            config.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return config;
    }

    <T> AvroSerializer<T> serializer(final Object... keysAndValues) {
        final AvroSerializer<T> serializer = new AvroSerializer<>();
        serializer.configure(config(keysAndValues), false);
        return serializer;
    }

    <T> AvroDeserializer<T> deserializer(final Object... keysAndValues) {
        final AvroDeserializer<T> deserializer = new AvroDeserializer<>();
        deserializer.configure(config(keysAndValues), false);
        return deserializer;
    }

    @Override
    public void close() {
        MockSchemaRegistry.drop(name);
    }
}
