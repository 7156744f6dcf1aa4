package dev.budgetmeter.topology.processing;

import dev.budgetmeter.topology.state.DeadlineIndex;
import org.apache.kafka.streams.processor.Punctuator;

/**
 * Handles the deadlines that are due: a range scan of the deadline index up to now, at most a bounded number per
 * run, so its cost follows the work that is due and not the number of reservations the task holds.
 */
final class DeadlinePunctuator implements Punctuator {

    private final DeadlineIndex deadlines;
    private final ReservationLedger ledger;
    private final int maxPerRun;

    DeadlinePunctuator(final DeadlineIndex deadlines, final ReservationLedger ledger, final int maxPerRun) {
        this.deadlines = deadlines;
        this.ledger = ledger;
        this.maxPerRun = maxPerRun;
    }

    @Override
    public void punctuate(final long now) {
        for (final DeadlineIndex.Due due : deadlines.due(now, maxPerRun)) {
            ledger.onDue(due, now);
        }
    }
}
