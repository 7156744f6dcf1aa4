package dev.budgetmeter.topics;

import org.apache.kafka.common.serialization.Serde;

/**
 * A topic of one deployment, ready to use: its full name and configured serdes.
 *
 * @param definition what the topic is
 * @param name       full name, prefix included
 * @param keySerde   serde of the keys
 * @param valueSerde serde of the values, configured with the deployment's schema registry
 */
public record Topic<K, V>(TopicDefinition<K, V> definition, String name, Serde<K> keySerde, Serde<V> valueSerde) {
}
