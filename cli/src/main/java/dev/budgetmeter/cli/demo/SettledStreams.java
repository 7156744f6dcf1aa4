package dev.budgetmeter.cli.demo;

import dev.budgetmeter.schemas.BudgetCommand;
import dev.budgetmeter.topics.CommandWatcher;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * What the demo learns from the settlements a {@link CommandWatcher} sees: which reservations are settled, and how
 * long after its stream's End was sent each terminal command became visible (once per reservation). Thread-safe:
 * the watcher's thread records, the demo's thread reads.
 */
public final class SettledStreams implements CommandWatcher.SettlementListener {

    private final Map<String, Long> endSentNanos;
    private final LongSupplier nanoClock;
    private final LatencyRecorder latency = new LatencyRecorder();
    private final Set<String> settled = ConcurrentHashMap.newKeySet();

    /**
     * @param endSentNanos when each stream's End was sent, filled in by the workers as they go
     * @param nanoClock    the clock of {@code endSentNanos}
     */
    public SettledStreams(final Map<String, Long> endSentNanos, final LongSupplier nanoClock) {
        this.endSentNanos = endSentNanos;
        this.nanoClock = nanoClock;
    }

    @Override
    public void onSettled(final String reservationId, final BudgetCommand command, final long nanos) {
        if (settled.add(reservationId)) {
            final Long sent = endSentNanos.get(reservationId);
            if (sent != null) {
                latency.record(nanoClock.getAsLong() - sent);
            }
        }
    }

    /** Whether every one of {@code reservationIds} has its Commit or Release visible. */
    public boolean allSettled(final Collection<String> reservationIds) {
        return settled.containsAll(reservationIds);
    }

    /** End sent -> terminal command visible, per stream that sent an End. */
    public LatencyRecorder latency() {
        return latency;
    }
}
