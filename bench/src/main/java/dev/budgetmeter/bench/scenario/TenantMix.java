package dev.budgetmeter.bench.scenario;

import dev.budgetmeter.bench.load.TenantTemplates;
import dev.budgetmeter.bench.report.Formats;
import java.util.List;

/**
 * Whose Reserves a budget-ledger load carries. The ledger is keyed by tenant, so one hot tenant puts every decision
 * on one ledger task (one partition of ledger-requests, one budget written again and again), while many tenants
 * spread them over every partition and many budgets. Immutable.
 *
 * @param label   for reports, e.g. {@code one hot tenant}
 * @param tenants the tenants, each given a budget before the load
 */
public record TenantMix(String label, List<String> tenants) {

    public TenantMix {
        tenants = List.copyOf(tenants);
    }

    /** Every Reserve of one tenant. */
    public static TenantMix hot() {
        return new TenantMix("one hot tenant", List.of("bench-hot"));
    }

    /** Reserves taking turns over {@code count} tenants. */
    public static TenantMix spread(final int count) {
        return new TenantMix(Formats.whole(count) + " tenants", TenantTemplates.named("bench-t", count));
    }
}
