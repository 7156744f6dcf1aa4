package dev.budgetmeter.producer;

import static dev.budgetmeter.producer.ConsumedEvents.end;
import static dev.budgetmeter.producer.ConsumedEvents.ofType;
import static dev.budgetmeter.producer.ConsumedEvents.outputTokens;
import static dev.budgetmeter.producer.ConsumedEvents.types;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.budgetmeter.localstack.KafkaStack;
import dev.budgetmeter.localstack.junit.WithKafkaStack;
import dev.budgetmeter.schemas.End;
import dev.budgetmeter.schemas.Outcome;
import dev.budgetmeter.schemas.StreamEvent;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How streams end: the first terminal call wins, close without one fails the stream, a closed meter ends them. */
@WithKafkaStack
class TerminalCallsTest {

    private final StreamEventsTopic topic;

    TerminalCallsTest(final KafkaStack stack) {
        this.topic = StreamEventsTopic.create(stack);
    }

    @AfterEach
    void closeTopic() {
        topic.close();
    }

    private static StreamReservation reservation() {
        return StreamReservation.builder().subject(Subject.tenant("acme")).action("llm.completion", "gpt-4o")
                .estimate(Amount.usdMicrocents(100_000)).build();
    }

    @Test
    void closing_without_a_terminal_call_ends_the_stream_as_failed_after_its_pending_chunks() {
        final String reservationId;
        try (BudgetMeter meter = topic.meter().build()) {
            try (MeteredStream stream = meter.open(reservation())) {
                reservationId = stream.reservationId();
                stream.chunk(5);
                stream.chunk(6);
            }
            meter.flush();
        }

        final List<StreamEvent> events = topic.stream(reservationId);
        assertThat(types(events)).containsExactly(EventType.RESERVE, EventType.CHUNK, EventType.END);
        assertThat(outputTokens(events)).isEqualTo(11);
        assertThat(end(events).getOutcome()).isEqualTo(Outcome.FAILED);
        assertThat(end(events).getReason()).isEqualTo("closed without completion");
    }

    @Test
    void the_first_terminal_call_wins_and_later_ones_are_no_ops() {
        final String reservationId;
        final List<CompletableFuture<Void>> outcomes = new ArrayList<>();
        try (BudgetMeter meter = topic.meter().build()) {
            try (MeteredStream stream = meter.open(reservation())) {
                reservationId = stream.reservationId();
                outcomes.add(stream.complete());
                outcomes.add(stream.fail(new IOException("too late")));
                outcomes.add(stream.cancel("too late as well"));
                assertThat(stream.isEnded()).isTrue();
            }
            CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new)).join();
        }

        final List<StreamEvent> events = topic.stream(reservationId);
        assertThat(ofType(events, EventType.END)).hasSize(1);
        assertThat(end(events).getOutcome()).isEqualTo(Outcome.COMPLETED);
        assertThat(outcomes).allSatisfy(outcome -> assertThat(outcome).isCompleted());
    }

    @Test
    void chunk_and_usage_after_the_end_throw_and_name_the_end() {
        try (BudgetMeter meter = topic.meter().build(); MeteredStream stream = meter.open(reservation())) {
            stream.cancel("user pressed stop").join();

            assertThatThrownBy(() -> stream.chunk(1)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(stream.reservationId()).hasMessageContaining("CANCELLED");
            assertThatThrownBy(() -> stream.usage(1, 1)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("user pressed stop");

            final End end = end(topic.stream(stream.reservationId()));
            assertThat(end.getOutcome()).isEqualTo(Outcome.CANCELLED);
            assertThat(end.getReason()).isEqualTo("user pressed stop");
        }
    }

    @Test
    void fail_gives_the_exception_as_reason_truncated_to_256_characters() {
        try (BudgetMeter meter = topic.meter().build(); MeteredStream stream = meter.open(reservation())) {
            stream.fail(new IOException("connection reset " + "x".repeat(400))).join();

            final End end = end(topic.stream(stream.reservationId()));
            assertThat(end.getOutcome()).isEqualTo(Outcome.FAILED);
            assertThat(end.getReason()).hasSize(256).startsWith("IOException: connection reset xxx");
        }
    }

    @Test
    void closing_the_meter_ends_every_open_stream_after_its_pending_chunks() {
        final BudgetMeter meter = topic.meter().chunkInterval(Duration.ofHours(1)).build();
        final List<MeteredStream> streams = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            final MeteredStream stream = meter.open(reservation());
            stream.chunk(i);
            streams.add(stream);
        }

        meter.close(Duration.ofSeconds(30));

        final Map<String, List<StreamEvent>> written = topic.streams();
        for (int i = 1; i <= 3; i++) {
            final MeteredStream stream = streams.get(i - 1);
            final List<StreamEvent> events = written.get(stream.reservationId());
            assertThat(types(events)).containsExactly(EventType.RESERVE, EventType.CHUNK, EventType.END);
            assertThat(outputTokens(events)).isEqualTo(i);
            assertThat(end(events).getReason()).isEqualTo("meter closed");
            assertThat(stream.isEnded()).isTrue();
            assertThatThrownBy(() -> stream.chunk(1)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("meter closed");
        }
        assertThat(meter.metrics().streamsOpen()).isZero();
        assertThatThrownBy(() -> meter.open(reservation())).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void a_second_open_stream_of_the_same_reservation_is_refused() {
        final StreamReservation reservation = reservation();
        try (BudgetMeter meter = topic.meter().build(); MeteredStream first = meter.open(reservation)) {
            assertThatThrownBy(() -> meter.open(reservation)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(reservation.reservationId());

            first.complete().join();
            try (MeteredStream again = meter.open(reservation)) {
                assertThat(again.reservationId()).isEqualTo(first.reservationId());
            }
        }
    }
}
