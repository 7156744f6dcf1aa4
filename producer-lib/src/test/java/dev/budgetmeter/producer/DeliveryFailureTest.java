package dev.budgetmeter.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.budgetmeter.localstack.KafkaStack;
import dev.budgetmeter.localstack.junit.WithKafkaStack;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An event the broker refuses after accepting it (here: larger than the topic allows) is never lost silently: the
 * stream's terminal future fails with it, and the listener and the counters hear of it.
 */
@WithKafkaStack
class DeliveryFailureTest {

    private static final int TOPIC_MAX_MESSAGE_BYTES = 2_048;

    private final StreamEventsTopic topic;

    DeliveryFailureTest(final KafkaStack stack) {
        this.topic = StreamEventsTopic.create(stack,
                Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(TOPIC_MAX_MESSAGE_BYTES)));
    }

    @AfterEach
    void closeTopic() {
        topic.close();
    }

    @Test
    void a_refused_event_fails_the_streams_future_and_reaches_listener_and_counters() {
        final List<DeliveryFailedException> told = new CopyOnWriteArrayList<>();
        try (BudgetMeter meter = topic.meter().deliveryListener(told::add).build();
             MeteredStream stream = meter.open(StreamReservation.builder().subject(Subject.tenant("acme"))
                     .action("llm.completion", "gpt-4o").estimate(Amount.usdMicrocents(1_000)).build())) {
            stream.usage(Usage.of(1, 1).withCustom("provider_dump", incompressible(4 * TOPIC_MAX_MESSAGE_BYTES)));

            final CompletableFuture<Void> outcome = stream.complete();

            assertThatThrownBy(outcome::join).isInstanceOf(CompletionException.class)
                    .cause().isInstanceOf(DeliveryFailedException.class)
                    .hasMessageContaining("USAGE (seq 1) of reservation " + stream.reservationId())
                    .hasMessageContaining(topic.name())
                    .hasRootCauseInstanceOf(RecordTooLargeException.class);
            assertThat(told).extracting(DeliveryFailedException::eventType).contains(EventType.USAGE);
            assertThat(meter.metrics().eventsFailed()).isGreaterThanOrEqualTo(1);
        }
    }

    private static String incompressible(final int length) {
        final Random random = new Random(42);
        final StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append((char) ('!' + random.nextInt(90)));
        }
        return text.toString();
    }
}
