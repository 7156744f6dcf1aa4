package dev.budgetmeter.producer;

import static dev.budgetmeter.producer.StreamEvents.end;
import static dev.budgetmeter.producer.StreamEvents.outputTokens;
import static dev.budgetmeter.producer.StreamEvents.types;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.budgetmeter.localstack.KafkaStack;
import dev.budgetmeter.localstack.junit.WithKafkaStack;
import dev.budgetmeter.schemas.Outcome;
import dev.budgetmeter.schemas.Reserve;
import dev.budgetmeter.schemas.StreamEvent;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The worker's side of the budget ledger's decisions, on the real broker with a stand-in that answers Reserves on
 * the decisions topic as the ledger does: waiting and optimistic streams, caps, refusals, timeouts, and a meter
 * that reads only its own reply partition.
 */
@WithKafkaStack
class DecisionModesTest {

    private static final Duration WAIT_BOUND = Duration.ofSeconds(60);

    private final KafkaStack stack;
    private final StreamEventsTopic topic;
    private LedgerStandIn ledger;

    DecisionModesTest(final KafkaStack stack) {
        this.stack = stack;
        this.topic = StreamEventsTopic.create(stack);
    }

    @AfterEach
    void close() throws InterruptedException {
        if (ledger != null) {
            ledger.close();
        }
        topic.close();
    }

    private static StreamReservation reservation() {
        return StreamReservation.builder().subject(Subject.tenant("acme")).action("llm.completion", "gpt-4o")
                .estimate(Amount.usdMicrocents(100_000)).build();
    }

    @Test
    void waiting_open_returns_once_allowed_and_the_reserve_names_the_meters_reply_partition() {
        ledger = LedgerStandIn.start(stack, topic, reserve -> LedgerStandIn.allow());
        try (BudgetMeter meter = topic.meter().decisions(DecisionMode.WAIT).replyPartition(2).build();
             MeteredStream stream = meter.open(reservation())) {
            assertThat(stream.decision()).isCompleted();
            assertThat(stream.decision().join().kind()).isEqualTo(Decision.Kind.ALLOW);
            assertThat(stream.decision().join().affectedScopes()).containsExactly("tenant:acme");
            assertThat(stream.effectiveMaxTokens(1_000)).isEqualTo(1_000);
            stream.complete().join();
        }
        assertThat(ledger.answered()).extracting(Reserve::getReplyPartition).containsExactly(2);
    }

    @Test
    void caps_of_an_allow_with_caps_decision_bound_the_tokens_to_ask_for() {
        ledger = LedgerStandIn.start(stack, topic, reserve -> LedgerStandIn.allow()
                .setDecision(dev.budgetmeter.schemas.DecisionKind.ALLOW_WITH_CAPS)
                .setCaps(dev.budgetmeter.schemas.Caps.newBuilder().setMaxTokens(64L).build()));
        try (BudgetMeter meter = topic.meter().decisions(DecisionMode.WAIT).build();
             MeteredStream stream = meter.open(reservation())) {
            assertThat(stream.decision().join().kind()).isEqualTo(Decision.Kind.ALLOW_WITH_CAPS);
            assertThat(stream.caps()).hasValue(Caps.maxTokens(64));
            assertThat(stream.effectiveMaxTokens(1_000)).isEqualTo(64);
            assertThat(stream.effectiveMaxTokens(10)).isEqualTo(10);
            stream.complete().join();
        }
    }

    @Test
    void a_refusal_is_an_exception_naming_reason_and_scope_and_the_stream_is_cancelled() {
        ledger = LedgerStandIn.start(stack, topic, reserve -> LedgerStandIn.deny("BUDGET_EXCEEDED",
                "tenant:acme/workspace:prod"));
        final String reservationId;
        try (BudgetMeter meter = topic.meter().decisions(DecisionMode.WAIT).build()) {
            final StreamReservation reservation = reservation();
            reservationId = reservation.reservationId();
            assertThatThrownBy(() -> meter.open(reservation)).isInstanceOf(BudgetRefusedException.class)
                    .hasMessage("reservation " + reservationId + " refused: BUDGET_EXCEEDED on scope"
                            + " tenant:acme/workspace:prod")
                    .satisfies(e -> assertThat(((BudgetRefusedException) e).decision().reasonCode())
                            .hasValue("BUDGET_EXCEEDED"));
            assertThat(meter.metrics().streamsOpen()).as("the refused stream is not left open").isZero();
        }
        final List<StreamEvent> events = topic.awaitStream(reservationId, e -> e.size() == 2);
        assertThat(types(events)).containsExactly(EventType.RESERVE, EventType.END);
        assertThat(end(events).getOutcome()).isEqualTo(Outcome.CANCELLED);
        assertThat(end(events).getReason()).isEqualTo("refused: BUDGET_EXCEEDED");
    }

