package dev.budgetmeter.bench.env;

import dev.budgetmeter.cli.budgets.BudgetClient;
import dev.budgetmeter.cli.budgets.BudgetRequests;
import dev.budgetmeter.schemas.AuditKind;
import dev.budgetmeter.schemas.AuditRecord;
import dev.budgetmeter.schemas.BudgetOperation;
import dev.budgetmeter.schemas.Unit;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Sets one budget per tenant (at the tenant's scope, in USD microcents) through the budget ledger, as an operator
 * would with {@code budget-meter budgets set}, and returns once the ledger has applied every one of them: a
 * Reserve sent after that is decided against its budget, never refused for want of one.
 */
public final class LedgerBudgets {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    private LedgerBudgets() {
    }

    /**
     * @param runId     makes the operation ids unique to this run (each is applied once)
     * @param allocated each budget's allocation
     * @throws IllegalStateException when the ledger refused one
     */
    public static void set(final LedgerUnderTest ledger, final String runId, final List<String> tenants,
                           final long allocated) {
        final Instant now = Instant.now();
        final List<BudgetOperation> operations = tenants.stream()
                .map(tenant -> BudgetRequests.set(runId + ":set:" + tenant, "tenant:" + tenant,
                        Unit.USD_MICROCENTS, allocated, 0, null, "bench " + runId, now))
                .toList();
        final List<AuditRecord> answers = new BudgetClient(ledger.stack().bootstrapServers(), ledger.topics(), TIMEOUT)
                .applyAll(operations);
        for (final AuditRecord answer : answers) {
            if (answer.getKind() != AuditKind.BUDGET_CHANGED) {
                throw new IllegalStateException("the ledger did not set a bench budget: " + answer.getKind() + " "
                        + answer.getDetail());
            }
        }
    }
}
