package dev.budgetmeter.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.budgetmeter.cycles.standin.CyclesStandIn;
import dev.budgetmeter.cycles.standin.Fault;
import dev.budgetmeter.cycles.standin.RecordedRequest;
import dev.budgetmeter.cycles.standin.ReservationState;
import dev.budgetmeter.localstack.KafkaStack;
import dev.budgetmeter.localstack.junit.WithKafkaStack;
import dev.budgetmeter.schemas.Reserve;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Opening streams with a Cycles server as the authority: the meter reserves through the server's API (a stand-in on
 * real HTTP with its own ledger) before it writes the Reserve to the real broker, and the worker meets the server's
 * answers through the same decision API as with the budget ledger.
 */
@WithKafkaStack
class CyclesReserveTest {

    private static final String KEY = "key-acme";

    private final StreamEventsTopic topic;
    private final CyclesStandIn server = CyclesStandIn.start().apiKey("acme", KEY)
            .budget("tenant:acme", "USD_MICROCENTS", 1_000_000);

    CyclesReserveTest(final KafkaStack stack) {
        this.topic = StreamEventsTopic.create(stack);
    }

    @AfterEach
    void close() {
        server.close();
        topic.close();
    }

    @Test
    void an_allowed_reserve_opens_a_stream_under_the_servers_reservation_id_and_expiry() {
        try (BudgetMeter meter = meter(server.url())) {
            final StreamReservation requested = reservation(200_000);
            try (MeteredStream stream = meter.open(requested)) {
                final String granted = server.reservations().get(0).id();
                assertThat(stream.reservationId()).isEqualTo(granted).isNotEqualTo(requested.reservationId());
                assertThat(stream.decision()).isCompletedWithValueMatching(decision ->
                        decision.kind() == Decision.Kind.ALLOW
                                && decision.affectedScopes().equals(List.of("tenant:acme")));
                final Reserve reserve = (Reserve) topic.awaitStream(granted, events -> !events.isEmpty()).get(0)
                        .getBody();
                assertThat(reserve.getExpiresAtMs()).isEqualTo(server.reservation(granted).orElseThrow()
                        .expiresAtMs());
                assertThat(reserve.getIdempotencyKey()).isEqualTo(requested.reservationId() + ":reserve");
                assertThat(server.requests("reserve", reserve.getIdempotencyKey())).singleElement()
                        .satisfies(request -> {
                            assertThat(request.body().path("ttl_ms").asLong()).isEqualTo(30_000);
                            assertThat(request.body().path("grace_period_ms").asLong()).isEqualTo(5_000);
                            assertThat(request.body().path("overage_policy").asText()).isEqualTo("ALLOW_IF_AVAILABLE");
                            assertThat(request.body().path("estimate").path("amount").asLong()).isEqualTo(200_000);
                        });
                stream.complete();
            }
        }
    }

    @Test
    void allow_with_caps_applies_the_servers_token_cap_to_effective_max_tokens() {
        server.capMaxTokens("tenant:acme", "USD_MICROCENTS", 64);
        try (BudgetMeter meter = meter(server.url()); MeteredStream stream = meter.open(reservation(100_000))) {
            assertThat(stream.decision()).isCompletedWithValueMatching(decision ->
                    decision.kind() == Decision.Kind.ALLOW_WITH_CAPS);
            assertThat(stream.effectiveMaxTokens(1_000)).isEqualTo(64);
            final Reserve reserve = (Reserve) topic.awaitStream(stream.reservationId(), events -> !events.isEmpty())
                    .get(0).getBody();
            assertThat(reserve.getCaps().getMaxTokens()).isEqualTo(64L);
            stream.complete();
        }
    }

