package dev.budgetmeter.bench.env;

import dev.budgetmeter.bench.load.EventTemplates;
import dev.budgetmeter.bench.load.LoadProducers;
import dev.budgetmeter.bench.load.StreamShape;
import dev.budgetmeter.bench.report.Progress;
import dev.budgetmeter.localstack.LocalKafkaStack;
import dev.budgetmeter.schemas.StreamEvent;
import dev.budgetmeter.topics.CommandWatcher;
import dev.budgetmeter.topics.Topic;
import dev.budgetmeter.topics.TopicAdmin;
import dev.budgetmeter.topics.TopicDefinition;
import dev.budgetmeter.topics.TopicRegistry;
import dev.budgetmeter.topics.Topics;
import dev.budgetmeter.topology.MeteringConfig;
import dev.budgetmeter.topology.lifecycle.Authority;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The running parts the broker scenarios share, each started on first use and closed with the environment: the
 * local stack (in-process KRaft broker and Apicurio registry), an admin client, the load producer, and the metering
 * application with a watcher on its commands topic. Topics of each role get their own prefix under a random run
 * tag, so runs never see each other's data; every topic has {@link #PARTITIONS} partitions.
 *
 * <p>Not thread-safe: the run's main thread owns it.
 */
public final class LiveEnvironment implements AutoCloseable {

    /** Role of the metering application's topics and state. */
    public static final String METERING = "metering";
    /** Role of the pass-through baseline's topics and state. */
    public static final String BASELINE = "baseline";
    /** The role of the stateful-floor baseline's topics and state. */
    public static final String FLOOR = "stateful-floor";
    /** Role of the producer benchmarks' topic. */
    public static final String JMH = "jmh";
    /** Partitions of every topic both topologies read and write: the same for metering and baseline. */
    public static final int PARTITIONS = 3;
    private static final String SCOPE = "stack";

    private final Duration meteringIdleTimeout;
    private final Progress progress;
    private final String runTag = UUID.randomUUID().toString().substring(0, 8);
    private final AtomicLong streamNumbers = new AtomicLong();
    private final Deque<AutoCloseable> opened = new ArrayDeque<>();
    private LocalKafkaStack stack;
    private Admin admin;
    private KafkaProducer<byte[], byte[]> loadProducer;
    private TopicRegistry meteringTopics;
    private MeteringUnderTest metering;
    private CommandWatcher meteringCommands;

    /**
     * @param meteringIdleTimeout the {@code metering.idle.timeout.ms} of every measured application
     * @param progress            where the stack's start and stop are shown
     */
    public LiveEnvironment(final Duration meteringIdleTimeout, final Progress progress) {
        this.meteringIdleTimeout = meteringIdleTimeout;
        this.progress = progress;
    }

    /** The local stack, started on first use. */
    public LocalKafkaStack stack() {
        if (stack == null) {
            progress.update(SCOPE, "starting the local Kafka broker and schema registry...");
            stack = remember(LocalKafkaStack.start());
            progress.done(SCOPE, "local stack up in " + stack.startupTime().toMillis() + " ms");
        }
        return stack;
    }

