package dev.budgetmeter.producer.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * The checked configuration of one meter, as {@code BudgetMeter.Builder} collected it, but for the delivery listener,
 * which belongs to the public API and so travels beside it. Immutable.
 */
public record MeterSettings(String bootstrapServers, String schemaRegistryUrl, String topicPrefix, String workerId,
                            boolean coalescing, Duration chunkInterval, long chunkTokenThreshold,
                            Duration blockTimeout, Duration deliveryTimeout, long bufferMemory,
                            Map<String, Object> producerProperties, Map<String, Object> serdeProperties,
                            Clock clock) {

    public MeterSettings {
        producerProperties = Map.copyOf(producerProperties);
        serdeProperties = Map.copyOf(serdeProperties);
    }
}
