package dev.budgetmeter.cycles;

import java.util.Optional;

/**
 * The Cycles API key to send for a tenant's requests: the server derives the effective tenant from the key and
 * refuses (403) a subject of another tenant, so a relay serving several tenants holds one key per tenant.
 */
@FunctionalInterface
public interface ApiKeys {

    /** The key for {@code tenant}, or empty when none is known (the request then goes without one and gets 401). */
    Optional<Secret> forTenant(String tenant);

    /** One key for every tenant. */
    static ApiKeys single(final Secret key) {
        final Optional<Secret> always = Optional.of(key);
        return tenant -> always;
    }
}
