package dev.budgetmeter.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.budgetmeter.producer.internal.ChunkFlusher;
import dev.budgetmeter.producer.internal.EventEncoder;
import dev.budgetmeter.producer.internal.MeterSettings;
import dev.budgetmeter.producer.internal.MutableClock;
import dev.budgetmeter.producer.internal.StreamEventFactory;
import dev.budgetmeter.registry.MockSchemaRegistry;
import dev.budgetmeter.registry.serde.AvroSerdeConfig;
import dev.budgetmeter.schemas.Chunk;
import dev.budgetmeter.schemas.End;
import dev.budgetmeter.schemas.Reserve;
import dev.budgetmeter.schemas.StreamEvent;
import dev.budgetmeter.schemas.Usage;
import dev.budgetmeter.topics.Topic;
import dev.budgetmeter.topics.TopicRegistry;
import dev.budgetmeter.topics.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One stream against Kafka's {@link MockProducer}, which lets a test refuse a send or fail an accepted event on
 * demand. Coalescing is on but never due by itself (huge interval and threshold), so nothing runs on the flusher
 * thread and every event is written by the test's own calls.
 */
class KafkaMeteredStreamTest {

    private static final String TOPIC = "budget.stream-events";

    private final String registryScope = "KafkaMeteredStreamTest-" + UUID.randomUUID();
    private final Topic<String, StreamEvent> topic = TopicRegistry.create("budget.",
            Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, "mock://" + registryScope)).topic(Topics.STREAM_EVENTS);
    private final MockProducer<byte[], byte[]> producer =
            new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());
    private final List<DeliveryFailedException> told = new CopyOnWriteArrayList<>();
    private final MutableClock clock = new MutableClock(1_700_000_000_000L);
    private final MeterSettings settings = BudgetMeter.builder().bootstrapServers("k1:9092")
            .schemaRegistryUrl("mock://" + registryScope).workerId("unit-worker").blockTimeout(Duration.ofSeconds(2))
            .chunkInterval(Duration.ofMillis(Long.MAX_VALUE)).chunkTokenThreshold(Long.MAX_VALUE).clock(clock)
            .settings();
    private final DeliveryReporter reporter = new DeliveryReporter(told::add, clock, true);
    private final ChunkFlusher flusher = new ChunkFlusher("unit", null, Duration.ofHours(1));
    private final EventEncoder encoder = new EventEncoder(TOPIC, topic.keySerde().serializer(),
            topic.valueSerde().serializer(), new StreamEventFactory(settings.workerId()));
    private final StreamReservation reservation = StreamReservation.builder().reservationId("r-1")
            .subject(Subject.tenant("acme")).action("llm.completion", "gpt-4o").estimate(Amount.usdMicrocents(1_000))
            .build();
    private final KafkaMeteredStream stream = new KafkaMeteredStream(reservation,
            new StreamContext(settings, new EventSender(producer, encoder, TOPIC, settings, reporter), reporter,
                    flusher, ended -> { }));

    @AfterEach
    void stopFlusherAndForgetSchemas() {
        flusher.close();
        MockSchemaRegistry.drop(registryScope);
    }

    @Test
    void a_refused_usage_throws_keeps_its_chunk_tokens_and_uses_no_seq() {
        stream.writeReserve(DecisionSource.EXTERNAL.admit(reservation));
        stream.chunk(3);
        producer.sendException = new TimeoutException("Topic " + TOPIC + " not present in metadata after 2000 ms.");

        assertThatThrownBy(() -> stream.usage(1, 3)).isInstanceOf(DeliveryFailedException.class)
                .hasMessageContaining("CHUNK (seq 1) of reservation r-1 was not sent")
                .hasMessageContaining("Kafka broker not reachable at k1:9092 within 2000 ms");
        producer.sendException = null;
        stream.usage(1, 3);

        assertThat(sent()).extracting(StreamEvent::getSeq).containsExactly(0L, 1L, 2L);
        assertThat(sent()).extracting(StreamEvent::getBody)
                .hasExactlyElementsOfTypes(Reserve.class, Chunk.class, Usage.class);
        assertThat(((Chunk) sent().get(1).getBody()).getTokensOutput()).isEqualTo(3);
        assertThat(told).singleElement().extracting(DeliveryFailedException::eventType).isEqualTo(EventType.CHUNK);
        assertThat(reporter.snapshot(0).eventsRefused()).isEqualTo(1);
    }

    @Test
    void the_terminal_future_completes_only_when_the_end_is_acknowledged() {
        stream.writeReserve(DecisionSource.EXTERNAL.admit(reservation));
        final CompletableFuture<Void> outcome = stream.complete();

        assertThat(producer.completeNext()).isTrue();
        assertThat(outcome).isNotDone();
        assertThat(producer.completeNext()).isTrue();

        assertThat(outcome).isCompleted();
        assertThat(reporter.snapshot(0).eventsDelivered()).isEqualTo(2);
    }

    @Test
    void an_accepted_event_failed_later_fails_the_terminal_future_even_if_the_end_arrives() {
        stream.writeReserve(DecisionSource.EXTERNAL.admit(reservation));
        stream.usage(1, 1);
        final CompletableFuture<Void> outcome = stream.complete();

        producer.completeNext();
        producer.errorNext(new RecordTooLargeException("too large"));
        producer.completeNext();

        assertThat(outcome).isCompletedExceptionally();
        assertThatThrownBy(outcome::join).cause().isInstanceOf(DeliveryFailedException.class)
                .hasMessageContaining("USAGE (seq 1) of reservation r-1 was not written to " + TOPIC);
        assertThat(told).singleElement().extracting(DeliveryFailedException::seq).isEqualTo(1L);
        assertThat(reporter.snapshot(0).eventsFailed()).isEqualTo(1);
    }

    @Test
    void a_refused_end_ends_the_stream_and_fails_its_future_at_once() {
        stream.writeReserve(DecisionSource.EXTERNAL.admit(reservation));
        producer.sendException = new TimeoutException("buffer");

        final CompletableFuture<Void> outcome = stream.complete();

        assertThat(outcome).isCompletedExceptionally();
        assertThat(stream.isEnded()).isTrue();
        assertThat(stream.fail(new IllegalStateException("later"))).isSameAs(outcome);
        assertThatThrownBy(() -> stream.chunk(1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void a_stream_ended_before_its_reserve_writes_nothing() {
        stream.endBecauseMeterClosed();

        assertThat(producer.history()).isEmpty();
        assertThat(stream.complete()).isCompleted();
        assertThatThrownBy(() -> stream.writeReserve(DecisionSource.EXTERNAL.admit(reservation))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("meter closed");
    }

    @Test
    void the_end_carries_the_tokens_still_pending() {
        stream.writeReserve(DecisionSource.EXTERNAL.admit(reservation));
        stream.chunk(2, 5);
        stream.chunk(4);

        stream.cancel("user stopped");

        final Chunk chunk = (Chunk) sent().get(1).getBody();
        assertThat(List.of(chunk.getTokensOutput(), chunk.getTokensInput(), (long) chunk.getChunks()))
                .containsExactly(6L, 5L, 2L);
        assertThat(((End) sent().get(2).getBody()).getReason()).isEqualTo("user stopped");
    }

    private List<StreamEvent> sent() {
        try (Deserializer<StreamEvent> deserializer = topic.valueSerde().deserializer()) {
            return producer.history().stream().map(record -> deserializer.deserialize(TOPIC, record.value()))
                    .toList();
        }
    }
}
