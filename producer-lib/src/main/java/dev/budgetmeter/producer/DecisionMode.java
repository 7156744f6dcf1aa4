package dev.budgetmeter.producer;

/**
 * Who decides a reservation, and whether {@link BudgetMeter#open} waits for the decision.
 */
public enum DecisionMode {
    /**
     * An authority outside the pipeline decided before the stream was opened (the topology runs with
     * {@code metering.authority=EXTERNAL}), or, with {@link BudgetMeter.Builder#cycles}, the meter asks a Cycles
     * server during open ({@code metering.authority=CYCLES}). {@link MeteredStream#decision()} is complete at open.
     */
    EXTERNAL,
    /**
     * The budget ledger inside the topology ({@code metering.authority=LEDGER}) decides, and {@link BudgetMeter#open}
     * returns only once it has: allowed, or a {@link BudgetRefusedException}, or a {@link DecisionTimeoutException}
     * after the decision timeout. Call the model only after open returned, as Cycles clients do.
     */
    WAIT,
    /**
     * The budget ledger decides while the stream already runs: {@link BudgetMeter#open} returns at once and
     * {@link MeteredStream#decision()} completes later. A refusal stops the stream through the library: the
     * decision future completes with it (chain a callback on it to stop the model call), and every later
     * {@link MeteredStream#chunk} call throws {@link BudgetRefusedException} after counting its tokens.
     */
    OPTIMISTIC
}
