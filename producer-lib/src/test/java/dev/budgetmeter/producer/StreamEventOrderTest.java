package dev.budgetmeter.producer;

import static dev.budgetmeter.producer.ConsumedEvents.contiguousSeqs;
import static dev.budgetmeter.producer.ConsumedEvents.end;
import static dev.budgetmeter.producer.ConsumedEvents.reserve;
import static dev.budgetmeter.producer.ConsumedEvents.seqs;
import static dev.budgetmeter.producer.ConsumedEvents.types;
import static org.assertj.core.api.Assertions.assertThat;

import dev.budgetmeter.localstack.KafkaStack;
import dev.budgetmeter.localstack.junit.WithKafkaStack;
import dev.budgetmeter.schemas.Outcome;
import dev.budgetmeter.schemas.Reserve;
import dev.budgetmeter.schemas.StreamEvent;
import dev.budgetmeter.schemas.Unit;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What one stream looks like on the topic: its events in call order, keyed by reservation, seq 0..n contiguous. */
@WithKafkaStack
class StreamEventOrderTest {

    private final StreamEventsTopic topic;

    StreamEventOrderTest(final KafkaStack stack) {
        this.topic = StreamEventsTopic.create(stack);
    }

    @AfterEach
    void closeTopic() {
        topic.close();
    }

    private static StreamReservation.Builder reservation() {
        return StreamReservation.builder().subject(Subject.tenant("acme").agent("streaming-agent"))
                .action("llm.completion", "gpt-4o").estimate(Amount.usdMicrocents(400_000));
    }

    @Test
    void events_of_one_stream_arrive_in_call_order_with_contiguous_seq_in_one_partition() {
        final String reservationId;
        try (BudgetMeter meter = topic.meter().coalescing(false).build()) {
            try (MeteredStream stream = meter.open(reservation().build())) {
                reservationId = stream.reservationId();
                for (int i = 1; i <= 5; i++) {
                    stream.chunk(i);
                }
                stream.usage(40, 15);
                stream.complete().join();
            }
        }

        final List<ConsumerRecord<String, StreamEvent>> records = topic.readAll().stream()
                .filter(record -> record.key().equals(reservationId)).toList();
        final List<StreamEvent> events = records.stream().map(ConsumerRecord::value).toList();
        assertThat(types(events)).containsExactly(EventType.RESERVE, EventType.CHUNK, EventType.CHUNK,
                EventType.CHUNK, EventType.CHUNK, EventType.CHUNK, EventType.USAGE, EventType.END);
        assertThat(seqs(events)).isEqualTo(contiguousSeqs(8));
        assertThat(ConsumedEvents.chunks(events)).extracting(chunk -> chunk.getTokensOutput())
                .containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(records).extracting(ConsumerRecord::partition).containsOnly(records.get(0).partition());
        assertThat(events).allSatisfy(event -> {
            assertThat(event.getReservationId()).isEqualTo(reservationId);
            assertThat(event.getProducer().getWorkerId()).isEqualTo("test-worker");
            assertThat(event.getProducer().getLibraryVersion()).startsWith("budget-meter-java/");
        });
        assertThat(events).extracting(StreamEvent::getEventId).doesNotHaveDuplicates();
        assertThat(end(events).getOutcome()).isEqualTo(Outcome.COMPLETED);
        assertThat(end(events).getReason()).isNull();
    }

    @Test
    void the_reserve_carries_what_an_external_authority_granted() {
        final Instant expiry = Instant.parse("2031-05-01T12:00:00Z");
        final StreamReservation granted = reservation()
                .reservationId("authority-rsv-42")
                .subject(Subject.tenant("acme").workspace("prod").agent("bot").dimension("region", "eu"))
                .action("llm.completion", "gpt-4o", List.of("chat"))
                .ttl(Duration.ofMinutes(2)).gracePeriod(Duration.ofSeconds(10))
                .overagePolicy(OveragePolicy.REJECT).expiresAt(expiry)
                .caps(Caps.maxTokens(300)).pricing(Pricing.perToken(250, 1_000))
                .metadata("request", "req-7").build();

        try (BudgetMeter meter = topic.meter().build(); MeteredStream stream = meter.open(granted)) {
            assertThat(stream.reservationId()).isEqualTo("authority-rsv-42");
            assertThat(stream.caps()).contains(Caps.maxTokens(300));
            assertThat(stream.effectiveMaxTokens(500)).isEqualTo(300);
            stream.usage(Usage.of(12, 300).withActual(Amount.usdMicrocents(303_000)).withModelVersion("gpt-4o-1"));
            stream.complete().join();
        }

        final List<StreamEvent> events = topic.stream("authority-rsv-42");
        final Reserve reserve = reserve(events);
        assertThat(reserve.getIdempotencyKey()).isEqualTo("authority-rsv-42:reserve");
        assertThat(reserve.getSubject().getTenant()).isEqualTo("acme");
        assertThat(reserve.getSubject().getWorkspace()).isEqualTo("prod");
        assertThat(reserve.getSubject().getApp()).isNull();
        assertThat(reserve.getSubject().getAgent()).isEqualTo("bot");
        assertThat(reserve.getSubject().getDimensions()).isEqualTo(Map.of("region", "eu"));
        assertThat(reserve.getAction().getKind()).isEqualTo("llm.completion");
        assertThat(reserve.getAction().getTags()).containsExactly("chat");
        assertThat(reserve.getEstimate().getUnit()).isEqualTo(Unit.USD_MICROCENTS);
        assertThat(reserve.getEstimate().getAmount()).isEqualTo(400_000);
        assertThat(reserve.getTtlMs()).isEqualTo(120_000);
        assertThat(reserve.getGracePeriodMs()).isEqualTo(10_000);
        assertThat(reserve.getOveragePolicy()).isEqualTo(dev.budgetmeter.schemas.OveragePolicy.REJECT);
        assertThat(reserve.getExpiresAtMs()).isEqualTo(expiry.toEpochMilli());
        assertThat(reserve.getCaps().getMaxTokens()).isEqualTo(300);
        assertThat(reserve.getPricing().getOutputTokenPrice()).isEqualTo(1_000);
        assertThat(reserve.getMetadata()).isEqualTo(Map.of("request", "req-7"));
        final dev.budgetmeter.schemas.Usage usage = (dev.budgetmeter.schemas.Usage) events.get(1).getBody();
        assertThat(usage.getTokensOutput()).isEqualTo(300);
        assertThat(usage.getActual().getAmount()).isEqualTo(303_000);
        assertThat(usage.getModelVersion()).isEqualTo("gpt-4o-1");
    }
}
