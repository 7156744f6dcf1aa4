package dev.budgetmeter.producer.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.budgetmeter.localstack.KafkaStack;
import dev.budgetmeter.localstack.junit.WithKafkaStack;
import dev.budgetmeter.producer.BudgetMeter;
import dev.budgetmeter.registry.serde.AvroSerdeConfig;
import dev.budgetmeter.schemas.Chunk;
import dev.budgetmeter.schemas.End;
import dev.budgetmeter.schemas.Outcome;
import dev.budgetmeter.schemas.Reserve;
import dev.budgetmeter.schemas.StreamEvent;
import dev.budgetmeter.schemas.Usage;
import dev.budgetmeter.topics.Topic;
import dev.budgetmeter.topics.TopicRegistry;
import dev.budgetmeter.topics.TopicAdmin;
import dev.budgetmeter.topics.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;

/**
 * The example worker against the real stack, on the default topic {@code budget.stream-events} as a deployment
 * would run it: the healthy call and the call whose provider breaks off mid-stream.
 */
@WithKafkaStack
class StreamingWorkerExampleTest {

    private final KafkaStack stack;
    private final Topic<String, StreamEvent> topic;

    StreamingWorkerExampleTest(final KafkaStack stack) {
        this.stack = stack;
        this.topic = TopicRegistry.create(Topics.DEFAULT_PREFIX,
                Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, stack.schemaRegistryUrl()))
                .topic(Topics.STREAM_EVENTS);
    }

    @Test
    void reserves_streams_reports_usage_and_completes_or_fails_mid_stream() throws Exception {
        createDefaultTopic();
        try (BudgetMeter meter = BudgetMeter.builder().bootstrapServers(stack.bootstrapServers())
                .schemaRegistryUrl(stack.schemaRegistryUrl()).workerId("example-worker").build()) {
            final StreamingWorkerExample worker = new StreamingWorkerExample(meter);

            worker.answer("example-tenant", "Summarise the quarterly report.", 500, SimulatedLlm.answering(320))
                    .get(60, TimeUnit.SECONDS);
            worker.answer("example-tenant", "Translate the contract.", 500, SimulatedLlm.breakingAt(400, 120))
                    .get(60, TimeUnit.SECONDS);
        }

        final List<List<StreamEvent>> calls = readExampleCalls(2);
        final List<StreamEvent> healthy = calls.get(0);
        final Reserve reserve = (Reserve) healthy.get(0).getBody();
        assertThat(reserve.getEstimate().getAmount()).isEqualTo(500 * 1_000);
        assertThat(reserve.getPricing().getInputTokenPrice()).isEqualTo(250);
        assertThat(reserve.getTtlMs()).isEqualTo(Duration.ofMinutes(2).toMillis());
        assertThat(outputTokens(healthy)).isEqualTo(320);
        final Usage usage = (Usage) healthy.get(healthy.size() - 2).getBody();
        assertThat(usage.getTokensOutput()).isEqualTo(320);
        assertThat(((End) healthy.get(healthy.size() - 1).getBody()).getOutcome()).isEqualTo(Outcome.COMPLETED);

        final List<StreamEvent> broken = calls.get(1);
        assertThat(outputTokens(broken)).isEqualTo(119);
        assertThat(broken).noneMatch(event -> event.getBody() instanceof Usage);
        final End end = (End) broken.get(broken.size() - 1).getBody();
        assertThat(end.getOutcome()).isEqualTo(Outcome.FAILED);
        assertThat(end.getReason()).isEqualTo("IllegalStateException: provider connection reset after 119 tokens");
    }

    private static long outputTokens(final List<StreamEvent> events) {
        return events.stream().filter(event -> event.getBody() instanceof Chunk)
                .mapToLong(event -> ((Chunk) event.getBody()).getTokensOutput()).sum();
    }

    /** The example's calls, in the order they started, once each has its End. */
    private List<List<StreamEvent>> readExampleCalls(final int count) {
        final Map<String, List<StreamEvent>> byReservation = new LinkedHashMap<>();
        try (KafkaConsumer<String, StreamEvent> consumer = new KafkaConsumer<>(
                Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                        ConsumerConfig.GROUP_ID_CONFIG, "example-test-" + System.nanoTime(),
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
            consumer.subscribe(List.of(topic.name()));
            await("the example's streams").atMost(Duration.ofSeconds(60)).pollInSameThread()
                    .pollDelay(Duration.ZERO).until(() -> {
                        consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                            if (record.value().getProducer().getWorkerId().equals("example-worker")) {
                                byReservation.computeIfAbsent(record.key(), key -> new ArrayList<>())
                                        .add(record.value());
                            }
                        });
                        return byReservation.values().stream().filter(StreamingWorkerExampleTest::ended).count()
                                >= count;
                    });
        }
        final List<List<StreamEvent>> calls = new ArrayList<>(byReservation.values());
        calls.sort(Comparator.comparing(events -> events.get(0).getOccurredAt()));
        return calls;
    }

    private static boolean ended(final List<StreamEvent> events) {
        return events.get(events.size() - 1).getBody() instanceof End;
    }

    private void createDefaultTopic() throws InterruptedException, TimeoutException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            // Another test class of this JVM may have created the shared default topic already: that is fine.
            TopicAdmin.createAndAwaitLeaders(admin, List.of(new NewTopic(topic.name(),
                    Topics.STREAM_EVENTS.defaultPartitions(), (short) 1).configs(Topics.STREAM_EVENTS.configs())),
                    Duration.ofSeconds(60));
        }
    }
}
