package dev.budgetmeter.topology;

import static dev.budgetmeter.topology.BudgetOps.TENANT_SCOPE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.budgetmeter.schemas.AuditKind;
import dev.budgetmeter.schemas.AuditRecord;
import dev.budgetmeter.schemas.Balance;
import dev.budgetmeter.schemas.BudgetOperation;
import dev.budgetmeter.schemas.BudgetStatus;
import dev.budgetmeter.schemas.DeadLetter;
import dev.budgetmeter.schemas.DeadLetterReason;
import dev.budgetmeter.schemas.FundingKind;
import dev.budgetmeter.schemas.Unit;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Operators' budget operations, applied by the ledger exactly once each: every one is audited, applied (the budget
 * published) or refused with the reason; a record that cannot be read is dead-lettered.
 */
class BudgetOperationsTest {

    private final MeteringDriver meter = MeteringDriver.withLedger(Map.of());

    @AfterEach
    void close() {
        meter.close();
    }

    /** The detail of the one audit record the operation got. */
    private String outcomeOf(final BudgetOperation operation) {
        meter.budget(operation);
        final List<AuditRecord> audits = meter.audits();
        assertThat(audits).hasSize(1);
        return audits.get(0).getKind() + ": " + audits.get(0).getDetail();
    }

    @Test
    void a_budget_is_set_funded_frozen_unfrozen_and_closed_and_each_change_is_published_and_audited() {
        assertThat(outcomeOf(BudgetOps.set(TENANT_SCOPE, 1_000))).startsWith("BUDGET_CHANGED");
        meter.budget(BudgetOps.fund(TENANT_SCOPE, FundingKind.CREDIT, 500),
                BudgetOps.fund(TENANT_SCOPE, FundingKind.DEBIT, 200),
                BudgetOps.status(TENANT_SCOPE, BudgetStatus.FROZEN),
                BudgetOps.status(TENANT_SCOPE, BudgetStatus.ACTIVE),
                BudgetOps.fund(TENANT_SCOPE, FundingKind.RESET, 5_000),
                BudgetOps.status(TENANT_SCOPE, BudgetStatus.CLOSED));

        final List<Balance> balances = meter.balances();
        assertThat(balances).extracting(Balance::getAllocated).containsExactly(1_000L, 1_500L, 1_300L, 1_300L,
                1_300L, 5_000L, 5_000L);
        assertThat(balances.get(balances.size() - 1).getStatus()).isEqualTo(BudgetStatus.CLOSED);
        assertThat(meter.audits()).extracting(AuditRecord::getKind).containsOnly(AuditKind.BUDGET_CHANGED);
    }

    @Test
    void bad_operations_are_refused_with_the_reason_and_change_nothing() {
        meter.budget(BudgetOps.set(TENANT_SCOPE, 1_000));
        meter.audits();
        meter.balances();

        assertThat(outcomeOf(BudgetOps.fund(TENANT_SCOPE, FundingKind.CREDIT, -5)))
                .startsWith("BUDGET_OPERATION_REFUSED").contains("amount is -5");
        assertThat(outcomeOf(BudgetOps.fund("tenant:acme/workspace:none", FundingKind.CREDIT, 5)))
                .contains("BUDGET_NOT_FOUND");
        assertThat(outcomeOf(BudgetOps.set("tenant:other", 5))).contains("does not start with 'tenant:acme'");
        assertThat(outcomeOf(BudgetOps.set("tenant:acme/agent:a/workspace:w", 5))).contains("in that order");
        assertThat(outcomeOf(BudgetOps.fund(TENANT_SCOPE, FundingKind.DEBIT, 1_001))).contains("BUDGET_EXCEEDED");
        assertThat(outcomeOf(BudgetOps.fund(TENANT_SCOPE, FundingKind.UNKNOWN, 1))).contains("does not know");
        meter.budget(BudgetOps.status(TENANT_SCOPE, BudgetStatus.FROZEN));
        meter.audits();
        assertThat(outcomeOf(BudgetOps.fund(TENANT_SCOPE, FundingKind.CREDIT, 1))).contains("BUDGET_FROZEN");
        meter.budget(BudgetOps.status(TENANT_SCOPE, BudgetStatus.CLOSED));
        meter.audits();
        assertThat(outcomeOf(BudgetOps.status(TENANT_SCOPE, BudgetStatus.ACTIVE))).contains("BUDGET_CLOSED");
        assertThat(outcomeOf(BudgetOps.set(TENANT_SCOPE, 9))).contains("BUDGET_CLOSED");

        final Balance kept = meter.budgetOf(TENANT_SCOPE, Unit.USD_MICROCENTS);
        assertThat(kept.getAllocated()).isEqualTo(1_000);
        assertThat(kept.getStatus()).isEqualTo(BudgetStatus.CLOSED);
    }

    @Test
    void an_operation_sent_twice_is_applied_once() {
        final BudgetOperation credit = BudgetOps.fund(TENANT_SCOPE, FundingKind.CREDIT, 100);
        meter.budget(BudgetOps.set(TENANT_SCOPE, 1_000), credit, credit);

        assertThat(meter.budgetOf(TENANT_SCOPE, Unit.USD_MICROCENTS).getAllocated()).isEqualTo(1_100);
        assertThat(meter.auditKinds()).containsExactly(AuditKind.BUDGET_CHANGED, AuditKind.BUDGET_CHANGED,
                AuditKind.DUPLICATE_IGNORED);
    }

    @Test
    void records_that_cannot_be_read_as_operations_are_dead_lettered_with_their_reason() {
        meter.sendRawOperation("acme".getBytes(StandardCharsets.UTF_8), new byte[] {0, 1, 2});
        final BudgetOperation elsewhere = BudgetOps.set(TENANT_SCOPE, 5);
        meter.sendRawOperation("other".getBytes(StandardCharsets.UTF_8), meter.serializeOperation(elsewhere));

        assertThat(meter.deadLetters()).extracting(DeadLetter::getReason)
                .containsExactly(DeadLetterReason.UNDECODABLE, DeadLetterReason.KEY_MISMATCH);
        assertThat(meter.budgetOf(TENANT_SCOPE, Unit.USD_MICROCENTS)).isNull();
    }
}
