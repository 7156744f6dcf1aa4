package dev.budgetmeter.bench.env;

import java.util.function.LongSupplier;

/**
 * The budget ledger's progress in decisions: Reserves sent against decisions read by workers, counted from when it
 * was created. The lag also counts the input records the lifecycle has not processed yet, so that an application
 * that has decided every Reserve but not yet read their Ends is not taken for caught up.
 */
public final class DecisionProgress implements ProgressSource {

    private final ProgressSource input;
    private final LongSupplier reservesSent;
    private final LongSupplier decisionsRead;
    private final long decisionsBefore;

    /**
     * @param input         the application's progress through its input records
     * @param reservesSent  Reserves handed to the producer so far, by the load this progress follows
     * @param decisionsRead decisions read so far, by anyone's load (those before now are left out)
     */
    public DecisionProgress(final ProgressSource input, final LongSupplier reservesSent,
                            final LongSupplier decisionsRead) {
        this.input = input;
        this.reservesSent = reservesSent;
        this.decisionsRead = decisionsRead;
        this.decisionsBefore = decisionsRead.getAsLong();
    }

    @Override
    public Snapshot snapshot() {
        final Snapshot records = input.snapshot();
        final long reserves = reservesSent.getAsLong();
        final long decisions = decisionsRead.getAsLong() - decisionsBefore;
        return new Snapshot(records.nanos(), reserves, decisions, records.lag() + Math.max(0, reserves - decisions));
    }
}
