package dev.budgetmeter.producer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.budgetmeter.schemas.End;
import dev.budgetmeter.schemas.Outcome;
import dev.budgetmeter.schemas.StreamEvent;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class StreamEventFactoryTest {

    @Test
    void wraps_a_body_with_its_stream_position_time_and_worker() {
        final End body = new End(Outcome.COMPLETED, null);

        final StreamEvent event = new StreamEventFactory("worker-7").event("e-1", "r-1", 4, 1_700_000_000_123L, body);

        assertThat(event.getEventId()).isEqualTo("e-1");
        assertThat(event.getReservationId()).isEqualTo("r-1");
        assertThat(event.getSeq()).isEqualTo(4);
        assertThat(event.getOccurredAt()).isEqualTo(Instant.ofEpochMilli(1_700_000_000_123L));
        assertThat(event.getProducer().getWorkerId()).isEqualTo("worker-7");
        assertThat(event.getProducer().getLibraryVersion()).matches("budget-meter-java/\\d+\\.\\d+\\.\\d+.*");
        assertThat(event.getBody()).isSameAs(body);
    }

    @Test
    void event_ids_are_distinct_version_four_uuids() {
        final Set<String> ids = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            final String id = StreamEventFactory.newEventId().toString();
            final UUID uuid = UUID.fromString(id);
            assertThat(uuid.version()).isEqualTo(4);
            assertThat(uuid.variant()).isEqualTo(2);
            ids.add(id);
        }
        assertThat(ids).hasSize(10_000);
    }
}
