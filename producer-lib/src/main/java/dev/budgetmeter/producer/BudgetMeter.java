package dev.budgetmeter.producer;

import dev.budgetmeter.producer.internal.Checks;
import dev.budgetmeter.producer.internal.ChunkFlusher;
import dev.budgetmeter.producer.internal.DecisionConsumerConfigs;
import dev.budgetmeter.producer.internal.EventEncoder;
import dev.budgetmeter.producer.internal.MeterSettings;
import dev.budgetmeter.producer.internal.ProducerConfigs;
import dev.budgetmeter.producer.internal.StreamEventFactory;
import dev.budgetmeter.producer.internal.WorkerIds;
import dev.budgetmeter.registry.serde.AvroSerdeConfig;
import dev.budgetmeter.schemas.StreamEvent;
import dev.budgetmeter.topics.Topic;
import dev.budgetmeter.topics.TopicRegistry;
import dev.budgetmeter.topics.Topics;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
public final class BudgetMeter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BudgetMeter.class);

    private final MeterSettings settings;
    private final Producer<byte[], byte[]> producer;
    private final String topic;
    private final EventEncoder encoder;
    private final DeliveryReporter reporter;
    private final ChunkFlusher flusher;
    private final StreamContext context;
    private final DecisionSource decisions;
    private final DecisionMode decisionMode;
    private final ConcurrentMap<String, KafkaMeteredStream> openStreams = new ConcurrentHashMap<>();
    /** Reservation ids (as requested) between the duplicate check and the stream's registration. */
    private final Set<String> opening = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();

    private BudgetMeter(final MeterSettings settings, final DeliveryListener deliveryListener,
            final Producer<byte[], byte[]> producer, final EventEncoder encoder, final String topic,
            final DecisionSource decisions, final DecisionMode decisionMode) {
        this.settings = settings;
        this.producer = producer;
        this.encoder = encoder;
        this.topic = topic;
        this.decisions = decisions;
        this.decisionMode = decisionMode;
        this.reporter = new DeliveryReporter(deliveryListener, settings.clock(), settings.coalescing());
        this.flusher = new ChunkFlusher(settings.workerId(), settings.coalescing() ? this::flushDueStreams : null,
                settings.chunkInterval());
        this.context = new StreamContext(settings, new EventSender(producer, encoder, topic, settings, reporter),
                reporter, flusher, stream -> openStreams.remove(stream.reservationId(), stream));
    }

    /** A builder with the defaults listed on its methods; bootstrap servers and registry URL are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Builds the producer and the meter without waiting for Kafka or the registry.
     *
     * @throws IllegalArgumentException when Kafka or the serde refuse the configuration
     */
    private static BudgetMeter start(final MeterSettings settings, final DeliveryListener deliveryListener,
                                     final DecisionSettings decisionSettings) {
        final Map<String, Object> producerProps = ProducerConfigs.of(settings);
        try {
            final TopicRegistry topics = TopicRegistry.create(settings.topicPrefix(), serdeConfig(settings));
            final Topic<String, StreamEvent> topic = topics.topic(Topics.STREAM_EVENTS);
            // The meter encodes the records itself (its chunk events without the serializer): Kafka gets bytes.
            final EventEncoder encoder = new EventEncoder(topic.name(), topic.keySerde().serializer(),
                    topic.valueSerde().serializer(), new StreamEventFactory(settings.workerId()));
            final DecisionSource decisions = decisionSource(settings, decisionSettings, topics);
            final KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProps,
                    new ByteArraySerializer(), new ByteArraySerializer());
            return new BudgetMeter(settings, deliveryListener, producer, encoder, topic.name(), decisions,
                    decisionSettings.mode());
        } catch (final KafkaException e) {
            throw new IllegalArgumentException("invalid meter configuration: " + e.getMessage(), e);
        }
    }

    /** The budget ledger's decisions, read from the meter's reply partition, or the outside authority's. */
    private static DecisionSource decisionSource(final MeterSettings settings, final DecisionSettings decisions,
                                                 final TopicRegistry topics) {
        if (decisions.cycles() != null) {
            return new CyclesDecisions(decisions.cycles(), decisions.timeout());
        }
        if (decisions.mode() == DecisionMode.EXTERNAL) {
            return DecisionSource.EXTERNAL;
        }
        final Topic<String, dev.budgetmeter.schemas.Decision> topic = topics.topic(Topics.DECISIONS);
        final LedgerDecisions ledger = new LedgerDecisions(new KafkaConsumer<>(DecisionConsumerConfigs.of(settings),
                topic.keySerde().deserializer(), topic.valueSerde().deserializer()), topic.name(),
                decisions.replyPartition(), settings.workerId(), decisions.timeout(), settings.blockTimeout());
        ledger.start();
        return ledger;
    }

    /**
     * Opens a stream: writes its Reserve event (seq 0) and returns the handle for its chunks, usage and end. In
     * {@link DecisionMode#WAIT} it returns only once the budget ledger allowed the reservation; a refused or
     * unanswered stream is ended (cancelled) before the exception is thrown. With a {@link Builder#cycles Cycles
     * server} it first reserves through the server's API: the stream (and its Reserve) then has the server's
     * reservation id, expiry and caps, and a refusal writes nothing.
     *
     * @throws DeliveryFailedException  when Kafka could not take the Reserve within the block timeout, for example
     *                                  "Kafka not reachable at host:9092 within 2000 ms"
     * @throws BudgetRefusedException   in {@link DecisionMode#WAIT}, when the ledger refused the reservation; with a
     *                                  Cycles server, when it refused (409 BUDGET_EXCEEDED and the like)
     * @throws AuthorityUnavailableException with a Cycles server, when it gave no answer within the decision
     *                                  timeout, naming its URL
     * @throws DecisionTimeoutException with the ledger, when the decisions topic cannot be read within the block
     *                                  timeout, or (in {@link DecisionMode#WAIT}) no decision came within the
     *                                  decision timeout
     * @throws IllegalStateException    when the meter is closed or a stream of the same reservation id is open
     */
    public MeteredStream open(final StreamReservation reservation) {
        Checks.required("reservation", reservation);
        ensureOpen();
        final String requested = reservation.reservationId();
        if (openStreams.containsKey(requested) || !opening.add(requested)) {
            throw alreadyOpen(requested);
        }
        final KafkaMeteredStream stream;
        try {
            // Before the Reserve: a Cycles server reserves here, and the Reserve carries what it granted.
            final Admission admission = decisions.admit(reservation);
            stream = new KafkaMeteredStream(admission.reservation(), context);
            if (openStreams.putIfAbsent(stream.reservationId(), stream) != null) {
                // The server answered with a reservation an open stream holds: it is that stream's, nothing to undo.
                throw alreadyOpen(stream.reservationId());
            }
            try {
                // A close that started after the check above may have missed this stream: it must not write anything.
                if (closed.get()) {
                    admission.notWritten().run();
                    ensureOpen();
                }
                stream.writeReserve(admission);
            } catch (final RuntimeException e) {
                openStreams.remove(stream.reservationId(), stream);
                throw e;
            }
        } finally {
            opening.remove(requested);
        }
        reporter.streamOpened();
        if (decisionMode == DecisionMode.WAIT) {
            stream.awaitAllowed();
        }
        return stream;
    }

    private static IllegalStateException alreadyOpen(final String reservationId) {
        return new IllegalStateException("a stream of reservation " + reservationId + " is already open on this meter");
    }

    /**
     * Writes every pending coalesced chunk, then waits until every event handed to Kafka before this call is
     * acknowledged or failed: at most the block timeout plus the delivery timeout. Failures are reported as always
     * (futures, listener, metrics, log); flush does not throw them. When Kafka refuses a chunk event, the remaining
     * streams' chunks stay pending for the background flusher rather than each waiting the block timeout.
     */
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

    /** The meter's counters. */
    public MeterMetrics metrics() {
        return reporter.snapshot(openStreams.size());
    }

    /** The Kafka producer's own metrics (batching, compression, request latency, buffer use, errors). */
    public Map<MetricName, ? extends Metric> producerMetrics() {
        return producer.metrics();
    }

    /** The full name of the topic the events go to. */
    public String topic() {
        return topic;
    }

    /** The worker id written into every event. */
    public String workerId() {
        return settings.workerId();
    }

    /** Closes within the delivery timeout; see {@link #close(Duration)}. */
    @Override
    public void close() {
        close(settings.deliveryTimeout());
    }

    /**
     * Ends every stream still open with End(FAILED, "meter closed"), writes pending chunks, waits for outstanding
     * events and closes the producer, all within {@code timeout}. Events not acknowledged by then fail (and are
     * reported). Later calls to {@link #open} throw {@link IllegalStateException}; calling close again does nothing.
     *
     * <p>The open streams end on the flusher thread (after the flushes already requested), so that a send blocked
     * on a full buffer cannot stretch the bound: closing the producer at the deadline wakes it with a failure.
     */
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
        decisions.close();
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
    private static Map<String, Object> serdeConfig(final MeterSettings settings) {
        final Map<String, Object> config = new HashMap<>(settings.serdeProperties());
        config.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, settings.schemaRegistryUrl());
        final int quarterOfBlockTimeout = (int) Math.max(1, settings.blockTimeout().toMillis() / 4);
        config.putIfAbsent(AvroSerdeConfig.CONNECT_TIMEOUT_MS_CONFIG, quarterOfBlockTimeout);
        config.putIfAbsent(AvroSerdeConfig.REQUEST_TIMEOUT_MS_CONFIG, quarterOfBlockTimeout);
        config.putIfAbsent(AvroSerdeConfig.MAX_RETRIES_CONFIG, 1);
        return config;
    }

    /**
     * Configures a {@link BudgetMeter}. Every setter checks its argument; {@link #build()} checks the whole and throws
     * {@link IllegalArgumentException} naming the field or property.
     */
    public static final class Builder {

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
        /**
         * Default bound on a decision of the budget ledger: long enough to ride out a rebalance of the topology,
         * short enough that a worker does not hang when no ledger runs.
         */
        public static final Duration DEFAULT_DECISION_TIMEOUT = Duration.ofSeconds(10);

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
        private DecisionMode decisionMode = DecisionMode.EXTERNAL;
        private Duration decisionTimeout = DEFAULT_DECISION_TIMEOUT;
        private Integer replyPartition;
        private CyclesAuthority cycles;

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

        /**
         * Who decides reservations: {@link DecisionMode#EXTERNAL} by default (an authority outside decided before
         * open, as the topology's default {@code metering.authority=EXTERNAL} expects); {@link DecisionMode#WAIT}
         * or {@link DecisionMode#OPTIMISTIC} with the budget ledger ({@code metering.authority=LEDGER}), whose
         * decisions the meter reads from one partition of the decisions topic.
         */
        public Builder decisions(final DecisionMode mode) {
            this.decisionMode = Checks.required("decisions", mode);
            return this;
        }

        /**
         * A Cycles server as the budget authority: {@link BudgetMeter#open} reserves through its API before it
         * writes the Reserve (which carries the server's reservation id and expiry), returns once the server allowed
         * (ALLOW, or ALLOW_WITH_CAPS with the caps in {@link MeteredStream#effectiveMaxTokens}) and throws
         * {@link BudgetRefusedException} on a refusal or {@link AuthorityUnavailableException} when the server gave
         * no answer within the decision timeout. The topology then runs with {@code metering.authority=CYCLES} and
         * the relay applies its commands to the same server. Not combined with {@link #decisions}.
         */
        public Builder cycles(final CyclesAuthority authority) {
            this.cycles = Checks.required("cycles", authority);
            return this;
        }

        /** Bound on the ledger's decision on one reservation, or a Cycles server's; 10 s by default. */
        public Builder decisionTimeout(final Duration decisionTimeout) {
            this.decisionTimeout = Checks.millisRange("decisionTimeout", decisionTimeout, 1, Integer.MAX_VALUE);
            return this;
        }

        /**
         * The partition of the decisions topic this meter reads and its Reserves name; by default the one its
         * worker id hashes to, so that a fleet spreads over the partitions and each process reads one.
         */
        public Builder replyPartition(final int partition) {
            this.replyPartition = (int) Checks.range("replyPartition", partition, 0, Integer.MAX_VALUE);
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
            if (cycles != null && decisionMode != DecisionMode.EXTERNAL) {
                throw new IllegalArgumentException("decisions(" + decisionMode + ") is for the budget ledger; with"
                        + " cycles(...) open reserves through the Cycles API and returns once the server allowed");
            }
            return start(settings(), deliveryListener,
                    new DecisionSettings(decisionMode, decisionTimeout, replyPartition, cycles));
        }

        /**
         * The Kafka producer properties a meter built now would use: its defaults, the extra
         * {@linkplain #producerProperty properties} and the settings its guarantees rest on; without the
         * serializers. Immutable. For running another producer exactly like the meter's, or for logging them.
         *
         * @throws IllegalArgumentException as {@link #build()} does
         */
        public Map<String, Object> producerConfig() {
            return Map.copyOf(ProducerConfigs.of(settings()));
        }

        MeterSettings settings() {
            return new MeterSettings(
                    Checks.required("bootstrapServers", bootstrapServers),
                    Checks.required("schemaRegistryUrl", schemaRegistryUrl),
                    topicPrefix, workerId != null ? workerId : WorkerIds.defaultWorkerId(), coalescing,
                    chunkInterval, chunkTokenThreshold, blockTimeout, deliveryTimeout, bufferMemory,
                    producerProperties, serdeProperties, clock);
        }
    }
}
