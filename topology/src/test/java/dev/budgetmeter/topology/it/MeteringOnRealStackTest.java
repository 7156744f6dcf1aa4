package dev.budgetmeter.topology.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.budgetmeter.localstack.KafkaStack;
import dev.budgetmeter.localstack.junit.WithKafkaStack;
import dev.budgetmeter.schemas.AuditRecord;
import dev.budgetmeter.schemas.BudgetCommand;
import dev.budgetmeter.schemas.Commit;
import dev.budgetmeter.schemas.Extend;
import dev.budgetmeter.schemas.Outcome;
import dev.budgetmeter.schemas.Release;
import dev.budgetmeter.schemas.Settlement;
import dev.budgetmeter.schemas.StreamEvent;
import dev.budgetmeter.schemas.fixture.StreamEventFixture;
import dev.budgetmeter.topics.Topic;
import dev.budgetmeter.topics.TopicAdmin;
import dev.budgetmeter.topics.TopicDefinition;
import dev.budgetmeter.topics.TopicRegistry;
import dev.budgetmeter.topics.Topics;
import dev.budgetmeter.topology.MeteringConfig;
import dev.budgetmeter.topology.app.MeteringApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The topology on a real broker and registry with exactly-once: 1,000 concurrent simulated streams, a mix of
 * completed, failed, cancelled and abandoned ones, some long enough to need extends. The oracle reads the commands
 * topic with read_committed: exactly one terminal command per reservation, the extends the long ones need, and
 * committed amounts equal to the priced usage.
 */
@WithKafkaStack
class MeteringOnRealStackTest {

    private static final int STREAMS = 1_000;
    private static final int LONG_STREAMS = 40;
    /**
     * The hold of the long streams: extends are due 4 s after the Reserve. The other streams hold for 30 s, so that a
     * machine loaded enough to delay the Reserves by seconds still reads them before their holds expire.
     */
    private static final long TTL_MS = 8_000;
    private static final long SHORT_STREAM_TTL_MS = 30_000;
    /** Abandoned streams settle 3 s of input after their last event; silence is judged on the input clock. */
    private static final long IDLE_TIMEOUT_MS = 3_000;
    private static final int CHUNKS = 3;

    private final String prefix = "it-" + UUID.randomUUID().toString().substring(0, 8) + ".";
    private final KafkaStack stack;
    private TopicRegistry topics;
    private MeteringApp app;

    MeteringOnRealStackTest(final KafkaStack stack) {
        this.stack = stack;
    }