    @Test
    void no_decision_within_the_timeout_is_a_clear_error_and_the_stream_is_cancelled_so_nothing_stays_held() {
        ledger = LedgerStandIn.start(stack, topic, reserve -> null);
        final String reservationId;
        try (BudgetMeter meter = topic.meter().decisions(DecisionMode.WAIT).decisionTimeout(Duration.ofSeconds(1))
                .build()) {
            final StreamReservation reservation = reservation();
            reservationId = reservation.reservationId();
            assertThatThrownBy(() -> meter.open(reservation)).isInstanceOf(DecisionTimeoutException.class)
                    .hasMessageContaining("no decision on reservation " + reservationId + " within PT1S")
                    .hasMessageContaining("metering.authority=LEDGER");
        }
        final List<StreamEvent> events = topic.awaitStream(reservationId, e -> e.size() == 2);
        assertThat(end(events).getOutcome()).isEqualTo(Outcome.CANCELLED);
        assertThat(end(events).getReason()).isEqualTo("no decision");
    }

    @Test
    void an_optimistic_stream_runs_at_once_and_after_a_refusal_chunks_are_counted_then_refused()
            throws InterruptedException {
        final CountDownLatch decide = new CountDownLatch(1);
        ledger = LedgerStandIn.start(stack, topic, reserve -> {
            await(decide);
            return LedgerStandIn.deny("BUDGET_FROZEN", "tenant:acme");
        });
        final String reservationId;
        try (BudgetMeter meter = topic.meter().decisions(DecisionMode.OPTIMISTIC).build();
             MeteredStream stream = meter.open(reservation())) {
            reservationId = stream.reservationId();
            assertThat(stream.decision()).as("open did not wait").isNotDone();
            stream.chunk(10);
            final CountDownLatch refusedCallback = new CountDownLatch(1);
            stream.decision().thenAccept(decision -> {
                if (!decision.allowed()) {
                    refusedCallback.countDown();
                }
            });
            decide.countDown();
            assertThat(refusedCallback.await(WAIT_BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();

            assertThatThrownBy(() -> stream.chunk(5)).isInstanceOf(BudgetRefusedException.class)
                    .hasMessageContaining("BUDGET_FROZEN");
            stream.usage(7, 15);
            stream.complete().join();
        }
        final List<StreamEvent> events = topic.awaitStream(reservationId,
                e -> !e.isEmpty() && StreamEvents.type(e.get(e.size() - 1)) == EventType.END);
        assertThat(outputTokens(events)).as("the refused chunk's tokens were still written").isEqualTo(15);
        assertThat(types(events)).contains(EventType.USAGE);
        assertThat(end(events).getOutcome()).isEqualTo(Outcome.COMPLETED);
    }

    @Test
    void decisions_for_reservations_the_meter_did_not_open_are_ignored() {
        ledger = LedgerStandIn.start(stack, topic, reserve -> LedgerStandIn.allow());
        try (BudgetMeter meter = topic.meter().decisions(DecisionMode.WAIT).replyPartition(1).build()) {
            final MeteredStream first = meter.open(reservation());
            ledger.answerUnasked("someone-elses-reservation", 1);
            final MeteredStream second = meter.open(reservation());
            assertThat(first.decision().join().allowed()).isTrue();
            assertThat(second.decision().join().allowed()).isTrue();
            first.complete().join();
            second.complete().join();
        }
    }

    @Test
    void a_reply_partition_the_decisions_topic_does_not_have_is_refused_at_open() {
        LedgerStandIn.createDecisionsTopic(stack, topic.prefix());
        try (BudgetMeter meter = topic.meter().decisions(DecisionMode.WAIT).replyPartition(LedgerStandIn.PARTITIONS)
                .build()) {
            assertThatThrownBy(() -> meter.open(reservation())).isInstanceOf(DecisionTimeoutException.class)
                    .hasMessageContaining("replyPartition 3 is not a partition of " + topic.prefix() + "decisions,"
                            + " which has 3");
        }
    }

    @Test
    void a_missing_decisions_topic_fails_open_within_the_block_timeout_naming_it() {
        try (BudgetMeter meter = topic.meter().decisions(DecisionMode.WAIT).blockTimeout(Duration.ofSeconds(2))
                .build()) {
            assertThatThrownBy(() -> meter.open(reservation())).isInstanceOf(DecisionTimeoutException.class)
                    .hasMessageContaining("the decisions topic " + topic.prefix() + "decisions could not be read"
                            + " within PT2S");
            assertThat(meter.metrics().streamsOpen()).isZero();
        }
    }

    private static void await(final CountDownLatch latch) {
        try {
            latch.await(WAIT_BOUND.toSeconds(), TimeUnit.SECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
