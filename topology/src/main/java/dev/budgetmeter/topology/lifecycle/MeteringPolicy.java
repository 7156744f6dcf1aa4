package dev.budgetmeter.topology.lifecycle;

import java.util.Objects;

/**
 * The configured rules of the lifecycle: when to extend, when a stream counts as abandoned, how failures settle,
 * how late usage is gathered, how long a settled reservation is remembered and what tokens cost.
 *
 * @param authority           who decides Reserves and holds the budgets
 * @param onFailure           how a failed or cancelled stream with billable usage settles
 * @param extendLeadMs        extend when the expiry is this close; -1 means half the ttl
 * @param idleTimeoutMs       abandon a stream after this long without an event; -1 means min(ttl / 2, 30 s)
 * @param maxExtensions       extends per reservation at most
 * @param lateUsageIntervalMs usage seen after settlement is gathered for this long into one Debit
 * @param retentionMs         how long a settled reservation is remembered
 * @param prices              prices per action name, for reservations without their own
 */
public record MeteringPolicy(Authority authority, FailurePolicy onFailure, long extendLeadMs, long idleTimeoutMs, int maxExtensions,
                             long lateUsageIntervalMs, long retentionMs, PriceTable prices) {

    static final long MAX_DEFAULT_IDLE_TIMEOUT_MS = 30_000L;

    public MeteringPolicy {
        Objects.requireNonNull(authority, "authority");
        Objects.requireNonNull(onFailure, "onFailure");
        Objects.requireNonNull(prices, "prices");
    }

    /**
     * How close to its expiry a live hold is extended. Never more than 90% of the ttl, because an extend brings the
     * expiry to now + ttl and a lead of a whole ttl would make the next extend due at once.
     */
    public long extendLeadMs(final long ttlMs) {
        final long lead = extendLeadMs < 0 ? ttlMs / 2 : extendLeadMs;
        return Math.min(lead, ttlMs * 9 / 10);
    }

    /** Whether Reserves wait for the budget ledger's decision and settlements go to it. */
    public boolean ledger() {
        return authority == Authority.LEDGER;
    }

    /** Whether the lifecycle reads the Cycles server's answers to its commands (the command-results topic). */
    public boolean readsResults() {
        return authority == Authority.CYCLES;
    }

    /** How long a stream may stay silent before it counts as abandoned. */
    public long idleTimeoutMs(final long ttlMs) {
        return idleTimeoutMs < 0 ? Math.min(ttlMs / 2, MAX_DEFAULT_IDLE_TIMEOUT_MS) : idleTimeoutMs;
    }
}
