package dev.budgetmeter.topology;

import static dev.budgetmeter.topology.BudgetOps.AGENT_SCOPE;
import static dev.budgetmeter.topology.BudgetOps.TENANT_SCOPE;
import static dev.budgetmeter.topology.Events.ESTIMATE;
import static dev.budgetmeter.topology.Events.chunk;
import static dev.budgetmeter.topology.Events.end;
import static dev.budgetmeter.topology.Events.reserve;
import static dev.budgetmeter.topology.MeteringDriver.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.budgetmeter.schemas.AuditKind;
import dev.budgetmeter.schemas.AuditRecord;
import dev.budgetmeter.schemas.Balance;
import dev.budgetmeter.schemas.BudgetCommand;
import dev.budgetmeter.schemas.BudgetStatus;
import dev.budgetmeter.schemas.Caps;
import dev.budgetmeter.schemas.Debit;
import dev.budgetmeter.schemas.Decision;
import dev.budgetmeter.schemas.DecisionKind;
import dev.budgetmeter.schemas.FundingKind;
import dev.budgetmeter.schemas.Outcome;
import dev.budgetmeter.schemas.OveragePolicy;
import dev.budgetmeter.schemas.ReservationStatus;
import dev.budgetmeter.schemas.SettlementCause;
import dev.budgetmeter.schemas.Unit;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The budget ledger inside the topology ({@code metering.authority=LEDGER}): a decision for every Reserve, the
 * protocol's checks in order over every budgeted scope, holds all or none, the protocol's arithmetic on every
 * settlement, funding, and the invariant {@code remaining = allocated - spent - reserved - debt} after every record.
 * The subject of {@link Events#reserve} has two scopes, the tenant and its agent; its estimate is 1,000,000.
 */
class BudgetLedgerTest {

    private final MeteringDriver meter = MeteringDriver.withLedger(Map.of());

    @AfterEach
    void close() {
        meter.close();
    }

    private Decision onlyDecision() {
        final List<TestRecord<String, Decision>> decisions = meter.decisions();
        assertThat(decisions).hasSize(1);
        return decisions.get(0).value();
    }

    @Test
    void an_allowed_reserve_holds_its_estimate_on_every_budgeted_scope_and_is_answered() {
        meter.budget(BudgetOps.set(TENANT_SCOPE, 10 * ESTIMATE), BudgetOps.set(AGENT_SCOPE, 3 * ESTIMATE));

        meter.send(reserve("r1", T0));

        final Decision decision = onlyDecision();
        assertThat(decision.getDecision()).isEqualTo(DecisionKind.ALLOW);
        assertThat(decision.getAffectedScopes()).containsExactly(TENANT_SCOPE, AGENT_SCOPE);
        assertThat(decision.getExpiresAtMs()).isEqualTo(T0 + Events.TTL_MS);
        assertThat(meter.budgetOf(TENANT_SCOPE, Unit.USD_MICROCENTS).getReserved()).isEqualTo(ESTIMATE);
        assertThat(meter.budgetOf(AGENT_SCOPE, Unit.USD_MICROCENTS).getRemaining()).isEqualTo(2 * ESTIMATE);
        assertThat(meter.reservation("r1").getDecision()).isEqualTo(DecisionKind.ALLOW);
    }

    @Test
    void the_decision_goes_to_the_partition_the_reserve_names() {
        meter.budget(BudgetOps.set(TENANT_SCOPE, 10 * ESTIMATE));

        meter.send(reserve("r1", T0, body -> body.setReplyPartition(0)));

        final TestRecord<String, Decision> decision = meter.decisions().get(0);
        assertThat(decision.getKey()).isEqualTo("r1");
        assertThat(decision.value().getReplyPartition()).isEqualTo(0);
    }

    @Test
    void a_completed_stream_commits_and_its_budgets_charge_the_actual_and_return_the_rest() {
        meter.budget(BudgetOps.set(TENANT_SCOPE, 10 * ESTIMATE), BudgetOps.set(AGENT_SCOPE, 3 * ESTIMATE));
        meter.send(reserve("r1", T0), chunk("r1", 1, T0, 40), end("r1", 2, T0, Outcome.COMPLETED, null));

        final Balance tenant = meter.budgetOf(TENANT_SCOPE, Unit.USD_MICROCENTS);
        assertThat(tenant.getReserved()).isZero();
        assertThat(tenant.getSpent()).isEqualTo(40_000);
        assertThat(tenant.getRemaining()).isEqualTo(10 * ESTIMATE - 40_000);
        assertThat(meter.budgetOf(AGENT_SCOPE, Unit.USD_MICROCENTS).getSpent()).isEqualTo(40_000);
        assertThat(meter.auditKinds()).containsSubsequence(AuditKind.RESERVED, AuditKind.BUDGET_HELD,
                AuditKind.RESERVE_ALLOWED, AuditKind.COMMITTED, AuditKind.BUDGET_SETTLED);
    }

    @Test
    void one_scope_that_refuses_refuses_the_reserve_and_nothing_is_held_anywhere() {
        meter.budget(BudgetOps.set(TENANT_SCOPE, 10 * ESTIMATE), BudgetOps.set(AGENT_SCOPE, ESTIMATE - 1));

        meter.send(reserve("r1", T0));

        final Decision decision = onlyDecision();
        assertThat(decision.getDecision()).isEqualTo(DecisionKind.DENY);
        assertThat(decision.getReasonCode()).isEqualTo("BUDGET_EXCEEDED");
        assertThat(decision.getDeniedScope()).isEqualTo(AGENT_SCOPE);
        assertThat(meter.budgetOf(TENANT_SCOPE, Unit.USD_MICROCENTS).getReserved()).isZero();
        assertThat(meter.budgetOf(AGENT_SCOPE, Unit.USD_MICROCENTS).getReserved()).isZero();
        assertThat(meter.commands()).as("a refused reservation gets no command").isEmpty();
        assertThat(meter.reservation("r1").getSettlementCause()).isEqualTo(SettlementCause.REFUSED);
    }

    @Test
    void the_checks_come_in_the_protocols_order_scope_by_scope_tenant_first() {
        // Frozen beats every later check on the same budget.
        meter.budget(BudgetOps.set(TENANT_SCOPE, 0), BudgetOps.status(TENANT_SCOPE, BudgetStatus.FROZEN));
        meter.send(reserve("frozen", T0));
        assertThat(onlyDecision().getReasonCode()).isEqualTo("BUDGET_FROZEN");

        meter.budget(BudgetOps.status(TENANT_SCOPE, BudgetStatus.ACTIVE), BudgetOps.set(TENANT_SCOPE, 10 * ESTIMATE),
                BudgetOps.set(AGENT_SCOPE, 0), BudgetOps.status(AGENT_SCOPE, BudgetStatus.CLOSED));
        meter.send(reserve("closed", T0));
        assertThat(onlyDecision().getReasonCode()).isEqualTo("BUDGET_CLOSED");

        // Debt with no overdraft allowed is refused DEBT_OUTSTANDING before the remaining is looked at.
        try (MeteringDriver owing = MeteringDriver.withLedger(Map.of())) {
            owing.budget(BudgetOps.set(TENANT_SCOPE, ESTIMATE, 10 * ESTIMATE, null));
            owing.send(reserve("o1", T0, body -> body.setOveragePolicy(OveragePolicy.ALLOW_WITH_OVERDRAFT)),
                    chunk("o1", 1, T0, 1_500), end("o1", 2, T0, Outcome.COMPLETED, null));
            owing.budget(BudgetOps.set(TENANT_SCOPE, 3 * ESTIMATE, 0, null));
            owing.decisions();
            owing.send(reserve("o2", T0));
            assertThat(owing.decisions().get(0).value().getReasonCode()).isEqualTo("DEBT_OUTSTANDING");
        }
    }

    @Test
    void a_subject_without_any_budget_is_refused_not_found_or_unit_mismatch_unless_unbudgeted_subjects_are_allowed() {
        meter.send(reserve("none", T0));
        assertThat(onlyDecision().getReasonCode()).isEqualTo("BUDGET_NOT_FOUND");

        meter.budget(BudgetOps.operation(TENANT_SCOPE, Unit.TOKENS, new dev.budgetmeter.schemas.SetBudget(100L, 0L,
                null)));
        meter.send(reserve("other-unit", T0));
        assertThat(onlyDecision().getReasonCode()).isEqualTo("UNIT_MISMATCH");

        try (MeteringDriver metering = MeteringDriver.withLedger(Map.of(MeteringConfig.LEDGER_UNBUDGETED_CONFIG,
                "ALLOW"))) {
            metering.send(reserve("free", T0), chunk("free", 1, T0, 5), end("free", 2, T0, Outcome.COMPLETED, null));
            final Decision decision = metering.decisions().get(0).value();
            assertThat(decision.getDecision()).isEqualTo(DecisionKind.ALLOW);
            assertThat(decision.getAffectedScopes()).isEmpty();
            assertThat(metering.commands()).extracting(BudgetCommand::getIdempotencyKey).containsExactly("free:commit");
        }
    }

    @Test
    void a_commit_above_the_estimate_follows_its_overage_policy() {
        meter.budget(BudgetOps.set(TENANT_SCOPE, ESTIMATE + 300_000, 2 * ESTIMATE, null));
        // 1,500 tokens cost 1,500,000: 500,000 above the estimate, 300,000 of which the budget has left.
        meter.send(reserve("capped", T0), chunk("capped", 1, T0, 1_500),
                end("capped", 2, T0, Outcome.COMPLETED, null));
        final Balance capped = meter.budgetOf(TENANT_SCOPE, Unit.USD_MICROCENTS);
        assertThat(capped.getSpent()).as("ALLOW_IF_AVAILABLE: the estimate and what remained").isEqualTo(1_300_000);
        assertThat(capped.getIsOverLimit()).isTrue();
        assertThat(capped.getDebt()).isZero();

        meter.budget(BudgetOps.fund(TENANT_SCOPE, FundingKind.CREDIT, 10 * ESTIMATE));
        assertThat(meter.budgetOf(TENANT_SCOPE, Unit.USD_MICROCENTS).getIsOverLimit()).as("funding clears it")
                .isFalse();
        meter.send(reserve("owing", T0, body -> body.setOveragePolicy(OveragePolicy.ALLOW_WITH_OVERDRAFT)),
                chunk("owing", 1, T0, 12_000), end("owing", 2, T0, Outcome.COMPLETED, null));
        final Balance owing = meter.budgetOf(TENANT_SCOPE, Unit.USD_MICROCENTS);
        // 12,000,000 charged: the 1,000,000 held and the 9,000,000 left are spent, the 2,000,000 short are debt.
        assertThat(owing.getDebt()).as("ALLOW_WITH_OVERDRAFT: the shortfall is debt").isEqualTo(2_000_000);
        assertThat(owing.getIsOverLimit()).as("within the 2,000,000 overdraft limit").isFalse();
        assertThat(owing.getRemaining()).isEqualTo(owing.getAllocated() - owing.getSpent() - owing.getReserved()
                - owing.getDebt());

        meter.budget(BudgetOps.set(TENANT_SCOPE, 20 * ESTIMATE, 2 * ESTIMATE, null));
        meter.send(reserve("strict", T0, body -> body.setOveragePolicy(OveragePolicy.REJECT)),
                chunk("strict", 1, T0, 1_500), end("strict", 2, T0, Outcome.COMPLETED, null));
        final AuditRecord settled = meter.audits().stream()
                .filter(audit -> audit.getKind() == AuditKind.BUDGET_SETTLED
                        && audit.getReservationId().equals("strict")).findFirst().orElseThrow();
        assertThat(settled.getDetail()).as("REJECT: only the estimate is charged").contains("500000 above");
    }

    @Test
    void debt_is_repaid_first_by_funding_and_the_budget_takes_reservations_again() {
        meter.budget(BudgetOps.set(TENANT_SCOPE, ESTIMATE, ESTIMATE, null));
        meter.send(reserve("r1", T0, body -> body.setOveragePolicy(OveragePolicy.ALLOW_WITH_OVERDRAFT)),
                chunk("r1", 1, T0, 1_400), end("r1", 2, T0, Outcome.COMPLETED, null));
        assertThat(meter.budgetOf(TENANT_SCOPE, Unit.USD_MICROCENTS).getDebt()).isEqualTo(400_000);
        meter.send(reserve("blocked", T0));
        meter.decisions();

        meter.budget(BudgetOps.fund(TENANT_SCOPE, FundingKind.REPAY_DEBT, 2 * ESTIMATE));

        final Balance repaid = meter.budgetOf(TENANT_SCOPE, Unit.USD_MICROCENTS);
        assertThat(repaid.getDebt()).isZero();
        assertThat(repaid.getSpent()).isEqualTo(1_400_000);
        assertThat(repaid.getRemaining()).isEqualTo(ESTIMATE + 2 * ESTIMATE - 1_400_000);
        meter.send(reserve("again", T0));
        assertThat(onlyDecision().getDecision()).isEqualTo(DecisionKind.ALLOW);
    }

    @Test
    void a_release_and_a_lapse_return_the_whole_hold() {
        meter.budget(BudgetOps.set(TENANT_SCOPE, 10 * ESTIMATE));
        meter.send(reserve("released", T0), end("released", 1, T0, Outcome.CANCELLED, null));
        assertThat(meter.budgetOf(TENANT_SCOPE, Unit.USD_MICROCENTS).getReserved()).isZero();

        meter.send(reserve("lapsed", T0, body -> body.setTtlMs(4_000L).setGracePeriodMs(1_000L)),
                chunk("lapsed", 1, T0, 10));
        meter.advance(Duration.ofSeconds(20));
        meter.advance(Duration.ofSeconds(1));
        final Balance after = meter.budgetOf(TENANT_SCOPE, Unit.USD_MICROCENTS);
        assertThat(after.getReserved()).as("the lapse returned the hold").isZero();
        assertThat(after.getSpent()).as("the lapsed stream's usage, debited").isEqualTo(10_000);
    }

    @Test
    void usage_of_a_refused_reservation_is_charged_as_an_unauthorized_debit() {
        meter.budget(BudgetOps.set(TENANT_SCOPE, 10));
        meter.send(reserve("r1", T0), chunk("r1", 1, T0, 5), end("r1", 2, T0, Outcome.COMPLETED, null));

        final List<BudgetCommand> commands = meter.commands();
        assertThat(commands).extracting(BudgetCommand::getIdempotencyKey).containsExactly("r1:debit:1");
        assertThat(((Debit) commands.get(0).getBody()).getReason()).isEqualTo("unauthorized_usage");
        assertThat(meter.auditKinds()).contains(AuditKind.RESERVE_REFUSED, AuditKind.UNAUTHORIZED_USAGE);
        assertThat(meter.reservation("r1").getStatus()).isEqualTo(ReservationStatus.RELEASED);
        final Balance charged = meter.budgetOf(TENANT_SCOPE, Unit.USD_MICROCENTS);
        assertThat(charged.getSpent()).as("what the budget had left").isEqualTo(10);
        assertThat(charged.getIsOverLimit()).isTrue();
    }

    @Test
    void caps_of_every_budget_merge_into_the_tightest_and_the_decision_says_allow_with_caps() {
        meter.budget(BudgetOps.set(TENANT_SCOPE, 10 * ESTIMATE, 0, Caps.newBuilder().setMaxTokens(500L).build()),
                BudgetOps.set(AGENT_SCOPE, 10 * ESTIMATE, 0, Caps.newBuilder().setMaxTokens(200L).build()));

        meter.send(reserve("r1", T0));

        final Decision decision = onlyDecision();
        assertThat(decision.getDecision()).isEqualTo(DecisionKind.ALLOW_WITH_CAPS);
        assertThat(decision.getCaps().getMaxTokens()).isEqualTo(200L);
    }

    @Test
    void a_stream_that_ends_at_once_commits_and_charges_its_budget() {
        meter.budget(BudgetOps.set(TENANT_SCOPE, 10 * ESTIMATE));

        meter.send(reserve("r1", T0), chunk("r1", 1, T0, 3), end("r1", 2, T0, Outcome.COMPLETED, null));

        assertThat(meter.commands()).extracting(BudgetCommand::getIdempotencyKey).containsExactly("r1:commit");
        assertThat(meter.budgetOf(TENANT_SCOPE, Unit.USD_MICROCENTS).getSpent()).isEqualTo(3_000);
    }

    @Test
    void every_published_balance_keeps_the_invariant() {
        meter.budget(BudgetOps.set(TENANT_SCOPE, 5 * ESTIMATE, ESTIMATE, null), BudgetOps.set(AGENT_SCOPE, 2 * ESTIMATE));
        for (int i = 0; i < 6; i++) {
            final String id = "r" + i;
            final OveragePolicy policy = OveragePolicy.values()[i % 3];
            meter.send(reserve(id, T0, body -> body.setOveragePolicy(policy)), chunk(id, 1, T0, 300L * i),
                    end(id, 2, T0, i % 2 == 0 ? Outcome.COMPLETED : Outcome.FAILED, null));
        }
        meter.budget(BudgetOps.fund(TENANT_SCOPE, FundingKind.RESET_SPENT, 4 * ESTIMATE),
                BudgetOps.fund(AGENT_SCOPE, FundingKind.DEBIT, 1));

        final List<Balance> balances = meter.balances();
        assertThat(balances).hasSizeGreaterThan(10).allSatisfy(balance -> assertThat(balance.getRemaining())
                .isEqualTo(balance.getAllocated() - balance.getSpent() - balance.getReserved() - balance.getDebt()));
    }
}
