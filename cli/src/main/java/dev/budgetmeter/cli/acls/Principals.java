package dev.budgetmeter.cli.acls;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Who plays each role, as Kafka principals ({@code User:<name>}). Immutable.
 *
 * @param topology      the metering application
 * @param worker        the workers that write the shared input topic (unused with tenant topics)
 * @param relay         the relay of commands to the budget authority
 * @param auditor       auditors reading the outputs
 * @param tenantWorkers with tenant topics: each tenant's worker principal, by tenant; empty with a shared input topic
 */
public record Principals(String topology, String worker, String relay, String auditor,
                         Map<String, String> tenantWorkers) {

    /** The default principal of each role: {@code User:budget-meter-<role>}. */
    public static final String DEFAULT_PREFIX = "User:budget-meter-";

    /** Validates every principal ({@code Type:name}) and sorts the tenants. */
    public Principals {
        requirePrincipal(topology, "topology");
        requirePrincipal(worker, "worker");
        requirePrincipal(relay, "relay");
        requirePrincipal(auditor, "auditor");
        tenantWorkers = new TreeMap<>(Objects.requireNonNull(tenantWorkers, "tenantWorkers"));
        tenantWorkers.forEach((tenant, principal) -> requirePrincipal(principal, "worker of tenant " + tenant));
        tenantWorkers = Collections.unmodifiableMap(tenantWorkers);
    }

    /** The default principals, with the given tenants' workers named {@code User:budget-meter-worker-<tenant>}. */
    public static Principals defaults(final Iterable<String> tenants) {
        final Map<String, String> workers = new TreeMap<>();
        tenants.forEach(tenant -> workers.put(tenant, defaultTenantWorker(tenant)));
        return new Principals(DEFAULT_PREFIX + "topology", DEFAULT_PREFIX + "worker", DEFAULT_PREFIX + "relay",
                DEFAULT_PREFIX + "auditor", workers);
    }

    /** {@code User:budget-meter-worker-<tenant>}. */
    public static String defaultTenantWorker(final String tenant) {
        return DEFAULT_PREFIX + "worker-" + tenant;
    }

    /** Whether the deployment reads per-tenant input topics. */
    public boolean tenantTopics() {
        return !tenantWorkers.isEmpty();
    }

    private static void requirePrincipal(final String principal, final String role) {
        Objects.requireNonNull(principal, role);
        final int colon = principal.indexOf(':');
        if (colon < 1 || colon == principal.length() - 1) {
            throw new IllegalArgumentException("the " + role + " principal must look like User:<name>, was '"
                    + principal + "'");
        }
    }
}