    @BeforeEach
    void start(@TempDir final Path stateDir) throws Exception {
        final Map<String, Object> settings = new HashMap<>();
        settings.put(MeteringConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        settings.put(MeteringConfig.SCHEMA_REGISTRY_URL_CONFIG, stack.schemaRegistryUrl());
        settings.put(MeteringConfig.APPLICATION_ID_CONFIG, prefix + "metering");
        settings.put(MeteringConfig.TOPIC_PREFIX_CONFIG, prefix);
        settings.put(MeteringConfig.PUNCTUATION_INTERVAL_MS_CONFIG, 200L);
        settings.put(MeteringConfig.IDLE_TIMEOUT_MS_CONFIG, IDLE_TIMEOUT_MS);
        settings.put(MeteringConfig.NUM_STANDBY_REPLICAS_CONFIG, 0);
        settings.put(StreamsConfig.STATE_DIR_CONFIG, Files.createDirectories(stateDir).toString());
        settings.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        final MeteringConfig config = new MeteringConfig(settings);
        topics = TopicRegistry.create(prefix, config.serdeConfig());
        createTopics();
        app = MeteringApp.create(config);
        app.start();
        await().atMost(Duration.ofSeconds(90)).until(app::isReady);
    }

    @AfterEach
    void stop() {
        if (app != null) {
            app.close(Duration.ofSeconds(30));
        }
    }

    @Test
    void every_reservation_ends_with_exactly_one_terminal_command_and_long_streams_are_extended() throws Exception {
        final Map<String, Expected> expected = produceStreams();

        final Map<String, List<BudgetCommand>> commands = new ConcurrentHashMap<>();
        try (KafkaConsumer<String, BudgetCommand> consumer = readCommittedConsumer(Topics.COMMANDS)) {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(10)).until(() -> {
                consumer.poll(Duration.ofMillis(500)).forEach(record ->
                        commands.computeIfAbsent(record.key(), key -> new ArrayList<>()).add(record.value()));
                return expected.keySet().stream().allMatch(id -> terminals(commands.get(id)).size() >= 1);
            });
            // A little longer, so a second terminal command would have time to show up.
            consumer.poll(Duration.ofSeconds(2)).forEach(record ->
                    commands.computeIfAbsent(record.key(), key -> new ArrayList<>()).add(record.value()));
        }
        final Map<String, List<String>> history = auditHistory();

        assertThat(commands.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
        expected.forEach((id, want) -> {
            final List<BudgetCommand> terminal = terminals(commands.get(id));
            final String story = id + ", audit history " + history.get(id);
            assertThat(terminal).as("terminal commands of %s", story).hasSize(1);
            final Object body = terminal.get(0).getBody();
            if (want.releaseReason() != null) {
                assertThat(body).as(story).isInstanceOf(Release.class);
                assertThat(((Release) body).getReason()).isEqualTo(want.releaseReason());
            } else {
                assertThat(body).as(story).isInstanceOf(Commit.class);
                assertThat(((Commit) body).getSettlement()).as(story).isEqualTo(want.settlement());
                assertThat(((Commit) body).getActual().getAmount()).as(story).isEqualTo(want.amount());
            }
            final List<BudgetCommand> extendsOf = commands.get(id).stream()
                    .filter(command -> command.getBody() instanceof Extend).toList();
            if (want.long_()) {
                assertThat(extendsOf).as("extends of the long stream %s", id).isNotEmpty();
            }
            assertThat(extendsOf).extracting(BudgetCommand::getIdempotencyKey)
                    .as("extend keys of %s", id).doesNotHaveDuplicates();
        });
        final Map<String, Long> outcomes = commands.values().stream().map(MeteringOnRealStackTest::terminals)
                .map(list -> list.get(0).getBody().getClass().getSimpleName())
                .collect(Collectors.groupingBy(name -> name, Collectors.counting()));
        assertThat(outcomes.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(STREAMS);
    }

    /** What the oracle expects of one stream. */
    private record Expected(Settlement settlement, long amount, String releaseReason, boolean long_) {
    }

    private Map<String, Expected> produceStreams() throws Exception {
        final Map<String, Expected> expected = new HashMap<>();
        final List<String> ids = new ArrayList<>();
        try (KafkaProducer<String, StreamEvent> producer = producer()) {
            final Topic<String, StreamEvent> input = topics.topic(Topics.STREAM_EVENTS);
            final long start = System.currentTimeMillis();
            for (int i = 0; i < STREAMS; i++) {
                final String id = "r-" + i + "-" + UUID.randomUUID();
                ids.add(id);
                final long ttl = i < LONG_STREAMS ? TTL_MS : SHORT_STREAM_TTL_MS;
                send(producer, input, StreamEventFixture.reserve(id, start, body -> body.setTtlMs(ttl)));
            }
            // Every stream streams a few chunks, interleaved with all the others.
            for (int c = 1; c <= CHUNKS; c++) {
                for (final String id : ids) {
                    send(producer, input, StreamEventFixture.chunk(id, c, System.currentTimeMillis(), 10,
                            c == 1 ? 20 : 0));
                }
            }
            final long billed = 20 * StreamEventFixture.INPUT_PRICE + CHUNKS * 10 * StreamEventFixture.OUTPUT_PRICE;
            for (int i = 0; i < STREAMS; i++) {
                final String id = ids.get(i);
                final int kind = i % 20;
                if (i < LONG_STREAMS) {
                    continue;
                } else if (kind < 12) {
                    send(producer, input, StreamEventFixture.end(id, CHUNKS + 1, System.currentTimeMillis(),
                            Outcome.COMPLETED, null));
                    expected.put(id, new Expected(Settlement.COMPLETED, billed, null, false));
                } else if (kind < 15) {
                    send(producer, input, StreamEventFixture.end(id, CHUNKS + 1, System.currentTimeMillis(),
                            Outcome.FAILED, "boom"));
                    expected.put(id, new Expected(Settlement.PARTIAL_ON_FAILURE, billed, null, false));
                } else if (kind < 17) {
                    send(producer, input, StreamEventFixture.end(id, CHUNKS + 1, System.currentTimeMillis(),
                            Outcome.CANCELLED, null));
                    expected.put(id, new Expected(Settlement.PARTIAL_ON_FAILURE, billed, null, false));
                } else {
                    // Abandoned: no End; the idle timeout commits what was observed.
                    expected.put(id, new Expected(Settlement.PARTIAL_ON_TIMEOUT, billed, null, false));
                }
            }
            producer.flush();
            // The long streams go on for two ttls, one chunk every 400 ms, then complete.
            final int rounds = (int) (TTL_MS * 2 / 400);
            final AtomicLong nextSeq = new AtomicLong(CHUNKS + 1);
            final CountDownLatch done = new CountDownLatch(rounds);
            final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
            try {
                ticker.scheduleAtFixedRate(() -> {
                    if (done.getCount() == 0) {
                        return;
                    }
                    final long s = nextSeq.getAndIncrement();
                    for (int i = 0; i < LONG_STREAMS; i++) {
                        send(producer, input, StreamEventFixture.chunk(ids.get(i), s, System.currentTimeMillis(), 1));
                    }
                    producer.flush();
                    done.countDown();
                }, 0, 400, TimeUnit.MILLISECONDS);
                assertThat(done.await(60, TimeUnit.SECONDS)).as("long streams sent their chunks").isTrue();
            } finally {
                ticker.shutdownNow();
                ticker.awaitTermination(10, TimeUnit.SECONDS);
            }
            final long seq = CHUNKS + 1 + rounds;
            final long longChunks = seq - (CHUNKS + 1);
            for (int i = 0; i < LONG_STREAMS; i++) {
                send(producer, input, StreamEventFixture.end(ids.get(i), seq, System.currentTimeMillis(),
                        Outcome.COMPLETED, null));
                expected.put(ids.get(i), new Expected(Settlement.COMPLETED,
                        billed + longChunks * StreamEventFixture.OUTPUT_PRICE,
                        null, true));
            }
            producer.flush();
        }
        return expected;
    }

    private static void send(final KafkaProducer<String, StreamEvent> producer, final Topic<String, StreamEvent> topic,
                             final StreamEvent event) {
        producer.send(new ProducerRecord<>(topic.name(), event.getReservationId(), event));
    }

    private static List<BudgetCommand> terminals(final List<BudgetCommand> commands) {
        if (commands == null) {
            return List.of();
        }
        return commands.stream()
                .filter(command -> command.getBody() instanceof Commit || command.getBody() instanceof Release)
                .toList();
    }

    private void createTopics() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            final List<NewTopic> newTopics = new ArrayList<>();
            for (final TopicDefinition<String, ?> definition : Topics.ALL) {
                newTopics.add(new NewTopic(topics.name(definition), 3, (short) 1).configs(definition.configs()));
            }
            TopicAdmin.createAndAwaitLeaders(admin, newTopics, Duration.ofSeconds(60));
        }
    }

