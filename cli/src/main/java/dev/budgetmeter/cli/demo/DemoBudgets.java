package dev.budgetmeter.cli.demo;

import dev.budgetmeter.cli.budgets.BudgetClient;
import dev.budgetmeter.cli.budgets.BudgetRequests;
import dev.budgetmeter.cli.fleet.FleetPlanner;
import dev.budgetmeter.cli.fleet.StreamPlan;
import dev.budgetmeter.producer.Pricing;
import dev.budgetmeter.schemas.AuditKind;
import dev.budgetmeter.schemas.AuditRecord;
import dev.budgetmeter.schemas.BudgetOperation;
import dev.budgetmeter.schemas.FundingKind;
import dev.budgetmeter.schemas.Unit;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo's budgets for the ledger, sized from the run's plans so that each tenant shows something: {@code acme}
 * has twice what all its streams could hold at once; {@code globex} as much, and a budget on its workspace whose
 * token cap cuts the longer answers short (ALLOW_WITH_CAPS, holds over two scopes); {@code initech} a budget for
 * {@value #SMALL_SHARE_PERCENT}% of what its streams will cost, so it runs out mid-run and the ledger refuses the
 * rest (BUDGET_EXCEEDED). Each budget starts a new period (RESET_SPENT), so that a demo run again on the same
 * cluster starts from nothing spent.
 */
public final class DemoBudgets {

    static final String ROOMY = "acme";
    static final String CAPPED = "globex";
    static final String SMALL = "initech";
    static final int SMALL_SHARE_PERCENT = 40;

    private DemoBudgets() {
    }

    /**
     * The operations that set the budgets for {@code plans}, with ids derived from the run id (applied once
     * each).
     *
     * @param capTokens the capped workspace's max tokens per reservation
     */
    public static List<BudgetOperation> plan(final String runId, final List<StreamPlan> plans, final Pricing pricing,
                                             final long capTokens, final Instant now) {
        final List<BudgetOperation> operations = new ArrayList<>();
        for (final String tenant : FleetPlanner.TENANTS) {
            final List<StreamPlan> own = plans.stream().filter(plan -> plan.tenant().equals(tenant)).toList();
            final long estimates = own.stream().mapToLong(plan -> plan.estimate(pricing)).sum();
            final long costs = own.stream().mapToLong(plan -> plan.expectedCharge(pricing)).sum();
            final String scope = "tenant:" + tenant;
            final long allocated = tenant.equals(SMALL) ? costs * SMALL_SHARE_PERCENT / 100 : 2 * estimates;
            addBudget(operations, runId, scope, allocated, null, now);
            if (tenant.equals(CAPPED)) {
                addBudget(operations, runId, scope + "/workspace:" + FleetPlanner.WORKSPACE, 2 * estimates, capTokens,
                        now);
            }
        }
        return operations;
    }

    private static void addBudget(final List<BudgetOperation> operations, final String runId, final String scope,
                                  final long allocated, final Long capTokens, final Instant now) {
        final String why = "demo " + runId;
        operations.add(BudgetRequests.set(runId + ":set:" + scope, scope, Unit.USD_MICROCENTS, allocated, 0,
                capTokens, why, now));
        operations.add(BudgetRequests.fund(runId + ":period:" + scope, scope, Unit.USD_MICROCENTS,
                FundingKind.RESET_SPENT, allocated, 0L, why + ": a new period", now));
    }

    /**
     * Applies the operations through the ledger and waits for each answer.
     *
     * @throws IllegalStateException when the ledger refused one
     */
    public static void apply(final BudgetClient client, final List<BudgetOperation> operations) {
        for (final AuditRecord answer : client.applyAll(operations)) {
            if (answer.getKind() != AuditKind.BUDGET_CHANGED && answer.getKind() != AuditKind.DUPLICATE_IGNORED) {
                throw new IllegalStateException("the ledger refused a budget of the demo: " + answer.getDetail());
            }
        }
    }
}
