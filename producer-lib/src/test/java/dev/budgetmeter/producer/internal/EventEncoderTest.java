package dev.budgetmeter.producer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.budgetmeter.registry.MockSchemaRegistry;
import dev.budgetmeter.registry.serde.AvroSerdeConfig;
import dev.budgetmeter.schemas.Chunk;
import dev.budgetmeter.schemas.End;
import dev.budgetmeter.schemas.Outcome;
import dev.budgetmeter.schemas.StreamEvent;
import dev.budgetmeter.topics.Topic;
import dev.budgetmeter.topics.TopicRegistry;
import dev.budgetmeter.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Chunk events written by the layout must be exactly what the Avro serializer writes: the topology and every other
 * consumer read them with the serializer's schema. The serializer here is the real one, on a {@code mock://}
 * registry.
 */
class EventEncoderTest {

    /** Where varints change length, and the extremes. */
    private static final List<Long> EDGE_NUMBERS = List.of(0L, 1L, 63L, 64L, 127L, 128L, 8_191L, 8_192L,
            1_700_000_000_000L, (long) Integer.MAX_VALUE, Long.MAX_VALUE, -1L, -64L, -65L, Long.MIN_VALUE);

    private final String registryScope = "EventEncoderTest-" + UUID.randomUUID();
    private final Topic<String, StreamEvent> topic = TopicRegistry.create("budget.",
            Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, "mock://" + registryScope)).topic(Topics.STREAM_EVENTS);
    private final Serializer<StreamEvent> serializer = topic.valueSerde().serializer();
    private final Deserializer<StreamEvent> deserializer = topic.valueSerde().deserializer();

    @AfterEach
    void forgetSchemas() {
        MockSchemaRegistry.drop(registryScope);
    }

    @Test
    void writes_chunk_events_byte_for_byte_as_the_serializer_does() {
        final EventEncoder encoder = encoder("worker-1", serializer);
        final StreamRecords stream = encoder.forStream("r-" + UUID.randomUUID());
        encoder.encode(stream, 0, 1_700_000_000_000L, new Chunk(1L, 0L, 1));
        assertThat(encoder.writesChunksDirectly()).isTrue();

        for (final long number : EDGE_NUMBERS) {
            final int chunks = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, number));
            assertSerializerWouldWriteTheSame(encoder, stream, number, number, new Chunk(number, number, chunks));
        }
        final SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 2_000; i++) {
            final long scale = 1L << random.nextInt(63);
            assertSerializerWouldWriteTheSame(encoder, stream, random.nextLong(scale), random.nextLong(),
                    new Chunk(random.nextLong(scale), random.nextLong(scale), random.nextInt()));
        }
    }

    @Test
    void encodes_any_text_of_the_reservation_and_worker_ids_as_the_serializer_does() {
        final EventEncoder encoder = encoder("wörker-€-\uD83D\uDE00", serializer);
        encoder.encode(encoder.forStream("first"), 1, 5, new Chunk(1L, 0L, 1));
        assertThat(encoder.writesChunksDirectly()).isTrue();

        for (final String reservationId : List.of("réservation-€-\uD83D\uDE00", "x".repeat(300), "\u0000", "a b")) {
            assertSerializerWouldWriteTheSame(encoder, encoder.forStream(reservationId), 7, 1_700_000_000_123L,
                    new Chunk(3L, 2L, 1));
        }
    }

    @Test
    void keys_every_record_with_the_reservation_id_and_serializes_the_other_events() {
        final EventEncoder encoder = encoder("worker-1", serializer);
        final StreamRecords stream = encoder.forStream("r-\u00e9");
        final End end = new End(Outcome.CANCELLED, "stopped");

        final StreamEvent decoded = deserializer.deserialize(topic.name(), encoder.encode(stream, 9, 1_000L, end));

        assertThat(stream.key()).isEqualTo("r-\u00e9".getBytes(StandardCharsets.UTF_8));
        assertThat(decoded.getBody()).isEqualTo(end);
        assertThat(decoded.getSeq()).isEqualTo(9);
        assertThat(decoded.getReservationId()).isEqualTo("r-\u00e9");
    }

    @Test
    void keeps_serializing_chunk_events_when_the_layout_does_not_reproduce_the_serializer() {
        // As if the StreamEvent schema on the class path had one more field at the end.
        final Serializer<StreamEvent> longer = (name, event) -> {
            final byte[] bytes = serializer.serialize(name, event);
            final byte[] withField = Arrays.copyOf(bytes, bytes.length + 1);
            withField[bytes.length] = 42;
            return withField;
        };
        final EventEncoder encoder = encoder("worker-1", longer);
        final StreamRecords stream = encoder.forStream("r-1");

        final byte[] first = encoder.encode(stream, 1, 1_000L, new Chunk(1L, 0L, 1));
        final byte[] second = encoder.encode(stream, 2, 1_000L, new Chunk(2L, 0L, 1));

        assertThat(encoder.writesChunksDirectly()).isFalse();
        assertThat(first[first.length - 1]).isEqualTo((byte) 42);
        assertThat(second[second.length - 1]).isEqualTo((byte) 42);
    }

    @Test
    void gives_every_event_its_own_id() {
        final EventEncoder encoder = encoder("worker-1", serializer);
        final StreamRecords stream = encoder.forStream("r-1");

        final StreamEvent first = deserializer.deserialize(topic.name(), encoder.encode(stream, 1, 0, chunkOfOne()));
        final StreamEvent second = deserializer.deserialize(topic.name(), encoder.encode(stream, 2, 0, chunkOfOne()));
        final StreamEvent third = deserializer.deserialize(topic.name(), encoder.encode(stream, 3, 0, chunkOfOne()));

        assertThat(List.of(first.getEventId(), second.getEventId(), third.getEventId())).doesNotHaveDuplicates()
                .allSatisfy(id -> assertThat(UUID.fromString(id).version()).isEqualTo(4));
    }

    private EventEncoder encoder(final String workerId, final Serializer<StreamEvent> valueSerializer) {
        return new EventEncoder(topic.name(), topic.keySerde().serializer(), valueSerializer,
                new StreamEventFactory(workerId));
    }

    /** Decodes what the layout wrote, checks every field, and serializes the decoded event to compare bytes. */
    private static Chunk chunkOfOne() {
        return new Chunk(1L, 0L, 1);
    }

    private void assertSerializerWouldWriteTheSame(final EventEncoder encoder, final StreamRecords stream,
            final long seq, final long occurredAtMillis, final Chunk chunk) {
        final byte[] written = encoder.encode(stream, seq, occurredAtMillis, chunk);

        final StreamEvent decoded = deserializer.deserialize(topic.name(), written);

        assertThat(decoded.getReservationId()).isEqualTo(stream.reservationId());
        assertThat(decoded.getSeq()).isEqualTo(seq);
        assertThat(decoded.getOccurredAt()).isEqualTo(Instant.ofEpochMilli(occurredAtMillis));
        assertThat(decoded.getBody()).isEqualTo(chunk);
        assertThat(UUID.fromString(decoded.getEventId()).toString()).isEqualTo(decoded.getEventId());
        assertThat(written).isEqualTo(serializer.serialize(topic.name(), decoded));
    }
}
