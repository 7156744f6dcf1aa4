package dev.budgetmeter.topology;

import dev.budgetmeter.schemas.BudgetOperation;
import dev.budgetmeter.schemas.BudgetStatus;
import dev.budgetmeter.schemas.Caps;
import dev.budgetmeter.schemas.ChangeStatus;
import dev.budgetmeter.schemas.Fund;
import dev.budgetmeter.schemas.FundingKind;
import dev.budgetmeter.schemas.SetBudget;
import dev.budgetmeter.schemas.Unit;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

/** Budget operations for tests, in USD_MICROCENTS unless said, each with a fresh operation id. */
final class BudgetOps {

    static final String TENANT = "acme";
    /** The scopes of {@link Events#reserve}'s subject: the tenant, and its agent under it. */
    static final String TENANT_SCOPE = "tenant:acme";
    static final String AGENT_SCOPE = "tenant:acme/agent:streaming-agent";

    private static final AtomicInteger IDS = new AtomicInteger();

    private BudgetOps() {
    }

    static BudgetOperation set(final String scope, final long allocated) {
        return set(scope, allocated, 0, null);
    }

    static BudgetOperation set(final String scope, final long allocated, final long overdraftLimit, final Caps caps) {
        return operation(scope, Unit.USD_MICROCENTS, new SetBudget(allocated, overdraftLimit, caps));
    }

    static BudgetOperation fund(final String scope, final FundingKind kind, final long amount) {
        return operation(scope, Unit.USD_MICROCENTS, new Fund(kind, amount, null));
    }

    static BudgetOperation status(final String scope, final BudgetStatus status) {
        return operation(scope, Unit.USD_MICROCENTS, new ChangeStatus(status));
    }

    static BudgetOperation operation(final String scope, final Unit unit, final Object body) {
        return BudgetOperation.newBuilder().setOperationId("op-" + IDS.incrementAndGet()).setTenant(TENANT)
                .setScope(scope).setUnit(unit).setIssuedAt(Instant.ofEpochMilli(MeteringDriver.T0)).setBody(body)
                .build();
    }
}
