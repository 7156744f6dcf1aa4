package dev.budgetmeter.producer.internal;

import dev.budgetmeter.producer.BudgetMeter;
import dev.budgetmeter.producer.MeterMetrics;
import dev.budgetmeter.producer.MeteredStream;
import dev.budgetmeter.producer.StreamReservation;
import dev.budgetmeter.registry.serde.AvroSerdeConfig;
import dev.budgetmeter.schemas.StreamEvent;
import dev.budgetmeter.topics.Topic;
import dev.budgetmeter.topics.TopicRegistry;
import dev.budgetmeter.topics.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link BudgetMeter} on one idempotent Kafka producer and one flusher thread. Keeps the open streams by
 * reservation id, for the flusher's scans, for refusing a second open stream of the same reservation, and for ending
 * them on close.
 */
public final class KafkaBudgetMeter implements BudgetMeter {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaBudgetMeter.class);

    private final MeterSettings settings;
    private final Producer<byte[], byte[]> producer;
    private final String topic;
    private final EventEncoder encoder;
    private final DeliveryReporter reporter;
    private final ChunkFlusher flusher;
    private final StreamContext context;
    private final ConcurrentMap<String, KafkaMeteredStream> openStreams = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    KafkaBudgetMeter(final MeterSettings settings, final Producer<byte[], byte[]> producer,
            final EventEncoder encoder, final String topic) {
        this.settings = settings;
        this.producer = producer;
        this.encoder = encoder;
        this.topic = topic;
        this.reporter = new DeliveryReporter(settings.deliveryListener(), settings.clock(), settings.coalescing());
        this.flusher = new ChunkFlusher(settings.workerId(), settings.coalescing() ? this::flushDueStreams : null,
                settings.chunkInterval());
        final EventSender sender = new EventSender(producer, topic, settings.bootstrapServers(),
                settings.blockTimeout(), reporter);
        this.context = new StreamContext(sender, encoder, reporter, flusher,
                settings.clock(), settings.coalescing(), settings.chunkInterval().toMillis(),
                settings.chunkTokenThreshold(), stream -> openStreams.remove(stream.reservationId(), stream));
    }

    /**
     * Builds the producer and the meter without waiting for Kafka or the registry.
     *
     * @throws IllegalArgumentException when Kafka or the serde refuse the configuration
     */
    public static BudgetMeter start(final MeterSettings settings) {
        final Map<String, Object> producerProps = ProducerConfigs.of(settings);
        try {
            final Topic<String, StreamEvent> topic = TopicRegistry.create(settings.topicPrefix(), serdeConfig(settings))
                    .topic(Topics.STREAM_EVENTS);
            // The meter encodes the records itself (its chunk events without the serializer): Kafka gets bytes.
            final EventEncoder encoder = new EventEncoder(topic.name(), topic.keySerde().serializer(),
                    topic.valueSerde().serializer(), new StreamEventFactory(settings.workerId()));
            final KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProps,
                    new ByteArraySerializer(), new ByteArraySerializer());
            return new KafkaBudgetMeter(settings, producer, encoder, topic.name());
        } catch (final KafkaException e) {
            throw new IllegalArgumentException("invalid meter configuration: " + e.getMessage(), e);
        }
    }

    /** The meter's Kafka producer properties for {@code settings}, without the serializers. Immutable. */
    public static Map<String, Object> producerConfig(final MeterSettings settings) {
        return Map.copyOf(ProducerConfigs.of(settings));
    }

    @Override
    public MeteredStream open(final StreamReservation reservation) {
        Checks.required("reservation", reservation);
        ensureOpen();
        final KafkaMeteredStream stream = new KafkaMeteredStream(reservation, context);
        if (openStreams.putIfAbsent(reservation.reservationId(), stream) != null) {
            throw new IllegalStateException("a stream of reservation " + reservation.reservationId()
                    + " is already open on this meter");
        }
        try {
            // A close that started after the check above may have missed this stream: it must not write anything.
            ensureOpen();
            stream.writeReserve();
        } catch (final RuntimeException e) {
            openStreams.remove(reservation.reservationId(), stream);
            throw e;
        }
        reporter.streamOpened();
        return stream;
    }

    @Override
    public void flush() {
        if (closed.get()) {
            return;
        }
        // Stops at the first refusal: Kafka is not taking events, and each further stream would wait the block
        // timeout again. Its tokens stay pending for the flusher.
        for (final KafkaMeteredStream stream : openStreams.values()) {
            if (!stream.flushPending()) {
                break;
            }
        }
        producer.flush();
    }

    @Override
    public MeterMetrics metrics() {
        return reporter.snapshot(openStreams.size());
    }

    @Override
    public Map<MetricName, ? extends Metric> producerMetrics() {
        return producer.metrics();
    }

    @Override
    public String topic() {
        return topic;
    }

    @Override
    public String workerId() {
        return settings.workerId();
    }

    @Override
    public void close() {
        close(settings.deliveryTimeout());
    }

    /**
     * Ends the open streams on the flusher thread (after the flushes already requested), so that a send blocked on
     * a full buffer cannot stretch the bound: closing the producer at the deadline wakes it with a failure.
     */
    @Override
    public void close(final Duration timeout) {
        Checks.required("timeout", timeout);
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        final long deadline = System.nanoTime() + timeout.toNanos();
        final Future<Integer> ending = flusher.submit(this::endOpenStreams);
        flusher.close();
        final Integer ended = awaitEnding(ending, remaining(deadline));
        producer.close(remaining(deadline));
        awaitFlusher();
        encoder.close();
        LOG.info("Budget meter of worker {} closed: {} open streams ended, {}", settings.workerId(),
                ended == null ? "not all" : ended, metrics());
    }

    private int endOpenStreams() {
        final List<KafkaMeteredStream> streams = List.copyOf(openStreams.values());
        streams.forEach(KafkaMeteredStream::endBecauseMeterClosed);
        return streams.size();
    }

    private void flushDueStreams() {
        openStreams.values().forEach(KafkaMeteredStream::flushIfDue);
    }

    private Integer awaitEnding(final Future<Integer> ending, final Duration timeout) {
        try {
            return ending.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (final TimeoutException e) {
            LOG.warn("Ending the open streams took longer than the close timeout; closing the producer fails"
                    + " the events still waiting");
        } catch (final ExecutionException e) {
            LOG.warn("Ending the open streams failed", e.getCause());
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return null;
    }

    private void awaitFlusher() {
        try {
            // The producer is closed: whatever the flusher still runs fails fast.
            if (!flusher.awaitTermination(settings.blockTimeout())) {
                LOG.warn("The chunk flusher thread did not stop within {}", settings.blockTimeout());
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("the budget meter of worker " + settings.workerId() + " is closed");
        }
    }

    private static Duration remaining(final long deadlineNanos) {
        return Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime()));
    }

    /**
     * The serde settings: the caller's, plus registry bounds derived from the block timeout unless given. The
     * serializer asks the registry on the meter's first event, before Kafka's {@code send} and outside
     * {@code max.block.ms}: with the registry client's own defaults (4 attempts of up to 15 s) a first open could
     * wait a minute. Two attempts of a quarter of the block timeout each keep the first open within about twice the
     * block timeout (the registry, then Kafka).
     */
    static Map<String, Object> serdeConfig(final MeterSettings settings) {
        final Map<String, Object> config = new HashMap<>(settings.serdeProperties());
        config.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, settings.schemaRegistryUrl());
        final int quarterOfBlockTimeout = (int) Math.max(1, settings.blockTimeout().toMillis() / 4);
        config.putIfAbsent(AvroSerdeConfig.CONNECT_TIMEOUT_MS_CONFIG, quarterOfBlockTimeout);
        config.putIfAbsent(AvroSerdeConfig.REQUEST_TIMEOUT_MS_CONFIG, quarterOfBlockTimeout);
        config.putIfAbsent(AvroSerdeConfig.MAX_RETRIES_CONFIG, 1);
        return config;
    }
}
