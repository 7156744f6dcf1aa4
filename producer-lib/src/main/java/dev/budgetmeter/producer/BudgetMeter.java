package dev.budgetmeter.producer;

import dev.budgetmeter.producer.internal.Checks;
import dev.budgetmeter.producer.internal.KafkaBudgetMeter;
import dev.budgetmeter.producer.internal.MeterSettings;
import dev.budgetmeter.producer.internal.WorkerIds;
import dev.budgetmeter.topics.Topics;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * The worker's side of the budget pipeline: turns each streaming LLM call into events on the stream-events topic
 * ({@code budget.stream-events} by default), so the worker's token loop never waits on a budget server and a
 * crashed worker cannot leak a hold (the topology expires it).
 *
 * <pre>{@code
 * try (BudgetMeter meter = BudgetMeter.builder()
 *         .bootstrapServers("kafka:9092").schemaRegistryUrl("http://registry:8081").build()) {
 *     try (MeteredStream stream = meter.open(reservation)) { ... }
 * }
 * }</pre>
 *
 * <p><b>Threads.</b> One meter serves many threads and many concurrent streams: it owns one Kafka producer
 * (idempotent, {@code acks=all}) and one background flusher thread for coalesced chunks, whatever the number of
 * streams. Build one per process and share it.
 *
 * <p><b>Bounds.</b> Memory is bounded by the producer's buffer ({@link Builder#bufferMemory}) plus a few counters
 * per open stream. A call that must hand an event to Kafka ({@link #open}, {@link MeteredStream#usage}) waits at
 * most the {@linkplain Builder#blockTimeout block timeout} (the producer's {@code max.block.ms}: metadata, which is
 * where an unreachable broker shows, and buffer space) and then throws {@link DeliveryFailedException}; the meter's
 * first send also registers the event schema, within about one more block timeout unless the serde properties set
 * the registry timeouts. An accepted event is acknowledged or reported failed within the
 * {@linkplain Builder#deliveryTimeout delivery timeout}. No event is dropped silently: every failure reaches the
 * caller (exception or terminal future), the {@link DeliveryListener}, {@link #metrics()} and a WARN log line.
 */
public interface BudgetMeter extends AutoCloseable {

    /** A builder with the defaults listed on its methods; bootstrap servers and registry URL are required. */
    static Builder builder() {
        return new Builder();
    }

    /**
     * Opens a stream: writes its Reserve event (seq 0) and returns the handle for its chunks, usage and end.
     *
     * @throws DeliveryFailedException when Kafka could not take the Reserve within the block timeout, for example
     *                                 "Kafka not reachable at host:9092 within 2000 ms"
     * @throws IllegalStateException   when the meter is closed or a stream of the same reservation id is open
     */
    MeteredStream open(StreamReservation reservation);

    /**
     * Writes every pending coalesced chunk, then waits until every event handed to Kafka before this call is
     * acknowledged or failed: at most the block timeout plus the delivery timeout. Failures are reported as always
     * (futures, listener, metrics, log); flush does not throw them. When Kafka refuses a chunk event, the remaining
     * streams' chunks stay pending for the background flusher rather than each waiting the block timeout.
     */
    void flush();

    /** The meter's counters. */
    MeterMetrics metrics();

    /** The Kafka producer's own metrics (batching, compression, request latency, buffer use, errors). */
    Map<MetricName, ? extends Metric> producerMetrics();

    /** The full name of the topic the events go to. */
    String topic();

    /** The worker id written into every event. */
    String workerId();

    /** Closes within the delivery timeout; see {@link #close(Duration)}. */
    @Override
    void close();

    /**
     * Ends every stream still open with End(FAILED, "meter closed"), writes pending chunks, waits for outstanding
     * events and closes the producer, all within {@code timeout}. Events not acknowledged by then fail (and are
     * reported). Later calls to {@link #open} throw {@link IllegalStateException}; calling close again does nothing.
     */
    void close(Duration timeout);

    /**
     * Configures a {@link BudgetMeter}. Every setter checks its argument; {@link #build()} checks the whole and throws
     * {@link IllegalArgumentException} naming the field or property.
     */
    final class Builder {

        /** Default chunk interval: at most four chunk events per second per stream. */
        public static final Duration DEFAULT_CHUNK_INTERVAL = Duration.ofMillis(250);
        /** Default token threshold: a chunk event at the latest every 100 tokens. */
        public static final long DEFAULT_CHUNK_TOKEN_THRESHOLD = 100;
        /** Default bound on handing an event to Kafka (the producer's {@code max.block.ms}). */
        public static final Duration DEFAULT_BLOCK_TIMEOUT = Duration.ofSeconds(10);
        /** Default bound on an accepted event's acknowledgement (the producer's {@code delivery.timeout.ms}). */
        public static final Duration DEFAULT_DELIVERY_TIMEOUT = Duration.ofSeconds(60);
        /** Default producer buffer: 16 MiB. */
        public static final long DEFAULT_BUFFER_MEMORY = 16L * 1024 * 1024;

        private String bootstrapServers;
        private String schemaRegistryUrl;
        private String topicPrefix = Topics.DEFAULT_PREFIX;
        private String workerId;
        private boolean coalescing = true;
        private Duration chunkInterval = DEFAULT_CHUNK_INTERVAL;
        private long chunkTokenThreshold = DEFAULT_CHUNK_TOKEN_THRESHOLD;
        private Duration blockTimeout = DEFAULT_BLOCK_TIMEOUT;
        private Duration deliveryTimeout = DEFAULT_DELIVERY_TIMEOUT;
        private long bufferMemory = DEFAULT_BUFFER_MEMORY;
        private final Map<String, Object> producerProperties = new LinkedHashMap<>();
        private final Map<String, Object> serdeProperties = new LinkedHashMap<>();
        private DeliveryListener deliveryListener = DeliveryListener.NONE;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /** Kafka's {@code bootstrap.servers}, for example {@code kafka-1:9092,kafka-2:9092}. Required. */
        public Builder bootstrapServers(final String bootstrapServers) {
            this.bootstrapServers = Checks.text("bootstrapServers", bootstrapServers, Integer.MAX_VALUE);
            return this;
        }

        /** The Confluent-compatible schema registry URL(s), {@code schema.registry.url}. Required. */
        public Builder schemaRegistryUrl(final String schemaRegistryUrl) {
            this.schemaRegistryUrl = Checks.text("schemaRegistryUrl", schemaRegistryUrl, Integer.MAX_VALUE);
            return this;
        }

        /** Prefix of the topic names; {@link Topics#DEFAULT_PREFIX} by default. */
        public Builder topicPrefix(final String topicPrefix) {
            this.topicPrefix = Checks.required("topicPrefix", topicPrefix);
            return this;
        }

        /** The worker id written into every event; {@code <hostname>-<pid>} by default. */
        public Builder workerId(final String workerId) {
            this.workerId = Checks.text("workerId", workerId, 256);
            return this;
        }

        /**
         * Whether chunks coalesce (default true). Off, every {@link MeteredStream#chunk} call writes one event on
         * the calling thread and may block up to the block timeout.
         */
        public Builder coalescing(final boolean coalescing) {
            this.coalescing = coalescing;
            return this;
        }

        /** The longest a coalesced token waits before a chunk event carries it; 250 ms by default. */
        public Builder chunkInterval(final Duration chunkInterval) {
            this.chunkInterval = Checks.millisRange("chunkInterval", chunkInterval, 1, Long.MAX_VALUE);
            return this;
        }

        /** Tokens (input plus output) after which a chunk event is due at once; 100 by default. */
        public Builder chunkTokenThreshold(final long chunkTokenThreshold) {
            this.chunkTokenThreshold = Checks.range("chunkTokenThreshold", chunkTokenThreshold, 1, Long.MAX_VALUE);
            return this;
        }

        /**
         * Bound on handing one event to Kafka (the producer's {@code max.block.ms}: waiting for metadata, which is
         * where an unreachable broker shows, and for buffer space); 10 s by default.
         */
        public Builder blockTimeout(final Duration blockTimeout) {
            this.blockTimeout = Checks.millisRange("blockTimeout", blockTimeout, 1, Integer.MAX_VALUE);
            return this;
        }

        /**
         * Bound on an accepted event's acknowledgement, retries included (the producer's
         * {@code delivery.timeout.ms}), and the default bound of {@link BudgetMeter#close()}; 60 s by default,
         * at least 1 s.
         */
        public Builder deliveryTimeout(final Duration deliveryTimeout) {
            this.deliveryTimeout = Checks.millisRange("deliveryTimeout", deliveryTimeout, 1_000, Integer.MAX_VALUE);
            return this;
        }

        /** The producer's buffer for events not yet sent ({@code buffer.memory}); 16 MiB by default. */
        public Builder bufferMemory(final long bytes) {
            this.bufferMemory = Checks.range("bufferMemory", bytes, 64 * 1024, Long.MAX_VALUE);
            return this;
        }

        /**
         * One more Kafka producer property, for example for SASL or TLS ({@code security.protocol},
         * {@code sasl.jaas.config}, ...) or tuning ({@code linger.ms}, {@code compression.type}). The properties
         * the meter's guarantees rest on cannot be overridden: {@code acks}, {@code enable.idempotence},
         * {@code max.block.ms}, {@code delivery.timeout.ms}, the serializers, {@code transactional.id}; and
         * {@code max.in.flight.requests.per.connection} stays at most 5.
         */
        public Builder producerProperty(final String name, final Object value) {
            producerProperties.put(Checks.required("producer property name", name),
                    Checks.required("producer property " + name, value));
            return this;
        }

        /**
         * One more serde property with Confluent's names, for example {@code basic.auth.credentials.source} and
         * {@code basic.auth.user.info} for a registry behind basic auth.
         */
        public Builder serdeProperty(final String name, final Object value) {
            serdeProperties.put(Checks.required("serde property name", name),
                    Checks.required("serde property " + name, value));
            return this;
        }

        /** Told about every event that was not written; none by default (failures are still counted and logged). */
        public Builder deliveryListener(final DeliveryListener deliveryListener) {
            this.deliveryListener = Checks.required("deliveryListener", deliveryListener);
            return this;
        }

        /** The clock of event times and chunk intervals; the system UTC clock by default. */
        public Builder clock(final Clock clock) {
            this.clock = Checks.required("clock", clock);
            return this;
        }

        /**
         * Builds the meter and its producer without waiting for Kafka or the registry: the producer connects in the
         * background, and the first {@link BudgetMeter#open} reports what is unreachable.
         *
         * @throws IllegalArgumentException when a required setting is missing or a producer property may not be
         *                                  overridden
         */
        public BudgetMeter build() {
            return KafkaBudgetMeter.start(settings());
        }

        /**
         * The Kafka producer properties a meter built now would use: its defaults, the extra
         * {@linkplain #producerProperty properties} and the settings its guarantees rest on; without the
         * serializers. Immutable. For running another producer exactly like the meter's, or for logging them.
         *
         * @throws IllegalArgumentException as {@link #build()} does
         */
        public Map<String, Object> producerConfig() {
            return KafkaBudgetMeter.producerConfig(settings());
        }

        private MeterSettings settings() {
            return new MeterSettings(
                    Checks.required("bootstrapServers", bootstrapServers),
                    Checks.required("schemaRegistryUrl", schemaRegistryUrl),
                    topicPrefix, workerId != null ? workerId : WorkerIds.defaultWorkerId(), coalescing,
                    chunkInterval, chunkTokenThreshold, blockTimeout, deliveryTimeout, bufferMemory,
                    producerProperties, serdeProperties, deliveryListener, clock);
        }
    }
}
