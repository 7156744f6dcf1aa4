package dev.budgetmeter.producer.internal;

import dev.budgetmeter.producer.DeliveryListener;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * The checked configuration of one meter, as {@link dev.budgetmeter.producer.BudgetMeter.Builder} collected it.
 * Immutable.
 */
public record MeterSettings(String bootstrapServers, String schemaRegistryUrl, String topicPrefix, String workerId,
                            boolean coalescing, Duration chunkInterval, long chunkTokenThreshold,
                            Duration blockTimeout, Duration deliveryTimeout, long bufferMemory,
                            Map<String, Object> producerProperties, Map<String, Object> serdeProperties,
                            DeliveryListener deliveryListener, Clock clock) {

    public MeterSettings {
        producerProperties = Map.copyOf(producerProperties);
        serdeProperties = Map.copyOf(serdeProperties);
    }
}
