package dev.budgetmeter.reliability.workload;

import dev.budgetmeter.schemas.Amount;
import dev.budgetmeter.schemas.Reserve;
import dev.budgetmeter.schemas.Subject;
import dev.budgetmeter.schemas.Unit;
import dev.budgetmeter.schemas.fixture.StreamEventFixture;
import java.util.List;

/**
 * Whom every reliability stream is held for: one tenant's workspace, both of them budgeted (see ScenarioDeployment),
 * so every hold of every scenario is on both scopes. The events themselves come from {@link StreamEventFixture}.
 */
public final class WorkloadSubject {

    /** The tenant of every stream, and the workspace under it. */
    public static final String TENANT = StreamEventFixture.TENANT;
    public static final String WORKSPACE = "reliability";
    /** The budget ledger's scopes of every stream's subject, each with a budget. */
    public static final List<String> BUDGETED_SCOPES = List.of("tenant:" + TENANT,
            "tenant:" + TENANT + "/workspace:" + WORKSPACE);

    private WorkloadSubject() {
    }

    /** The fixture's Reserve body held for the workload's subject, with this estimate and ttl. */
    public static Reserve.Builder reserveBody(final String reservationId, final long estimate, final long ttlMs) {
        return StreamEventFixture.reserveBody(reservationId)
                .setSubject(Subject.newBuilder().setTenant(TENANT).setWorkspace(WORKSPACE).build())
                .setEstimate(new Amount(Unit.USD_MICROCENTS, estimate))
                .setTtlMs(ttlMs);
    }
}
