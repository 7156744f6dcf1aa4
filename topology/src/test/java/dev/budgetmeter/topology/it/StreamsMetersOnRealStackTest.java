package dev.budgetmeter.topology.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.budgetmeter.localstack.KafkaStack;
import dev.budgetmeter.localstack.junit.WithKafkaStack;
import dev.budgetmeter.schemas.StreamEvent;
import dev.budgetmeter.topics.Topic;
import dev.budgetmeter.topics.TopicAdmin;
import dev.budgetmeter.topics.TopicDefinition;
import dev.budgetmeter.topics.TopicRegistry;
import dev.budgetmeter.topics.Topics;
import dev.budgetmeter.topology.Events;
import dev.budgetmeter.topology.MeteringConfig;
import dev.budgetmeter.topology.app.MeteringApp;
import dev.budgetmeter.topology.app.StreamsMeters;
import dev.budgetmeter.topology.processing.MeteringMetrics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link StreamsMeters} on a real broker and registry, bound before the application starts, as {@code budget-meter
 * run} binds it: the per-task {@code active-reservations} gauges of tasks created after binding, on the first instance
 * and on a second one that takes every task over when the first closes, are in the registry with the values Kafka
 * Streams holds as soon as a refresh returns, without waiting for Micrometer's own schedule.
 */
@WithKafkaStack
class StreamsMetersOnRealStackTest {

    private static final String ACTIVE = "kafka.budget.meter.active.reservations";
    private static final int RESERVATIONS = 6;
    /** Long enough that no hold expires and no stream idles out while the test runs, loaded machine included. */
    private static final long HOLD_MS = 3_600_000;

    private final String prefix = "meters-" + UUID.randomUUID().toString().substring(0, 8) + ".";
    private final KafkaStack stack;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    StreamsMetersOnRealStackTest(final KafkaStack stack) {
        this.stack = stack;
    }

    @AfterEach
    void close() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    @Test
    void a_refresh_shows_every_task_gauge_created_after_binding_on_the_first_owner_and_after_a_fail_over(
            @TempDir final Path stateDir) throws Exception {
        final MeteringConfig configA = config(stateDir.resolve("a"));
        final TopicRegistry topics = TopicRegistry.create(prefix, configA.serdeConfig());
        createTopics(topics);
        final MeterRegistry registryA = new SimpleMeterRegistry();
        final MeteringApp first = MeteringApp.create(configA);
        toClose.add(first);
        final StreamsMeters metersA = first.meterBinder();
        toClose.add(metersA);
        metersA.bindTo(registryA);
        first.start();
        await().atMost(Duration.ofSeconds(90)).until(first::isReady);

        reserve(topics, RESERVATIONS);
        await().atMost(Duration.ofSeconds(60)).until(() -> total(kafkaGauges(first)) == RESERVATIONS);
        final Map<String, Double> onFirst = kafkaGauges(first);
        metersA.refresh();

        assertThat(meterGauges(registryA)).as("gauges of the first owner's tasks").isEqualTo(onFirst);

        final MeterRegistry registryB = new SimpleMeterRegistry();
        final MeteringApp second = MeteringApp.create(config(stateDir.resolve("b")));
        toClose.add(second);
        final StreamsMeters metersB = second.meterBinder();
        toClose.add(metersB);
        metersB.bindTo(registryB);
        second.start();
        await().atMost(Duration.ofSeconds(90)).until(() -> second.state() == KafkaStreams.State.RUNNING);
        metersA.close();
        first.close(Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(120)).until(() -> second.isReady()
                && kafkaGauges(second).keySet().equals(onFirst.keySet()) && total(kafkaGauges(second)) == RESERVATIONS);
        final Map<String, Double> onSecond = kafkaGauges(second);
        metersB.refresh();

        assertThat(onSecond).as("what the tasks hold after the fail-over, per task").isEqualTo(onFirst);
        assertThat(meterGauges(registryB)).as("gauges of the tasks taken over").isEqualTo(onSecond);
        assertThat(registryA.find(ACTIVE).gauges()).as("meters of the closed binder").isEmpty();
    }

    /** The {@code active-reservations} gauges of the application's tasks as Kafka Streams holds them, by task id. */
    private static Map<String, Double> kafkaGauges(final MeteringApp app) {
        final Map<String, Double> gauges = new TreeMap<>();
        app.metrics().forEach((name, metric) -> {
            if (MeteringMetrics.GROUP.equals(name.group()) && "active-reservations".equals(name.name())) {
                gauges.put(name.tags().get("task-id"), ((Number) metric.metricValue()).doubleValue());
            }
        });
        return gauges;
    }

    /** The same gauges as the registry reads them, by task id. */
    private static Map<String, Double> meterGauges(final MeterRegistry registry) {
        final Map<String, Double> gauges = new TreeMap<>();
        for (final Gauge gauge : registry.find(ACTIVE).gauges()) {
            gauges.put(gauge.getId().getTag("task.id"), gauge.value());
        }
        return gauges;
    }

    private static double total(final Map<String, Double> gauges) {
        return gauges.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    private MeteringConfig config(final Path stateDir) throws Exception {
        final Map<String, Object> settings = new HashMap<>();
        settings.put(MeteringConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        settings.put(MeteringConfig.SCHEMA_REGISTRY_URL_CONFIG, stack.schemaRegistryUrl());
        settings.put(MeteringConfig.APPLICATION_ID_CONFIG, prefix + "metering");
        settings.put(MeteringConfig.TOPIC_PREFIX_CONFIG, prefix);
        settings.put(MeteringConfig.PUNCTUATION_INTERVAL_MS_CONFIG, 200L);
        settings.put(MeteringConfig.IDLE_TIMEOUT_MS_CONFIG, HOLD_MS);
        settings.put(MeteringConfig.NUM_STANDBY_REPLICAS_CONFIG, 0);
        // A closed member stays in the group until its session times out: the broker's smallest one, for a quick
        // fail-over.
        settings.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 6_000);
        settings.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 1_000);
        settings.put(StreamsConfig.STATE_DIR_CONFIG, Files.createDirectories(stateDir).toString());
        settings.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        return new MeteringConfig(settings);
    }

    private void reserve(final TopicRegistry topics, final int count) {
        final Topic<String, StreamEvent> input = topics.topic(Topics.STREAM_EVENTS);
        final Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        try (KafkaProducer<String, StreamEvent> producer = new KafkaProducer<>(properties,
                input.keySerde().serializer(), input.valueSerde().serializer())) {
            for (int i = 0; i < count; i++) {
                final String id = "r-" + i + "-" + UUID.randomUUID();
                producer.send(new ProducerRecord<>(input.name(), id,
                        Events.reserve(id, System.currentTimeMillis(), body -> body.setTtlMs(HOLD_MS))));
            }
            producer.flush();
        }
    }

    private void createTopics(final TopicRegistry topics) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            final List<NewTopic> newTopics = new ArrayList<>();
            for (final TopicDefinition<String, ?> definition : Topics.ALL) {
                newTopics.add(new NewTopic(topics.name(definition), 2, (short) 1).configs(definition.configs()));
            }
            TopicAdmin.createAndAwaitLeaders(admin, newTopics, Duration.ofSeconds(60));
        }
    }
}
