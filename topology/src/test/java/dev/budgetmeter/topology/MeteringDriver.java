package dev.budgetmeter.topology;

import dev.budgetmeter.registry.MockSchemaRegistry;
import dev.budgetmeter.schemas.AuditKind;
import dev.budgetmeter.schemas.AuditRecord;
import dev.budgetmeter.schemas.Balance;
import dev.budgetmeter.schemas.BudgetCommand;
import dev.budgetmeter.schemas.CommandResult;
import dev.budgetmeter.schemas.BudgetOperation;
import dev.budgetmeter.schemas.DeadLetter;
import dev.budgetmeter.schemas.Decision;
import dev.budgetmeter.schemas.ReservationSnapshot;
import dev.budgetmeter.schemas.StreamEvent;
import dev.budgetmeter.schemas.Unit;
import dev.budgetmeter.schemas.internal.UsageState;
import dev.budgetmeter.topics.TopicRegistry;
import dev.budgetmeter.topics.Topics;
import dev.budgetmeter.topology.app.MeteringApp;
import dev.budgetmeter.topology.processing.InputClock;
import dev.budgetmeter.topology.processing.RunningTasks;
import dev.budgetmeter.topology.processing.TaskRuntime;
import dev.budgetmeter.topology.processing.UsageFields;
import dev.budgetmeter.topology.state.StateSerde;
import dev.budgetmeter.topology.state.StateStores;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;

/**
 * The metering topology in a {@link TopologyTestDriver} with an in-memory registry, its wall clock starting at
 * {@link #T0}. Outputs are read incrementally: each read returns what was written since the previous one.
 */
final class MeteringDriver implements AutoCloseable {

    private static final StateSerde<ReservationSnapshot> SNAPSHOTS = StateStores.snapshotSerde();

    static final long T0 = 1_700_000_000_000L;

    private final String registryScope = "topology-" + UUID.randomUUID();
    private final Path stateDir = createTempDirectory();
    private final TopologyTestDriver driver;
    private final TestInputTopic<String, StreamEvent> events;
    private final TestInputTopic<byte[], byte[]> raw;
    private final TestOutputTopic<String, BudgetCommand> commands;
    private final TestOutputTopic<String, AuditRecord> audit;
    private final TestOutputTopic<String, DeadLetter> deadLetters;
    private final TopicRegistry topics;
    private final Map<String, TestOutputTopic<String, ?>> outputs = new HashMap<>();
    private long now = T0;

    MeteringDriver() {
        this(Map.of());
    }

    MeteringDriver(final Map<String, ?> overrides) {
        this(overrides, InputClock.CAUGHT_UP);
    }

