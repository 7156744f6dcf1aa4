package dev.budgetmeter.topics;

import dev.budgetmeter.registry.serde.SpecificAvroSerde;
import dev.budgetmeter.schemas.StreamEvent;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The topics of one deployment: the {@link Topics} definitions bound to a name prefix and to serdes configured for
 * the deployment's schema registry. Code that reads or writes a topic asks this registry, so no topic name or serde
 * is written anywhere else.
 */
public final class TopicRegistry {

    private final String prefix;
    private final Map<String, ?> serdeConfig;

    private TopicRegistry(final String prefix, final Map<String, ?> serdeConfig) {
        this.prefix = Objects.requireNonNull(prefix, "prefix");
        this.serdeConfig = Map.copyOf(serdeConfig);
    }

    /**
     * @param prefix      topic name prefix, {@link Topics#DEFAULT_PREFIX} unless the deployment chooses another
     * @param serdeConfig serde settings, {@code schema.registry.url} at least (Confluent's keys)
     */
    public static TopicRegistry create(final String prefix, final Map<String, ?> serdeConfig) {
        return new TopicRegistry(prefix, serdeConfig);
    }

    /** The topic of a definition, with its full name and serdes. */
    public <V extends SpecificRecord> Topic<String, V> topic(final TopicDefinition<String, V> definition) {
        return new Topic<>(definition, name(definition), Serdes.String(), valueSerde(definition.valueType()));
    }

    /**
     * The input topic of one tenant, {@code <prefix>stream-events.<tenant>} ({@link TenantTopics}), with the
     * stream-events serdes: what a worker of that tenant writes to when the deployment keeps tenants apart.
     */
    public Topic<String, StreamEvent> tenantInput(final String tenant) {
        return new Topic<>(Topics.STREAM_EVENTS, TenantTopics.name(prefix, tenant), Serdes.String(),
                valueSerde(StreamEvent.class));
    }

    /** The full name of a topic of this deployment. */
    public String name(final TopicDefinition<?, ?> definition) {
        return definition.name(prefix);
    }

    public String prefix() {
        return prefix;
    }

    /** A value serde of an Avro type, configured for this deployment's registry (for topics and state stores). */
    public <V extends SpecificRecord> Serde<V> valueSerde(final Class<V> type) {
        final SpecificAvroSerde<V> serde = new SpecificAvroSerde<>(type);
        serde.configure(serdeConfig, false);
        return serde;
    }
}