    /** An admin client of the stack's broker. */
    public Admin admin() {
        if (admin == null) {
            admin = remember(Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    stack().bootstrapServers())));
        }
        return admin;
    }

    /** The load generator's producer. */
    public KafkaProducer<byte[], byte[]> loadProducer() {
        if (loadProducer == null) {
            loadProducer = remember(LoadProducers.create(stack().bootstrapServers()));
        }
        return loadProducer;
    }

    /** Unique numbers for simulated streams, across every scenario of the run. */
    public long nextStreamNumber() {
        return streamNumbers.getAndIncrement();
    }

    /**
     * Creates the topics of a role under its own prefix and returns their registry.
     *
     * @param role        e.g. {@code metering}, {@code baseline}, {@code jmh}
     * @param definitions which topics
     */
    public TopicRegistry createTopics(final String role, final List<TopicDefinition<String, ?>> definitions) {
        final TopicRegistry topics = TopicRegistry.create(prefix(role), serdeConfig());
        final List<NewTopic> newTopics = definitions.stream()
                .map(definition -> new NewTopic(topics.name(definition), PARTITIONS, (short) 1)
                        .configs(definition.configs()))
                .toList();
        TopicAdmin.createAndAwaitLeaders(admin(), newTopics, Duration.ofSeconds(60));
        return topics;
    }

    /** The topic name prefix of a role in this run. */
    public String prefix(final String role) {
        return "bench-" + runTag + "-" + role + ".";
    }

    /** The Streams configuration of a measured application of {@code role}, on its own state directory. */
    public MeteringConfig streamsConfig(final String role, final StateDirectory stateDirectory) {
        return streamsConfig(role, stateDirectory, Map.of());
    }

    /** The same, with further settings. */
    public MeteringConfig streamsConfig(final String role, final StateDirectory stateDirectory,
                                        final Map<String, Object> overrides) {
        return BenchStreamsConfig.of(stack(), prefix(role), prefix(role) + "app", stateDirectory.path(),
                meteringIdleTimeout, overrides);
    }

    /** The metering application, started on first use and kept running for the scenarios after. */
    public MeteringUnderTest metering() {
        if (metering == null) {
            progress.update(METERING, "starting the metering application...");
            final StateDirectory state = StateDirectory.create(METERING);
            metering = MeteringUnderTest.start(METERING, streamsConfig(METERING, state), meteringTopics(), state);
            meteringCommands = CommandWatcher.start(stack().bootstrapServers(),
                    meteringTopics().topic(Topics.COMMANDS), CommandWatcher.From.BEGINNING,
                    CommandWatcher.SettlementListener.NONE);
            progress.done(METERING, "metering application running (" + metering.applicationId() + ")");
        }
        return metering;
    }

    /**
     * Stops the metering application and its watcher, if running, so that later scenarios do not share the cores
     * with it; {@link #metering()} would start a new one.
     */
    public void stopMetering() {
        if (metering == null) {
            return;
        }
        try {
            meteringCommands.close();
        } finally {
            metering.close();
            metering = null;
            meteringCommands = null;
        }
    }

    /** The read_committed watcher of the metering application's commands. */
    public CommandWatcher meteringCommands() {
        metering();
        return meteringCommands;
    }

    /** The metering application's topics, created on first use (the application need not run). */
    public TopicRegistry meteringTopics() {
        if (meteringTopics == null) {
            meteringTopics = createTopics(METERING, Topics.ALL);
        }
        return meteringTopics;
    }

    /**
     * Starts the pass-through baseline on its own topics; the caller closes it.
     */
    public BaselineUnderTest startBaseline() {
        final TopicRegistry topics = createTopics(BASELINE, List.of(Topics.STREAM_EVENTS, Topics.COMMANDS));
        final StateDirectory state = StateDirectory.create(BASELINE);
        return BaselineUnderTest.passThrough(streamsConfig(BASELINE, state), topics, state);
    }

    /**
     * Starts the stateful-floor baseline (one store get and put per record, see {@link BaselineTopologies}) on its
     * own topics; the caller closes it.
     */
    public BaselineUnderTest startStatefulFloor() {
        final TopicRegistry topics = createTopics(FLOOR, List.of(Topics.STREAM_EVENTS, Topics.COMMANDS));
        final StateDirectory state = StateDirectory.create(FLOOR);
        return BaselineUnderTest.statefulFloor(streamsConfig(FLOOR, state), topics, state);
    }

    /**
     * Starts the metering application with the budget ledger ({@code metering.authority=LEDGER}) on topics of its
     * own role, and a counter of its decisions; the caller closes it.
     *
     * @param role           the role of its topics and state, e.g. {@code ledger-100ms}
     * @param commitInterval its {@code commit.interval.ms}, or null for Kafka Streams' exactly-once default
     */
    public LedgerUnderTest startLedger(final String role, final Duration commitInterval) {
        final TopicRegistry topics = createTopics(role, Topics.ALL);
        final Map<String, Object> overrides = new HashMap<>();
        overrides.put(MeteringConfig.AUTHORITY_CONFIG, Authority.LEDGER.name());
        if (commitInterval != null) {
            overrides.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitInterval.toMillis());
        }
        progress.update(role, "starting the metering application with the budget ledger...");
        final StateDirectory state = StateDirectory.create(role);
        final MeteringUnderTest app = MeteringUnderTest.start(role, streamsConfig(role, state, overrides), topics,
                state);
        try {
            final LedgerUnderTest ledger = new LedgerUnderTest(app, topics, stack(),
                    DecisionCounter.start(stack().bootstrapServers(), topics.topic(Topics.DECISIONS)));
            progress.done(role, "budget ledger running (" + app.applicationId() + ", commit interval "
                    + app.commitInterval().toMillis() + " ms)");
            return ledger;
        } catch (final RuntimeException e) {
            app.close();
            throw e;
        }
    }

    /** The serialized events of a stream shape, as the metering application's input topic expects them. */
    public EventTemplates templates(final StreamShape shape) {
        return templates(shape, meteringTopics());
    }

    /** The serialized events of a stream shape, as the input topic of {@code topics} expects them. */
    public EventTemplates templates(final StreamShape shape, final TopicRegistry topics) {
        final Topic<String, StreamEvent> input = topics.topic(Topics.STREAM_EVENTS);
        return EventTemplates.of(shape, input.valueSerde().serializer(), input.valueSerde().deserializer(),
                input.name());
    }

    /**
     * Records written per input record processed by the application of {@code role}, per topic (its outputs,
     * changelogs and repartition topics), by topic name without the role's prefix.
     */
    public Map<String, Double> writesPerInput(final String role, final AppUnderTest app) {
        return writesPer(role, app, progressOf(app).snapshot().processed());
    }

    /**
     * Records written by the application of {@code role} per {@code units} of work (e.g. decisions), per topic
     * without the role's prefix, its input topic left out.
     */
    public Map<String, Double> writesPer(final String role, final AppUnderTest app, final long units) {
        final String prefix = prefix(role);
        final Map<String, Long> records = TopicVolumes.of(admin(), prefix);
        final Map<String, Double> perUnit = new TreeMap<>();
        records.forEach((topic, count) -> {
            if (!topic.equals(app.inputTopic())) {
                perUnit.put(topic.substring(prefix.length()), units == 0 ? 0.0 : (double) count / units);
            }
        });
        return perUnit;
    }

    /** How far {@code app} has got through its input. */
    public InputProgress progressOf(final AppUnderTest app) {
        return new InputProgress(admin(), app.applicationId(), app.inputTopic(), PARTITIONS);
    }

    private Map<String, Object> serdeConfig() {
        return Map.of(MeteringConfig.SCHEMA_REGISTRY_URL_CONFIG, stack().schemaRegistryUrl());
    }

    private <T extends AutoCloseable> T remember(final T resource) {
        opened.push(resource);
        return resource;
    }

    /** Closes what was started, newest first. */
    @Override
    public void close() {
        RuntimeException failure = null;
        try {
            stopMetering();
        } catch (final RuntimeException e) {
            failure = e;
        }
        while (!opened.isEmpty()) {
            try {
                opened.pop().close();
            } catch (final Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("closing the benchmark environment failed", e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
