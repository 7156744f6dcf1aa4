package dev.budgetmeter.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Amount, Pricing, Caps and Usage: the small immutable values of the API. */
class ValueTypesTest {

    @Test
    void amounts_carry_their_unit_and_refuse_negative_values() {
        assertThat(Amount.usdMicrocents(5)).isEqualTo(new Amount(Amount.Unit.USD_MICROCENTS, 5));
        assertThat(Amount.tokens(1).unit()).isEqualTo(Amount.Unit.TOKENS);
        assertThat(Amount.credits(1).unit()).isEqualTo(Amount.Unit.CREDITS);
        assertThat(Amount.riskPoints(1).unit()).isEqualTo(Amount.Unit.RISK_POINTS);
        assertThatThrownBy(() -> Amount.usdMicrocents(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("amount");
    }

    @Test
    void pricing_costs_a_call_as_the_streaming_guide() {
        final Pricing gpt4o = Pricing.perToken(250, 1_000);

        assertThat(gpt4o.cost(1_000, 500)).isEqualTo(1_000 * 250 + 500 * 1_000);
        assertThatThrownBy(() -> gpt4o.cost(Long.MAX_VALUE, 1)).isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(() -> Pricing.perToken(-1, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void caps_bound_the_requested_tokens_only_when_they_cap_tokens() {
        final Caps capped = Caps.builder().maxTokens(300).maxStepsRemaining(2).toolDenylist(List.of("shell"))
                .cooldown(Duration.ofSeconds(1)).build();
        final Caps uncapped = Caps.builder().toolAllowlist(List.of()).build();

        assertThat(capped.effectiveMaxTokens(500)).isEqualTo(300);
        assertThat(capped.effectiveMaxTokens(200)).isEqualTo(200);
        assertThat(uncapped.effectiveMaxTokens(500)).isEqualTo(500);
        assertThat(uncapped.toolAllowlist()).contains(List.of());
        assertThat(uncapped.maxTokens()).isEmpty();
        assertThat(capped).isEqualTo(Caps.builder().maxTokens(300).maxStepsRemaining(2)
                .toolDenylist(List.of("shell")).cooldown(Duration.ofSeconds(1)).build());
        assertThatThrownBy(() -> Caps.maxTokens(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("caps.maxTokens");
        assertThatThrownBy(() -> capped.effectiveMaxTokens(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void usage_adds_details_without_changing_the_original() {
        final Usage tokens = Usage.of(120, 300);

        final Usage detailed = tokens.withActual(Amount.usdMicrocents(330_000)).withModelVersion("gpt-4o-2024-08-06")
                .withCustom("cached_tokens", "40");

        assertThat(tokens.actual()).isEmpty();
        assertThat(detailed.inputTokens()).isEqualTo(120);
        assertThat(detailed.actual()).contains(Amount.usdMicrocents(330_000));
        assertThat(detailed.modelVersion()).contains("gpt-4o-2024-08-06");
        assertThat(detailed.custom()).containsEntry("cached_tokens", "40");
        assertThat(detailed).isEqualTo(Usage.of(120, 300).withModelVersion("gpt-4o-2024-08-06")
                .withActual(Amount.usdMicrocents(330_000)).withCustom("cached_tokens", "40"));
        assertThatThrownBy(() -> Usage.of(-1, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("usage.inputTokens");
    }
}
