package dev.budgetmeter.bench.scenario;

import dev.budgetmeter.bench.env.StateDirectory;
import dev.budgetmeter.bench.load.BenchEvents;
import dev.budgetmeter.bench.load.EventTemplates;
import dev.budgetmeter.bench.load.StreamShape;
import dev.budgetmeter.registry.MockSchemaRegistry;
import dev.budgetmeter.schemas.StreamEvent;
import dev.budgetmeter.schemas.internal.OrphanBuffer;
import dev.budgetmeter.schemas.internal.UsageState;
import dev.budgetmeter.topics.Topic;
import dev.budgetmeter.topics.TopicRegistry;
import dev.budgetmeter.topics.Topics;
import dev.budgetmeter.topology.MeteringConfig;
import dev.budgetmeter.topology.MeteringTopology;
import dev.budgetmeter.topology.state.StateSerde;
import dev.budgetmeter.topology.state.StateStores;
import java.nio.charset.StandardCharsets;
import java.util.function.ToIntFunction;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The real metering topology in a {@link TopologyTestDriver} (one task holding every reservation, RocksDB stores,
 * an in-memory schema registry), for timing its deadline punctuation without a broker. The wall clock moves only
 * when {@link #punctuate()} moves it, one punctuation interval at a time.
 *
 * <p>Background reservations have a 24 h ttl and a 1 h idle timeout, so none falls due while measured; "due"
 * reservations are given an expiry so that their extend falls due in a chosen punctuation.
 */
final class PunctuationRig implements AutoCloseable {

    static final Duration INTERVAL = Duration.ofSeconds(1);
    private static final long T0 = 1_700_000_000_000L;
    private static final Duration BACKGROUND_TTL = Duration.ofDays(1);
    private static final Duration DUE_TTL = Duration.ofMinutes(10);
    private static final Duration IDLE_TIMEOUT = Duration.ofHours(1);
    private static final int OUTPUT_DRAIN_EVERY = 10_000;

    private final String registryScope = "bench-scale-" + UUID.randomUUID();
    private final StateDirectory stateDirectory = StateDirectory.create("scale");
    private final TopologyTestDriver driver;
    private final TestInputTopic<byte[], byte[]> input;
    private final List<TestOutputTopic<byte[], byte[]>> outputs;
    private final TestOutputTopic<byte[], byte[]> commands;
    private final Serializer<StreamEvent> serializer;
    private final TopicRegistry topics;
    private final String inputName;
    private final EventTemplates reserveOnly;
    private long now = T0;
    private long nextStream;
    private long reservations;

    PunctuationRig() {
        final Map<String, Object> settings = new HashMap<>();
        settings.put(MeteringConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        settings.put(MeteringConfig.SCHEMA_REGISTRY_URL_CONFIG, "mock://" + registryScope);
        settings.put(MeteringConfig.APPLICATION_ID_CONFIG, "bench-scale");
        settings.put(MeteringConfig.IDLE_TIMEOUT_MS_CONFIG, IDLE_TIMEOUT.toMillis());
        settings.put(MeteringConfig.PUNCTUATION_INTERVAL_MS_CONFIG, INTERVAL.toMillis());
        settings.put(StreamsConfig.STATE_DIR_CONFIG, stateDirectory.path().toString());
        final MeteringConfig config = new MeteringConfig(settings);
        topics = TopicRegistry.create(config.topicPrefix(), config.serdeConfig());
        driver = new TopologyTestDriver(MeteringTopology.build(config), config.streamsProperties(),
                Instant.ofEpochMilli(T0));
        final Topic<String, StreamEvent> events = topics.topic(Topics.STREAM_EVENTS);
        inputName = events.name();
        serializer = events.valueSerde().serializer();
        input = driver.createInputTopic(inputName, new ByteArraySerializer(), new ByteArraySerializer());
        commands = output(topics.name(Topics.COMMANDS));
        outputs = List.of(commands, output(topics.name(Topics.AUDIT)), output(topics.name(Topics.DEAD_LETTERS)));
        reserveOnly = EventTemplates.of(new StreamShape(0, StreamShape.Ending.ABANDONED, BACKGROUND_TTL,
                BenchEvents.DEFAULT_TENANT), serializer, events.valueSerde().deserializer(), inputName);
    }

    /** Opens {@code count} reservations that stay quiet for the rest of the run. */
    void addBackground(final long count) {
        for (long i = 0; i < count; i++) {
            final long stream = nextStream++;
            input.pipeInput(EventTemplates.key(stream), reserveOnly.value(0, stream, now), now);
            if (i % OUTPUT_DRAIN_EVERY == OUTPUT_DRAIN_EVERY - 1) {
                discardOutputs();
            }
        }
        reservations += count;
        discardOutputs();
    }

    /** Opens reservations so that {@code perPunctuation} fall due in each of the next {@code punctuations}. */
    void addDue(final int perPunctuation, final int punctuations) {
        for (int p = 1; p <= punctuations; p++) {
            // Due half an interval before punctuation p, so it is due there and not one earlier.
            final long checkAt = now + p * INTERVAL.toMillis() - INTERVAL.toMillis() / 2;
            // The extend falls due at expiry - ttl / 2 (the default lead).
            final long expiresAt = checkAt + DUE_TTL.toMillis() / 2;
            for (int i = 0; i < perPunctuation; i++) {
                final String id = EventTemplates.reservationId(nextStream++);
                input.pipeInput(id.getBytes(StandardCharsets.UTF_8),
                        serializer.serialize(inputName, BenchEvents.reserve(id, now, DUE_TTL, expiresAt)), now);
            }
        }
        reservations += (long) perPunctuation * punctuations;
        discardOutputs();
    }

    /**
     * Moves the wall clock by one interval, which runs the punctuation and the commit after it.
     *
     * @return how long that took, in nanoseconds
     */
    long punctuate() {
        final long start = System.nanoTime();
        driver.advanceWallClockTime(INTERVAL);
        final long took = System.nanoTime() - start;
        now += INTERVAL.toMillis();
        return took;
    }

    /** Commands written since the last call (each handled due reservation writes one Extend). */
    int takeCommands() {
        final int count = commands.readRecordsToList().size();
        discardOutputs();
        return count;
    }

    /** Reservations opened so far; none is settled while measured. */
    long reservations() {
        return reservations;
    }

    /**
     * The bytes the lifecycle's four stores hold: every key and value as serialized into RocksDB. RocksDB's own size
     * metrics would miss what sits in memtables, which Kafka Streams 4.3 no longer flushes on commit.
     */
    long storedBytes() {
        return rawBytes(StateStores.RESERVATIONS, (String id) -> id.getBytes(StandardCharsets.UTF_8).length)
                + serializedBytes(StateStores.USAGE, UsageState.class)
                + serializedBytes(StateStores.ORPHANS, OrphanBuffer.class)
                + rawBytes(StateStores.DEADLINES, (Bytes key) -> key.get().length);
    }

    private <V extends SpecificRecord> long serializedBytes(final String store, final Class<V> type) {
        final KeyValueStore<String, V> entries = driver.getKeyValueStore(store);
        long bytes = 0;
        // The stores' own serde, so the figure is what RocksDB and the changelog hold.
        try (Serializer<V> values = new StateSerde<>(type).serializer();
             KeyValueIterator<String, V> all = entries.all()) {
            while (all.hasNext()) {
                final KeyValue<String, V> entry = all.next();
                bytes += entry.key.getBytes(StandardCharsets.UTF_8).length
                        + values.serialize(store, entry.value).length;
            }
        }
        return bytes;
    }

    /** The snapshots and the deadlines, which their stores hold serialized already. */
    private <K> long rawBytes(final String store, final ToIntFunction<K> keyBytes) {
        final KeyValueStore<K, byte[]> entries = driver.getKeyValueStore(store);
        long bytes = 0;
        try (KeyValueIterator<K, byte[]> all = entries.all()) {
            while (all.hasNext()) {
                final KeyValue<K, byte[]> entry = all.next();
                bytes += keyBytes.applyAsInt(entry.key) + entry.value.length;
            }
        }
        return bytes;
    }

    private TestOutputTopic<byte[], byte[]> output(final String topic) {
        return driver.createOutputTopic(topic, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** The driver keeps every output record until read: read and drop them, so memory stays bounded. */
    private void discardOutputs() {
        outputs.forEach(output -> {
            while (!output.isEmpty()) {
                output.readRecordsToList();
            }
        });
    }

    @Override
    public void close() {
        try {
            driver.close();
        } finally {
            MockSchemaRegistry.drop(registryScope);
            stateDirectory.close();
        }
    }
}
