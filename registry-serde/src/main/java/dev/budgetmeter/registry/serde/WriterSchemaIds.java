package dev.budgetmeter.registry.serde;

import dev.budgetmeter.registry.RegisteredSchema;
import dev.budgetmeter.registry.SchemaMismatchException;
import dev.budgetmeter.registry.SchemaRegistryClient;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.avro.Schema;

/**
 * The schema id a serializer writes for a (topic, schema): registered, looked up, or the subject's latest version,
 * as configured. Each (topic, schema) reaches the registry once for the serializer's lifetime; after that the
 * answer is two hash lookups with no allocation.
 */
final class WriterSchemaIds {

    /** ConcurrentHashMap takes no null key; a null topic is legal for strategies that ignore it. */
    private static final String NO_TOPIC = "\u0000no-topic";

    private final SchemaRegistryClient client;
    private final SubjectNameStrategy strategy;
    private final boolean isKey;
    private final boolean autoRegister;
    private final boolean useLatestVersion;
    private final ConcurrentMap<String, ConcurrentMap<Schema, Integer>> idsByTopic = new ConcurrentHashMap<>();

    WriterSchemaIds(final SchemaRegistryClient client, final AvroSerdeConfig config, final boolean isKey) {
        this.client = client;
        this.strategy = config.subjectNameStrategy(isKey);
        this.isKey = isKey;
        this.autoRegister = config.autoRegisterSchemas();
        this.useLatestVersion = config.useLatestVersion();
    }

    int idFor(final String topic, final Schema schema) {
        final String topicKey = topic == null ? NO_TOPIC : topic;
        ConcurrentMap<Schema, Integer> idsBySchema = idsByTopic.get(topicKey);
        if (idsBySchema == null) {
            idsBySchema = idsByTopic.computeIfAbsent(topicKey, unused -> new ConcurrentHashMap<>());
        }
        final Integer cached = idsBySchema.get(schema);
        if (cached != null) {
            return cached;
        }
        final int id = resolve(topic, schema);
        idsBySchema.putIfAbsent(schema, id);
        return id;
    }

    private int resolve(final String topic, final Schema schema) {
        final String subject = strategy.subjectName(topic, isKey, schema);
        // Confluent's precedence: registering wins over use.latest.version.
        if (autoRegister) {
            return client.register(subject, schema);
        }
        if (useLatestVersion) {
            return latestEqualTo(subject, schema);
        }
        return client.lookupId(subject, schema);
    }

    private int latestEqualTo(final String subject, final Schema schema) {
        final RegisteredSchema latest = client.latest(subject);
        // Avro writes records by field position, so a record can only be written with a schema equal to its own.
        if (!latest.schema().equals(schema)) {
            throw SchemaMismatchException.latestDiffers(latest.id(), subject, schema.getFullName());
        }
        return latest.id();
    }
}
