package dev.budgetmeter.bench.jmh;

import dev.budgetmeter.producer.Amount;
import dev.budgetmeter.producer.BudgetMeter;
import dev.budgetmeter.producer.MeteredStream;
import dev.budgetmeter.producer.StreamReservation;
import dev.budgetmeter.producer.Subject;
import dev.budgetmeter.registry.serde.AvroSerdeConfig;
import dev.budgetmeter.schemas.Chunk;
import dev.budgetmeter.schemas.ProducerInfo;
import dev.budgetmeter.schemas.StreamEvent;
import dev.budgetmeter.topics.Topic;
import dev.budgetmeter.topics.TopicRegistry;
import dev.budgetmeter.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The producer library's hot path against a raw {@link KafkaProducer#send} of pre-serialized bytes of the same
 * size, all on the real local broker of the run (named by the system properties below, which the runner passes to
 * every fork). The raw producer has the library's producer settings ({@link BudgetMeter.Builder#producerConfig()}),
 * so the difference is the library's own work:
 * building and serializing the event, its sequence and locking, its delivery tracking.
 *
 * <p>Each invocation makes {@link #BATCH} calls, then (untimed) waits until the broker acknowledged them. So a call
 * never waits for buffer space: in a tight loop without that pause the producer's buffer fills within milliseconds
 * and every variant then measures how fast the broker, on the same cores, drains it rather than the call.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ProducerOverheadBenchmark {

    /** System property: the broker's bootstrap servers. */
    public static final String BOOTSTRAP_PROPERTY = "budgetmeter.bench.bootstrap";
    /** System property: the schema registry URL. */
    public static final String REGISTRY_PROPERTY = "budgetmeter.bench.registry";
    /** System property: the topic prefix, whose stream-events topic exists. */
    public static final String PREFIX_PROPERTY = "budgetmeter.bench.prefix";

    /** Calls per invocation, between two untimed flushes. */
    public static final int BATCH = 1_000;
    private static final String WORKER_ID = "bench-worker";
    /** The library's version tag for this version, so the raw records have the library's size. */
    private static final String LIBRARY_VERSION = "budget-meter-java/0.1.0-SNAPSHOT";

    /** One output token per call, as a token loop reports it. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void chunkCoalesced(final CoalescingStream state) {
        for (int i = 0; i < BATCH; i++) {
            state.stream().chunk(1);
        }
    }

    /** One output token per call, one event per call. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void chunkPerEvent(final PerEventStream state) {
        for (int i = 0; i < BATCH; i++) {
            state.stream().chunk(1);
        }
    }

    /**
     * Chunk events, already serialized, sent by a plain producer: as many distinct events as calls (each with its own
     * event id, like the library's), not one array sent again and again, which LZ4 would compress to almost nothing
     * and so make the raw side cheaper than any real stream of events could be.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void rawSend(final RawProducer state, final Blackhole sent) {
        for (int i = 0; i < BATCH; i++) {
            sent.consume(state.producer.send(new ProducerRecord<>(state.topic, state.key, state.values[i])));
        }
    }

    /** An open stream of a meter; subclasses choose whether the meter coalesces chunks. */
    public abstract static class StreamState {
        private BudgetMeter meter;
        private MeteredStream stream;

        abstract boolean coalescing();

        @Setup(Level.Trial)
        public void open() {
            meter = meter(coalescing());
            stream = meter.open(reservation());
        }

        /** Untimed: lets the batch's events (or the background flusher's) reach the broker. */
        @TearDown(Level.Invocation)
        public void drain() {
            meter.flush();
        }

        @TearDown(Level.Trial)
        public void close() {
            stream.complete();
            meter.close(Duration.ofSeconds(30));
        }

        MeteredStream stream() {
            return stream;
        }
    }

    /** A stream of a meter with coalescing (the default). */
    @State(Scope.Benchmark)
    public static class CoalescingStream extends StreamState {
        @Override
        boolean coalescing() {
            return true;
        }
    }

    /** A stream of a meter without coalescing: every chunk() writes one event. */
    @State(Scope.Benchmark)
    public static class PerEventStream extends StreamState {
        @Override
        boolean coalescing() {
            return false;
        }
    }

    /** A plain producer with the library's settings and one chunk event's bytes. */
    @State(Scope.Benchmark)
    public static class RawProducer {
        private KafkaProducer<byte[], byte[]> producer;
        private String topic;
        private byte[] key;
        private byte[][] values;

        @Setup(Level.Trial)
        public void open() {
            topic = inputTopic().name();
            final String reservationId = UUID.randomUUID().toString();
            key = reservationId.getBytes(StandardCharsets.UTF_8);
            values = chunkEventValues(reservationId, BATCH);
            // The very properties the meter's own producer gets, so only the library's work differs.
            producer = new KafkaProducer<>(meterBuilder(false).producerConfig(), new ByteArraySerializer(),
                    new ByteArraySerializer());
        }

        /** Untimed: waits for the batch's records. */
        @TearDown(Level.Invocation)
        public void drain() {
            producer.flush();
        }

        @TearDown(Level.Trial)
        public void close() {
            producer.close(Duration.ofSeconds(30));
        }
    }

    static BudgetMeter meter(final boolean coalescing) {
        return meterBuilder(coalescing).build();
    }

    static BudgetMeter.Builder meterBuilder(final boolean coalescing) {
        return BudgetMeter.builder()
                .bootstrapServers(property(BOOTSTRAP_PROPERTY))
                .schemaRegistryUrl(property(REGISTRY_PROPERTY))
                .topicPrefix(property(PREFIX_PROPERTY))
                .workerId(WORKER_ID)
                .coalescing(coalescing);
    }

    static StreamReservation reservation() {
        return StreamReservation.builder()
                .subject(Subject.tenant("acme").workspace("prod").agent("bench-agent"))
                .action("llm.completion", "gpt-4o")
                .estimate(Amount.usdMicrocents(1_000_000))
                .build();
    }

    /** Chunk events as the library writes them: each its own UUID event id, a large seq, this worker and library. */
    static byte[][] chunkEventValues(final String reservationId, final int count) {
        final Topic<String, StreamEvent> input = inputTopic();
        final byte[][] values = new byte[count][];
        try (Serializer<StreamEvent> serializer = input.valueSerde().serializer()) {
            for (int i = 0; i < count; i++) {
                values[i] = serializer.serialize(input.name(), new StreamEvent(UUID.randomUUID().toString(),
                        reservationId, 1_000_000L + i, Instant.ofEpochMilli(1_700_000_000_000L),
                        new ProducerInfo(WORKER_ID, LIBRARY_VERSION), new Chunk(1L, 0L, 1)));
            }
        }
        return values;
    }

    static Topic<String, StreamEvent> inputTopic() {
        return TopicRegistry.create(property(PREFIX_PROPERTY),
                Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, property(REGISTRY_PROPERTY)))
                .topic(Topics.STREAM_EVENTS);
    }

    static String property(final String name) {
        final String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + name + " is not set: run the benchmark through"
                    + " BenchMain, which passes the local stack's addresses to JMH");
        }
        return value;
    }
}
