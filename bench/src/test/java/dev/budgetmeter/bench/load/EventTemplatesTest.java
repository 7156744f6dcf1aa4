package dev.budgetmeter.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.budgetmeter.registry.MockSchemaRegistry;
import dev.budgetmeter.registry.serde.AvroSerdeConfig;
import dev.budgetmeter.schemas.End;
import dev.budgetmeter.schemas.Reserve;
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

    @Test
    void tenant_templates_take_turns_over_the_tenants_with_a_reserve_and_its_end() {
        // Given Reserve-and-End streams of three tenants
        final TenantTemplates tenants = TenantTemplates.of(TenantTemplates.named("t", 3),
                tenant -> templates(StreamShape.reserveAndEnd(tenant)));

        // When streams 0 to 3 are stamped
        // Then they belong to t0000, t0001, t0002, t0000, and each is a Reserve of its tenant, then its End
        assertThat(tenants.eventsPerStream()).isEqualTo(2);
        assertThat(List.of(0L, 1L, 2L, 3L)).extracting(tenants::tenantOf)
                .containsExactly("t0000", "t0001", "t0002", "t0000");
        for (long stream = 0; stream < 4; stream++) {
            final StreamEvent reserve = decode(tenants.value(0, stream, AT));
            final StreamEvent end = decode(tenants.value(1, stream, AT));
            assertThat(((Reserve) reserve.getBody()).getSubject().getTenant()).isEqualTo(tenants.tenantOf(stream));
            assertThat(reserve.getReservationId()).isEqualTo(EventTemplates.reservationId(stream));
            assertThat(end.getBody()).isInstanceOf(End.class);
            assertThat(end.getSeq()).isEqualTo(1L);
        }
    }

    private StreamEvent decode(final byte[] value) {
        return input.valueSerde().deserializer().deserialize(input.name(), value);
    }

    private EventTemplates templates(final StreamShape shape) {
        return EventTemplates.of(shape, input.valueSerde().serializer(), input.valueSerde().deserializer(),
                input.name());
    }
}
