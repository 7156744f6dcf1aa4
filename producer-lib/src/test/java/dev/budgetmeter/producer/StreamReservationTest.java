package dev.budgetmeter.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class StreamReservationTest {

    private static StreamReservation.Builder minimal() {
        return StreamReservation.builder()
                .subject(Subject.tenant("acme"))
                .action("llm.completion", "gpt-4o")
                .estimate(Amount.usdMicrocents(500_000));
    }

    @Test
    void applies_the_protocol_defaults_and_a_random_uuid() {
        final StreamReservation reservation = minimal().build();

        assertThat(UUID.fromString(reservation.reservationId())).isNotNull();
        assertThat(reservation.ttl()).isEqualTo(Duration.ofSeconds(60));
        assertThat(reservation.gracePeriod()).isEqualTo(Duration.ofSeconds(5));
        assertThat(reservation.overagePolicy()).isEqualTo(OveragePolicy.ALLOW_IF_AVAILABLE);
        assertThat(reservation.expiresAt()).isEmpty();
        assertThat(reservation.caps()).isEmpty();
        assertThat(reservation.pricing()).isEmpty();
        assertThat(reservation.metadata()).isEmpty();
        assertThat(reservation.actionTags()).isEmpty();
        assertThat(minimal().build().reservationId()).isNotEqualTo(reservation.reservationId());
    }

    @Test
    void keeps_what_an_external_authority_granted() {
        final Instant expiry = Instant.parse("2030-01-01T00:00:00Z");

        final StreamReservation reservation = minimal().reservationId("rsv-42").expiresAt(expiry)
                .caps(Caps.maxTokens(300)).pricing(Pricing.perToken(250, 1_000))
                .metadata(Map.of("request", "r-1")).metadata("trace", "t-1").build();

        assertThat(reservation.reservationId()).isEqualTo("rsv-42");
        assertThat(reservation.expiresAt()).contains(expiry);
        assertThat(reservation.caps()).contains(Caps.maxTokens(300));
        assertThat(reservation.metadata()).isEqualTo(Map.of("request", "r-1", "trace", "t-1"));
    }

    @Test
    void refuses_a_ttl_outside_one_second_to_one_day() {
        assertThat(minimal().ttl(Duration.ofSeconds(1)).build().ttl()).isEqualTo(Duration.ofSeconds(1));
        assertThat(minimal().ttl(Duration.ofDays(1)).build().ttl()).isEqualTo(Duration.ofDays(1));
        assertThatThrownBy(() -> minimal().ttl(Duration.ofMillis(999)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ttl").hasMessageContaining("999");
        assertThatThrownBy(() -> minimal().ttl(Duration.ofDays(1).plusMillis(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ttl");
    }

    @Test
    void refuses_a_grace_period_outside_zero_to_sixty_seconds() {
        assertThat(minimal().gracePeriod(Duration.ZERO).build().gracePeriod()).isZero();
        assertThatThrownBy(() -> minimal().gracePeriod(Duration.ofSeconds(61)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("gracePeriod");
        assertThatThrownBy(() -> minimal().gracePeriod(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("gracePeriod");
    }

    @Test
    void names_the_missing_required_field() {
        assertThatThrownBy(() -> StreamReservation.builder().action("k", "n").estimate(Amount.tokens(1)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("subject");
        assertThatThrownBy(() -> StreamReservation.builder().subject(Subject.tenant("a")).estimate(Amount.tokens(1))
                .build()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("action");
        assertThatThrownBy(() -> StreamReservation.builder().subject(Subject.tenant("a")).action("k", "n").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("estimate");
    }

    @Test
    void checks_the_action_and_id_against_the_protocol_limits() {
        assertThatThrownBy(() -> minimal().action("k".repeat(65), "n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("action.kind");
        assertThatThrownBy(() -> minimal().action("k", "n".repeat(257)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("action.name");
        assertThatThrownBy(() -> minimal().action("k", "n", Collections.nCopies(11, "tag")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("action.tags");
        assertThat(minimal().action("k", "n", List.of("a", "b")).build().actionTags()).containsExactly("a", "b");
        assertThatThrownBy(() -> minimal().reservationId("r".repeat(StreamReservation.MAX_RESERVATION_ID_LENGTH + 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reservationId");
        assertThatThrownBy(() -> minimal().metadata("trace", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("metadata trace");
    }
}