    /** A driver whose tasks read their input only as far as {@code inputClock} says. */
    MeteringDriver(final Map<String, ?> overrides, final InputClock inputClock) {
        final Map<String, Object> settings = new HashMap<>();
        settings.put(MeteringConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        settings.put(MeteringConfig.SCHEMA_REGISTRY_URL_CONFIG, "mock://" + registryScope);
        settings.put(MeteringConfig.APPLICATION_ID_CONFIG, "metering-test");
        settings.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        settings.putAll(overrides);
        final MeteringConfig config = new MeteringConfig(settings);
        topics = TopicRegistry.create(config.topicPrefix(), config.serdeConfig());
        driver = new TopologyTestDriver(MeteringTopology.build(config, new TaskRuntime(inputClock,
                new RunningTasks())), MeteringApp.streamsProperties(config),
                Instant.ofEpochMilli(T0));
        events = driver.createInputTopic(topics.name(Topics.STREAM_EVENTS), new StringSerializer(),
                topics.topic(Topics.STREAM_EVENTS).valueSerde().serializer());
        raw = driver.createInputTopic(topics.name(Topics.STREAM_EVENTS), new ByteArraySerializer(),
                new ByteArraySerializer());
        commands = driver.createOutputTopic(topics.name(Topics.COMMANDS), new StringDeserializer(),
                topics.topic(Topics.COMMANDS).valueSerde().deserializer());
        audit = driver.createOutputTopic(topics.name(Topics.AUDIT), new StringDeserializer(),
                topics.topic(Topics.AUDIT).valueSerde().deserializer());
        deadLetters = driver.createOutputTopic(topics.name(Topics.DEAD_LETTERS), new StringDeserializer(),
                topics.topic(Topics.DEAD_LETTERS).valueSerde().deserializer());
    }

    /** Sends events under their reservation id, stamped with their occurred_at. */
    MeteringDriver send(final StreamEvent... batch) {
        for (final StreamEvent event : batch) {
            events.pipeInput(event.getReservationId(), event, event.getOccurredAt());
        }
        return this;
    }

    /** Sends events to the input topic {@code topic} (a tenant's, for example) under their reservation id. */
    MeteringDriver sendTo(final String topic, final StreamEvent... batch) {
        final TestInputTopic<String, StreamEvent> input = driver.createInputTopic(topic, new StringSerializer(),
                topics.topic(Topics.STREAM_EVENTS).valueSerde().serializer());
        for (final StreamEvent event : batch) {
            input.pipeInput(event.getReservationId(), event, event.getOccurredAt());
        }
        return this;
    }

    /** A driver with the budget ledger as the authority ({@code metering.authority=LEDGER}). */
    static MeteringDriver withLedger(final Map<String, ?> overrides) {
        final Map<String, Object> settings = new HashMap<>(overrides);
        settings.put(MeteringConfig.AUTHORITY_CONFIG, "LEDGER");
        return new MeteringDriver(settings);
    }

    /** A driver with a Cycles server as the authority ({@code metering.authority=CYCLES}): it reads command results. */
    static MeteringDriver withCycles(final Map<String, ?> overrides) {
        final Map<String, Object> settings = new HashMap<>(overrides);
        settings.put(MeteringConfig.AUTHORITY_CONFIG, "CYCLES");
        return new MeteringDriver(settings);
    }

    /** Sends the relay's results under their command id, as the relay writes them. */
    MeteringDriver answer(final CommandResult... results) {
        final TestInputTopic<String, CommandResult> input = driver.createInputTopic(
                topics.name(Topics.COMMAND_RESULTS), new StringSerializer(),
                topics.topic(Topics.COMMAND_RESULTS).valueSerde().serializer());
        for (final CommandResult result : results) {
            input.pipeInput(result.getCommandId(), result, Instant.ofEpochMilli(now));
        }
        return this;
    }

    /** Raw bytes to the command-results topic. */
    MeteringDriver answerRaw(final byte[] value) {
        driver.createInputTopic(topics.name(Topics.COMMAND_RESULTS), new ByteArraySerializer(),
                new ByteArraySerializer()).pipeInput("r:commit".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                value, Instant.ofEpochMilli(now));
        return this;
    }

    /** Sends budget operations under their tenant, as the CLI does. */
    MeteringDriver budget(final BudgetOperation... operations) {
        for (final BudgetOperation operation : operations) {
            budgetOperations().pipeInput(operation.getTenant(), operation, Instant.ofEpochMilli(now));
        }
        return this;
    }

    /** Sends raw bytes to the budget-operations topic. */
    MeteringDriver sendRawOperation(final byte[] key, final byte[] value) {
        driver.createInputTopic(topics.name(Topics.BUDGET_OPERATIONS), new ByteArraySerializer(),
                new ByteArraySerializer()).pipeInput(key, value, Instant.ofEpochMilli(now));
        return this;
    }

    /** An operation as the CLI serializes it, for crafting records. */
    byte[] serializeOperation(final BudgetOperation operation) {
        return topics.topic(Topics.BUDGET_OPERATIONS).valueSerde().serializer()
                .serialize(topics.name(Topics.BUDGET_OPERATIONS), operation);
    }

    private TestInputTopic<String, BudgetOperation> budgetOperations() {
        return driver.createInputTopic(topics.name(Topics.BUDGET_OPERATIONS), new StringSerializer(),
                topics.topic(Topics.BUDGET_OPERATIONS).valueSerde().serializer());
    }

    /** The decisions written since the last read, with the partition each went to. */
    List<TestRecord<String, Decision>> decisions() {
        return output(Topics.DECISIONS).readRecordsToList();
    }

    /** The budgets' balances published since the last read, in order. */
    List<Balance> balances() {
        return output(Topics.BALANCES).readValuesToList();
    }

    /** The budget of a scope in a unit as the ledger's store holds it, or null. */
    Balance budgetOf(final String scope, final Unit unit) {
        final KeyValueStore<String, Balance> store = driver.getKeyValueStore(StateStores.BUDGETS);
        return store.get(scope + "|" + unit);
    }

    @SuppressWarnings("unchecked")
    private <V extends org.apache.avro.specific.SpecificRecord> TestOutputTopic<String, V> output(
            final dev.budgetmeter.topics.TopicDefinition<String, V> definition) {
        return (TestOutputTopic<String, V>) outputs.computeIfAbsent(definition.baseName(), name ->
                driver.createOutputTopic(topics.name(definition), new StringDeserializer(),
                        topics.topic(definition).valueSerde().deserializer()));
    }

    /** Sends an event under another key than its reservation id. */
    MeteringDriver sendWithKey(final String key, final StreamEvent event) {
        events.pipeInput(key, event, event.getOccurredAt());
        return this;
    }

    MeteringDriver sendRaw(final byte[] key, final byte[] value) {
        raw.pipeInput(key, value, Instant.ofEpochMilli(now));
        return this;
    }

    /** The serializer the workers would use, for crafting bytes. */
    byte[] serialize(final StreamEvent event) {
        return topics.topic(Topics.STREAM_EVENTS).valueSerde().serializer()
                .serialize(topics.name(Topics.STREAM_EVENTS), event);
    }

    /** Serializes an audit record as if a confused producer wrote it to the input topic. */
    byte[] serializeAsInput(final AuditRecord record) {
        return topics.topic(Topics.AUDIT).valueSerde().serializer().serialize(topics.name(Topics.STREAM_EVENTS), record);
    }

    /** Moves the wall clock, firing the punctuations that fall due. */
    MeteringDriver advance(final Duration by) {
        now += by.toMillis();
        driver.advanceWallClockTime(by);
        return this;
    }

    /** Moves the wall clock second by second, like a running application would see it. */
    MeteringDriver advanceInSteps(final Duration by) {
        for (long done = 0; done < by.toMillis(); done += 1_000) {
            advance(Duration.ofMillis(Math.min(1_000, by.toMillis() - done)));
        }
        return this;
    }

    long now() {
        return now;
    }

    List<BudgetCommand> commands() {
        return commands.readValuesToList();
    }

    List<AuditRecord> audits() {
        return audit.readValuesToList();
    }

    List<AuditKind> auditKinds() {
        final List<AuditKind> kinds = new ArrayList<>();
        audits().forEach(record -> kinds.add(record.getKind()));
        return kinds;
    }

    List<DeadLetter> deadLetters() {
        return deadLetters.readValuesToList();
    }

    /** The reservation as the stores hold it: its snapshot with the newer fields of its usage record, if any. */
    ReservationSnapshot reservation(final String id) {
        final KeyValueStore<String, byte[]> store = driver.getKeyValueStore(StateStores.RESERVATIONS);
        final KeyValueStore<String, UsageState> usage = driver.getKeyValueStore(StateStores.USAGE);
        final ReservationSnapshot stored = SNAPSHOTS.deserializer().deserialize(StateStores.RESERVATIONS,
                store.get(id));
        final UsageState newer = usage.get(id);
        return stored == null || newer == null ? stored : UsageFields.over(stored, newer);
    }

    /** The usage record of a reservation, or null when its snapshot holds its usage fields. */
    UsageState usageRecord(final String id) {
        final KeyValueStore<String, UsageState> usage = driver.getKeyValueStore(StateStores.USAGE);
        return usage.get(id);
    }

    /** Writes a reservation straight into the store, as state left by an earlier version would be there. */
    void putReservation(final ReservationSnapshot snapshot) {
        final KeyValueStore<String, byte[]> store = driver.getKeyValueStore(StateStores.RESERVATIONS);
        store.put(snapshot.getReservationId(), SNAPSHOTS.serializer().serialize(StateStores.RESERVATIONS, snapshot));
    }

    /** The deadline index's store, to write entries as an earlier version laid them out. */
    KeyValueStore<Bytes, byte[]> deadlineStore() {
        return driver.getKeyValueStore(StateStores.DEADLINES);
    }

    long storedReservations() {
        final KeyValueStore<String, byte[]> store = driver.getKeyValueStore(StateStores.RESERVATIONS);
        return store.approximateNumEntries();
    }

    Map<String, ?> metricsOf(final String name) {
        final Map<String, Object> values = new HashMap<>();
        driver.metrics().forEach((metricName, metric) -> {
            if (metricName.name().equals(name)) {
                values.put(metricName.tags().toString(), metric.metricValue());
            }
        });
        return values;
    }

    @Override
    public void close() {
        driver.close();
        MockSchemaRegistry.drop(registryScope);
        try {
            Utils.delete(stateDir.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path createTempDirectory() {
        try {
            return Files.createTempDirectory("metering-driver");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
