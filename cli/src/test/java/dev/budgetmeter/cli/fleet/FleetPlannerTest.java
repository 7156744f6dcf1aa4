package dev.budgetmeter.cli.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import dev.budgetmeter.producer.Decision;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class FleetPlannerTest {

    private static final FleetSettings SETTINGS = new FleetSettings(1_000, 8, 200, 0.10, 0.05, 0.05, 0.01, 500,
            Duration.ofSeconds(10), 7);

    @Test
    void the_shares_give_exact_counts_and_long_streams_come_first() {
        final List<StreamPlan> plans = FleetPlanner.plan(SETTINGS, "run");

        final Map<Ending, Long> endings = plans.stream().collect(Collectors.groupingBy(StreamPlan::ending,
                Collectors.counting()));
        assertThat(plans).hasSize(1_000);
        assertThat(endings).containsEntry(Ending.FAILED, 100L).containsEntry(Ending.CANCELLED, 50L)
                .containsEntry(Ending.ABANDONED, 50L).containsEntry(Ending.COMPLETED, 800L);
        assertThat(plans.subList(0, 10)).allMatch(StreamPlan::longStream);
        assertThat(plans.subList(10, 1_000)).noneMatch(StreamPlan::longStream);
        assertThat(plans.stream().map(StreamPlan::reservationId).collect(Collectors.toSet())).hasSize(1_000)
                .contains("run-1", "run-1000");
    }

    @Test
    void the_same_seed_plans_the_same_streams() {
        assertThat(FleetPlanner.plan(SETTINGS, "run")).isEqualTo(FleetPlanner.plan(SETTINGS, "run"));
    }

    @Test
    void long_streams_last_longer_than_half_the_ttl_so_their_hold_is_extended() {
        final StreamPlan longOne = FleetPlanner.plan(SETTINGS, "run").get(0);

        final long millis = longOne.tickMillis() * longOne.streamedTokens() / longOne.tokensPerTick();

        assertThat(millis).isGreaterThan(SETTINGS.ttl().toMillis());
        assertThat(longOne.ending()).isEqualTo(Ending.COMPLETED);
    }

    @Test
    void streams_that_end_early_stream_less_than_their_answer_and_some_nothing_at_all() {
        final List<StreamPlan> early = FleetPlanner.plan(SETTINGS, "run").stream()
                .filter(plan -> plan.ending() != Ending.COMPLETED).toList();

        assertThat(early).allMatch(plan -> plan.streamedTokens() < plan.answerTokens());
        assertThat(early).anyMatch(plan -> plan.streamedTokens() == 0);
        assertThat(early).anyMatch(plan -> plan.streamedTokens() > 0);
    }

    @Test
    void expected_charges_price_the_provider_totals_or_the_streamed_tokens_and_nothing_when_none_streamed() {
        final StreamPlan completed = new StreamPlan("a", "acme", Ending.COMPLETED, false, 400, 300, 300, 50, 20, 10);
        final StreamPlan broken = new StreamPlan("b", "acme", Ending.FAILED, false, 400, 300, 120, 50, 20, 10);
        final StreamPlan refused = new StreamPlan("c", "acme", Ending.FAILED, false, 400, 300, 0, 50, 20, 10);

        assertThat(completed.expectedCharge(FleetPlanner.PRICING)).isEqualTo(50 * 250 + 300 * 1_000);
        assertThat(broken.expectedCharge(FleetPlanner.PRICING)).isEqualTo(50 * 250 + 120 * 1_000);
        assertThat(refused.expectedCharge(FleetPlanner.PRICING)).isZero();
        assertThat(completed.estimate(FleetPlanner.PRICING)).isEqualTo(400_000);
    }

    @Test
    void a_fleet_result_expects_the_charges_of_the_opened_streams_and_nothing_of_the_refused_ones() {
        final List<StreamPlan> plans = FleetPlanner.plan(SETTINGS, "run");
        final StreamPlan first = plans.get(0);
        final StreamPlan second = plans.get(1);
        final FleetResult result = new FleetResult(plans, Map.of(first.reservationId(), first),
                Map.of(first.reservationId(), allowed("tenant:" + first.tenant()),
                        second.reservationId(), refused()),
                FleetPlanner.PRICING, Duration.ofSeconds(1));

        assertThat(result.expectedCharges()).containsOnly(
                entry(first.reservationId(), first.expectedCharge(FleetPlanner.PRICING)),
                entry(second.reservationId(), 0L));
        assertThat(result.expectedBudgetCharges()).containsOnly(
                entry("tenant:" + first.tenant() + "|USD_MICROCENTS", first.expectedCharge(FleetPlanner.PRICING)));
        assertThat(result.refusedByAuthority()).isEqualTo(1);
        assertThat(result.notOpened()).isEqualTo(998);
        assertThat(result.decisionCounts()).containsOnly(entry("ALLOW", 1), entry("refused BUDGET_EXCEEDED", 1));
    }

    @Test
    void a_cap_cuts_the_answer_and_what_is_streamed_of_it_but_not_the_estimate() {
        final StreamPlan plan = new StreamPlan("a", "acme", Ending.COMPLETED, false, 400, 300, 300, 50, 20, 10);

        final StreamPlan capped = plan.cappedAt(120);

        assertThat(capped.answerTokens()).isEqualTo(120);
        assertThat(capped.streamedTokens()).isEqualTo(120);
        assertThat(capped.estimate(FleetPlanner.PRICING)).isEqualTo(plan.estimate(FleetPlanner.PRICING));
        assertThat(capped.expectedCharge(FleetPlanner.PRICING)).isEqualTo(50 * 250 + 120 * 1_000);
        assertThat(plan.cappedAt(300)).isSameAs(plan);
    }

    @Test
    void every_stream_is_billed_to_one_of_the_tenants() {
        assertThat(FleetPlanner.plan(SETTINGS, "run")).extracting(StreamPlan::tenant)
                .containsOnly(FleetPlanner.TENANTS.toArray(String[]::new));
    }

    private static Decision allowed(final String scope) {
        return Decision.allowed(null, List.of(scope), null);
    }

    private static Decision refused() {
        return Decision.refused("BUDGET_EXCEEDED", "tenant:initech");
    }

    @Test
    void settings_that_cannot_be_planned_are_refused_with_the_reason() {
        assertThatThrownBy(() -> new FleetSettings(10, 1, 200, 0.5, 0.5, 0.5, 0, 500, Duration.ofSeconds(10), 1))
                .hasMessageContaining("more than 1");
        assertThatThrownBy(() -> new FleetSettings(10, 1, 200, 0, 0, 0, 0, 500, Duration.ofMillis(500), 1))
                .hasMessageContaining("ttl");
        assertThatThrownBy(() -> new FleetSettings(0, 1, 200, 0, 0, 0, 0, 500, Duration.ofSeconds(10), 1))
                .hasMessageContaining("streams");
    }
}
