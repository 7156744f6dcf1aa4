package dev.budgetmeter.topics;

import java.util.Map;
import java.util.Objects;

/**
 * One topic of the pipeline: its name without the deployment's prefix, the types of its keys and values, and the
 * settings it is created with. Immutable.
 *
 * @param baseName          name after the prefix, for example {@code stream-events}
 * @param keyType           type of the keys (a string: the reservation id, the tenant or the budget; see Topics)
 * @param valueType         Avro type of the values
 * @param defaultPartitions partitions when the operator does not choose; keyed topics of one deployment share it so
 *                          that a reservation's (or a tenant's) input and outputs sit in partitions of the same
 *                          number
 * @param configs           topic-level settings: cleanup policy and retention
 * @param description       what the topic carries, for people
 */
public record TopicDefinition<K, V>(String baseName, Class<K> keyType, Class<V> valueType, int defaultPartitions,
                                    Map<String, String> configs, String description) {

    public TopicDefinition {
        Objects.requireNonNull(baseName, "baseName");
        Objects.requireNonNull(keyType, "keyType");
        Objects.requireNonNull(valueType, "valueType");
        configs = Map.copyOf(configs);
    }

    /** The full name under a deployment's prefix. */
    public String name(final String prefix) {
        return prefix + baseName;
    }
}
