package dev.budgetmeter.topology.processing;

import dev.budgetmeter.topology.state.DeadlineIndex;
import dev.budgetmeter.topology.state.DeadlineIndex.Kind;
import org.apache.kafka.streams.processor.Punctuator;

/**
 * Handles the deadlines that are due, each kind on its clock: holds on the wall clock (an authority's hold expires
 * in real time, so a task behind its input still extends it), idle timeouts, retention and orphan waits on the input
 * clock (silence is only silence once the input has been read). Range scans of the deadline index, at most a bounded
 * number per run, so its cost follows the work that is due and not the number of reservations the task holds. Then
 * the usage applied since each reservation's last audit record is audited, once per run per reservation.
 */
final class DeadlinePunctuator implements Punctuator {

    private final DeadlineIndex deadlines;
    private final ReservationLedger ledger;
    private final InputClock inputClock;
    private final int partition;
    private final int maxPerRun;

    /**
     * @param partition the task's input partition, whose input clock applies
     * @param maxPerRun deadlines handled per run at most, over all kinds
     */
    DeadlinePunctuator(final DeadlineIndex deadlines, final ReservationLedger ledger, final InputClock inputClock,
                       final int partition, final int maxPerRun) {
        this.deadlines = deadlines;
        this.ledger = ledger;
        this.inputClock = inputClock;
        this.partition = partition;
        this.maxPerRun = maxPerRun;
    }

    @Override
    public void punctuate(final long now) {
        final long inputTime = Math.min(now, inputClock.processedBefore(partition, now));
        int budget = maxPerRun;
        budget -= handle(Kind.HOLD, now, budget, now, inputTime);
        budget -= handle(Kind.LEGACY_RESERVATION, now, budget, now, inputTime);
        budget -= handle(Kind.INPUT, inputTime, budget, now, inputTime);
        budget -= handle(Kind.ORPHANS, inputTime, budget, now, inputTime);
        // Last, so that a transition due now audits its reservation's usage in its own record instead.
        ledger.auditUsage(now, budget);
    }

    private int handle(final Kind kind, final long until, final int budget, final long now, final long inputTime) {
        int handled = 0;
        for (final DeadlineIndex.Due due : deadlines.due(kind, until, budget)) {
            ledger.onDue(due, now, inputTime);
            handled++;
        }
        return handled;
    }
}
