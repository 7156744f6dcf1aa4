package dev.budgetmeter.reliability;

import java.time.Duration;

/**
 * What the cluster scenarios share: their pace and bounds. Holds live {@link #TTL_MS}, far longer than any of their
 * faults stalls a task, so that no hold expires and only a wrong idle timeout could settle a live stream early;
 * long streams chunk every {@link #TICK} for {@link #LONG_CHUNKS} ticks, so load runs through the whole fault.
 */
final class ClusterScenario {

    static final Duration READY_BOUND = Duration.ofSeconds(120);
    static final Duration LOAD_BOUND = Duration.ofSeconds(180);
    static final Duration SETTLE_BOUND = Duration.ofSeconds(180);
    static final Duration TICK = Duration.ofMillis(250);
    static final long TTL_MS = 20_000;
    /**
     * Holds of the rolling restart: a cleanly closed static member keeps its tasks until it is back, so each
     * restart stalls them for as long as it takes (13-22 s seen on a loaded 2-core machine), and holds must outlive
     * that, as an operator's must outlive a restart.
     */
    static final long ROLLING_TTL_MS = 60_000;
    /** 25 s of chunks per long stream. */
    static final int LONG_CHUNKS = 100;
    /** How long a broker stays down: 12 s, past the controllers' broker session (9 s) and three idle timeouts. */
    static final int TICKS_DOWN = 48;

    private ClusterScenario() {
    }
}
