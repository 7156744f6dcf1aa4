package dev.budgetmeter.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.budgetmeter.registry.MockSchemaRegistry;
import dev.budgetmeter.registry.serde.AvroSerdeConfig;
import dev.budgetmeter.schemas.StreamEvent;
import dev.budgetmeter.topics.Topic;
import dev.budgetmeter.topics.TopicRegistry;
import dev.budgetmeter.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EventTemplatesTest {

    private static final long AT = 1_760_000_000_123L;

    private final String scope = "bench-templates-" + UUID.randomUUID();
    private final Topic<String, StreamEvent> input = TopicRegistry.create("test.",
            Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, AvroSerdeConfig.MOCK_URL_PREFIX + scope))
            .topic(Topics.STREAM_EVENTS);

    @AfterEach
    void dropRegistry() {
        MockSchemaRegistry.drop(scope);
    }

    @Test
    void stamped_events_decode_to_exactly_the_events_of_the_stream() {
        // Given the templates of a completed stream with three chunks
        final StreamShape shape = StreamShape.completed(3);
        final EventTemplates templates = templates(shape);

        // When stream 42's events are stamped at AT
        final List<StreamEvent> expected = shape.events(EventTemplates.reservationId(42), AT);

        // Then each decodes to the event the shape builds for that id and time
        assertThat(templates.eventsPerStream()).isEqualTo(6);
        for (int i = 0; i < templates.eventsPerStream(); i++) {
            final StreamEvent decoded = input.valueSerde().deserializer()
                    .deserialize(input.name(), templates.value(i, 42, AT));
            assertThat(decoded).isEqualTo(expected.get(i));
        }
    }

    @Test
    void keys_and_ids_round_trip_through_the_stream_number() {
        final String id = EventTemplates.reservationId(123_456_789L);

        assertThat(id).isEqualTo("bench-000123456789");
        assertThat(new String(EventTemplates.key(123_456_789L), StandardCharsets.UTF_8)).isEqualTo(id);
        assertThat(EventTemplates.streamNumber(id)).isEqualTo(123_456_789L);
        assertThat(EventTemplates.streamNumber("someone-else")).isEqualTo(-1);
    }

    @Test
    void abandoned_streams_have_no_usage_and_no_end() {
        final EventTemplates templates = templates(StreamShape.abandonedAfter(2));

        assertThat(templates.eventsPerStream()).isEqualTo(3);
        assertThat(templates.averageValueBytes()).isPositive();
    }

    private EventTemplates templates(final StreamShape shape) {
        return EventTemplates.of(shape, input.valueSerde().serializer(), input.valueSerde().deserializer(),
                input.name());
    }
}
