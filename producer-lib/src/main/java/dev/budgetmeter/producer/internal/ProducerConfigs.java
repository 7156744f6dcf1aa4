package dev.budgetmeter.producer.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The Kafka producer properties of a meter: its defaults, the caller's extra properties, and the settings the
 * meter's guarantees rest on, which the caller cannot override.
 *
 * <p>Order and no duplicates per stream need {@code enable.idempotence=true}, {@code acks=all} and at most 5 requests
 * in flight; bounded calls need {@code max.block.ms} and {@code delivery.timeout.ms} from the meter's settings.
 * One request in flight is the default: with more, a Kafka 4.3 broker that answers a partition's first batch with
 * {@code NOT_LEADER_OR_FOLLOWER} (it is becoming leader) can append the next batch meanwhile and then reject the
 * retried first one as out of order until it expires, which loses those events. Batching keeps the cost of one in
 * flight small at a worker's event rates; a caller may raise it up to 5.
 * Throughput on a small machine wants batches of 64 KiB or more and a few milliseconds of linger; lz4 compresses
 * in pure Java where no native library loads.
 */
public final class ProducerConfigs {

    static final int LINGER_MS = 10;
    static final int BATCH_SIZE = 64 * 1024;
    static final int DEFAULT_IN_FLIGHT = 1;
    static final int MAX_IN_FLIGHT = 5;
    static final int MAX_REQUEST_TIMEOUT_MS = 30_000;
    /** Pure Java (lz4-java falls back from JNI), so it works wherever the client runs. */
    static final String COMPRESSION = "lz4";

    /** Properties the caller may not set: the meter owns them. */
    private static final Set<String> LOCKED = Set.of(
            ProducerConfig.ACKS_CONFIG,
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
            ProducerConfig.MAX_BLOCK_MS_CONFIG,
            ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
            ProducerConfig.TRANSACTIONAL_ID_CONFIG,
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            ProducerConfig.BUFFER_MEMORY_CONFIG);

    private ProducerConfigs() {
    }

    /**
     * @throws IllegalArgumentException when an extra property is one the meter owns, or asks for more than 5
     *                                  requests in flight
     */
    public static Map<String, Object> of(final MeterSettings settings) {
        checkOverrides(settings.producerProperties());
        final Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "budget-meter-" + settings.workerId());
        props.put(ProducerConfig.LINGER_MS_CONFIG, LINGER_MS);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, BATCH_SIZE);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, COMPRESSION);
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, DEFAULT_IN_FLIGHT);
        props.putAll(settings.producerProperties());

        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, settings.bufferMemory());
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, settings.blockTimeout().toMillis());
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) settings.deliveryTimeout().toMillis());
        // Kafka refuses delivery.timeout.ms < linger.ms + request.timeout.ms; derive the latter unless given.
        props.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(MAX_REQUEST_TIMEOUT_MS,
                settings.deliveryTimeout().toMillis() - lingerMs(props)));
        return props;
    }

    private static void checkOverrides(final Map<String, Object> extra) {
        for (final String name : extra.keySet()) {
            if (LOCKED.contains(name)) {
                throw new IllegalArgumentException("producer property " + name + " is set by the meter and cannot"
                        + " be overridden: its ordering and bounded-time guarantees rest on it (bootstrap servers,"
                        + " buffer memory and the timeouts have their own BudgetMeter.Builder setters)");
            }
        }
        final Object inFlight = extra.get(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION);
        if (inFlight != null && Integer.parseInt(inFlight.toString().strip()) > MAX_IN_FLIGHT) {
            throw new IllegalArgumentException("producer property "
                    + ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION + " must be at most " + MAX_IN_FLIGHT
                    + " (idempotent ordering), was " + inFlight);
        }
    }

    private static long lingerMs(final Map<String, Object> props) {
        return Long.parseLong(props.get(ProducerConfig.LINGER_MS_CONFIG).toString().strip());
    }
}