    @Test
    void budget_exceeded_is_a_refusal_through_the_same_decision_api_and_nothing_is_written() {
        try (BudgetMeter meter = meter(server.url())) {
            final StreamReservation requested = reservation(5_000_000);

            assertThatThrownBy(() -> meter.open(requested)).isInstanceOfSatisfying(BudgetRefusedException.class,
                    refused -> {
                        assertThat(refused.decision().kind()).isEqualTo(Decision.Kind.DENY);
                        assertThat(refused.decision().reasonCode()).contains("BUDGET_EXCEEDED");
                        assertThat(refused.decision().deniedScope()).contains("tenant:acme");
                        assertThat(refused.getMessage()).contains("BUDGET_EXCEEDED").contains("tenant:acme");
                    });
            meter.flush();
            assertThat(topic.readAll()).isEmpty();
            assertThat(server.reservations()).isEmpty();
        }
    }

    @Test
    void no_budget_for_the_subject_is_a_budget_not_found_refusal() {
        try (BudgetMeter meter = meter(server.url())) {
            final StreamReservation other = StreamReservation.builder().subject(Subject.tenant("acme").workspace("x"))
                    .action("llm.completion", "gpt-4o").estimate(Amount.tokens(10)).build();
            assertThatThrownBy(() -> meter.open(other)).isInstanceOfSatisfying(BudgetRefusedException.class,
                    refused -> assertThat(refused.decision().reasonCode()).contains("UNIT_MISMATCH"));
        }
    }

    @Test
    void a_5xx_is_retried_under_the_same_key_and_reserves_once() {
        server.inject(Fault.answer("reserve", 503, "INTERNAL_ERROR", 2));
        try (BudgetMeter meter = meter(server.url()); MeteredStream stream = meter.open(reservation(100_000))) {
            final List<RecordedRequest> sent = server.requests().stream()
                    .filter(request -> request.operation().equals("reserve")).toList();
            assertThat(sent).extracting(RecordedRequest::status).containsExactly(503, 503, 200);
            assertThat(sent).extracting(RecordedRequest::idempotencyKey).containsOnly(sent.get(0).idempotencyKey());
            assertThat(server.reservations()).singleElement().satisfies(reservation ->
                    assertThat(reservation.id()).isEqualTo(stream.reservationId()));
            stream.complete();
        }
    }

    @Test
    void an_unreachable_server_is_a_clear_error_naming_the_url_within_the_decision_timeout() {
        final URI nowhere = URI.create("http://127.0.0.1:1");
        try (BudgetMeter meter = topic.meter().cycles(CyclesAuthority.at(nowhere, KEY)
                .requestTimeout(Duration.ofMillis(300))).decisionTimeout(Duration.ofSeconds(2)).build()) {
            assertThatThrownBy(() -> meter.open(reservation(100_000)))
                    .isInstanceOf(AuthorityUnavailableException.class)
                    .hasMessageContaining("http://127.0.0.1:1")
                    .hasMessageNotContaining(KEY);
        }
    }

    @Test
    void a_reserve_event_kafka_does_not_take_releases_the_hold_at_the_server() {
        try (BudgetMeter meter = BudgetMeter.builder().bootstrapServers("127.0.0.1:1")
                .schemaRegistryUrl("http://127.0.0.1:1").blockTimeout(Duration.ofMillis(500))
                .cycles(CyclesAuthority.at(server.url(), KEY)).build()) {
            assertThatThrownBy(() -> meter.open(reservation(100_000))).isInstanceOf(BudgetMeterException.class);
        }
        assertThat(server.reservations()).singleElement().satisfies(reservation ->
                assertThat(reservation.state()).isEqualTo(ReservationState.RELEASED));
    }

    @Test
    void cycles_with_a_ledger_decision_mode_is_refused_at_build() {
        assertThatThrownBy(() -> topic.meter().cycles(CyclesAuthority.at(server.url(), KEY))
                .decisions(DecisionMode.WAIT).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("budget ledger");
    }

    private BudgetMeter meter(final URI url) {
        return topic.meter().cycles(CyclesAuthority.at(url, KEY)).build();
    }

    private static StreamReservation reservation(final long estimate) {
        return StreamReservation.builder().subject(Subject.tenant("acme").agent("bot"))
                .action("llm.completion", "gpt-4o").estimate(Amount.usdMicrocents(estimate))
                .ttl(Duration.ofSeconds(30)).build();
    }

}