    private KafkaProducer<String, StreamEvent> producer() {
        final Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        properties.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        properties.put(ProducerConfig.BATCH_SIZE_CONFIG, 65_536);
        final Topic<String, StreamEvent> input = topics.topic(Topics.STREAM_EVENTS);
        return new KafkaProducer<>(properties, input.keySerde().serializer(), input.valueSerde().serializer());
    }

    /** Every audit record written so far, as "KIND(detail)" per reservation, to explain a failed expectation. */
    private Map<String, List<String>> auditHistory() {
        final Map<String, List<String>> history = new HashMap<>();
        try (KafkaConsumer<String, AuditRecord> consumer = readCommittedConsumer(Topics.AUDIT)) {
            int empty = 0;
            while (empty < 3) {
                final var records = consumer.poll(Duration.ofMillis(500));
                empty = records.isEmpty() ? empty + 1 : 0;
                records.forEach(record -> history.computeIfAbsent(record.key(), key -> new ArrayList<>())
                        .add(record.value().getKind() + (record.value().getDetail() == null ? ""
                                : "(" + record.value().getDetail() + ")") + "@" + record.value().getAt()));
            }
        }
        return history;
    }

    private <V extends SpecificRecord> KafkaConsumer<String, V> readCommittedConsumer(
            final TopicDefinition<String, V> definition) {
        final Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, prefix + "oracle-" + definition.baseName());
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString().toLowerCase());
        final Topic<String, V> topic = topics.topic(definition);
        final KafkaConsumer<String, V> consumer = new KafkaConsumer<>(properties, topic.keySerde().deserializer(),
                topic.valueSerde().deserializer());
        consumer.subscribe(List.of(topic.name()));
        return consumer;
    }
}
